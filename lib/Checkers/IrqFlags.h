//===- IrqFlags.h - IRQ flags saved by BPF programs -------------*- C++ -*-===//
//
// bpf_local_irq_save() (6.14) and bpf_res_spin_lock_irqsave() (6.15) save the
// interrupt state into a stack slot that the verifier then tracks like a
// reference: it must be an 8-byte stack slot, saved once, restored by the
// matching call, in LIFO order, before the program exits (LOCK-015).
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_IRQFLAGS_H
#define BPFLINT_CHECKERS_IRQFLAGS_H

#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace bpflint {

struct IrqFlagProblem {
  std::string Variant; ///< Message variant of LOCK-015 (see Rules.def).
  std::string What;
  llvm::SmallVector<std::string, 1> MessageArgs;
};

/// Checks a save into the flag FlagPtr passed as argument ArgNo.
std::optional<IrqFlagProblem> checkIrqSave(clang::ento::ProgramStateRef State,
                                           clang::ento::SVal FlagPtr,
                                           unsigned ArgNo);
/// Who saves and restores an IRQ flag: bpf_local_irq_save/_restore
/// ("native") or bpf_res_spin_lock_irqsave/_unlock_irqrestore ("lock"). A
/// flag must be restored by the class that saved it (6.15+).
enum class IrqFlagClass { Native, Lock };

/// Checks a restore from FlagPtr passed as argument ArgNo by a kfunc of
/// class By.
std::optional<IrqFlagProblem>
checkIrqRestore(clang::ento::ProgramStateRef State, clang::ento::SVal FlagPtr,
                unsigned ArgNo, IrqFlagClass By);

clang::ento::ProgramStateRef saveIrq(clang::ento::ProgramStateRef State,
                                     clang::ento::SVal FlagPtr,
                                     IrqFlagClass By);
clang::ento::ProgramStateRef restoreIrq(clang::ento::ProgramStateRef State,
                                        clang::ento::SVal FlagPtr);
bool anyIrqSaved(clang::ento::ProgramStateRef State);

} // namespace bpflint

#endif
