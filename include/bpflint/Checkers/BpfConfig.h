//===- BpfConfig.h - Options every bpflint checker sees ---------*- C++ -*-===//
//
// The front end (plugin, driver) stores the user's choices in the analyzer's
// config map; checkers read them back here. Using AnalyzerOptions rather than
// a global keeps concurrent analyses (the parallel driver) independent.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_BPFCONFIG_H
#define BPFLINT_CHECKERS_BPFCONFIG_H

#include "bpflint/Model/KernelVersion.h"
#include "bpflint/Rules/CheckSelection.h"

namespace clang {
class AnalyzerOptions;
}

namespace bpflint {

struct BpfConfig {
  KernelVersion Kernel = KernelVersion::newest();
  CheckSelection Checks;
  /// The compile optimizes (-O1 and up): clang then emits BTF only for the
  /// types the optimized code still uses.
  bool Optimized = false;

  /// Is rule R selected and does it exist on the selected kernel?
  bool isActive(Rule R) const {
    return Checks.isEnabled(R) && getRule(R).appliesTo(Kernel);
  }

  void store(clang::AnalyzerOptions &Opts) const;
  /// Reads back what store() wrote; defaults if nothing was stored.
  static BpfConfig load(const clang::AnalyzerOptions &Opts);
};

} // namespace bpflint

#endif
