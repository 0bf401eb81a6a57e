//===- StructuredDiagnostics.cpp - Path diagnostics as Findings -----------===//

#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "bpflint/Checkers/AnalysisCoverage.h"
#include "bpflint/Frontend/Suppressions.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "clang/AST/Decl.h"
#include "clang/Analysis/PathDiagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {

void FindingCollector::add(Finding F) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Findings.push_back(std::move(F));
}

std::vector<Finding> FindingCollector::take() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return std::move(Findings);
}

void FindingCollector::addIncomplete(IncompleteAnalysis I) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Incomplete.push_back(std::move(I));
}

std::vector<IncompleteAnalysis> FindingCollector::takeIncomplete() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return std::move(Incomplete);
}

void splitDescription(StringRef Description, std::string &What,
                      std::vector<std::string> &KernelMessages) {
  KernelMessages.clear();
  // RuleReporter::describe(): What + ` (verifier: "a", "b")`.
  size_t Pos = Description.rfind(" (verifier: \"");
  if (Pos == StringRef::npos || !Description.ends_with("\")")) {
    What = Description.str();
    return;
  }
  What = Description.substr(0, Pos).str();
  StringRef Rest = Description.substr(Pos + 12);
  Rest = Rest.drop_back(1); // ')'
  // "a", "b": kernel messages contain no '"' followed by ", \"".
  while (Rest.consume_front("\"")) {
    size_t End = Rest.find("\", \"");
    if (End == StringRef::npos) {
      KernelMessages.push_back(Rest.drop_back(1).str());
      break;
    }
    KernelMessages.push_back(Rest.substr(0, End).str());
    Rest = Rest.substr(End + 3);
  }
}

SourcePoint sourcePointOf(FullSourceLoc Loc) {
  SourcePoint P;
  if (Loc.isInvalid())
    return P;
  const SourceManager &SM = Loc.getManager();
  FullSourceLoc FileLoc = Loc.getFileLoc();
  PresumedLoc PLoc = FileLoc.getPresumedLoc();
  if (PLoc.isInvalid())
    return P;
  SmallString<256> Path(PLoc.getFilename());
  if (!sys::path::is_absolute(Path))
    SM.getFileManager().getVirtualFileSystem().makeAbsolute(Path);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  P.File = std::string(Path);
  P.Line = PLoc.getLine();
  P.Column = PLoc.getColumn();
  P.ColumnUtf16 = P.Column;
  // UTF-16 code units before the column, from the line's bytes.
  bool Invalid = false;
  std::pair<FileID, unsigned> D = SM.getDecomposedLoc(FileLoc);
  P.Offset = D.second;
  StringRef Buffer = SM.getBufferData(D.first, &Invalid);
  if (!Invalid && P.Column > 1 && D.second + 1 >= P.Column) {
    StringRef Before = Buffer.substr(D.second + 1 - P.Column, P.Column - 1);
    unsigned Units = 0;
    for (unsigned char C : Before)
      if ((C & 0xC0) != 0x80)
        Units += C >= 0xF0 ? 2 : 1;
    P.ColumnUtf16 = Units + 1;
  }
  return P;
}

static SourceSpan spanOf(const SourceManager &SM, CharSourceRange R,
                         const LangOptions &LO) {
  SourceSpan S;
  CharSourceRange CR = Lexer::makeFileCharRange(R, SM, LO);
  if (CR.isInvalid())
    CR = R;
  S.Begin = sourcePointOf(FullSourceLoc(CR.getBegin(), SM));
  SourceLocation End = CR.getEnd();
  if (CR.isTokenRange())
    End = Lexer::getLocForEndOfToken(End, 0, SM, LO);
  S.End = sourcePointOf(FullSourceLoc(End, SM));
  return S;
}

namespace {
class StructuredConsumer : public PathDiagnosticConsumer {
public:
  StructuredConsumer(FindingCollector &Out, bool AsErrors, bool IgnoreWarnings,
                     std::shared_ptr<SuppressionFilter> Suppress,
                     SeverityOverrides Severity)
      : Out(Out), AsErrors(AsErrors), IgnoreWarnings(IgnoreWarnings),
        Suppress(std::move(Suppress)), Severity(std::move(Severity)) {}

  StringRef getName() const override { return "bpflint-structured"; }
  PathGenerationScheme getGenerationScheme() const override { return Minimal; }
  bool supportsLogicalOpControlFlow() const override { return true; }
  bool supportsCrossFileDiagnostics() const override { return true; }

  void FlushDiagnosticsImpl(std::vector<const PathDiagnostic *> &PDs,
                            FilesMade *) override {
    for (const PathDiagnostic *PD : PDs) {
      if (!Severity.isError(PD->getCategory(), AsErrors) && IgnoreWarnings)
        continue;
      FullSourceLoc Loc = PD->getLocation().asLocation();
      // Not a finding, and not silenced by -w or NOLINT: whether a program
      // was analysed completely is a fact about the run.
      if (PD->getCategory() == AnalysisIncompleteCheck) {
        IncompleteAnalysis I;
        if (const auto *ND =
                dyn_cast_or_null<NamedDecl>(PD->getDeclWithIssue()))
          I.Program = ND->getNameAsString();
        I.Message = PD->getShortDescription().str();
        I.Loc = sourcePointOf(Loc);
        Out.addIncomplete(std::move(I));
        continue;
      }
      if (!AsErrors && IgnoreWarnings)
        continue;
      if (Suppress && Suppress->isSuppressed(Loc, PD->getCategory()))
        continue;
      Out.add(convert(*PD));
    }
  }

private:
  Finding convert(const PathDiagnostic &PD) {
    Finding F;
    FullSourceLoc Loc = PD.getLocation().asLocation();
    F.Check = PD.getCategory().str();
    if (const RuleInfo *R = findRule(F.Check))
      F.RuleId = R->Id.str();
    F.Level = Severity.isError(F.Check, AsErrors) ? "error" : "warning";
    F.Message = PD.getShortDescription().str();
    splitDescription(F.Message, F.What, F.KernelMessages);
    F.Loc = sourcePointOf(Loc);

    // The same walk as DiagnosticPrinter: every step but the final event.
    const PathDiagnosticPiece *Last =
        PD.path.empty() ? nullptr : PD.path.back().get();
    if (Last && Loc.hasManager()) {
      LangOptions LO; // Token ends only; C is enough.
      for (const FixItHint &H : Last->getFixits())
        F.FixIts.push_back(
            {spanOf(Loc.getManager(), H.RemoveRange, LO), H.CodeToInsert});
    }
    PathPieces Flat = PD.path.flatten(/*ShouldFlattenMacros=*/true);
    for (const auto &Piece : Flat) {
      if (Piece.get() == Last ||
          (Piece->getString() == PD.getShortDescription() &&
           Piece->getLocation().asLocation() == Loc))
        continue;
      if (Piece->getString().empty())
        continue;
      F.Notes.push_back({sourcePointOf(Piece->getLocation().asLocation()),
                         Piece->getString().str()});
    }
    return F;
  }

  FindingCollector &Out;
  bool AsErrors;
  bool IgnoreWarnings;
  std::shared_ptr<SuppressionFilter> Suppress;
  SeverityOverrides Severity;
};
} // namespace

std::unique_ptr<PathDiagnosticConsumer> createStructuredConsumer(
    FindingCollector &Out, bool AsErrors, bool IgnoreWarnings,
    std::shared_ptr<SuppressionFilter> Suppress, SeverityOverrides Severity) {
  return std::make_unique<StructuredConsumer>(
      Out, AsErrors, IgnoreWarnings, std::move(Suppress), std::move(Severity));
}

std::string fileUri(StringRef AbsolutePath) {
  std::string Out = "file://";
  for (unsigned char C : AbsolutePath) {
    if (isAlnum(C) || StringRef("/-._~!$&'()*+,;=:@").contains(C))
      Out += C;
    else
      Out += "%" + utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Out;
}

} // namespace bpflint
