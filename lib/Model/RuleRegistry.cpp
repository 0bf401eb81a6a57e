//===- RuleRegistry.cpp - Tables generated from Rules.def -----------------===//

#include "bpflint/Rules/RuleRegistry.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include <iterator>

using namespace llvm;

namespace bpflint {

namespace {

// "0.0" as the end of a message range means "still printed by the newest
// kernel we model".
constexpr KernelVersion messageEnd(unsigned Major, unsigned Minor) {
  return Major == 0 ? KernelVersion::newest() : KernelVersion(Major, Minor);
}

// Two parallel tables so that a rule's messages can be returned as one
// ArrayRef: messages of one rule are contiguous in Rules.def.
const KernelMessage MessageTable[] = {
#define BPFLINT_MESSAGE_FOR(Enumerator, Variant, FromMajor, FromMinor,         \
                            ToMajor, ToMinor, Text)                            \
  {Variant,                                                                    \
   {KernelVersion(FromMajor, FromMinor), messageEnd(ToMajor, ToMinor)},        \
   Text},
#include "bpflint/Rules/Rules.def"
};
const Rule MessageOwner[] = {
#define BPFLINT_MESSAGE_FOR(Enumerator, ...) Rule::Enumerator,
#include "bpflint/Rules/Rules.def"
};
static_assert(std::size(MessageTable) == std::size(MessageOwner), "");

const RuleInfo RuleTable[] = {
#define BPFLINT_RULE(Enumerator, RuleId, CheckName, Fam, Verd, SinceMajor,     \
                     SinceMinor, Summary)                                      \
  {Rule::Enumerator, RuleId,        CheckName,                                 \
   Family::Fam,      Verdict::Verd, KernelVersion(SinceMajor, SinceMinor),     \
   Summary},
#include "bpflint/Rules/Rules.def"
};

const UncheckedRuleId CoverageTable[] = {
#define BPFLINT_COVERED(RuleId, Enumerator, Note)                              \
  {RuleId, &RuleTable[static_cast<unsigned>(Rule::Enumerator)], Note},
#define BPFLINT_UNCHECKED(RuleId, Note) {RuleId, nullptr, Note},
#include "bpflint/Rules/Coverage.def"
};

} // namespace

std::string RuleInfo::fullCheckName() const {
  return ("bpflint-" + Twine(CheckName)).str();
}

std::string RuleInfo::docsPath() const {
  return ("docs/checks/" + Twine(CheckName) + ".md").str();
}

ArrayRef<KernelMessage> RuleInfo::kernelMessages() const {
  const Rule *Begin = find(MessageOwner, Kind);
  const Rule *End = std::find_if(Begin, std::end(MessageOwner),
                                 [&](Rule R) { return R != Kind; });
  return ArrayRef<KernelMessage>(MessageTable + (Begin - MessageOwner),
                                 End - Begin);
}

StringRef RuleInfo::kernelMessage(KernelVersion V, StringRef Variant) const {
  // Versions newer than the newest we model behave like the newest.
  if (V > KernelVersion::newest())
    V = KernelVersion::newest();
  for (const KernelMessage &M : kernelMessages())
    if (M.Variant == Variant && M.Kernels.contains(V))
      return M.Text;
  return "";
}

KernelRange RuleInfo::kernels() const {
  KernelRange Range{Since, Since};
  for (const KernelMessage &M : kernelMessages())
    if (M.Variant.empty() && M.Kernels.To > Range.To)
      Range.To = M.Kernels.To;
  return Range;
}

ArrayRef<RuleInfo> allRules() { return RuleTable; }

ArrayRef<UncheckedRuleId> allUncheckedRuleIds() { return CoverageTable; }

const RuleInfo &getRule(Rule R) { return RuleTable[static_cast<unsigned>(R)]; }

const RuleInfo *findRule(StringRef Name) {
  Name.consume_front("bpflint-");
  for (const RuleInfo &R : RuleTable)
    if (R.CheckName == Name || R.Id.equals_insensitive(Name))
      return &R;
  return nullptr;
}

StringRef familyName(Family F) {
  switch (F) {
  case Family::Common:
    return "common";
  case Family::Lock:
    return "lock";
  case Family::Graph:
    return "graph";
  case Family::Kptr:
    return "kptr";
  case Family::Ringbuf:
    return "ringbuf";
  }
  return "";
}

std::string fillKernelMessage(StringRef Format, ArrayRef<std::string> Args) {
  std::string Out;
  size_t Next = 0;
  for (size_t I = 0; I < Format.size(); ++I) {
    if (Format[I] != '%' || Next >= Args.size()) {
      Out += Format[I];
      continue;
    }
    size_t J = I + 1;
    while (J < Format.size() && (Format[J] == 'l' || Format[J] == 'h'))
      ++J;
    if (J < Format.size() && StringRef("sdui").contains(Format[J])) {
      Out += Args[Next++];
      I = J;
      continue;
    }
    Out += Format[I];
  }
  return Out;
}

StringRef verdictName(Verdict V) {
  return V == Verdict::Reject ? "kernel rejects" : "lint only";
}

} // namespace bpflint
