//===- SpinLockChecker.cpp - bpf_spin_lock critical sections --------------===//
//
// Tracks which bpf_spin_locks are held along each path, keyed the way the
// verifier keys them: by the allocation the lock lives in (one map value
// returned by a lookup, one global, one allocated object). Modelled on
// clang's PthreadLockChecker.
//
// Rules: LOCK-012 (unlock without a lock), LOCK-017 (lock held at exit).
//
//===----------------------------------------------------------------------===//

#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "clang/AST/Expr.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

// The allocations whose lock is held, innermost last.
REGISTER_LIST_WITH_PROGRAMSTATE(HeldLocks, const MemRegion *)

namespace bpflint {
namespace {

class SpinLockChecker : public Checker<check::PostCall, check::EndFunction> {
public:
  RuleReporter Reporter;

  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const;

private:
  void handleLock(const CallEvent &Call, CheckerContext &C) const;
  void handleUnlock(const CallEvent &Call, CheckerContext &C) const;
};

/// The allocation a lock pointer points into: the verifier's (map, id) or
/// (btf, id) identity. Two lookups of one key are two allocations.
const MemRegion *lockAllocation(SVal LockPtr) {
  const MemRegion *R = LockPtr.getAsRegion();
  return R ? R->getBaseRegion() : nullptr;
}

std::string describeLock(const MemRegion *Alloc, const Expr *LockArg) {
  if (LockArg) {
    const Expr *E = LockArg->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_AddrOf)
        E = UO->getSubExpr()->IgnoreParenCasts();
    if (isa<MemberExpr, DeclRefExpr>(E)) {
      std::string Text;
      llvm::raw_string_ostream OS(Text);
      E->printPretty(OS, nullptr, PrintingPolicy(LangOptions()));
      return "'" + Text + "'";
    }
  }
  return "the bpf_spin_lock";
}

} // namespace

void SpinLockChecker::checkPostCall(const CallEvent &Call,
                                    CheckerContext &C) const {
  BpfCallee Callee =
      classifyCallee(dyn_cast_or_null<CallExpr>(Call.getOriginExpr()));
  if (Callee.isHelper(HelperId::bpf_spin_lock))
    handleLock(Call, C);
  else if (Callee.isHelper(HelperId::bpf_spin_unlock))
    handleUnlock(Call, C);
}

void SpinLockChecker::handleLock(const CallEvent &Call,
                                 CheckerContext &C) const {
  const MemRegion *Alloc = lockAllocation(Call.getArgSVal(0));
  if (!Alloc)
    return;
  std::string Name = describeLock(Alloc, Call.getArgExpr(0));
  const NoteTag *Note =
      C.getNoteTag([Alloc, Name](PathSensitiveBugReport &BR) -> std::string {
        if (!BR.isInteresting(Alloc))
          return "";
        return "lock " + Name + " taken here";
      });
  C.addTransition(C.getState()->add<HeldLocks>(Alloc), Note);
}

void SpinLockChecker::handleUnlock(const CallEvent &Call,
                                   CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  const MemRegion *Alloc = lockAllocation(Call.getArgSVal(0));
  HeldLocksTy Held = State->get<HeldLocks>();

  if (Held.isEmpty()) {
    if (!Reporter.isActive(Rule::LockUnlockWithoutLock))
      return;
    ExplodedNode *N = C.generateErrorNode();
    if (!N)
      return;
    auto Report = std::make_unique<PathSensitiveBugReport>(
        Reporter.bugType(Rule::LockUnlockWithoutLock),
        Reporter.describe(Rule::LockUnlockWithoutLock,
                          "bpf_spin_unlock of " +
                              describeLock(Alloc, Call.getArgExpr(0)) +
                              " but no lock is held on this path"),
        N);
    Report->addRange(Call.getSourceRange());
    if (Alloc)
      Report->markInteresting(Alloc);
    C.emitReport(std::move(Report));
    return;
  }

  // Release the matching lock. If none matches (a different lock, or an
  // identity we could not follow), release the innermost one: staying silent
  // is better than reporting a lock leak that may not exist.
  const MemRegion *Released = Held.getHead();
  for (const MemRegion *R : Held)
    if (R == Alloc) {
      Released = R;
      break;
    }
  HeldLocksTy::Factory &F = State->get_context<HeldLocks>();
  HeldLocksTy Remaining = F.getEmptyList();
  SmallVector<const MemRegion *, 4> Keep;
  bool Dropped = false;
  for (const MemRegion *R : Held) {
    if (!Dropped && R == Released) {
      Dropped = true;
      continue;
    }
    Keep.push_back(R);
  }
  for (auto It = Keep.rbegin(); It != Keep.rend(); ++It)
    Remaining = F.add(*It, Remaining);
  State = State->set<HeldLocks>(Remaining);

  const NoteTag *Note =
      C.getNoteTag([Released](PathSensitiveBugReport &BR) -> std::string {
        if (!BR.isInteresting(Released))
          return "";
        return "lock released here";
      });
  C.addTransition(State, Note);
}

void SpinLockChecker::checkEndFunction(const ReturnStmt *RS,
                                       CheckerContext &C) const {
  // Only the exit of what the kernel verifies as a unit counts: a static
  // subprogram may return with the caller's lock held (6.9+).
  if (!C.inTopFrame() || !Reporter.isActive(Rule::LockHeldAtExit))
    return;
  HeldLocksTy Held = C.getState()->get<HeldLocks>();
  if (Held.isEmpty())
    return;
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(Rule::LockHeldAtExit),
      Reporter.describe(Rule::LockHeldAtExit,
                        "bpf_spin_lock is still held when the program returns"),
      N);
  if (RS)
    Report->addRange(RS->getSourceRange());
  for (const MemRegion *R : Held)
    Report->markInteresting(R);
  C.emitReport(std::move(Report));
}

void registerSpinLockChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<SpinLockChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
