//===- LockState.h - Which locks are held on a path -------------*- C++ -*-===//
//
// The held-lock stack, keyed as the verifier keys locks: by the allocation
// the lock lives in (a map value from one lookup, a global, an allocated
// object). Shared by the lock checkers and, later, the graph checker (graph
// kfuncs need the root's lock held).
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_LOCKSTATE_H
#define BPFLINT_CHECKERS_LOCKSTATE_H

#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class Expr;
class StackFrameContext;
} // namespace clang

namespace bpflint {

enum class LockKind : unsigned { Spin, Res };

struct HeldLock {
  const clang::ento::MemRegion *Alloc;
  LockKind Kind;
  /// The frame that took the lock (for subprogram-exit rules).
  const clang::StackFrameContext *Frame;
  /// The lock argument as written at the lock call (for fix-its).
  const clang::Expr *LockArg;
  /// Taken with bpf_res_spin_lock_irqsave: only the irqrestore form may
  /// release it.
  bool Irqsave = false;

  bool operator==(const HeldLock &O) const {
    return Alloc == O.Alloc && Kind == O.Kind && Frame == O.Frame &&
           LockArg == O.LockArg && Irqsave == O.Irqsave;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Alloc);
    ID.AddInteger(static_cast<unsigned>(Kind));
    ID.AddPointer(Frame);
    ID.AddPointer(LockArg);
    ID.AddBoolean(Irqsave);
  }
};

/// Held locks, innermost first.
llvm::SmallVector<HeldLock, 2> heldLocks(clang::ento::ProgramStateRef State);
bool anyLockHeld(clang::ento::ProgramStateRef State);
clang::ento::ProgramStateRef pushLock(clang::ento::ProgramStateRef State,
                                      const HeldLock &L);
/// Removes one entry equal to L (the innermost such).
clang::ento::ProgramStateRef popLock(clang::ento::ProgramStateRef State,
                                     const HeldLock &L);

/// The allocation a lock pointer points into, or null.
const clang::ento::MemRegion *lockAllocation(clang::ento::SVal LockPtr);

llvm::StringRef lockFunctionPrefix(LockKind K); ///< "bpf_spin"/"bpf_res_spin"

} // namespace bpflint

#endif
