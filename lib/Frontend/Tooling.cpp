//===- Tooling.cpp - Analysing files with their compile commands ----------===//

#include "bpflint/Frontend/Tooling.h"
#include "BytecodeHook.h"
#include "bpflint/Frontend/Analysis.h"
#include "bpflint/Frontend/Options.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "bpflint/Support/ToolingCompat.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/CodeGen/CodeGenAction.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Serialization/PCHContainerOperations.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>

#ifndef BPFLINT_CLANG_RESOURCE_DIR
#define BPFLINT_CLANG_RESOURCE_DIR ""
#endif

using namespace clang;
using namespace clang::tooling;
using namespace llvm;

namespace bpflint {

bool isBpfCompile(const CompileCommand &C) {
  if (StringRef(C.Filename).ends_with(".bpf.c"))
    return true;
  for (size_t I = 0; I < C.CommandLine.size(); ++I) {
    StringRef A = C.CommandLine[I];
    StringRef Target;
    if ((A == "-target" || A == "--target") && I + 1 < C.CommandLine.size())
      Target = C.CommandLine[I + 1];
    else if (A.consume_front("--target=") || A.consume_front("-target="))
      Target = A;
    if (Target.starts_with("bpf"))
      return true;
  }
  return false;
}

static bool mentionsBpflint(StringRef Path) {
  return sys::path::filename(Path).starts_with("bpflint");
}

/// Whether the compile command generates code (-c, or -S, for which the
/// plugin verifies the object of the same module too), and nothing stops it
/// before code generation or defers it (LTO).
static bool producesObject(ArrayRef<std::string> Args) {
  bool Compile = false;
  for (StringRef A : Args) {
    if (A == "-c" || A == "-S")
      Compile = true;
    else if (A == "-fsyntax-only" || A == "-E" || A == "-M" || A == "-MM" ||
             A == "-emit-llvm" || A.starts_with("-flto") || A == "-###")
      return false;
  }
  return Compile;
}

std::vector<std::string>
adjustCompileCommand(const CompileCommand &C,
                     std::vector<std::string> &PluginArgs,
                     const ToolingOptions &Opts, bool *EmitsObject) {
  std::vector<std::string> Args;
  const std::vector<std::string> &In = C.CommandLine;
  for (size_t I = 0; I < In.size(); ++I) {
    StringRef A = In[I];
    if (A.starts_with("-fplugin=") && mentionsBpflint(A.drop_front(9)))
      continue;
    if (A.starts_with("-fpass-plugin=") && mentionsBpflint(A.drop_front(14)))
      continue;
    if (A.consume_front("-fplugin-arg-bpflint-")) {
      PluginArgs.push_back(A.str());
      continue;
    }
    // -Xclang -load -Xclang .../bpflint.so, -Xclang -add-plugin -Xclang bpflint
    if (A == "-Xclang" && I + 3 < In.size() && In[I + 2] == "-Xclang" &&
        ((In[I + 1] == "-load" && mentionsBpflint(In[I + 3])) ||
         ((In[I + 1] == "-add-plugin" || In[I + 1] == "-plugin") &&
          In[I + 3] == "bpflint"))) {
      I += 3;
      continue;
    }
    if (A.starts_with("-resource-dir")) {
      if (A == "-resource-dir")
        ++I;
      continue;
    }
    Args.push_back(In[I]);
  }
  Args = getClangStripOutputAdjuster()(Args, C.Filename);
  Args = getClangStripDependencyFileAdjuster()(Args, C.Filename);
  bool Object = Opts.Bytecode && producesObject(Args);
  if (EmitsObject)
    *EmitsObject = Object;
  if (Object) {
    // The object is compiled for the verifier and discarded.
    Args.push_back("-o");
    Args.push_back("/dev/null");
  } else {
    Args = getClangSyntaxOnlyAdjuster()(Args, C.Filename);
  }
  std::vector<std::string> Extra;
  std::string Resource = Opts.ResourceDir.empty()
                             ? std::string(BPFLINT_CLANG_RESOURCE_DIR)
                             : Opts.ResourceDir;
  if (!Resource.empty())
    Extra.push_back("-resource-dir=" + Resource);
  Extra.push_back(Opts.Color ? "-fcolor-diagnostics"
                             : "-fno-color-diagnostics");
  Args = getInsertArgumentAdjuster(Extra, ArgumentInsertPosition::BEGIN)(
      Args, C.Filename);
  return Args;
}

namespace {

class BpflintAction : public ASTFrontendAction {
public:
  BpflintAction(const BpflintOptions &Opts, FindingCollector &Findings,
                raw_ostream &Verbose)
      : Opts(Opts), Findings(Findings), Verbose(Verbose) {}

  bool BeginInvocation(CompilerInstance &CI) override {
    // "N warnings generated." goes with the diagnostics, as with clang.
    CI.setVerboseOutputStream(Verbose);
    return true;
  }
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    return createAnalysisConsumer(CI, Opts, &Findings);
  }

private:
  const BpflintOptions &Opts;
  FindingCollector &Findings;
  raw_ostream &Verbose;
};

/// Passes diagnostics on to the text printer and, once code generation has
/// begun, collects bpflint's (the bytecode layer's) as Findings: a warning or
/// error "<message> [bpflint-<check>]" followed by its notes.
class BytecodeCapture : public DiagnosticConsumer {
public:
  BytecodeCapture(DiagnosticConsumer &Next, FindingCollector &Out)
      : Next(Next), Out(Out) {}

  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    Next.BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override { Next.EndSourceFile(); }
  void finish() override {
    flush();
    Next.finish();
  }
  void clear() override {
    DiagnosticConsumer::clear();
    Next.clear();
  }
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    Next.HandleDiagnostic(Level, Info);
    if (!InCodegen)
      return;
    SmallString<256> Text;
    Info.FormatDiagnostic(Text);
    FullSourceLoc Loc;
    if (Info.hasSourceManager() && Info.getLocation().isValid())
      Loc = FullSourceLoc(Info.getLocation(), Info.getSourceManager());
    if (Level == DiagnosticsEngine::Note) {
      if (Current)
        Current->Notes.push_back({sourcePointOf(Loc), Text.str().str()});
      return;
    }
    flush();
    StringRef Message = Text;
    size_t Open = Message.rfind(" [bpflint-");
    if ((Level != DiagnosticsEngine::Warning &&
         Level != DiagnosticsEngine::Error) ||
        Open == StringRef::npos || !Message.ends_with("]"))
      return;
    Current.emplace();
    Current->Check = Message.substr(Open + 2).drop_back().str();
    if (const RuleInfo *R = findRule(Current->Check))
      Current->RuleId = R->Id.str();
    Current->Level = Level == DiagnosticsEngine::Error ? "error" : "warning";
    Current->Message = Message.substr(0, Open).str();
    splitDescription(Current->Message, Current->What, Current->KernelMessages);
    Current->Loc = sourcePointOf(Loc);
  }

  /// Set when code generation starts: what follows comes from the bytecode
  /// layer (the source layer reports at the end of its analysis, before).
  bool InCodegen = false;

private:
  void flush() {
    if (Current)
      Out.add(std::move(*Current));
    Current.reset();
  }
  DiagnosticConsumer &Next;
  FindingCollector &Out;
  std::optional<Finding> Current;
};

/// LLVM's backends are not safe to run on several threads at once: two
/// BPF TargetMachines built in parallel corrupt the heap with LLVM 22 (the
/// driver's -j). Code generation therefore runs under one process-wide lock;
/// the source analysis, the expensive part, stays parallel.
std::mutex &backendMutex() {
  static std::mutex M;
  return M;
}

/// Marks the start of code generation for BytecodeCapture and takes the
/// backend lock, which BackendDone (the consumer after code generation)
/// gives back.
class CodegenMarker : public ASTConsumer {
public:
  CodegenMarker(BytecodeCapture *Capture,
                std::shared_ptr<std::unique_lock<std::mutex>> Backend)
      : Capture(Capture), Backend(std::move(Backend)) {}
  void HandleTranslationUnit(ASTContext &) override {
    Backend->lock();
    if (Capture)
      Capture->InCodegen = true;
  }

private:
  BytecodeCapture *Capture;
  std::shared_ptr<std::unique_lock<std::mutex>> Backend;
};

class BackendDone : public ASTConsumer {
public:
  explicit BackendDone(std::shared_ptr<std::unique_lock<std::mutex>> Backend)
      : Backend(std::move(Backend)) {}
  void HandleTranslationUnit(ASTContext &) override {
    if (Backend->owns_lock())
      Backend->unlock();
  }

private:
  std::shared_ptr<std::unique_lock<std::mutex>> Backend;
};

/// The compile of an object, with the source analysis before code
/// generation and the bytecode verifier on the object (as the plugin runs
/// in a build). The object goes to memory, for the verifier.
class BpflintObjectAction : public EmitObjAction {
public:
  BpflintObjectAction(const BpflintOptions &Opts, FindingCollector &Findings,
                      raw_ostream &Verbose, BytecodeCapture *Capture)
      : Opts(Opts), Findings(Findings), Verbose(Verbose), Capture(Capture) {}

  bool BeginInvocation(CompilerInstance &CI) override {
    CI.setVerboseOutputStream(Verbose);
    return EmitObjAction::BeginInvocation(CI);
  }
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef InFile) override {
    BpflintOptions WithHook = Opts;
    std::shared_ptr<BytecodeHookState> Hook;
    if (Opts.Bytecode && bytecodeHookApplies(CI)) {
      Hook = installBytecodeHook(CI, Opts);
      WithHook.OnAnalysisConsumer = [Hook](ento::AnalysisASTConsumer &C,
                                           const BpflintOptions &Effective) {
        attachSourceRecorder(Hook, C, Effective);
      };
    }
    if (Hook)
      captureObjectStream(Hook);
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(createAnalysisConsumer(CI, WithHook, &Findings));
    // Deferred: locked by CodegenMarker, unlocked by BackendDone (or when
    // the consumers are destroyed, if code generation stopped early).
    auto Backend = std::make_shared<std::unique_lock<std::mutex>>(
        backendMutex(), std::defer_lock);
    Consumers.push_back(std::make_unique<CodegenMarker>(Capture, Backend));
    std::unique_ptr<ASTConsumer> Codegen =
        EmitObjAction::CreateASTConsumer(CI, InFile);
    if (!Codegen)
      return nullptr;
    Consumers.push_back(std::move(Codegen));
    Consumers.push_back(std::make_unique<BackendDone>(Backend));
    // The verifier on the object in memory, outside the backend lock.
    if (Hook)
      Consumers.push_back(createEmittedObjectVerifier(Hook));
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

private:
  const BpflintOptions &Opts;
  FindingCollector &Findings;
  raw_ostream &Verbose;
  BytecodeCapture *Capture;
};

class ActionFactory : public FrontendActionFactory {
public:
  ActionFactory(const BpflintOptions &Opts, FindingCollector &Findings,
                raw_ostream &Verbose, BytecodeCapture *Capture)
      : Opts(Opts), Findings(Findings), Verbose(Verbose), Capture(Capture) {}
  std::unique_ptr<FrontendAction> create() override {
    if (Capture)
      return std::make_unique<BpflintObjectAction>(Opts, Findings, Verbose,
                                                   Capture);
    return std::make_unique<BpflintAction>(Opts, Findings, Verbose);
  }

private:
  const BpflintOptions &Opts;
  FindingCollector &Findings;
  raw_ostream &Verbose;
  BytecodeCapture *Capture;
};

void initializeTargets() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
    InitializeAllAsmParsers();
  });
}

} // namespace

FileAnalysis analyseFile(const std::string &File, const CompileCommand &Command,
                         ArrayRef<std::string> DriverArgs,
                         const ToolingOptions &TOpts) {
  FileAnalysis R;
  R.File = File;
  R.Directory = Command.Directory;
  std::vector<std::string> PluginArgs;
  bool EmitsObject = false;
  std::vector<std::string> Args =
      adjustCompileCommand(Command, PluginArgs, TOpts, &EmitsObject);
  // The compile command's -fplugin-arg-bpflint-* first; the driver's flags
  // win.
  PluginArgs.insert(PluginArgs.end(), DriverArgs.begin(), DriverArgs.end());
  Expected<BpflintOptions> Opts = parsePluginArgs(PluginArgs);
  if (!Opts) {
    R.Failure = "bpflint: " + toString(Opts.takeError());
    R.Text = File + ": error: " + R.Failure + "\n";
    return R;
  }

  IntrusiveRefCntPtr<vfs::FileSystem> FS(
      vfs::createPhysicalFileSystem().release());
  if (TOpts.Unsaved && !TOpts.Unsaved->empty()) {
    IntrusiveRefCntPtr<vfs::InMemoryFileSystem> Memory(
        new vfs::InMemoryFileSystem);
    for (const auto &E : *TOpts.Unsaved)
      Memory->addFile(E.getKey(), /*ModificationTime=*/0,
                      MemoryBuffer::getMemBufferCopy(E.getValue(), E.getKey()));
    IntrusiveRefCntPtr<vfs::OverlayFileSystem> Overlay(
        new vfs::OverlayFileSystem(FS));
    Overlay->pushOverlay(Memory);
    FS = Overlay;
  }
  if (std::error_code EC = FS->setCurrentWorkingDirectory(Command.Directory)) {
    R.Failure = "cannot enter the compile directory '" + Command.Directory +
                "': " + EC.message();
    R.Text = File + ": error: " + R.Failure + "\n";
    return R;
  }
  IntrusiveRefCntPtr<FileManager> Files(
      new FileManager(FileSystemOptions(), FS));

  raw_string_ostream TextOS(R.Text);
  std::vector<const char *> Argv;
  for (const std::string &A : Args)
    Argv.push_back(A.c_str());
  std::unique_ptr<DiagnosticOptions> DiagOpts = CreateAndPopulateDiagOpts(Argv);
  DiagOpts->ShowColors = TOpts.Color;
  std::unique_ptr<TextDiagnosticPrinter> Printer =
      compat::createTextDiagnosticPrinter(TextOS, *DiagOpts);

  FindingCollector Collector;
  std::optional<BytecodeCapture> Capture;
  if (EmitsObject) {
    initializeTargets();
    Capture.emplace(*Printer, Collector);
  }
  ActionFactory Factory(*Opts, Collector, TextOS,
                        Capture ? &*Capture : nullptr);
  ToolInvocation Invocation(Args, &Factory, Files.get(),
                            std::make_shared<PCHContainerOperations>());
  if (Capture)
    Invocation.setDiagnosticConsumer(&*Capture);
  else
    Invocation.setDiagnosticConsumer(Printer.get());
  bool Ran = Invocation.run();
  R.Findings = Collector.take();
  R.Incomplete = Collector.takeIncomplete();
  unsigned FindingErrors = 0;
  for (const Finding &F : R.Findings)
    FindingErrors += F.Level == "error";
  // Errors other than bpflint's own findings (reported as errors with
  // -Werror or the errors argument) mean the compile failed.
  if (Printer->getNumErrors() > FindingErrors || (!Ran && !FindingErrors))
    R.Failure = "the compile failed (" +
                std::to_string(Printer->getNumErrors() - FindingErrors) +
                " error(s))";
  TextOS.flush();
  return R;
}

static tooling::Replacement replacementOf(const FindingFixIt &F) {
  unsigned Begin = F.Range.Begin.Offset;
  unsigned End = std::max(Begin, F.Range.End.Offset);
  return tooling::Replacement(F.Range.Begin.File, Begin, End - Begin,
                              F.Replacement);
}

void writeFixesYaml(raw_ostream &OS, ArrayRef<FileAnalysis> Results) {
  tooling::TranslationUnitDiagnostics TUD;
  for (const FileAnalysis &R : Results) {
    if (TUD.MainSourceFile.empty() && R.Failure.empty())
      TUD.MainSourceFile = R.File;
    for (const Finding &F : R.Findings) {
      SmallString<256> Dir(R.Directory);
      sys::fs::make_absolute(Dir);
      sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
      tooling::Diagnostic D(F.Check,
                            F.Level == "error" ? tooling::Diagnostic::Error
                                               : tooling::Diagnostic::Warning,
                            Dir);
      D.Message.Message = F.Message;
      D.Message.FilePath = F.Loc.File;
      D.Message.FileOffset = F.Loc.Offset;
      for (const FindingFixIt &Fix : F.FixIts)
        if (Error E =
                D.Message.Fix[Fix.Range.Begin.File].add(replacementOf(Fix)))
          consumeError(std::move(E));
      for (const FindingNote &N : F.Notes) {
        tooling::DiagnosticMessage M(N.Message);
        M.FilePath = N.Loc.File;
        M.FileOffset = N.Loc.Offset;
        D.Notes.push_back(std::move(M));
      }
      TUD.Diagnostics.push_back(std::move(D));
    }
  }
  yaml::Output YAML(OS);
  YAML << TUD;
}

FixSummary applyFixes(ArrayRef<FileAnalysis> Results) {
  FixSummary S;
  std::map<std::string, tooling::Replacements> ByFile;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Seen;
  for (const FileAnalysis &R : Results) {
    for (const Finding &F : R.Findings) {
      if (F.FixIts.empty())
        continue;
      ++S.WithFixes;
      // All of a finding's fix-its or none.
      std::map<std::string, tooling::Replacements> Tentative = ByFile;
      bool Fits = true, New = false;
      for (const FindingFixIt &Fix : F.FixIts) {
        tooling::Replacement Rep = replacementOf(Fix);
        if (!Seen.insert({Rep.getFilePath().str(), Rep.getOffset(),
                          Rep.getLength(), Rep.getReplacementText().str()})
                 .second)
          continue;
        New = true;
        if (Error E = Tentative[Rep.getFilePath().str()].add(Rep)) {
          consumeError(std::move(E));
          Fits = false;
          break;
        }
      }
      if (Fits) {
        ++S.Applied;
        if (New)
          ByFile = std::move(Tentative);
      }
    }
  }
  for (const auto &[File, Reps] : ByFile) {
    if (Reps.empty())
      continue;
    ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
        MemoryBuffer::getFile(File, /*IsText=*/false,
                              /*RequiresNullTerminator=*/false);
    if (!Buffer) {
      S.Errors.push_back(File + ": " + Buffer.getError().message());
      continue;
    }
    Expected<std::string> Fixed =
        tooling::applyAllReplacements((*Buffer)->getBuffer(), Reps);
    if (!Fixed) {
      S.Errors.push_back(File + ": " + toString(Fixed.takeError()));
      continue;
    }
    std::error_code EC;
    raw_fd_ostream Out(File, EC);
    if (EC) {
      S.Errors.push_back(File + ": " + EC.message());
      continue;
    }
    Out << *Fixed;
    S.FilesChanged.push_back(File);
  }
  return S;
}

} // namespace bpflint
