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
  /// The kernel message for kernel V, or "" if the rule does not apply there.
  llvm::StringRef kernelMessage(KernelVersion V) const;
  llvm::ArrayRef<KernelMessage> kernelMessages() const;
  bool appliesTo(KernelVersion V) const { return Since <= V; }
};

llvm::ArrayRef<RuleInfo> allRules();
const RuleInfo &getRule(Rule R);
/// Finds a rule by id ("LOCK-017"), check name ("lock-held-at-exit") or full
/// check name ("bpflint-lock-held-at-exit").
const RuleInfo *findRule(llvm::StringRef Name);
llvm::StringRef familyName(Family F);
llvm::StringRef verdictName(Verdict V);

} // namespace bpflint

#endif
