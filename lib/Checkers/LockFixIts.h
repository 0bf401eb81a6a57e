//===- LockFixIts.h - Fix-its for lock rules --------------------*- C++ -*-===//

#ifndef BPFLINT_CHECKERS_LOCKFIXITS_H
#define BPFLINT_CHECKERS_LOCKFIXITS_H

#include "LockState.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class Expr;
class ReturnStmt;
namespace ento {
class CheckerContext;
}
} // namespace clang

namespace bpflint {

/// Inserts Statement (`f(x);`) before RS, wrapping an unbraced
/// `if (...) return x;` in braces. Empty when that is not certain to
/// compile: the variables Names (if given) refers to may be out of scope at
/// the return (only globals, parameters and locals declared at the top
/// level of the function body qualify), or macros are involved.
llvm::SmallVector<clang::FixItHint, 2>
statementBeforeReturn(llvm::StringRef Statement, const clang::Expr *Names,
                      const clang::ReturnStmt *RS,
                      clang::ento::CheckerContext &C);

/// For LOCK-017: insert the missing unlock before RS (wrapping an unbraced
/// `if (...) return x;` in braces). Empty when the fix is not certain: the
/// lock was taken in another function, the lock expression names variables
/// that may be out of scope at the return, or macros are involved.
llvm::SmallVector<clang::FixItHint, 2>
unlockBeforeReturn(const HeldLock &Lock, const clang::ReturnStmt *RS,
                   clang::ento::CheckerContext &C);

} // namespace bpflint

#endif
