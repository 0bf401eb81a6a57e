//===- LockAccessChecker.cpp - Loads and stores of lock bytes -------------===//
//
// The bytes of a bpf_spin_lock in a map value belong to the kernel: any load
// or store that touches them is rejected (check_map_access).
//
// Rules: LOCK-023. Only accesses the source spells out (`v->lock.val = 0`,
// `*(u32 *)&v->lock`) are reported: whether a whole-struct copy touches the
// lock depends on what the optimiser keeps, which the bytecode layer sees.
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "RuleReporter.h"
#include "bpflint/Model/LockRules.h"
#include "bpflint/Model/MapModel.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {
namespace {

class LockAccessChecker : public Checker<check::Location> {
public:
  RuleReporter Reporter;
  void checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                     CheckerContext &C) const;
};

/// The lock kind of the lock field R is (or is inside of), if any.
std::optional<SpecialFieldKind> enclosingLock(const MemRegion *R) {
  for (; R;
       R = isa<SubRegion>(R) ? cast<SubRegion>(R)->getSuperRegion() : nullptr) {
    const auto *TR = dyn_cast<TypedValueRegion>(R);
    if (!TR)
      continue;
    std::optional<SpecialFieldKind> K = specialStructKind(TR->getValueType());
    if (K && (*K == SpecialFieldKind::SpinLock ||
              *K == SpecialFieldKind::ResSpinLock))
      return K;
  }
  return std::nullopt;
}

} // namespace

void LockAccessChecker::checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                                      CheckerContext &C) const {
  const MemRegion *R = Loc.getAsRegion();
  if (!R || !Reporter.isActive(Rule::LockDirectAccess))
    return;
  // Only scalar accesses: a struct-typed load is a copy (see above).
  if (const auto *TR = dyn_cast<TypedValueRegion>(R))
    if (TR->getValueType()->isRecordType())
      return;
  std::optional<SpecialFieldKind> K = enclosingLock(R);
  if (!K || !mapBehind(C.getState(), loc::MemRegionVal(R->getBaseRegion())))
    return;
  // Before 6.15 the kernel has no bpf_res_spin_lock: it is plain memory.
  if (*K == SpecialFieldKind::ResSpinLock &&
      Reporter.config().Kernel < ResSpinLockSince)
    return;
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  StringRef Name = specialFieldName(*K);
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(Rule::LockDirectAccess),
      Reporter.describe(
          Rule::LockDirectAccess,
          (Twine(IsLoad ? "load from" : "store to") + " the " + Name +
           " field of a map value; only " +
           (*K == SpecialFieldKind::SpinLock ? "bpf_spin_lock/bpf_spin_unlock"
                                             : "the bpf_res_spin_lock kfuncs") +
           " may touch it")
              .str(),
          *K == SpecialFieldKind::ResSpinLock ? "res" : ""),
      N);
  if (S)
    Report->addRange(S->getSourceRange());
  C.emitReport(std::move(Report));
}

void registerLockAccessChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<LockAccessChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
