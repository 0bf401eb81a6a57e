//===- CheckSelection.cpp -------------------------------------------------===//

#include "bpflint/Rules/CheckSelection.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/GlobPattern.h"

using namespace llvm;

namespace bpflint {

static bool matches(const GlobPattern &P, const RuleInfo &R) {
  return P.match(R.CheckName) || P.match(R.fullCheckName()) || P.match(R.Id);
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
      return createStringError(inconvertibleErrorCode(),
                               "unknown check '%s' (list them with "
                               "-fplugin-arg-bpflint-list-checks)",
                               Item.str().c_str());
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
