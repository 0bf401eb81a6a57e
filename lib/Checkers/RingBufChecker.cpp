//===- RingBufChecker.cpp - bpf_ringbuf_reserve / submit / discard --------===//
//
// A reservation is a reference the verifier tracks from bpf_ringbuf_reserve
// until bpf_ringbuf_submit or bpf_ringbuf_discard releases it; every path
// that leaves the program with a live, non-NULL reservation is rejected.
// Modelled on clang's StreamChecker: a symbol-keyed state map, leaks found
// when the record's symbol dies.
//
// Rules: RB-009 (reservation neither submitted nor discarded on some path).
//
//===----------------------------------------------------------------------===//

#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace {
struct RecordState {
  enum Kind { Reserved, Released } K;
  /// The reserve call, used to report each leaking reservation once.
  const Stmt *ReserveSite;

  bool operator==(const RecordState &O) const {
    return K == O.K && ReserveSite == O.ReserveSite;
  }
  void Profile(FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddPointer(ReserveSite);
  }
};
} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(Records, SymbolRef, RecordState)

namespace bpflint {
namespace {

class RingBufChecker : public Checker<check::PostCall, check::DeadSymbols,
                                      check::PointerEscape> {
public:
  RuleReporter Reporter;

  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  ProgramStateRef checkPointerEscape(ProgramStateRef State,
                                     const InvalidatedSymbols &Escaped,
                                     const CallEvent *Call,
                                     PointerEscapeKind Kind) const;

private:
  void reportLeaks(ArrayRef<std::pair<SymbolRef, const Stmt *>> Leaked,
                   CheckerContext &C) const;
};

} // namespace

void RingBufChecker::checkPostCall(const CallEvent &Call,
                                   CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  BpfCallee Callee = classifyCallee(CE);
  if (!Callee.Helper)
    return;
  ProgramStateRef State = C.getState();

  switch (*Callee.Helper) {
  case HelperId::bpf_ringbuf_reserve: {
    SymbolRef Sym = Call.getReturnValue().getAsSymbol();
    if (!Sym)
      return;
    const NoteTag *Note =
        C.getNoteTag([Sym](PathSensitiveBugReport &BR) -> std::string {
          if (!BR.isInteresting(Sym))
            return "";
          return "record reserved here";
        });
    C.addTransition(
        State->set<Records>(Sym, RecordState{RecordState::Reserved, CE}), Note);
    return;
  }
  case HelperId::bpf_ringbuf_submit:
  case HelperId::bpf_ringbuf_discard: {
    SymbolRef Sym = Call.getArgSVal(0).getAsSymbol();
    const RecordState *RS = Sym ? State->get<Records>(Sym) : nullptr;
    if (!RS)
      return;
    C.addTransition(State->set<Records>(
        Sym, RecordState{RecordState::Released, RS->ReserveSite}));
    return;
  }
  default:
    return;
  }
}

void RingBufChecker::checkDeadSymbols(SymbolReaper &SR,
                                      CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SmallVector<std::pair<SymbolRef, const Stmt *>, 2> Leaked;
  for (const auto &[Sym, RS] : State->get<Records>()) {
    if (!SR.isDead(Sym))
      continue;
    // A reservation known to have failed (NULL) holds nothing.
    if (RS.K == RecordState::Reserved &&
        !State->getConstraintManager().isNull(State, Sym).isConstrainedTrue())
      Leaked.push_back({Sym, RS.ReserveSite});
    State = State->remove<Records>(Sym);
  }
  if (Leaked.empty() || !Reporter.isActive(Rule::RingbufLeak)) {
    C.addTransition(State);
    return;
  }
  ExplodedNode *N = C.generateNonFatalErrorNode(State);
  if (!N)
    return;
  for (const auto &[Sym, Site] : Leaked) {
    // Uniqued by the reserve site: one report per leaking reservation, not
    // one per path.
    PathDiagnosticLocation Loc = PathDiagnosticLocation::createBegin(
        Site, C.getSourceManager(), C.getLocationContext());
    auto Report = std::make_unique<PathSensitiveBugReport>(
        Reporter.bugType(Rule::RingbufLeak),
        Reporter.describe(Rule::RingbufLeak,
                          "ring buffer record is neither submitted nor "
                          "discarded on this path"),
        N, Loc, C.getLocationContext()->getDecl());
    Report->markInteresting(Sym);
    C.emitReport(std::move(Report));
  }
}

ProgramStateRef RingBufChecker::checkPointerEscape(
    ProgramStateRef State, const InvalidatedSymbols &Escaped,
    const CallEvent *Call, PointerEscapeKind Kind) const {
  // A record handed to code we cannot see may be released there: stop
  // tracking it rather than guess. BPF helpers do not escape (they are
  // evaluated by the modeling checker).
  for (SymbolRef Sym : Escaped)
    if (const RecordState *RS = State->get<Records>(Sym);
        RS && RS->K == RecordState::Reserved)
      State = State->remove<Records>(Sym);
  return State;
}

void registerRingBufChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<RingBufChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
