//===- AnalysisCoverageChecker.cpp - Say when an analysis was cut short ---===//
//
// The Static Analyzer explores a program's paths within budgets (the node
// budget per top-level function, the number of times a path may enter the
// same block). When a budget cuts paths off, the findings on those paths are
// missing and the silence is not a clean bill of health. This checker notices
// it at the end of each top-level analysis and reports it once per program
// as a finding of the pseudo check bpflint-analysis-incomplete, which the
// front end shows as an opt-in remark and records in the JSON/SARIF output
// (never as a warning: the program may well be fine).
//
//===----------------------------------------------------------------------===//

#include "bpflint/Checkers/AnalysisCoverage.h"
#include "clang/AST/Decl.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ExprEngine.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {

namespace {
class AnalysisCoverageChecker : public Checker<check::EndAnalysis> {
public:
  void checkEndAnalysis(ExplodedGraph &G, BugReporter &BR,
                        ExprEngine &Eng) const;

private:
  BugType Incomplete{this, "analysis incomplete", AnalysisIncompleteCheck};
};
} // namespace

void AnalysisCoverageChecker::checkEndAnalysis(ExplodedGraph &G,
                                               BugReporter &BR,
                                               ExprEngine &Eng) const {
  if (G.empty())
    return;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(Eng.getRootLocationContext()->getDecl());
  if (!FD || !FD->getLocation().isValid())
    return;

  const AnalyzerOptions &AO = Eng.getAnalysisManager().options;
  SmallString<128> Reasons;
  raw_svector_ostream OS(Reasons);
  auto Add = [&](const Twine &Reason) {
    OS << (Reasons.empty() ? "" : "; ") << Reason;
  };
  // The node budget ran out with paths still waiting to be explored.
  if (!Eng.hasEmptyWorkList())
    Add("node budget of " + Twine(AO.MaxNodesPerTopLevelFunction) + " reached");
  // A path entered the same block more often than allowed (in practice: a
  // loop ran more iterations than are followed) and was dropped there.
  if (Eng.wasBlocksExhausted())
    Add("paths through more than " + Twine(AO.maxBlockVisitOnPath) +
        " iterations of a loop not followed");
  // The engine gave up on a block it could not model.
  if (Eng.hasWorkRemaining() && Eng.hasEmptyWorkList() &&
      !Eng.wasBlocksExhausted())
    Add("the analyzer gave up on part of the function");
  if (Reasons.empty())
    return;

  std::string Message = ("analysis of '" + FD->getName() + "' was cut short (" +
                         Reasons + "); findings may be missing")
                            .str();
  PathDiagnosticLocation Loc(FD->getLocation(), BR.getSourceManager());
  auto Report = std::make_unique<BasicBugReport>(Incomplete, Message, Loc);
  Report->setDeclWithIssue(FD);
  BR.emitReport(std::move(Report));
}

void registerAnalysisCoverageChecker(CheckerManager &Mgr) {
  Mgr.registerChecker<AnalysisCoverageChecker>();
}

} // namespace bpflint
