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

std::unique_ptr<ASTConsumer> createAnalysisConsumer(CompilerInstance &CI,
                                                    const BpflintOptions &Opts) {
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
      std::make_unique<DiagnosticPrinter>(CI.getDiagnostics(), Opts.AsErrors));
  return Consumer;
}

} // namespace bpflint
