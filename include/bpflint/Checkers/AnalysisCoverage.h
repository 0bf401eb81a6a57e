//===- AnalysisCoverage.h - Analyses cut short by a budget ------*- C++ -*-===//
//
// When the Static Analyzer's budgets cut a program's analysis short, the
// checker bpflint.core.AnalysisCoverage reports it once per program under
// this pseudo check name (it is not a rule: nothing is wrong with the
// program). The plugin shows it as a remark with
// -fplugin-arg-bpflint-report-incomplete; the driver's JSON and SARIF output
// always carry it.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_ANALYSISCOVERAGE_H
#define BPFLINT_CHECKERS_ANALYSISCOVERAGE_H

#include "llvm/ADT/StringRef.h"

namespace bpflint {

inline constexpr llvm::StringLiteral AnalysisIncompleteCheck =
    "bpflint-analysis-incomplete";

} // namespace bpflint

#endif
