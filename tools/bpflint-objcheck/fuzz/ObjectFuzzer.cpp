//===- ObjectFuzzer.cpp - libFuzzer target for the object reader ----------===//
//
// Feeds arbitrary bytes to BpfObject::create and, when an object comes out,
// runs the interpreter on every program with a small budget. Any crash,
// sanitizer report or hang is a bug: bad input must become an llvm::Error or
// an incomplete path, never undefined behaviour.
//
// Build: cmake -DBPFLINT_BUILD_FUZZERS=ON (clang only; needs the libFuzzer
// runtime, libclang-rt-19-dev on Debian), then
//   build/tools/bpflint-objcheck/bpflint-objcheck-fuzzer CORPUS_DIR
// with a corpus of .o files (e.g. the objects the lit tests build).
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/Interpreter.h"
#include "bpflint/Bytecode/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cstddef>
#include <cstdint>

using namespace bpflint::bc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto Buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char *>(Data), Size), "fuzz.o");
  llvm::Expected<std::unique_ptr<BpfObject>> Obj =
      BpfObject::create(std::move(Buffer));
  if (!Obj) {
    llvm::consumeError(Obj.takeError());
    return 0;
  }
  InterpreterOptions Opts;
  Opts.MaxSteps = 20000;
  for (const Function *F : (*Obj)->programs())
    (void)verifyProgram(**Obj, *F, Opts);
  return 0;
}
