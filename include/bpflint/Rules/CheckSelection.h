//===- CheckSelection.h - checks=<globs> ---------------------- -*- C++ -*-===//
//
// The same check-selection syntax everywhere (plugin argument, driver flag,
// config file), modelled on clang-tidy: a comma-separated list of globs over
// check names or rule ids, applied left to right, '-' disables.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_RULES_CHECKSELECTION_H
#define BPFLINT_RULES_CHECKSELECTION_H

#include "bpflint/Rules/RuleRegistry.h"
#include "llvm/Support/Error.h"
#include <vector>

namespace bpflint {

class CheckSelection {
public:
  /// All checks enabled.
  CheckSelection() = default;

  /// Parses e.g. "-*,lock-*,RB-009" or "bpflint-*,-ringbuf-leak". A pattern
  /// without wildcards that names no rule is an error, so typos do not
  /// silently disable nothing.
  static llvm::Expected<CheckSelection> parse(llvm::StringRef Spec);

  bool isEnabled(const RuleInfo &R) const;
  bool isEnabled(Rule R) const { return isEnabled(getRule(R)); }
  const std::string &spec() const { return Spec; }

private:
  // Patterns are kept as text: llvm::GlobPattern may point into the string
  // it was created from, so it is built at match time from storage we own.
  struct Entry {
    std::string Pattern;
    bool Enable;
  };
  std::vector<Entry> Entries;
  std::string Spec = "*";
};

} // namespace bpflint

#endif
