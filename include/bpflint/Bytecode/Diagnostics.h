//===- Diagnostics.h - Rendering bytecode findings --------------*- C++ -*-===//
//
// Text in clang's style ("file:line:col: warning: ... [bpflint-<check>]",
// notes after it) and JSON. The message is composed as the source layer
// composes it (RuleReporter::describe): what is wrong, then the kernel's
// message for the selected kernel, so both layers read the same.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_DIAGNOSTICS_H
#define BPFLINT_BYTECODE_DIAGNOSTICS_H

#include "bpflint/Bytecode/Interpreter.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace bpflint::bc {

/// The kernel's message for F on Kernel: its variant's, else the rule's,
/// with F.Args filled in.
std::string findingMessage(const Finding &F, KernelVersion Kernel);

/// "<What> (verifier: "<line 1>", "<line 2>")".
std::string describeFinding(const Finding &F, KernelVersion Kernel);

/// "file:line:col" from line info, else "<object>:<section>+<insn>".
std::string formatLocation(const BpfObject &Obj, CodeAddr At);

/// A finding with every program it rejects. A finding in a global function
/// is found once per program calling it; it is reported once.
struct UniqueFinding {
  const Finding *F = nullptr;
  std::vector<llvm::StringRef> Programs;
};

/// Each (rule, instruction) once, in the order first found.
std::vector<UniqueFinding>
uniqueFindings(llvm::ArrayRef<ProgramResult> Results);

/// "in program 'p' at insn tc+20 ('exit')" (or "in programs 'a', 'b' ...").
std::string programNote(const BpfObject &Obj,
                        llvm::ArrayRef<llvm::StringRef> Programs, CodeAddr At);

/// Prints every finding (each (rule, instruction) once, even when several
/// programs share the function). With Stats, also a note per program on the
/// paths the interpreter could not follow.
void printText(llvm::raw_ostream &OS, const BpfObject &Obj,
               llvm::ArrayRef<ProgramResult> Results, KernelVersion Kernel,
               bool Stats);

void printJson(llvm::raw_ostream &OS, const BpfObject &Obj,
               llvm::ArrayRef<ProgramResult> Results, KernelVersion Kernel);

} // namespace bpflint::bc

#endif
