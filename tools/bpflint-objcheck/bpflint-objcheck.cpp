//===- bpflint-objcheck.cpp - The bytecode verifier on a BPF object -------===//
//
// bpflint-objcheck prog.o [--program NAME] [--kernel X.Y]
//                         [--format text|json|sarif] [--dump] [--stats]
//
// Exit status: 0 no findings, 1 findings, 2 bad usage or bad input (the
// reason on stderr). Never needs a kernel or root.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/Cfg.h"
#include "bpflint/Bytecode/Diagnostics.h"
#include "bpflint/Bytecode/Interpreter.h"
#include "bpflint/Bytecode/ObjectFile.h"
#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
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
    "                        [--format text|json|sarif] [--dump] [--stats]\n"
    "\n"
    "Reports, for a BPF ELF object, the errors the kernel's BPF verifier\n"
    "would report when loading it. No kernel or privileges needed.\n"
    "\n"
    "  --program NAME  only verify program NAME (repeatable)\n"
    "  --kernel X.Y    kernel profile: rules and messages of that kernel\n"
    "                  (default: newest)\n"
    "  --format F      text (clang-style diagnostics, default), json, or\n"
    "                  sarif (SARIF 2.1.0, as the bpflint driver writes it)\n"
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
  std::string Format = "text";
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
      if (!V || (*V != "text" && *V != "json" && *V != "sarif"))
        return fail("--format must be 'text', 'json' or 'sarif'");
      O.Format = V->str();
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

SourcePoint sourcePoint(const BpfObject &Obj, CodeAddr At) {
  SourcePoint P;
  if (std::optional<SourceLoc> L = Obj.sourceLoc(At.Section, At.Insn)) {
    SmallString<256> Path(L->File);
    sys::fs::make_absolute(Path);
    sys::path::remove_dots(Path, true);
    P.File = std::string(Path);
    P.Line = L->Line;
    P.Column = P.ColumnUtf16 = L->Column;
  }
  return P;
}

// The driver's SARIF writer, fed with the bytecode findings: the same
// rules, kernel messages and help links. A finding without line info
// (no -g) has no source location; its notes name the instruction.
void printSarif(raw_ostream &OS, const BpfObject &Obj,
                ArrayRef<ProgramResult> Results, KernelVersion Kernel) {
  std::vector<bpflint::Finding> Out;
  for (const UniqueFinding &U : uniqueFindings(Results)) {
    const bc::Finding &F = *U.F;
    const RuleInfo &Info = getRule(F.Kind);
    bpflint::Finding S;
    S.Check = Info.fullCheckName();
    S.RuleId = Info.Id.str();
    S.Level = "warning";
    S.Message = describeFinding(F, Kernel);
    S.What = F.What;
    SmallVector<StringRef, 2> Lines;
    std::string Message = findingMessage(F, Kernel);
    StringRef(Message).split(Lines, '\n', -1, false);
    for (StringRef L : Lines)
      S.KernelMessages.push_back(L.str());
    S.Loc = sourcePoint(Obj, F.At);
    for (const bc::FindingNote &N : F.Notes)
      S.Notes.push_back(
          {N.At ? sourcePoint(Obj, *N.At) : SourcePoint(), N.Text});
    S.Notes.push_back({S.Loc, programNote(Obj, U.Programs, F.At)});
    Out.push_back(std::move(S));
  }
  RunInfo Run;
  Run.ToolVersion = BPFLINT_VERSION;
  Run.DocsBaseUri = BPFLINT_DOCS_URI;
  Run.Kernel = Kernel;
  SmallString<256> Cwd;
  if (!sys::fs::current_path(Cwd))
    Run.SourceRoot = std::string(Cwd);
  SmallString<256> Input(Obj.fileName());
  sys::fs::make_absolute(Input);
  Run.FilesAnalysed.push_back(std::string(Input));
  writeSarif(OS, Out, Run);
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
  if (O.Format == "json")
    printJson(outs(), Obj, Results, O.Kernel);
  else if (O.Format == "sarif")
    printSarif(outs(), Obj, Results, O.Kernel);
  else
    printText(outs(), Obj, Results, O.Kernel, O.Stats);
  return Found ? 1 : 0;
}
