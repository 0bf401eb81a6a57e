//===- DiagnosticPrinter.h - Analyzer paths as diagnostics ---- -*- C++ -*-===//
//
// Turns the analyzer's path diagnostics into ordinary clang diagnostics: one
// warning (or error) with the check name in brackets, then one note per step
// of the path (where the lock was taken, which branch was taken, ...). Going
// through the DiagnosticsEngine makes -verify, -fdiagnostics-format and IDE
// integrations work. Custom diagnostics ignore -Werror and -w, so both are
// mirrored: the creator passes AsErrors for -Werror, -w is read here.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_FRONTEND_DIAGNOSTICPRINTER_H
#define BPFLINT_FRONTEND_DIAGNOSTICPRINTER_H

#include "bpflint/Frontend/Options.h"
#include "clang/Analysis/PathDiagnostic.h"
#include <memory>

namespace clang {
class DiagnosticsEngine;
}

namespace bpflint {

class SuppressionFilter;

class DiagnosticPrinter : public clang::ento::PathDiagnosticConsumer {
public:
  /// Findings that Suppress (may be null) suppresses are not printed.
  /// Severity overrides AsErrors per check. Analyses cut short
  /// (AnalysisCoverage.h) are printed as remarks if ShowIncomplete, else not
  /// at all.
  DiagnosticPrinter(clang::DiagnosticsEngine &Diags, bool AsErrors,
                    std::shared_ptr<SuppressionFilter> Suppress = nullptr,
                    SeverityOverrides Severity = {},
                    bool ShowIncomplete = false)
      : Diags(Diags), AsErrors(AsErrors), Suppress(std::move(Suppress)),
        Severity(std::move(Severity)), ShowIncomplete(ShowIncomplete) {}

  llvm::StringRef getName() const override { return "bpflint"; }
  PathGenerationScheme getGenerationScheme() const override { return Minimal; }
  bool supportsLogicalOpControlFlow() const override { return true; }
  bool supportsCrossFileDiagnostics() const override { return true; }

  void
  FlushDiagnosticsImpl(std::vector<const clang::ento::PathDiagnostic *> &PDs,
                       FilesMade *) override;

private:
  clang::DiagnosticsEngine &Diags;
  bool AsErrors;
  std::shared_ptr<SuppressionFilter> Suppress;
  SeverityOverrides Severity;
  bool ShowIncomplete;
};

} // namespace bpflint

#endif
