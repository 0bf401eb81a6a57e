//===- RuleReporter.cpp ---------------------------------------------------===//

#include "RuleReporter.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang::ento;
using namespace llvm;

namespace bpflint {

namespace {
class FixItVisitor : public BugReporterVisitor {
public:
  explicit FixItVisitor(ArrayRef<clang::FixItHint> FixIts)
      : FixIts(FixIts.begin(), FixIts.end()) {}

  void Profile(llvm::FoldingSetNodeID &ID) const override {
    static int Tag = 0;
    ID.AddPointer(&Tag);
  }
  PathDiagnosticPieceRef VisitNode(const ExplodedNode *, BugReporterContext &,
                                   PathSensitiveBugReport &) override {
    return nullptr;
  }
  PathDiagnosticPieceRef getEndPath(BugReporterContext &BRC,
                                    const ExplodedNode *N,
                                    PathSensitiveBugReport &BR) override {
    PathDiagnosticPieceRef End = getDefaultEndPath(BRC, N, BR);
    if (End)
      for (const clang::FixItHint &F : FixIts)
        End->addFixit(F);
    return End;
  }

private:
  SmallVector<clang::FixItHint, 2> FixIts;
};
} // namespace

std::unique_ptr<PathSensitiveBugReport>
RuleReporter::leakReport(Rule R, StringRef What, ExplodedNode *N,
                         const clang::Stmt *AcquireSite,
                         CheckerContext &C) const {
  PathDiagnosticLocation Loc = PathDiagnosticLocation::createBegin(
      AcquireSite, C.getSourceManager(), C.getLocationContext());
  return std::make_unique<PathSensitiveBugReport>(
      bugType(R), describe(R, What), N, Loc, C.getLocationContext()->getDecl());
}

void RuleReporter::reportLeaks(Rule R, StringRef What, ArrayRef<Leak> Leaked,
                               ProgramStateRef State, CheckerContext &C,
                               LeakFixIts FixItsFor) const {
  if (Leaked.empty() || !isActive(R)) {
    C.addTransition(State);
    return;
  }
  ExplodedNode *N = C.generateNonFatalErrorNode(State);
  if (!N)
    return;
  for (const auto &[Sym, Site] : Leaked) {
    auto Report = leakReport(R, What, N, Site, C);
    Report->markInteresting(Sym);
    if (FixItsFor)
      addFixIts(*Report, FixItsFor({Sym, Site}, N));
    C.emitReport(std::move(Report));
  }
}

void RuleReporter::addFixIts(PathSensitiveBugReport &Report,
                             ArrayRef<clang::FixItHint> FixIts) {
  if (!FixIts.empty())
    Report.addVisitor(std::make_unique<FixItVisitor>(FixIts));
}

const BugType &RuleReporter::bugType(Rule R) const {
  std::unique_ptr<BugType> &BT = BugTypes[R];
  if (!BT) {
    const RuleInfo &Info = getRule(R);
    // The category carries the check name shown as [bpflint-...].
    BT = std::make_unique<BugType>(Owner, Info.Summary, Info.fullCheckName());
  }
  return *BT;
}

bool RuleReporter::isBugTypeOf(const BugType &BT, Rule R) const {
  auto It = BugTypes.find(R);
  return It != BugTypes.end() && It->second.get() == &BT;
}

std::string RuleReporter::describe(Rule R, StringRef What, StringRef Variant,
                                   ArrayRef<std::string> Args) const {
  std::string Filled =
      fillKernelMessage(getRule(R).kernelMessage(Config.Kernel, Variant), Args);
  StringRef Message = Filled;
  if (Message.empty())
    return What.str();
  // Multi-line kernel messages (e.g. the reference-leak pair) are quoted line
  // by line.
  SmallVector<StringRef, 2> Lines;
  Message.split(Lines, '\n');
  std::string Text = (What + " (verifier: ").str();
  for (size_t I = 0; I < Lines.size(); ++I)
    Text += (I ? ", \"" : "\"") + Lines[I].str() + "\"";
  return Text + ")";
}

} // namespace bpflint
