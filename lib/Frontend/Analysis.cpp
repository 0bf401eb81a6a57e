//===- Analysis.cpp - Configure and run the Static Analyzer for bpflint ---===//

#include "bpflint/Frontend/Analysis.h"
#include "DiagnosticPrinter.h"
#include "bpflint/Checkers/Registration.h"
#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "bpflint/Frontend/Suppressions.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclGroup.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"

using namespace clang;

namespace bpflint {

/// Whether -Werror is in effect (the last of -Werror / -Wno-error wins).
/// bpflint's diagnostics are custom ones, which -Werror does not reach, and
/// DiagnosticsEngine::getWarningsAsErrors() does not reflect the command line
/// at the end of the translation unit, so read the options themselves.
static bool warningsAreErrors(const CompilerInstance &CI) {
  bool Werror = false;
  for (const std::string &W : CI.getDiagnosticOpts().Warnings) {
    if (W == "error")
      Werror = true;
    else if (W == "no-error")
      Werror = false;
  }
  return Werror;
}

/// Opts completed by the nearest .bpflint file above the main file. A broken
/// file is an error of the compile; the arguments alone are used then.
static BpflintOptions withProjectConfig(CompilerInstance &CI,
                                        const BpflintOptions &Opts) {
  const FrontendOptions &FO = CI.getFrontendOpts();
  if (FO.Inputs.empty() || !FO.Inputs[0].isFile())
    return Opts;
  auto Report = [&](llvm::Error E) {
    DiagnosticsEngine &D = CI.getDiagnostics();
    D.Report(D.getCustomDiagID(DiagnosticsEngine::Error, "bpflint: %0"))
        << llvm::toString(std::move(E));
    return Opts;
  };
  llvm::Expected<std::optional<ProjectConfig>> Config = findProjectConfig(
      FO.Inputs[0].getFile(), CI.getFileManager().getVirtualFileSystem());
  if (!Config)
    return Report(Config.takeError());
  if (!*Config)
    return Opts;
  llvm::Expected<BpflintOptions> Applied = applyProjectConfig(Opts, **Config);
  if (!Applied)
    return Report(Applied.takeError());
  return std::move(*Applied);
}

/// bpflint's node budget per program (see setAnalysisLimits).
static constexpr unsigned MaxNodesPerProgram = 50000;

/// The analyzer's budgets, chosen by measurement (bench/README.md,
/// docs/user-guide.md "Analysis limits"): every program of the test suite
/// and of the kernel's selftests is analysed as completely as with clang's
/// defaults, and no program costs more than about 0.3 s.
static void setAnalysisLimits(AnalyzerOptions &AO) {
  // Steps (nodes) per top-level function. Clang's deep-mode default,
  // 225000, lets one program with a long if/else chain (2^48 paths) cost
  // 1.4 s. An explicit -analyzer-config max-nodes=N (other than clang's
  // default) wins.
  unsigned ClangDefault = AO.UserMode == "shallow" ? 75000 : 225000;
  if (AO.MaxNodesPerTopLevelFunction == ClangDefault)
    AO.MaxNodesPerTopLevelFunction = MaxNodesPerProgram;
  // Loops with a constant bound (up to 128 iterations) are followed to the
  // end instead of being dropped after 4 iterations: BPF programs loop over
  // fixed-size arrays, and what follows the loop (the unlock, the submit)
  // must be analysed.
  AO.ShouldUnrollLoops = true;
  // Left at clang's values: a path enters a block at most 4 times
  // (max-loop; loops that cannot be unrolled), inlining up to 5 calls deep
  // (inline-max-stack-depth) of functions up to 100 basic blocks
  // (max-inlinable-size), mode=deep. What is cut off is reported
  // (bpflint-analysis-incomplete).
}

namespace {

/// The analyzer's consumer without the top-level type declarations
/// (records, enums, typedefs). It walks every top-level declaration it is
/// given twice (for its AST checks and for its call graph), and a vmlinux.h
/// has tens of thousands of them; in C they hold no function, global or
/// statement, and no bpflint checker looks at them as declarations (the
/// types are reached through the declarations that use them, and the end of
/// translation unit callbacks get the whole translation unit).
class TypeDeclFilter : public ASTConsumer {
public:
  explicit TypeDeclFilter(std::unique_ptr<ento::AnalysisASTConsumer> Inner)
      : Inner(std::move(Inner)) {}
  void Initialize(ASTContext &Ctx) override { Inner->Initialize(Ctx); }
  bool HandleTopLevelDecl(DeclGroupRef DG) override {
    SmallVector<Decl *, 4> Kept;
    for (Decl *D : DG)
      if (!isa<TagDecl, TypedefNameDecl>(D))
        Kept.push_back(D);
    if (Kept.empty())
      return true;
    if (Kept.size() == 1)
      return Inner->HandleTopLevelDecl(DeclGroupRef(Kept.front()));
    return Inner->HandleTopLevelDecl(DeclGroupRef(DeclGroup::Create(
        Kept.front()->getASTContext(), Kept.data(), Kept.size())));
  }
  void HandleTopLevelDeclInObjCContainer(DeclGroupRef DG) override {
    Inner->HandleTopLevelDeclInObjCContainer(DG);
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Inner->HandleTranslationUnit(Ctx);
  }

private:
  std::unique_ptr<ento::AnalysisASTConsumer> Inner;
};

} // namespace

std::unique_ptr<ASTConsumer>
createAnalysisConsumer(CompilerInstance &CI, const BpflintOptions &ArgOpts,
                       FindingCollector *Structured) {
  BpflintOptions Opts = withProjectConfig(CI, ArgOpts);
  AnalyzerOptions &AO = CI.getAnalyzerOpts();
  AO.CheckersAndPackages.clear();
  for (llvm::StringRef Name : analyzerCheckersToEnable())
    AO.CheckersAndPackages.emplace_back(Name.str(), true);
  // Our own consumer prints; no HTML/plist/text output of the analyzer's.
  AO.AnalysisDiagOpt = PD_NONE;
  setAnalysisLimits(AO);
  Opts.Config.Optimized = CI.getCodeGenOpts().OptimizationLevel > 0;
  Opts.Config.store(AO);

  // The analyzer would dlopen every -fplugin library again as a checker
  // plugin (and warn that it is incompatible). bpflint is already loaded and
  // registers its checkers directly.
  CI.getFrontendOpts().Plugins.clear();

  std::unique_ptr<ento::AnalysisASTConsumer> Consumer =
      ento::CreateAnalysisConsumer(CI);
  Consumer->AddCheckerRegistrationFn(registerCheckers);
  bool AsErrors = Opts.AsErrors || warningsAreErrors(CI);
  auto Suppress = std::make_shared<SuppressionFilter>();
  compat::addDiagnosticConsumer(*Consumer,
                                std::make_unique<DiagnosticPrinter>(
                                    CI.getDiagnostics(), AsErrors, Suppress,
                                    Opts.Severity, Opts.ReportIncomplete));
  if (Structured)
    compat::addDiagnosticConsumer(
        *Consumer,
        createStructuredConsumer(*Structured, AsErrors,
                                 CI.getDiagnostics().getIgnoreAllWarnings(),
                                 Suppress, Opts.Severity));
  if (Opts.OnAnalysisConsumer)
    Opts.OnAnalysisConsumer(*Consumer, Opts);
  return std::make_unique<TypeDeclFilter>(std::move(Consumer));
}

} // namespace bpflint
