//===- SpinLockChecker.cpp - bpf_spin_lock critical sections --------------===//
//
// Tracks the locks held along each path (LockState.h) and checks taking and
// releasing them as the verifier's process_spin_lock() does, for the
// bpf_spin_lock helpers and (6.15+) the bpf_res_spin_lock kfuncs. Modelled
// on clang's PthreadLockChecker.
//
// Rules: LOCK-001..009 (the lock argument, see LockArgument.h), LOCK-011
// (res-lock AA deadlock), LOCK-012 (unlock without a lock), LOCK-013
// (unlock of a different lock), LOCK-014 (res locks out of order), LOCK-016
// (unlock after a failed res lock), LOCK-017 (lock held at program exit),
// LOCK-020 (lock held at a subprogram's exit, before 6.9).
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "IrqFlags.h"
#include "LockArgument.h"
#include "LockFixIts.h"
#include "LockState.h"
#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/LockRules.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

// Paths on which a bpf_res_spin_lock call failed (the verifier's forked
// error path): the call, for the note "failed here" and for LOCK-016.
REGISTER_SET_WITH_PROGRAMSTATE(FailedResLocks, const MemRegion *)

namespace bpflint {
namespace {

enum class LockOp { None, Lock, Unlock, IrqSave, IrqRestore };

struct LockCall {
  LockOp Op = LockOp::None;
  LockKind Kind = LockKind::Spin;
  /// The irqsave/irqrestore forms: the IRQ flag is argument FlagArg.
  bool Irq = false;
  unsigned FlagArg = 0;
};

class SpinLockChecker : public Checker<check::PreCall, check::PostCall,
                                       check::EndFunction, check::LiveSymbols> {
public:
  RuleReporter Reporter;

  void checkLiveSymbols(ProgramStateRef State, SymbolReaper &SR) const;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const;

private:
  /// Computed on first use: one translation unit per checker instance.
  mutable std::optional<ObjectLocks> Objects;

  LockCall classify(const CallEvent &Call) const;
  void handleLock(const CallEvent &Call, const LockCall &LC,
                  CheckerContext &C) const;
  void handleUnlock(const CallEvent &Call, const LockCall &LC,
                    CheckerContext &C) const;
  void reportCallbackExitWithLock(CheckerContext &C,
                                  ArrayRef<HeldLock> Held) const;
  void report(CheckerContext &C, Rule R, const std::string &Description,
              const CallEvent *Call, ArrayRef<const MemRegion *> Interesting,
              ExplodedNode *N = nullptr) const;
};

std::string describeLockExpr(const Expr *LockArg) {
  if (LockArg) {
    const Expr *E = LockArg->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_AddrOf)
        E = UO->getSubExpr()->IgnoreParenCasts();
    if (isa<MemberExpr, DeclRefExpr>(E)) {
      std::string Text;
      raw_string_ostream OS(Text);
      E->printPretty(OS, nullptr, PrintingPolicy(LangOptions()));
      return "'" + Text + "'";
    }
  }
  return "the lock";
}

/// Identities we can compare with confidence: a global, or an allocation a
/// BPF helper or kfunc returned (a map value from one lookup, also of an
/// inner map; a bpf_obj_new object): each is a fresh id to the verifier.
/// Anything else (a pointer reloaded from memory we could not follow, an
/// argument) may be the same lock under another name.
bool hasKnownIdentity(ProgramStateRef State, const MemRegion *Alloc) {
  if (!Alloc)
    return false;
  if (mapBehind(State, loc::MemRegionVal(Alloc)))
    return true;
  const auto *SR = dyn_cast<SymbolicRegion>(Alloc);
  const auto *Conj = SR ? dyn_cast<SymbolConjured>(SR->getSymbol()) : nullptr;
  const auto *CE = Conj ? dyn_cast_or_null<CallExpr>(Conj->getStmt()) : nullptr;
  return CE && classifyCallee(CE).isKnown();
}

/// The modeling checker analyses a top frame that is neither a program nor a
/// global subprogram only when it is a synchronous callback (bpf_loop,
/// bpf_for_each_map_elem, ...): every other such path is sunk at its start.
bool isCallbackEntry(const LocationContext *LC) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(LC->getDecl());
  return FD && entryKindOf(FD) == EntryKind::None;
}

/// The lock kfuncs save and restore IRQ flags as the "lock" class, the
/// bpf_local_irq_* kfuncs as "native".
IrqFlagClass irqClass(const LockCall &LC) {
  return LC.Op == LockOp::IrqSave || LC.Op == LockOp::IrqRestore
             ? IrqFlagClass::Native
             : IrqFlagClass::Lock;
}

bool isNoinline(const LocationContext *LC) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(LC->getDecl());
  return FD && FD->hasAttr<NoInlineAttr>();
}

} // namespace

LockCall SpinLockChecker::classify(const CallEvent &Call) const {
  BpfCallee Callee =
      classifyCallee(dyn_cast_or_null<CallExpr>(Call.getOriginExpr()));
  if (Callee.isHelper(HelperId::bpf_spin_lock))
    return {LockOp::Lock, LockKind::Spin};
  if (Callee.isHelper(HelperId::bpf_spin_unlock))
    return {LockOp::Unlock, LockKind::Spin};
  // The kfuncs exist from 6.14/6.15 on; on older profiles the call is not
  // a lock at all (and fails to load for another reason).
  if (!Callee.Kfunc || Reporter.config().Kernel < Callee.Kfunc->Since)
    return {};
  switch (Callee.Kfunc->Id) {
  case KfuncId::bpf_res_spin_lock:
    return {LockOp::Lock, LockKind::Res};
  case KfuncId::bpf_res_spin_lock_irqsave:
    return {LockOp::Lock, LockKind::Res, /*Irq=*/true, 1};
  case KfuncId::bpf_res_spin_unlock:
    return {LockOp::Unlock, LockKind::Res};
  case KfuncId::bpf_res_spin_unlock_irqrestore:
    return {LockOp::Unlock, LockKind::Res, /*Irq=*/true, 1};
  case KfuncId::bpf_local_irq_save:
    return {LockOp::IrqSave, LockKind::Spin, /*Irq=*/true, 0};
  case KfuncId::bpf_local_irq_restore:
    return {LockOp::IrqRestore, LockKind::Spin, /*Irq=*/true, 0};
  default:
    return {};
  }
}

void SpinLockChecker::report(CheckerContext &C, Rule R,
                             const std::string &Description,
                             const CallEvent *Call,
                             ArrayRef<const MemRegion *> Interesting,
                             ExplodedNode *N) const {
  if (!N)
    N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(Reporter.bugType(R),
                                                         Description, N);
  if (Call)
    Report->addRange(Call->getSourceRange());
  for (const MemRegion *M : Interesting)
    if (M)
      Report->markInteresting(M);
  C.emitReport(std::move(Report));
}

void SpinLockChecker::checkPreCall(const CallEvent &Call,
                                   CheckerContext &C) const {
  LockCall LC = classify(Call);
  if (LC.Op == LockOp::None)
    return;
  ProgramStateRef State = C.getState();
  KernelVersion V = Reporter.config().Kernel;

  // LOCK-015: the IRQ flag argument of the save and restore forms.
  if (LC.Irq && Reporter.isActive(Rule::LockIrqFlag)) {
    SVal Flag = Call.getArgSVal(LC.FlagArg);
    bool Saving = LC.Op == LockOp::IrqSave || LC.Op == LockOp::Lock;
    std::optional<IrqFlagProblem> P =
        Saving ? checkIrqSave(State, Flag, LC.FlagArg)
               : checkIrqRestore(State, Flag, LC.FlagArg, irqClass(LC));
    if (P) {
      report(C, Rule::LockIrqFlag,
             Reporter.describe(Rule::LockIrqFlag, P->What, P->Variant,
                               P->MessageArgs),
             &Call, {});
      return;
    }
  }
  if (LC.Op == LockOp::IrqSave || LC.Op == LockOp::IrqRestore)
    return;
  SVal Ptr = Call.getArgSVal(0);

  if (!Objects)
    Objects = ObjectLocks::compute(C.getASTContext(), V);
  if (std::optional<LockArgumentProblem> P =
          checkLockArgument(State, Ptr, LC.Kind, V, *Objects)) {
    if (Reporter.isActive(P->Kind))
      report(C, P->Kind,
             Reporter.describe(P->Kind, P->What, P->Variant, P->MessageArgs),
             &Call, {});
    return;
  }

  // LOCK-011: taking a res lock that this path already holds.
  const MemRegion *Alloc = lockAllocation(Ptr);
  if (LC.Op == LockOp::Lock && LC.Kind == LockKind::Res &&
      Reporter.isActive(Rule::LockResDeadlock))
    for (const HeldLock &H : heldLocks(State))
      if (H.Kind == LockKind::Res && H.Alloc == Alloc &&
          hasKnownIdentity(State, Alloc))
        report(C, Rule::LockResDeadlock,
               Reporter.describe(Rule::LockResDeadlock,
                                 "the same bpf_res_spin_lock is taken "
                                 "again while it is held"),
               &Call, {Alloc});
}

void SpinLockChecker::checkPostCall(const CallEvent &Call,
                                    CheckerContext &C) const {
  LockCall LC = classify(Call);
  if (LC.Op == LockOp::Lock)
    handleLock(Call, LC, C);
  else if (LC.Op == LockOp::Unlock)
    handleUnlock(Call, LC, C);
  else if (LC.Op == LockOp::IrqSave)
    C.addTransition(saveIrq(C.getState(), Call.getArgSVal(LC.FlagArg),
                            IrqFlagClass::Native));
  else if (LC.Op == LockOp::IrqRestore)
    C.addTransition(restoreIrq(C.getState(), Call.getArgSVal(LC.FlagArg)));
}

void SpinLockChecker::handleLock(const CallEvent &Call, const LockCall &LC,
                                 CheckerContext &C) const {
  LockKind Kind = LC.Kind;
  const MemRegion *Alloc = lockAllocation(Call.getArgSVal(0));
  if (!Alloc)
    return;
  std::string Name = describeLockExpr(Call.getArgExpr(0));
  ProgramStateRef State = C.getState();
  HeldLock Held{Alloc, Kind, C.getStackFrame(), Call.getArgExpr(0), LC.Irq};

  const NoteTag *Taken =
      C.getNoteTag([Alloc, Name](PathSensitiveBugReport &BR) -> std::string {
        if (!BR.isInteresting(Alloc))
          return "";
        return "lock " + Name + " taken here";
      });
  if (Kind == LockKind::Spin) {
    C.addTransition(pushLock(State, Held), Taken);
    return;
  }

  // bpf_res_spin_lock returns 0 with the lock held, or an error with no
  // lock held: the verifier explores both (LOCK-016).
  std::optional<DefinedOrUnknownSVal> Ret =
      Call.getReturnValue().getAs<DefinedOrUnknownSVal>();
  if (!Ret) {
    C.addTransition(pushLock(State, Held), Taken);
    return;
  }
  SValBuilder &SVB = C.getSValBuilder();
  DefinedOrUnknownSVal IsZero =
      SVB.evalEQ(State, *Ret, SVB.makeZeroVal(Call.getResultType()));
  auto [Success, Failure] = State->assume(IsZero);
  // Only a successful irqsave leaves the IRQ state saved in the flag.
  if (Success && LC.Irq)
    Success = saveIrq(Success, Call.getArgSVal(LC.FlagArg), IrqFlagClass::Lock);
  if (Success)
    C.addTransition(pushLock(Success, Held), Taken);
  if (Failure) {
    const NoteTag *Failed =
        C.getNoteTag([Alloc, Name](PathSensitiveBugReport &BR) -> std::string {
          if (!BR.isInteresting(Alloc))
            return "";
          return "bpf_res_spin_lock of " + Name +
                 " fails on this path: it returns an error and no lock is "
                 "held";
        });
    C.addTransition(Failure->add<FailedResLocks>(Alloc), Failed);
  }
}

void SpinLockChecker::handleUnlock(const CallEvent &Call, const LockCall &LC,
                                   CheckerContext &C) const {
  LockKind Kind = LC.Kind;
  ProgramStateRef State = C.getState();
  const MemRegion *Alloc = lockAllocation(Call.getArgSVal(0));
  SmallVector<HeldLock, 2> Held = heldLocks(State);
  std::string Name = describeLockExpr(Call.getArgExpr(0));
  StringRef Prefix = lockFunctionPrefix(Kind);
  StringRef Variant = Kind == LockKind::Res ? "res" : "";

  const HeldLock *Innermost = nullptr;
  const HeldLock *Match = nullptr;
  for (const HeldLock &H : Held) {
    if (H.Kind != Kind)
      continue;
    if (!Innermost)
      Innermost = &H;
    if (!Match && H.Alloc == Alloc)
      Match = &H;
  }

  if (!Innermost) {
    bool AfterFailure = Alloc && State->contains<FailedResLocks>(Alloc);
    Rule R =
        AfterFailure ? Rule::LockResFailurePath : Rule::LockUnlockWithoutLock;
    if (!Reporter.isActive(R))
      return;
    std::string What =
        AfterFailure
            ? (Prefix + "_unlock of " + Name +
               " after bpf_res_spin_lock failed; check its return value "
               "first")
                  .str()
            : (Prefix + "_unlock of " + Name +
               " but no lock is held on this path")
                  .str();
    report(C, R, Reporter.describe(R, What, AfterFailure ? "" : Variant), &Call,
           {Alloc});
    return;
  }

  if (!Match) {
    // LOCK-013, only when both identities are ones the verifier would also
    // tell apart; otherwise release the innermost lock silently.
    if (hasKnownIdentity(State, Alloc) &&
        hasKnownIdentity(State, Innermost->Alloc) &&
        Reporter.isActive(Rule::LockUnlockDifferent)) {
      report(C, Rule::LockUnlockDifferent,
             Reporter.describe(Rule::LockUnlockDifferent,
                               (Prefix + "_unlock of " + Name +
                                ", but the lock held is another one (two "
                                "lookups are two different map values, "
                                "even for the same key)")
                                   .str(),
                               Variant),
             &Call, {Alloc, Innermost->Alloc});
      return;
    }
    Match = Innermost;
  } else if (Match->Irqsave != LC.Irq &&
             Reporter.isActive(Rule::LockUnlockDifferent)) {
    // Taken with bpf_res_spin_lock_irqsave, released without restoring (or
    // the other way round): a different lock to the verifier.
    report(
        C, Rule::LockUnlockDifferent,
        Reporter.describe(
            Rule::LockUnlockDifferent,
            (Prefix + "_unlock" + (LC.Irq ? "_irqrestore" : "") + " of " +
             Name + ", which was taken with bpf_res_spin_lock" +
             (Match->Irqsave ? "_irqsave" : "") + "; use the matching unlock")
                .str(),
            Variant),
        &Call, {Alloc});
    return;
  } else if (Kind == LockKind::Res && Match != Innermost &&
             Reporter.isActive(Rule::LockResOutOfOrder)) {
    report(C, Rule::LockResOutOfOrder,
           Reporter.describe(Rule::LockResOutOfOrder,
                             "bpf_res_spin_unlock of " + Name +
                                 " while a lock taken after it is still "
                                 "held; release res locks in reverse order"),
           &Call, {Alloc, Innermost->Alloc});
    return;
  }

  const MemRegion *Released = Match->Alloc;
  const NoteTag *Note =
      C.getNoteTag([Released](PathSensitiveBugReport &BR) -> std::string {
        if (!BR.isInteresting(Released))
          return "";
        return "lock released here";
      });
  State = popLock(State, *Match);
  if (LC.Irq)
    State = restoreIrq(State, Call.getArgSVal(LC.FlagArg));
  C.addTransition(State, Note);
}

void SpinLockChecker::checkEndFunction(const ReturnStmt *RS,
                                       CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SmallVector<HeldLock, 2> Held = heldLocks(State);
  // LOCK-015: the program exits with interrupts still disabled. (A held
  // lock is reported first, as the verifier does.)
  if (Held.empty() && C.inTopFrame() && anyIrqSaved(State) &&
      Reporter.isActive(Rule::LockIrqFlag)) {
    report(C, Rule::LockIrqFlag,
           Reporter.describe(Rule::LockIrqFlag,
                             "the program returns with an IRQ state saved by "
                             "bpf_local_irq_save that was never restored",
                             "exit"),
           nullptr, {});
    return;
  }
  if (Held.empty())
    return;

  if (C.inTopFrame() && isCallbackEntry(C.getLocationContext())) {
    reportCallbackExitWithLock(C, Held);
    return;
  }
  if (C.inTopFrame()) {
    // The exit of what the kernel verifies as a unit (LOCK-017).
    if (!Reporter.isActive(Rule::LockHeldAtExit))
      return;
    ExplodedNode *N = C.generateErrorNode();
    if (!N)
      return;
    auto Report = std::make_unique<PathSensitiveBugReport>(
        Reporter.bugType(Rule::LockHeldAtExit),
        Reporter.describe(Rule::LockHeldAtExit,
                          (lockFunctionPrefix(Held.front().Kind) +
                           "_lock is still held when the program returns")
                              .str()),
        N);
    for (const HeldLock &H : Held)
      Report->markInteresting(H.Alloc);
    if (Held.size() == 1)
      RuleReporter::addFixIts(*Report, unlockBeforeReturn(Held.front(), RS, C));
    C.emitReport(std::move(Report));
    return;
  }

  // LOCK-020: before 6.9 a subprogram may not return holding a lock it
  // took. Only a __noinline function is surely a subprogram in the object.
  if (!Reporter.isActive(Rule::LockHeldAtSubprogExit) ||
      !isNoinline(C.getLocationContext()))
    return;
  for (const HeldLock &H : Held)
    if (H.Frame == C.getStackFrame()) {
      report(C, Rule::LockHeldAtSubprogExit,
             Reporter.describe(Rule::LockHeldAtSubprogExit,
                               "the subprogram returns with the lock it took "
                               "still held; kernels before 6.9 reject this"),
             nullptr, {H.Alloc});
      return;
    }
}

/// A synchronous callback that returns holding a lock it took. Before 6.9
/// the callback's exit fails like any subprogram's (LOCK-020); since 6.9 the
/// lock flows back to the caller and the verifier fails when it re-checks
/// the helper call that runs the callback with the lock held (LOCK-018,
/// confirmed on 6.18 for bpf_loop and bpf_for_each_map_elem).
void SpinLockChecker::reportCallbackExitWithLock(
    CheckerContext &C, ArrayRef<HeldLock> Held) const {
  Rule R = Reporter.isActive(Rule::LockHeldAtSubprogExit)
               ? Rule::LockHeldAtSubprogExit
               : Rule::LockCallInCriticalSection;
  if (!Reporter.isActive(R))
    return;
  std::string What = "the callback returns with " +
                     describeLockExpr(Held.front().LockArg) + " still held";
  What += R == Rule::LockHeldAtSubprogExit
              ? "; kernels before 6.9 reject this at the callback's exit"
              : "; the verifier then checks the helper call that runs the "
                "callback with the lock held";
  SmallVector<const MemRegion *, 2> Interesting;
  for (const HeldLock &H : Held)
    Interesting.push_back(H.Alloc);
  report(C, R, Reporter.describe(R, What), nullptr, Interesting);
}

void SpinLockChecker::checkLiveSymbols(ProgramStateRef State,
                                       SymbolReaper &SR) const {
  // A held lock keeps its allocation, and what we know about it (the map it
  // came from), alive even when the program no longer uses the pointer.
  auto KeepAlive = [&SR](const MemRegion *R) {
    SR.markLive(R);
    if (const auto *SymR = dyn_cast<SymbolicRegion>(R))
      SR.markLive(SymR->getSymbol());
  };
  for (const HeldLock &H : heldLocks(State))
    KeepAlive(H.Alloc);
  for (const MemRegion *R : State->get<FailedResLocks>())
    KeepAlive(R);
}

void registerSpinLockChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<SpinLockChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
