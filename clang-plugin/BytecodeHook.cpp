//===- BytecodeHook.cpp - The bytecode verifier inside the compile --------===//
//
// The verifier checks the object clang itself emits, read back after code
// generation:
// - the plugin (clang -fplugin): clang writes the object to a temporary
//   "<stem>-XXXXXXXX<ext>.tmp" next to the output, created with the main
//   action's consumer (before any plugin consumer) and kept open until the
//   compile ends and renames it. The hook finds that descriptor through
//   /proc/self/fd and a second plugin action, run after the main action
//   (BpflintPlugin.cpp), reads it once code generation is done.
// - the driver (lib/Frontend/Tooling.cpp) gives the code generator a memory
//   stream (CompilerInstance::setOutputStream) and verifies that buffer.
// Where neither works (-S, -o -, -o /dev/null, no /proc), an OptimizerLast
// pass clones the final module and runs a private BPF back end on the clone
// to get the object (the cost: about as much again as clang's back end).
//
// LLVM 22's PassPluginLibraryInfo::PreCodeGenCallback does not help: clang
// only calls it for -fpass-plugin libraries, loaded
// (CompilerInstance::LoadRequestedPlugins) before a -fplugin library's
// ParseArgs or CreateASTConsumer first sees the CompilerInstance; the list
// is private. Nor does LLVM 22's CompilerInstance output backend
// (setOutputManager): CodeGenAction::CreateASTConsumer creates the output
// file before any plugin's CreateASTConsumer runs, so a mirroring backend
// installed by a plugin comes too late.
//
//===----------------------------------------------------------------------===//

#include "BytecodeHook.h"
#include "bpflint/Bytecode/Diagnostics.h"
#include "bpflint/Bytecode/Interpreter.h"
#include "bpflint/Bytecode/ObjectFile.h"
#include "bpflint/Frontend/Suppressions.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "bpflint/Support/CodegenCompat.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Analysis/PathDiagnostic.h"
#include "clang/Basic/CodeGenOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/IPO/ConstantMerge.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include <mutex>
#include <set>
#ifdef __linux__
#include <unistd.h>
#endif

using namespace clang;
using namespace llvm;

namespace bpflint {

struct BytecodeHookState {
  explicit BytecodeHookState(CompilerInstance &CI, const BpflintOptions &Opts)
      : CI(CI), Opts(Opts) {}
  CompilerInstance &CI;
  /// The options in effect (the arguments, then a .bpflint file).
  BpflintOptions Opts;
  /// (rule, function) of every source finding: the function the analyzer
  /// reported in, and the top-level function of its path.
  std::set<std::pair<unsigned, std::string>> SourceKeys;
  /// The hook runs once per compile even if the pipeline were built twice.
  bool Ran = false;
  /// NOLINT comments, as for the source findings.
  SuppressionFilter Suppress;
  /// Where the object is read after code generation: clang's temporary
  /// output file (descriptor and path) or the memory stream the driver
  /// gave the code generator (Capturing).
  int ObjectFD = -1;
  std::string ObjectPath;
  bool Capturing = false;
  SmallVector<char, 0> Captured;
  /// A consumer after the code generator's will verify the object.
  bool VerifierAttached = false;

  bool readsEmittedObject() const {
    return VerifierAttached && (Capturing || ObjectFD >= 0);
  }
};

namespace {

/// Records the source findings' keys. Sees every finding the analyzer
/// makes, including ones a NOLINT comment hides: a hidden source finding
/// also hides its bytecode twin.
class SourceRecorder : public ento::PathDiagnosticConsumer {
public:
  explicit SourceRecorder(std::shared_ptr<BytecodeHookState> State)
      : State(std::move(State)) {}
  StringRef getName() const override { return "bpflint-bytecode-dedup"; }
  PathGenerationScheme getGenerationScheme() const override { return Minimal; }
  bool supportsLogicalOpControlFlow() const override { return true; }
  bool supportsCrossFileDiagnostics() const override { return true; }

  void FlushDiagnosticsImpl(std::vector<const ento::PathDiagnostic *> &PDs,
                            FilesMade *) override {
    for (const ento::PathDiagnostic *PD : PDs) {
      const RuleInfo *R = findRule(PD->getCategory());
      if (!R)
        continue;
      auto Add = [&](const Decl *D) {
        if (const auto *FD = dyn_cast_or_null<FunctionDecl>(D))
          State->SourceKeys.insert({unsigned(R->Kind), FD->getNameAsString()});
      };
      // A finding on a declaration (a map definition, a type) is about the
      // object as a whole: key "" matches the rule in every function.
      if (!isa_and_nonnull<FunctionDecl>(PD->getDeclWithIssue()))
        State->SourceKeys.insert({unsigned(R->Kind), ""});
      Add(PD->getDeclWithIssue());
      for (const auto &Piece : PD->path)
        if (const auto *Call =
                dyn_cast<ento::PathDiagnosticCallPiece>(Piece.get()))
          Add(Call->getCaller());
    }
  }

private:
  std::shared_ptr<BytecodeHookState> State;
};

/// Swallows the diagnostics of the private codegen (clang's own codegen
/// reports them, once) and remembers whether it failed.
struct QuietHandler : public DiagnosticHandler {
  bool Failed = false;
  bool handleDiagnostics(const DiagnosticInfo &DI) override {
    if (DI.getSeverity() == DS_Error)
      Failed = true;
    return true;
  }
};

/// Same reading of -Werror as the source layer's (lib/Frontend/Analysis.cpp):
/// the last of -Werror / -Wno-error wins.
bool warningsAreErrors(const CompilerInstance &CI) {
  bool Werror = false;
  for (const std::string &W : CI.getDiagnosticOpts().Warnings) {
    if (W == "error")
      Werror = true;
    else if (W == "no-error")
      Werror = false;
  }
  return Werror;
}

llvm::TargetOptions targetOptions(const CompilerInstance &CI) {
  const CodeGenOptions &CGO = CI.getCodeGenOpts();
  llvm::TargetOptions O;
  O.EmitAddrsig = CGO.Addrsig;
  O.FunctionSections = CGO.FunctionSections;
  O.DataSections = CGO.DataSections;
  O.UniqueSectionNames = CGO.UniqueSectionNames;
  O.UseInitArray = CGO.UseInitArray;
  O.DebugStrictDwarf = CGO.DebugStrictDwarf;
  O.ObjectFilenameForDebug = CGO.ObjectFilenameForDebug;
  O.MCOptions.Dwarf64 = CGO.Dwarf64;
  O.MCOptions.ABIName = CI.getTargetOpts().ABI;
  return O;
}

std::string objectName(const CompilerInstance &CI) {
  std::string Name = CI.getFrontendOpts().OutputFile;
  if (Name.empty() || Name == "-")
    Name = "<object>";
  return Name;
}

class Verifier {
public:
  Verifier(BytecodeHookState &S) : S(S), CI(S.CI) {}

  /// Verifies the object of a private code generation of M.
  void run(llvm::Module &M);
  /// Verifies the object clang emitted (after code generation).
  void runOnEmitted();

private:
  /// The object clang would emit for M, or an empty buffer (Why set).
  std::unique_ptr<MemoryBuffer> emit(llvm::Module &M);
  std::unique_ptr<MemoryBuffer> readEmitted();
  void verify(std::unique_ptr<MemoryBuffer> Object);
  void report(const bc::BpfObject &Obj, const bc::UniqueFinding &U);
  bool isDuplicate(const bc::BpfObject &Obj, const bc::UniqueFinding &U);
  SourceLocation location(const bc::BpfObject &Obj, bc::CodeAddr At);
  void skipped(const Twine &Why);

  BytecodeHookState &S;
  CompilerInstance &CI;
  std::string Why;
};

void Verifier::skipped(const Twine &Why) {
  DiagnosticsEngine &D = CI.getDiagnostics();
  D.Report(D.getCustomDiagID(DiagnosticsEngine::Remark,
                             "bpflint: the bytecode verifier did not run: %0"))
      << Why.str();
}

std::unique_ptr<MemoryBuffer> Verifier::emit(llvm::Module &M) {
  const CodeGenOptions &CGO = CI.getCodeGenOpts();
  Triple TT(M.getTargetTriple());
  std::string Error;
  const Target *T = compat::lookupTarget(TT, Error);
  if (!T) {
    Why = "no BPF target: " + Error;
    return nullptr;
  }
  std::string Features = llvm::join(CI.getTargetOpts().Features, ",");
  CodeGenOptLevel OL = CGO.OptimizationLevel == 0   ? CodeGenOptLevel::None
                       : CGO.OptimizationLevel == 1 ? CodeGenOptLevel::Less
                       : CGO.OptimizationLevel == 3
                           ? CodeGenOptLevel::Aggressive
                           : CodeGenOptLevel::Default;
  std::unique_ptr<TargetMachine> TM(
      compat::createTargetMachine(*T, TT, CI.getTargetOpts().CPU, Features,
                                  targetOptions(CI), CGO.RelocationModel, OL));
  if (!TM) {
    Why = "could not create the BPF target machine";
    return nullptr;
  }

  std::unique_ptr<llvm::Module> Clone = CloneModule(M);
  // Clang runs these after the OptimizerLast callbacks (when optimizing).
  if (CGO.OptimizationLevel > 0) {
    LoopAnalysisManager LAM;
    FunctionAnalysisManager FAM;
    CGSCCAnalysisManager CGAM;
    ModuleAnalysisManager MAM;
    PassBuilder PB(TM.get());
    PB.registerModuleAnalyses(MAM);
    PB.registerCGSCCAnalyses(CGAM);
    PB.registerFunctionAnalyses(FAM);
    PB.registerLoopAnalyses(LAM);
    PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
    ModulePassManager MPM;
    MPM.addPass(GlobalDCEPass());
    MPM.addPass(ConstantMergePass());
    MPM.run(*Clone, MAM);
  }

  SmallVector<char, 0> Buffer;
  raw_svector_ostream OS(Buffer);
  legacy::PassManager PM;
  PM.add(new TargetLibraryInfoWrapperPass(TargetLibraryInfoImpl(TT)));
  if (TM->addPassesToEmitFile(PM, OS, nullptr, CodeGenFileType::ObjectFile,
                              /*DisableVerify=*/!CGO.VerifyModule)) {
    Why = "the BPF target cannot emit an object";
    return nullptr;
  }

  // The private codegen reports nothing: clang's own codegen of the same
  // module reports any problem once.
  LLVMContext &Ctx = M.getContext();
  std::unique_ptr<DiagnosticHandler> Saved = Ctx.getDiagnosticHandler();
  auto Quiet = std::make_unique<QuietHandler>();
  QuietHandler *Q = Quiet.get();
  Ctx.setDiagnosticHandler(std::move(Quiet));
  PM.run(*Clone);
  bool Failed = Q->Failed;
  Ctx.setDiagnosticHandler(std::move(Saved));
  if (Failed) {
    Why = "code generation failed";
    return nullptr;
  }
  return MemoryBuffer::getMemBufferCopy(StringRef(Buffer.data(), Buffer.size()),
                                        objectName(CI));
}

void Verifier::run(llvm::Module &M) {
  // With -fsave-optimization-record the private codegen would add its
  // remarks to the record file: leave that compile alone.
  if (M.getContext().getMainRemarkStreamer() ||
      M.getContext().getLLVMRemarkStreamer())
    return;
  std::unique_ptr<MemoryBuffer> Object = emit(M);
  if (!Object) {
    // Clang reports a failed codegen itself; nothing to add.
    if (Why != "code generation failed")
      skipped(Why);
    return;
  }
  verify(std::move(Object));
}

#ifdef __linux__
std::optional<std::string> fdPath(int FD) {
  char Buf[4096];
  std::string Link = "/proc/self/fd/" + std::to_string(FD);
  ssize_t N = ::readlink(Link.c_str(), Buf, sizeof(Buf));
  if (N <= 0 || size_t(N) >= sizeof(Buf))
    return std::nullopt;
  return std::string(Buf, size_t(N));
}
#endif

std::unique_ptr<MemoryBuffer> Verifier::readEmitted() {
  if (S.Capturing)
    return MemoryBuffer::getMemBufferCopy(
        StringRef(S.Captured.data(), S.Captured.size()), objectName(CI));
#ifdef __linux__
  // The descriptor must still name the temporary it named before code
  // generation (not closed, not reused).
  if (S.ObjectFD < 0 || fdPath(S.ObjectFD) != S.ObjectPath)
    return nullptr;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getOpenFile(
      sys::fs::convertFDToNativeFile(S.ObjectFD), objectName(CI),
      /*FileSize=*/-1, /*RequiresNullTerminator=*/false,
      /*IsVolatile=*/true);
  if (Buf)
    return std::move(*Buf);
#endif
  return nullptr;
}

void Verifier::runOnEmitted() {
  // Code generation did not run, or failed (clang said why).
  if (CI.getDiagnostics().hasErrorOccurred())
    return;
  std::unique_ptr<MemoryBuffer> Object = readEmitted();
  if (!Object) {
    skipped("could not read the object clang emitted");
    return;
  }
  verify(std::move(Object));
}

void Verifier::verify(std::unique_ptr<MemoryBuffer> Object) {
  // For tests: the object the verifier saw, to compare with clang's.
  if (std::optional<std::string> Dump =
          sys::Process::GetEnv("BPFLINT_HOOK_OBJECT")) {
    std::error_code EC;
    raw_fd_ostream Out(*Dump, EC, sys::fs::OF_None);
    if (!EC)
      Out << Object->getBuffer();
  }
  Expected<std::unique_ptr<bc::BpfObject>> ObjOrErr =
      bc::BpfObject::create(std::move(Object));
  if (!ObjOrErr) {
    skipped(toString(ObjOrErr.takeError()));
    return;
  }
  const bc::BpfObject &Obj = **ObjOrErr;
  bc::InterpreterOptions IOpts;
  IOpts.Kernel = S.Opts.Config.Kernel;

  // An internal failure of the verifier must not take the compile down.
  std::vector<bc::ProgramResult> Results;
  CrashRecoveryContext CRC;
  bool OK = CRC.RunSafely([&] {
    for (const bc::Function *F : Obj.programs())
      Results.push_back(bc::verifyProgram(Obj, *F, IOpts));
  });
  if (!OK) {
    skipped("internal error in the bytecode verifier (please report it)");
    return;
  }
  for (const bc::UniqueFinding &U : bc::uniqueFindings(Results)) {
    if (!S.Opts.Config.isActive(U.F->Kind) || isDuplicate(Obj, U))
      continue;
    report(Obj, U);
  }
}

/// The matching key is (rule, function), not the line, or (rule, "") for a
/// source finding on a declaration: at -O2 clang merges
/// a function's returns into one exit, so the bytecode layer reports a leak
/// at the closing brace while the source layer reports at the return that
/// leaks. The function is the one whose code holds the failing instruction;
/// for a finding in a program or a static subprogram, the programs it
/// rejects count too (the source layer reports where its path started).
/// A finding in a global function (verified on its own) matches only that
/// function.
bool Verifier::isDuplicate(const bc::BpfObject &Obj,
                           const bc::UniqueFinding &U) {
  unsigned Rule = unsigned(U.F->Kind);
  if (S.SourceKeys.count({Rule, ""}))
    return true;
  const bc::Function *Fn = Obj.functionAt(U.F->At.Section, U.F->At.Insn);
  if (Fn && S.SourceKeys.count({Rule, Fn->Name}))
    return true;
  if (Fn && Fn->Global && !Fn->IsProgram)
    return false;
  for (StringRef P : U.Programs)
    if (S.SourceKeys.count({Rule, P.str()}))
      return true;
  return false;
}

SourceLocation Verifier::location(const bc::BpfObject &Obj, bc::CodeAddr At) {
  SourceManager &SM = CI.getSourceManager();
  if (std::optional<bc::SourceLoc> L = Obj.sourceLoc(At.Section, At.Insn)) {
    if (auto FE = CI.getFileManager().getOptionalFileRef(L->File)) {
      SourceLocation Loc = SM.translateFileLineCol(&FE->getFileEntry(), L->Line,
                                                   std::max(L->Column, 1u));
      if (Loc.isValid())
        return Loc;
    }
  }
  // No line info (no -g) or a file clang did not read: the definition of
  // the function holding the instruction.
  if (const bc::Function *Fn = Obj.functionAt(At.Section, At.Insn)) {
    if (!CI.hasASTContext())
      return {};
    ASTContext &Ctx = CI.getASTContext();
    for (NamedDecl *D :
         Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get(Fn->Name)))
      if (const auto *FD = dyn_cast<FunctionDecl>(D))
        if (FD->isThisDeclarationADefinition())
          return FD->getLocation();
  }
  return {};
}

void Verifier::report(const bc::BpfObject &Obj, const bc::UniqueFinding &U) {
  DiagnosticsEngine &Diags = CI.getDiagnostics();
  const bc::Finding &F = *U.F;
  SourceLocation Loc = location(Obj, F.At);
  // NOLINT comments apply to the bytecode layer's findings too.
  if (Loc.isValid() &&
      S.Suppress.isSuppressed(FullSourceLoc(Loc, CI.getSourceManager()),
                              getRule(F.Kind).fullCheckName()))
    return;
  bool Error =
      S.Opts.Severity.isError(getRule(F.Kind).fullCheckName(),
                              S.Opts.AsErrors || warningsAreErrors(CI));
  if (!Error && Diags.getIgnoreAllWarnings())
    return;
  unsigned MainID = Diags.getCustomDiagID(
      Error ? DiagnosticsEngine::Error : DiagnosticsEngine::Warning, "%0");
  unsigned NoteID = Diags.getCustomDiagID(DiagnosticsEngine::Note, "%0");

  std::string Message = bc::describeFinding(F, S.Opts.Config.Kernel) + " [" +
                        getRule(F.Kind).fullCheckName() + "]";
  if (Loc.isInvalid())
    Message = bc::formatLocation(Obj, F.At) + ": " + Message;
  Diags.Report(Loc, MainID) << Message;
  for (const bc::FindingNote &N : F.Notes) {
    SourceLocation NLoc = N.At ? location(Obj, *N.At) : Loc;
    Diags.Report(NLoc, NoteID) << N.Text;
  }
  Diags.Report(Loc, NoteID) << bc::programNote(Obj, U.Programs, F.At);
}

/// The module pass: verifies the object of a private code generation of
/// the final module, unless the object clang emits will be read.
class BytecodeVerifyPass : public PassInfoMixin<BytecodeVerifyPass> {
public:
  explicit BytecodeVerifyPass(std::shared_ptr<BytecodeHookState> S)
      : S(std::move(S)) {}
  PreservedAnalyses run(llvm::Module &M, ModuleAnalysisManager &) {
    if (!S->Ran && !S->readsEmittedObject()) {
      S->Ran = true;
      Verifier(*S).run(M);
    }
    return PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }

private:
  std::shared_ptr<BytecodeHookState> S;
};

/// Runs after the code generator's consumer: verifies the object it wrote.
class EmittedObjectVerifier : public ASTConsumer {
public:
  explicit EmittedObjectVerifier(std::shared_ptr<BytecodeHookState> S)
      : S(std::move(S)) {}
  void HandleTranslationUnit(ASTContext &) override {
    if (S->Ran || !S->readsEmittedObject())
      return;
    S->Ran = true;
    Verifier(*S).runOnEmitted();
  }

private:
  std::shared_ptr<BytecodeHookState> S;
};

/// The descriptor of the temporary file clang writes this compile's object
/// to, or -1. CompilerInstance::createOutputFile names it
/// "<stem>-XXXXXXXX<ext>.tmp" (8 hex digits), next to the output, and keeps
/// it open until the compile ends (19 and 22 alike).
int findObjectTemporary(const CompilerInstance &CI, std::string &Path) {
#ifdef __linux__
  StringRef Output = CI.getFrontendOpts().OutputFile;
  if (Output.empty() || Output == "-")
    return -1;
  SmallString<256> Abs(Output);
  if (sys::fs::make_absolute(Abs))
    return -1;
  SmallString<256> Dir;
  if (sys::fs::real_path(sys::path::parent_path(Abs), Dir))
    return -1;
  StringRef File = sys::path::filename(Abs);
  StringRef Ext = sys::path::extension(File);
  std::string Prefix = (File.drop_back(Ext.size()) + "-").str();
  std::string Suffix = (Ext + ".tmp").str();
  int Found = -1;
  std::error_code EC;
  for (sys::fs::directory_iterator I("/proc/self/fd", EC), E; I != E && !EC;
       I.increment(EC)) {
    int FD;
    if (sys::path::filename(I->path()).getAsInteger(10, FD))
      continue;
    std::optional<std::string> Target = fdPath(FD);
    if (!Target || sys::path::parent_path(*Target) != Dir)
      continue;
    StringRef Name = sys::path::filename(*Target);
    if (Name.size() != Prefix.size() + 8 + Suffix.size() ||
        !Name.starts_with(Prefix) || !Name.ends_with(Suffix) ||
        Name.substr(Prefix.size(), 8).find_first_not_of("0123456789abcdef") !=
            StringRef::npos)
      continue;
    if (Found >= 0)
      return -1; // Ambiguous.
    Found = FD;
    Path = *Target;
  }
  return EC ? -1 : Found;
#else
  return -1;
#endif
}

/// The plugin's hook states by compile, for the plugin action that runs
/// after the main action (createEmittedObjectVerifier).
std::mutex RegistryMutex;
std::vector<
    std::pair<const CompilerInstance *, std::weak_ptr<BytecodeHookState>>>
    Registry;

} // namespace

bool bytecodeHookApplies(const CompilerInstance &CI) {
  frontend::ActionKind A = CI.getFrontendOpts().ProgramAction;
  if (A != frontend::EmitObj && A != frontend::EmitAssembly)
    return false;
  const CodeGenOptions &CGO = CI.getCodeGenOpts();
  if (CGO.PrepareForLTO || CGO.PrepareForThinLTO)
    return false;
  return CI.hasTarget() && CI.getTarget().getTriple().isBPF();
}

std::shared_ptr<BytecodeHookState>
installBytecodeHook(CompilerInstance &CI, const BpflintOptions &Opts) {
  auto State = std::make_shared<BytecodeHookState>(CI, Opts);
  // The main action's consumer, created before this, has opened the output.
  if (CI.getFrontendOpts().ProgramAction == frontend::EmitObj)
    State->ObjectFD = findObjectTemporary(CI, State->ObjectPath);
  {
    std::lock_guard<std::mutex> Lock(RegistryMutex);
    llvm::erase_if(Registry, [&](const auto &E) {
      return E.first == &CI || E.second.expired();
    });
    Registry.push_back({&CI, State});
  }
  CI.getCodeGenOpts().PassBuilderCallbacks.push_back([State](PassBuilder &PB) {
    compat::registerOptimizerLastModulePass(
        PB, [State](ModulePassManager &MPM) {
          MPM.addPass(BytecodeVerifyPass(State));
        });
  });
  return State;
}

void attachSourceRecorder(const std::shared_ptr<BytecodeHookState> &State,
                          ento::AnalysisASTConsumer &Consumer,
                          const BpflintOptions &Effective) {
  State->Opts.Config = Effective.Config;
  State->Opts.AsErrors = Effective.AsErrors;
  State->Opts.Severity = Effective.Severity;
  compat::addDiagnosticConsumer(Consumer,
                                std::make_unique<SourceRecorder>(State));
}

void captureObjectStream(const std::shared_ptr<BytecodeHookState> &State) {
  State->Capturing = true;
  State->CI.setOutputStream(
      std::make_unique<raw_svector_ostream>(State->Captured));
}

std::unique_ptr<ASTConsumer>
createEmittedObjectVerifier(const std::shared_ptr<BytecodeHookState> &State) {
  State->VerifierAttached = true;
  return std::make_unique<EmittedObjectVerifier>(State);
}

std::unique_ptr<ASTConsumer> createEmittedObjectVerifier(CompilerInstance &CI) {
  std::shared_ptr<BytecodeHookState> State;
  {
    std::lock_guard<std::mutex> Lock(RegistryMutex);
    for (auto &E : Registry)
      if (E.first == &CI)
        State = E.second.lock();
  }
  if (!State)
    return std::make_unique<ASTConsumer>();
  return createEmittedObjectVerifier(State);
}

} // namespace bpflint
