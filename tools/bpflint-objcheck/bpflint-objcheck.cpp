//===- bpflint-objcheck.cpp - The bytecode verifier on a BPF object -------===//
//
// bpflint-objcheck prog.o [--program NAME] [--kernel X.Y]
//                         [--format text|json] [--dump] [--stats]
//
// Exit status: 0 no findings, 1 findings, 2 bad usage or bad input (the
// reason on stderr). Never needs a kernel or root.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/Cfg.h"
#include "bpflint/Bytecode/Diagnostics.h"
#include "bpflint/Bytecode/Interpreter.h"
#include "bpflint/Bytecode/ObjectFile.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>
#include <vector>

using namespace llvm;
using namespace bpflint;
using namespace bpflint::bc;

namespace {

// Arguments are parsed by hand: llvm::cl's registry is shared with every
// option libLLVM.so registers (a clash aborts), and it exits with status 1
// on bad usage where we promise 2.
const char Usage[] =
    "usage: bpflint-objcheck OBJECT.o [--program NAME]... [--kernel X.Y]\n"
    "                        [--format text|json] [--dump] [--stats]\n"
    "\n"
    "Reports, for a BPF ELF object, the errors the kernel's BPF verifier\n"
    "would report when loading it. No kernel or privileges needed.\n"
    "\n"
    "  --program NAME  only verify program NAME (repeatable)\n"
    "  --kernel X.Y    kernel profile: rules and messages of that kernel\n"
    "                  (default: newest)\n"
    "  --format F      text (clang-style diagnostics, default) or json\n"
    "  --dump          print each program's CFG and instructions, no checks\n"
    "  --stats         also print per-program statistics, including the\n"
    "                  paths the interpreter could not follow\n"
    "  --help          show this text\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 bad usage or bad input.\n";

struct Options {
  std::string Input;
  std::vector<std::string> Programs;
  KernelVersion Kernel = KernelVersion::newest();
  bool Json = false;
  bool Dump = false;
  bool Stats = false;
};

int fail(const Twine &Msg) {
  errs() << "bpflint-objcheck: error: " << Msg << "\n";
  return 2;
}

// Returns an exit status if the program should stop (help or bad usage).
std::optional<int> parseArgs(int Argc, char **Argv, Options &O) {
  for (int I = 1; I < Argc; ++I) {
    StringRef Arg = Argv[I];
    // Accept both "--opt value" and "--opt=value".
    auto value = [&](StringRef Name) -> std::optional<StringRef> {
      if (Arg.consume_front(Name)) {
        if (Arg.consume_front("="))
          return Arg;
        if (Arg.empty() && I + 1 < Argc)
          return StringRef(Argv[++I]);
      }
      return std::nullopt;
    };
    if (Arg == "--help" || Arg == "-h") {
      outs() << Usage;
      return 0;
    }
    if (Arg == "--dump") {
      O.Dump = true;
    } else if (Arg == "--stats") {
      O.Stats = true;
    } else if (Arg.starts_with("--program")) {
      std::optional<StringRef> V = value("--program");
      if (!V || V->empty())
        return fail("--program needs a program name");
      O.Programs.push_back(V->str());
    } else if (Arg.starts_with("--kernel")) {
      std::optional<StringRef> V = value("--kernel");
      std::optional<KernelVersion> KV =
          V ? KernelVersion::parse(*V) : std::nullopt;
      if (!KV || *KV < KernelVersion::oldest())
        return fail("invalid --kernel '" + (V ? *V : "") +
                    "' (expected X.Y, at least " +
                    KernelVersion::oldest().str() + ", or 'newest')");
      O.Kernel = *KV;
    } else if (Arg.starts_with("--format")) {
      std::optional<StringRef> V = value("--format");
      if (!V || (*V != "text" && *V != "json"))
        return fail("--format must be 'text' or 'json'");
      O.Json = *V == "json";
    } else if (Arg.starts_with("-") && Arg != "-") {
      errs() << Usage;
      return fail("unknown option '" + Arg + "'");
    } else if (!O.Input.empty()) {
      return fail("more than one input file ('" + O.Input + "', '" + Arg +
                  "')");
    } else {
      O.Input = Arg.str();
    }
  }
  if (O.Input.empty()) {
    errs() << Usage;
    return fail("no input file");
  }
  return std::nullopt;
}

} // namespace

int main(int Argc, char **Argv) {
  Options O;
  if (std::optional<int> Status = parseArgs(Argc, Argv, O))
    return *Status;

  Expected<std::unique_ptr<BpfObject>> ObjOrErr =
      BpfObject::createFromFile(O.Input);
  if (!ObjOrErr)
    return fail(O.Input + ": " + toString(ObjOrErr.takeError()));
  const BpfObject &Obj = **ObjOrErr;

  std::vector<const Function *> Selected;
  if (O.Programs.empty()) {
    Selected = Obj.programs();
  } else {
    for (const std::string &Name : O.Programs) {
      const Function *F = Obj.findProgram(Name);
      if (!F)
        return fail(O.Input + ": no program named '" + Name + "'");
      Selected.push_back(F);
    }
  }

  if (O.Dump) {
    for (const Function *F : Selected) {
      outs() << "program " << F->Name << "\n";
      ProgramCfg::build(Obj, *F).dump(Obj, outs());
    }
    return 0;
  }

  InterpreterOptions Opts;
  Opts.Kernel = O.Kernel;
  std::vector<ProgramResult> Results;
  bool Found = false;
  for (const Function *F : Selected) {
    Results.push_back(verifyProgram(Obj, *F, Opts));
    Found |= !Results.back().Findings.empty();
  }
  if (O.Json)
    printJson(outs(), Obj, Results, O.Kernel);
  else
    printText(outs(), Obj, Results, O.Kernel, O.Stats);
  return Found ? 1 : 0;
}
