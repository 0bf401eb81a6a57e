//===- Registration.h - bpflint's Static Analyzer checkers ------*- C++ -*-===//

#ifndef BPFLINT_CHECKERS_REGISTRATION_H
#define BPFLINT_CHECKERS_REGISTRATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace clang::ento {
class CheckerRegistry;
}

namespace bpflint {

/// Adds bpflint's checkers to a Static Analyzer registry.
void registerCheckers(clang::ento::CheckerRegistry &Registry);

/// The analyzer checkers a bpflint run enables: ours plus the silent
/// modeling checkers of clang that they rely on (builtins, noreturn).
llvm::ArrayRef<llvm::StringRef> analyzerCheckersToEnable();

} // namespace bpflint

#endif
