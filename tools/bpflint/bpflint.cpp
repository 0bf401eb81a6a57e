//===- bpflint.cpp - The standalone driver --------------------------------===//
//
//   bpflint -p <build dir> [files...]     compile commands from
//                                         compile_commands.json
//   bpflint file.bpf.c ... -- <flags>     the same flags for every file
//
// Runs bpflint's source checks on each file with its own compile command (the
// checks of the plugin, configured by the plugin's own option parser), and
// the bytecode layer on the object when the command compiles one (-c), in
// parallel, and writes the findings as clang-style text, JSON or SARIF 2.1.0.
// --fix applies the fix-its, --export-fixes writes them as clang-tidy does.
// Exit status: 0 no findings, 1 findings, 2 bad usage or a file that could
// not be analysed.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Frontend/Analysis.h"
#include "bpflint/Frontend/Options.h"
#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "bpflint/Frontend/Tooling.h"
#include "bpflint/Support/ToolingCompat.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Serialization/PCHContainerOperations.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <thread>

using namespace clang;
using namespace clang::tooling;
using namespace llvm;
using namespace bpflint;

#ifndef BPFLINT_VERSION
#define BPFLINT_VERSION "0.0.0"
#endif
#ifndef BPFLINT_DOCS_URI
#define BPFLINT_DOCS_URI ""
#endif

namespace {

enum ExitCode { ExitClean = 0, ExitFindings = 1, ExitError = 2 };

cl::OptionCategory Category("bpflint options");

cl::opt<std::string> BuildPath(
    "p", cl::desc("Build directory with compile_commands.json (or the file)"),
    cl::value_desc("build dir"), cl::cat(Category));
cl::list<std::string>
    Sources(cl::Positional,
            cl::desc("<file> ... (default with -p: every BPF compile of the "
                     "database)"),
            cl::cat(Category));
cl::opt<std::string>
    Checks("checks",
           cl::desc("Check names, rule ids or globs; '-' disables, left to "
                    "right (as -fplugin-arg-bpflint-checks=)"),
           cl::value_desc("globs"), cl::cat(Category));
cl::opt<std::string>
    Severity("severity",
             cl::desc("Per-check severity, e.g. ringbuf-leak:error,lock-*:"
                      "warning (as -fplugin-arg-bpflint-severity=)"),
             cl::value_desc("glob:level,..."), cl::cat(Category));
cl::opt<std::string> Kernel("kernel",
                            cl::desc("Kernel profile X.Y or 'newest' (as "
                                     "-fplugin-arg-bpflint-kernel=)"),
                            cl::value_desc("X.Y"), cl::cat(Category));
cl::opt<std::string>
    ListChecks("list-checks", cl::ValueOptional,
               cl::desc("Print the checks ('=markdown': the docs index) and "
                        "exit"),
               cl::value_desc("text|markdown"), cl::cat(Category));
cl::opt<unsigned> Jobs("j",
                       cl::desc("Files analysed in parallel (default: the "
                                "number of cores; always 1 when built with "
                                "LLVM 22, whose analyzer is not thread-safe)"),
                       cl::value_desc("N"), cl::init(0), cl::cat(Category));
cl::opt<std::string> Format("format",
                            cl::desc("Output format: text, json or sarif"),
                            cl::value_desc("text|json|sarif"), cl::init("text"),
                            cl::cat(Category));
cl::opt<std::string> Output("output",
                            cl::desc("Write the findings to FILE (default: "
                                     "standard output)"),
                            cl::value_desc("FILE"), cl::cat(Category));
cl::alias OutputShort("o", cl::desc("Alias for --output"), cl::aliasopt(Output),
                      cl::cat(Category));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("SARIF: files below DIR get URIs relative to it (uriBaseId "
             "SRCROOT; default: the current directory)"),
    cl::value_desc("DIR"), cl::cat(Category));
cl::opt<bool> NoBytecode(
    "no-bytecode",
    cl::desc("Do not run the bytecode layer (by default it runs when the "
             "compile command produces an object, as the plugin does)"),
    cl::cat(Category));
cl::opt<bool> Fix("fix",
                  cl::desc("Apply the findings' fix-its to the source files"),
                  cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the findings and their fix-its to FILE as YAML for "
             "clang-apply-replacements (as clang-tidy -export-fixes)"),
    cl::value_desc("FILE"), cl::cat(Category));
cl::opt<std::string> ResourceDir(
    "resource-dir",
    cl::desc("clang's resource directory (builtin headers; default: the one "
             "of the clang bpflint was built against)"),
    cl::value_desc("DIR"), cl::cat(Category));

void printVersion(raw_ostream &OS) {
  OS << "bpflint " << BPFLINT_VERSION << " (LLVM " << LLVM_VERSION_STRING
     << ")\n";
}

void error(const Twine &Message) {
  WithColor::error(errs(), "bpflint") << Message << "\n";
}

} // namespace

int main(int argc, const char **argv) {
  sys::PrintStackTraceOnErrorSignal(argv[0]);

  // Everything after "--" is the compile command for the files.
  int DashDash = argc;
  for (int I = 1; I < argc; ++I)
    if (StringRef(argv[I]) == "--") {
      DashDash = I;
      break;
    }
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  if (!cl::ParseCommandLineOptions(
          DashDash, argv,
          "bpflint: compile-time checks for BPF programs\n\n"
          "  bpflint -p <build dir> [files...]\n"
          "  bpflint [options] file.bpf.c... -- <compile flags>\n\n"
          "Exit status: 0 no findings, 1 findings, 2 bad usage or a file "
          "that could not be analysed (not found, no compile command, "
          "compile errors).\n",
          &errs()))
    return ExitError;

  // The driver's flags through the plugin's parser: same syntax and
  // validation as -fplugin-arg-bpflint-<arg>.
  std::vector<std::string> DriverArgs;
  if (Kernel.getNumOccurrences())
    DriverArgs.push_back("kernel=" + Kernel);
  if (Checks.getNumOccurrences())
    DriverArgs.push_back("checks=" + Checks);
  if (Severity.getNumOccurrences())
    DriverArgs.push_back("severity=" + Severity);
  if (NoBytecode)
    DriverArgs.push_back("no-bytecode");
  if (ListChecks.getNumOccurrences())
    DriverArgs.push_back(ListChecks.empty() ? "list-checks"
                                            : "list-checks=" + ListChecks);
  Expected<BpflintOptions> Opts = parsePluginArgs(DriverArgs);
  if (!Opts) {
    error(toString(Opts.takeError()));
    return ExitError;
  }
  if (!Opts->ListChecks.empty()) {
    printCheckList(outs(), Opts->ListChecks, Opts->Config);
    return ExitClean;
  }
  // list-checks is handled; the rest goes to every file's parser.
  if (ListChecks.getNumOccurrences())
    DriverArgs.pop_back();
  if (Format != "text" && Format != "json" && Format != "sarif") {
    error("unknown --format '" + Format + "' (text, json or sarif)");
    return ExitError;
  }

  // The compilation database.
  std::string ErrorMessage;
  std::unique_ptr<CompilationDatabase> Database;
  if (DashDash < argc) {
    std::vector<std::string> Flags(argv + DashDash + 1, argv + argc);
    Database = std::make_unique<FixedCompilationDatabase>(".", Flags);
  } else if (!BuildPath.empty()) {
    if (sys::fs::is_directory(BuildPath))
      Database =
          CompilationDatabase::loadFromDirectory(BuildPath, ErrorMessage);
    else
      Database = JSONCompilationDatabase::loadFromFile(
          BuildPath, ErrorMessage, JSONCommandLineSyntax::AutoDetect);
    if (!Database) {
      error("cannot load a compilation database from '" + BuildPath +
            "': " + ErrorMessage);
      return ExitError;
    }
  } else if (!Sources.empty()) {
    Database = CompilationDatabase::autoDetectFromSource(Sources.front(),
                                                         ErrorMessage);
    if (!Database) {
      error("no compile_commands.json found above '" + Sources.front() +
            "'; give the build directory with -p, or the flags after --");
      return ExitError;
    }
  } else {
    error("no input files; usage: bpflint -p <build dir> [files...] or "
          "bpflint file.bpf.c -- <flags> (see --help)");
    return ExitError;
  }

  // The files and their compile commands.
  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  std::vector<std::pair<std::string, CompileCommand>> Work;
  std::vector<FileAnalysis> Results;
  if (Sources.empty()) {
    for (const CompileCommand &C : Database->getAllCompileCommands()) {
      if (!isBpfCompile(C))
        continue;
      SmallString<256> Abs(C.Filename);
      if (!sys::path::is_absolute(Abs)) {
        Abs = C.Directory;
        sys::path::append(Abs, C.Filename);
      }
      sys::path::remove_dots(Abs, true);
      if (llvm::any_of(Work, [&](const auto &W) { return W.first == Abs; }))
        continue;
      Work.emplace_back(std::string(Abs), C);
    }
    if (Work.empty()) {
      error("the compilation database has no BPF compiles (-target bpf); "
            "name the files to analyse");
      return ExitError;
    }
  }
  for (const std::string &S : Sources) {
    SmallString<256> Abs(S);
    sys::fs::make_absolute(Abs);
    sys::path::remove_dots(Abs, true);
    if (!sys::fs::exists(Abs)) {
      FileAnalysis R;
      R.File = std::string(Abs);
      R.Failure = "no such file";
      R.Text = S + ": error: no such file\n";
      Results.push_back(std::move(R));
      continue;
    }
    // With -- the file is named as given, so diagnostics show it as clang
    // would; a database is asked by absolute path.
    std::vector<CompileCommand> Commands = Database->getCompileCommands(
        DashDash < argc ? StringRef(S) : StringRef(Abs));
    if (Commands.empty()) {
      FileAnalysis R;
      R.File = std::string(Abs);
      R.Failure = "no compile command in the compilation database";
      R.Text = S + ": error: " + R.Failure + "\n";
      Results.push_back(std::move(R));
      continue;
    }
    // A file compiled more than once is analysed with its first command.
    Work.emplace_back(std::string(Abs), Commands.front());
  }

  bool ToFile = !Output.empty();
  bool Color = Format == "text" && !ToFile &&
               sys::Process::StandardOutIsDisplayed() &&
               sys::Process::StandardOutHasColors();

  ToolingOptions TOpts;
  TOpts.ResourceDir = ResourceDir;
  TOpts.Color = Color;
  TOpts.Bytecode = !NoBytecode;

  // Parallel over files: one ToolInvocation per file, each with its own
  // file manager and diagnostics (see docs/driver.md for the measurements).
  size_t First = Results.size();
  Results.resize(First + Work.size());
  unsigned Threads = Jobs ? Jobs.getValue()
                          : std::max(1u, std::thread::hardware_concurrency());
  Threads = std::min<unsigned>(Threads, std::max<size_t>(Work.size(), 1));
  if (!compat::AnalyzerIsThreadSafe)
    Threads = 1;
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I; (I = Next++) < Work.size();)
      Results[First + I] =
          analyseFile(Work[I].first, Work[I].second, DriverArgs, TOpts);
  };
  if (Threads <= 1) {
    Worker();
  } else {
    std::vector<std::thread> Pool;
    for (unsigned T = 0; T < Threads; ++T)
      Pool.emplace_back(Worker);
    for (std::thread &T : Pool)
      T.join();
  }

  // Output.
  std::error_code EC;
  std::unique_ptr<raw_fd_ostream> File;
  if (ToFile) {
    File = std::make_unique<raw_fd_ostream>(Output, EC, sys::fs::OF_Text);
    if (EC) {
      error("cannot write '" + Output + "': " + EC.message());
      return ExitError;
    }
  }
  raw_ostream &OS = ToFile ? *File : outs();

  // Fix-its: exported and/or applied before the findings are moved out.
  if (!ExportFixes.empty()) {
    raw_fd_ostream Yaml(ExportFixes, EC, sys::fs::OF_Text);
    if (EC) {
      error("cannot write '" + ExportFixes + "': " + EC.message());
      return ExitError;
    }
    writeFixesYaml(Yaml, Results);
  }
  if (Fix) {
    FixSummary S = applyFixes(Results);
    for (const std::string &E : S.Errors)
      error("cannot apply fix-its: " + E);
    errs() << "bpflint: applied the fix-its of " << S.Applied << " of "
           << S.WithFixes << " finding(s) with fix-its ("
           << S.FilesChanged.size() << " file(s) changed)\n";
    if (!S.Errors.empty())
      return ExitError;
  }

  RunInfo Run;
  Run.ToolVersion = BPFLINT_VERSION;
  Run.DocsBaseUri = BPFLINT_DOCS_URI;
  Run.Kernel = Opts->Config.Kernel;
  SmallString<256> Root(SourceRoot.empty() ? StringRef(Cwd)
                                           : StringRef(SourceRoot));
  sys::fs::make_absolute(Root);
  sys::path::remove_dots(Root, true);
  Run.SourceRoot = std::string(Root);
  std::vector<Finding> All;
  bool Failed = false;
  for (FileAnalysis &R : Results) {
    if (Format == "text")
      OS << R.Text;
    else if (!R.Failure.empty())
      errs() << R.Text;
    if (!R.Failure.empty()) {
      Failed = true;
      Run.Failures.emplace_back(R.File, R.Failure);
      continue;
    }
    Run.FilesAnalysed.push_back(R.File);
    for (IncompleteAnalysis &I : R.Incomplete)
      Run.Incomplete.push_back(std::move(I));
    for (Finding &F : R.Findings)
      All.push_back(std::move(F));
  }
  if (Format == "json")
    writeJson(OS, All, Run);
  else if (Format == "sarif")
    writeSarif(OS, All, Run);
  OS.flush();

  if (Failed)
    return ExitError;
  return All.empty() ? ExitClean : ExitFindings;
}
