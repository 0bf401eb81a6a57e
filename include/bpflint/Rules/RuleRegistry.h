//===- RuleRegistry.h - Access to the rule registry -------------*- C++ -*-===//
//
// Typed access to Rules.def. Nothing here restates a rule: every fact comes
// from the .def table.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_RULES_RULEREGISTRY_H
#define BPFLINT_RULES_RULEREGISTRY_H

#include "bpflint/Model/KernelVersion.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace bpflint {

enum class Rule : unsigned {
#define BPFLINT_RULE(Enumerator, ...) Enumerator,
#include "bpflint/Rules/Rules.def"
};

enum class Family { Common, Lock, Graph, Kptr, Ringbuf };
enum class Verdict { Reject, LintOnly };

struct KernelMessage {
  llvm::StringRef Variant; ///< "" for the rule's main form.
  KernelRange Kernels;
  llvm::StringRef Text;
};

struct RuleInfo {
  Rule Kind;
  llvm::StringRef Id;        ///< e.g. "LOCK-017", as in RULES.md.
  llvm::StringRef CheckName; ///< e.g. "lock-held-at-exit".
  Family Fam;
  Verdict Verd;
  KernelVersion Since;
  llvm::StringRef Summary;

  /// "bpflint-lock-held-at-exit": what diagnostics show in brackets.
  std::string fullCheckName() const;
  /// "docs/checks/lock-held-at-exit.md", relative to the source tree.
  std::string docsPath() const;
  /// The kernel message for kernel V (and a variant of the rule, see
  /// Rules.def), or "" if there is none for that kernel.
  llvm::StringRef kernelMessage(KernelVersion V,
                                llvm::StringRef Variant = "") const;
  llvm::ArrayRef<KernelMessage> kernelMessages() const;
  /// The kernels on which the rule exists: from the first to the last
  /// kernel with a (main-variant) message.
  KernelRange kernels() const;
  /// The rule exists on kernel V when the kernel has a message for it there
  /// (a rule such as LOCK-020 ends when the kernel stopped rejecting).
  /// Lint-only rules have no message: they exist from Since on.
  bool appliesTo(KernelVersion V) const {
    return Verd == Verdict::LintOnly ? Since <= V : !kernelMessage(V).empty();
  }
};

/// A rule id of RULES.md without a check of its own (Coverage.def): either
/// reported by another rule's check, or not checked at all.
struct UncheckedRuleId {
  llvm::StringRef Id;
  const RuleInfo *CoveredBy; ///< Null when bpflint does not check it.
  llvm::StringRef Note;
};

llvm::ArrayRef<RuleInfo> allRules();
/// The rows of Coverage.def, in its order.
llvm::ArrayRef<UncheckedRuleId> allUncheckedRuleIds();
const RuleInfo &getRule(Rule R);
/// Finds a rule by id ("LOCK-017"), check name ("lock-held-at-exit") or full
/// check name ("bpflint-lock-held-at-exit").
const RuleInfo *findRule(llvm::StringRef Name);
/// Replaces the printf-style specifiers of a kernel message Format (%s, %d,
/// %u, %lld, ...) with Args, in order; specifiers past the last argument
/// stay as they are.
std::string fillKernelMessage(llvm::StringRef Format,
                              llvm::ArrayRef<std::string> Args);
llvm::StringRef familyName(Family F);
llvm::StringRef verdictName(Verdict V);

} // namespace bpflint

#endif
