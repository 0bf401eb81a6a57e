//===- CheckSelection.cpp -------------------------------------------------===//

#include "bpflint/Rules/CheckSelection.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/GlobPattern.h"

using namespace llvm;

namespace bpflint {

static bool matches(const GlobPattern &P, const RuleInfo &R) {
  return P.match(R.CheckName) || P.match(R.fullCheckName()) || P.match(R.Id);
}

/// A rule id without a check of its own gets a pointer to the check that
/// reports it, or the reason bpflint does not.
static Error unknownCheck(StringRef Item) {
  for (const UncheckedRuleId &U : allUncheckedRuleIds()) {
    if (!U.Id.equals_insensitive(Item))
      continue;
    if (U.CoveredBy)
      return createStringError(
          inconvertibleErrorCode(),
          "rule %s has no check of its own: select %s (%s), which reports it",
          U.Id.str().c_str(), U.CoveredBy->fullCheckName().c_str(),
          U.CoveredBy->Id.str().c_str());
    return createStringError(inconvertibleErrorCode(),
                             "rule %s is not checked by bpflint: %s",
                             U.Id.str().c_str(), U.Note.str().c_str());
  }
  return createStringError(inconvertibleErrorCode(),
                           "unknown check '%s' (list them with "
                           "-fplugin-arg-bpflint-list-checks)",
                           Item.str().c_str());
}

Expected<CheckSelection> CheckSelection::parse(StringRef Spec) {
  CheckSelection Result;
  Result.Spec = Spec.str();
  SmallVector<StringRef, 8> Items;
  Spec.split(Items, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef Item : Items) {
    Item = Item.trim();
    if (Item.empty())
      continue;
    bool Enable = !Item.consume_front("-");
    Expected<GlobPattern> Pattern = GlobPattern::create(Item);
    if (!Pattern)
      return createStringError(
          inconvertibleErrorCode(), "invalid check pattern '%s': %s",
          Item.str().c_str(), toString(Pattern.takeError()).c_str());
    bool HasWildcard = Item.find_first_of("*?[") != StringRef::npos;
    if (!HasWildcard && none_of(allRules(), [&](const RuleInfo &R) {
          return matches(*Pattern, R);
        }))
      return unknownCheck(Item);
    Result.Entries.push_back({Item.str(), Enable});
  }
  return std::move(Result);
}

bool CheckSelection::isEnabled(const RuleInfo &R) const {
  bool Enabled = true;
  for (const Entry &E : Entries) {
    Expected<GlobPattern> Pattern = GlobPattern::create(E.Pattern);
    if (!Pattern) { // Validated by parse(); cannot happen.
      consumeError(Pattern.takeError());
      continue;
    }
    if (matches(*Pattern, R))
      Enabled = E.Enable;
  }
  return Enabled;
}

} // namespace bpflint
