//===- IrqFlags.cpp -------------------------------------------------------===//

#include "IrqFlags.h"
#include "bpflint/Support/Compat.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"

using namespace clang;
using namespace clang::ento;

// Saved IRQ flags, innermost (the one to restore next) first.
REGISTER_LIST_WITH_PROGRAMSTATE(SavedIrqFlags, const MemRegion *)
// The flags that bpf_res_spin_lock_irqsave saved (the others are native).
REGISTER_SET_WITH_PROGRAMSTATE(LockSavedIrqFlags, const MemRegion *)

namespace bpflint {

static const MemRegion *flagRegion(SVal FlagPtr) {
  const MemRegion *R = FlagPtr.getAsRegion();
  return R ? R->StripCasts() : nullptr;
}

static bool isSaved(ProgramStateRef State, const MemRegion *R) {
  for (const MemRegion *Saved : State->get<SavedIrqFlags>())
    if (Saved == R)
      return true;
  return false;
}

std::optional<IrqFlagProblem> checkIrqSave(ProgramStateRef State, SVal FlagPtr,
                                           unsigned ArgNo) {
  const MemRegion *R = flagRegion(FlagPtr);
  if (!R)
    return std::nullopt;
  std::string Arg = std::to_string(ArgNo);
  if (!isa<StackSpaceRegion>(compat::memorySpace(R, State)))
    return IrqFlagProblem{"stack",
                          "the IRQ flag must be a local variable (a stack "
                          "slot), not global or map memory",
                          {Arg}};
  RegionOffset Off = R->getAsOffset();
  if (Off.isValid() && Off.hasSymbolicOffset())
    return IrqFlagProblem{
        "offset", "the IRQ flag must be at a constant stack offset", {}};
  if (isSaved(State, R))
    return IrqFlagProblem{"uninit",
                          "the IRQ flag already holds a saved state that was "
                          "not restored",
                          {Arg}};
  return std::nullopt;
}

static const char *className(IrqFlagClass C) {
  return C == IrqFlagClass::Lock ? "lock" : "native";
}

std::optional<IrqFlagProblem> checkIrqRestore(ProgramStateRef State,
                                              SVal FlagPtr, unsigned ArgNo,
                                              IrqFlagClass By) {
  const MemRegion *R = flagRegion(FlagPtr);
  if (!R || !isa<StackSpaceRegion>(compat::memorySpace(R, State)))
    return std::nullopt;
  if (!isSaved(State, R))
    return IrqFlagProblem{"",
                          "restore from an IRQ flag that holds no saved "
                          "state on this path",
                          {std::to_string(ArgNo)}};
  // The verifier compares the classes before the order (confirmed on 6.18).
  IrqFlagClass SavedBy = State->contains<LockSavedIrqFlags>(R)
                             ? IrqFlagClass::Lock
                             : IrqFlagClass::Native;
  if (SavedBy != By)
    return IrqFlagProblem{
        "class",
        std::string("the IRQ flag was saved by ") +
            (SavedBy == IrqFlagClass::Lock ? "bpf_res_spin_lock_irqsave"
                                           : "bpf_local_irq_save") +
            " and must be restored by " +
            (SavedBy == IrqFlagClass::Lock ? "bpf_res_spin_unlock_irqrestore"
                                           : "bpf_local_irq_restore"),
        {className(SavedBy), className(By)}};
  if (State->get<SavedIrqFlags>().getHead() != R)
    return IrqFlagProblem{"order",
                          "IRQ flags must be restored in reverse order of "
                          "saving; a flag saved later is still saved",
                          {}};
  return std::nullopt;
}

ProgramStateRef saveIrq(ProgramStateRef State, SVal FlagPtr, IrqFlagClass By) {
  const MemRegion *R = flagRegion(FlagPtr);
  if (!R)
    return State;
  State = State->add<SavedIrqFlags>(R);
  return By == IrqFlagClass::Lock ? State->add<LockSavedIrqFlags>(R)
                                  : State->remove<LockSavedIrqFlags>(R);
}

ProgramStateRef restoreIrq(ProgramStateRef State, SVal FlagPtr) {
  const MemRegion *R = flagRegion(FlagPtr);
  auto Saved = State->get<SavedIrqFlags>();
  if (!R || Saved.isEmpty() || Saved.getHead() != R)
    return State;
  return State->set<SavedIrqFlags>(Saved.getTail())
      ->remove<LockSavedIrqFlags>(R);
}

bool anyIrqSaved(ProgramStateRef State) {
  return !State->get<SavedIrqFlags>().isEmpty();
}

} // namespace bpflint
