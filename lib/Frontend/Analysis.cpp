//===- Analysis.cpp - Configure and run the Static Analyzer for bpflint ---===//

#include "bpflint/Frontend/Analysis.h"
#include "DiagnosticPrinter.h"
#include "bpflint/Checkers/Registration.h"
#include "bpflint/Support/Compat.h"
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

std::unique_ptr<ASTConsumer>
createAnalysisConsumer(CompilerInstance &CI, const BpflintOptions &Opts) {
  AnalyzerOptions &AO = CI.getAnalyzerOpts();
  AO.CheckersAndPackages.clear();
  for (llvm::StringRef Name : analyzerCheckersToEnable())
    AO.CheckersAndPackages.emplace_back(Name.str(), true);
  // Our own consumer prints; no HTML/plist/text output of the analyzer's.
  AO.AnalysisDiagOpt = PD_NONE;
  Opts.Config.store(AO);

  // The analyzer would dlopen every -fplugin library again as a checker
  // plugin (and warn that it is incompatible). bpflint is already loaded and
  // registers its checkers directly.
  CI.getFrontendOpts().Plugins.clear();

  std::unique_ptr<ento::AnalysisASTConsumer> Consumer =
      ento::CreateAnalysisConsumer(CI);
  Consumer->AddCheckerRegistrationFn(registerCheckers);
  compat::addDiagnosticConsumer(
      *Consumer,
      std::make_unique<DiagnosticPrinter>(
          CI.getDiagnostics(), Opts.AsErrors || warningsAreErrors(CI)));
  return Consumer;
}

} // namespace bpflint
