//===- CriticalSectionCallChecker.cpp - Calls while a lock is held --------===//
//
// While a bpf_spin_lock is held the verifier allows only a short list of
// calls (do_check_insn / kfunc_spin_allowed): bpf_spin_unlock, the graph
// and res-lock kfuncs, numeric iterators, and (6.9+) static subprograms.
// The list is version-dependent; see Model/LockRules.h.
//
// Rules: LOCK-010 (a second bpf_spin_lock), LOCK-018 (any other call not on
// the list), LOCK-019 (global functions), LOCK-021 (LD_ABS/LD_IND packet
// loads), LOCK-022 (bpf_tail_call).
//
// A function with a body is a call in the object only if the compiler does
// not inline it; only __noinline functions are reported, so an inlined
// helper never produces a false report.
//
//===----------------------------------------------------------------------===//

#include "LockState.h"
#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/LockRules.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {
namespace {

class CriticalSectionCallChecker : public Checker<check::PreCall> {
public:
  RuleReporter Reporter;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;

private:
  struct Finding {
    Rule R;
    std::string What;
  };
  std::optional<Finding> classify(const CallExpr *CE, StringRef HeldKind) const;
};

/// `unsigned long long load_byte(void *skb, unsigned long long off)
///  asm("llvm.bpf.load.byte");` and friends compile to BPF_LD_ABS/IND.
bool isLegacyPacketLoad(const FunctionDecl *FD) {
  const auto *Label = FD ? FD->getAttr<AsmLabelAttr>() : nullptr;
  return Label && Label->getLabel().starts_with("llvm.bpf.load.");
}

bool isKsymExtern(const FunctionDecl *FD) {
  const auto *Section = FD->getAttr<SectionAttr>();
  return Section && Section->getName() == ".ksyms";
}

std::string quoted(StringRef Name) { return ("'" + Name + "'").str(); }

} // namespace

std::optional<CriticalSectionCallChecker::Finding>
CriticalSectionCallChecker::classify(const CallExpr *CE,
                                     StringRef HeldKind) const {
  // "while a bpf_spin_lock is held" / "... bpf_res_spin_lock ..."
  std::string While = ("while a " + HeldKind + " is held").str();
  KernelVersion V = Reporter.config().Kernel;
  BpfCallee Callee = classifyCallee(CE);
  if (Callee.isHelper(HelperId::bpf_spin_lock))
    return Finding{Rule::LockNested,
                   "bpf_spin_lock " + While +
                       "; only one lock may be held at a time"};
  if (Callee.isHelper(HelperId::bpf_tail_call))
    return Finding{Rule::LockTailCall, "bpf_tail_call " + While};
  if (Callee.isKnown()) {
    // A kfunc this kernel does not have fails to load for that reason; the
    // critical section is not the problem to report.
    if (isAllowedUnderLock(Callee, V) ||
        (Callee.Kfunc && V < Callee.Kfunc->Since))
      return std::nullopt;
    StringRef Name = Callee.Helper
                         ? helperName(static_cast<unsigned>(*Callee.Helper))
                         : Callee.Kfunc->Name;
    return Finding{Rule::LockCallInCriticalSection,
                   "call to " + quoted(Name) + " " + While +
                       "; move it before the lock or after the unlock"};
  }

  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || FD->getBuiltinID())
    return std::nullopt;
  if (isLegacyPacketLoad(FD))
    return Finding{Rule::LockLdAbs, "legacy packet load " +
                                        quoted(FD->getName()) +
                                        " while a bpf_spin_lock is held"};
  if (!FD->hasBody()) {
    // A kfunc bpflint does not know: the allowlist is closed, so the kernel
    // rejects it. Other bodiless functions are not BPF calls we can judge.
    if (isKsymExtern(FD))
      return Finding{Rule::LockCallInCriticalSection,
                     "call to kfunc " + quoted(FD->getName()) + " " + While +
                         "; it is not on the kernel's allowlist for critical "
                         "sections"};
    return std::nullopt;
  }
  if (!FD->hasAttr<NoInlineAttr>())
    return std::nullopt; // May well be inlined: no call in the object.
  if (FD->isExternallyVisible())
    return Finding{Rule::LockGlobalCallInCriticalSection,
                   "call to global function " + quoted(FD->getName()) + " " +
                       While + "; make it static"};
  if (V < StaticCallsUnderLockSince)
    return Finding{Rule::LockCallInCriticalSection,
                   "call to subprogram " + quoted(FD->getName()) + " " + While +
                       "; kernels before 6.9 allow no bpf2bpf calls in a "
                       "critical section"};
  return std::nullopt;
}

void CriticalSectionCallChecker::checkPreCall(const CallEvent &Call,
                                              CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  if (!anyLockHeld(State))
    return;
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!CE)
    return;
  SmallVector<HeldLock, 2> Held = heldLocks(State);
  std::string HeldKind =
      (lockFunctionPrefix(Held.front().Kind) + "_lock").str();
  std::optional<Finding> F = classify(CE, HeldKind);
  if (!F || !Reporter.isActive(F->R))
    return;
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(F->R), Reporter.describe(F->R, F->What), N);
  Report->addRange(Call.getSourceRange());
  for (const HeldLock &H : Held)
    Report->markInteresting(H.Alloc);
  C.emitReport(std::move(Report));
}

void registerCriticalSectionCallChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<CriticalSectionCallChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
