//===- DiagnosticPrinter.cpp ----------------------------------------------===//

#include "DiagnosticPrinter.h"
#include "bpflint/Checkers/AnalysisCoverage.h"
#include "bpflint/Frontend/Suppressions.h"
#include "clang/Basic/Diagnostic.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {

static void report(DiagnosticsEngine &Diags, unsigned ID, FullSourceLoc Loc,
                   StringRef Message, ArrayRef<SourceRange> Ranges,
                   ArrayRef<FixItHint> FixIts) {
  auto Builder = Diags.Report(Loc, ID);
  Builder << Message;
  for (SourceRange R : Ranges)
    Builder << CharSourceRange::getTokenRange(R);
  for (const FixItHint &F : FixIts)
    Builder << F;
}

void DiagnosticPrinter::FlushDiagnosticsImpl(
    std::vector<const PathDiagnostic *> &PDs, FilesMade *) {
  unsigned NoteID = Diags.getCustomDiagID(DiagnosticsEngine::Note, "%0");

  for (const PathDiagnostic *PD : PDs) {
    // Not a finding: a remark the user asked for, whatever -Werror says.
    if (PD->getCategory() == AnalysisIncompleteCheck) {
      if (ShowIncomplete)
        Diags.Report(PD->getLocation().asLocation(),
                     Diags.getCustomDiagID(DiagnosticsEngine::Remark,
                                           "bpflint: %0 [%1]"))
            << PD->getShortDescription() << PD->getCategory();
      continue;
    }
    bool Error = Severity.isError(PD->getCategory(), AsErrors);
    if (!Error && Diags.getIgnoreAllWarnings())
      continue;
    unsigned MainID = Diags.getCustomDiagID(
        Error ? DiagnosticsEngine::Error : DiagnosticsEngine::Warning, "%0");
    if (Suppress && Suppress->isSuppressed(PD->getLocation().asLocation(),
                                           PD->getCategory()))
      continue;
    const PathDiagnosticPiece *Last =
        PD->path.empty() ? nullptr : PD->path.back().get();
    std::string Message =
        (PD->getShortDescription() + " [" + PD->getCategory() + "]").str();
    report(Diags, MainID, PD->getLocation().asLocation(), Message,
           Last ? Last->getRanges() : ArrayRef<SourceRange>(),
           Last ? Last->getFixits() : ArrayRef<FixItHint>());

    // The path, step by step. The last event restates the warning itself.
    PathPieces Flat = PD->path.flatten(/*ShouldFlattenMacros=*/true);
    for (const auto &Piece : Flat) {
      if (Piece.get() == Last ||
          (Piece->getString() == PD->getShortDescription() &&
           Piece->getLocation().asLocation() == PD->getLocation().asLocation()))
        continue;
      if (Piece->getString().empty())
        continue;
      report(Diags, NoteID, Piece->getLocation().asLocation(),
             Piece->getString(), Piece->getRanges(), Piece->getFixits());
    }
  }
}

} // namespace bpflint
