//===- LockState.cpp ------------------------------------------------------===//

#include "LockState.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"

using namespace clang;
using namespace clang::ento;

REGISTER_LIST_WITH_PROGRAMSTATE(HeldLocks, bpflint::HeldLock)

namespace bpflint {

llvm::SmallVector<HeldLock, 2> heldLocks(ProgramStateRef State) {
  llvm::SmallVector<HeldLock, 2> Result;
  for (const HeldLock &L : State->get<HeldLocks>())
    Result.push_back(L);
  return Result;
}

bool anyLockHeld(ProgramStateRef State) {
  return !State->get<HeldLocks>().isEmpty();
}

ProgramStateRef pushLock(ProgramStateRef State, const HeldLock &L) {
  return State->add<HeldLocks>(L);
}

ProgramStateRef popLock(ProgramStateRef State, const HeldLock &L) {
  llvm::SmallVector<HeldLock, 2> Held = heldLocks(State);
  auto &F = State->get_context<HeldLocks>();
  HeldLocksTy Rebuilt = F.getEmptyList();
  bool Removed = false;
  llvm::SmallVector<HeldLock, 2> Keep;
  for (const HeldLock &H : Held) {
    if (!Removed && H == L) {
      Removed = true;
      continue;
    }
    Keep.push_back(H);
  }
  // Rebuild outermost first so the innermost stays at the head.
  for (auto It = Keep.rbegin(); It != Keep.rend(); ++It)
    Rebuilt = F.add(*It, Rebuilt);
  return State->set<HeldLocks>(Rebuilt);
}

const MemRegion *lockAllocation(SVal LockPtr) {
  const MemRegion *R = LockPtr.getAsRegion();
  return R ? R->getBaseRegion() : nullptr;
}

llvm::StringRef lockFunctionPrefix(LockKind K) {
  return K == LockKind::Res ? "bpf_res_spin" : "bpf_spin";
}

} // namespace bpflint
