#include "bpflint/Rules/RuleRegistry.h"
#include "gtest/gtest.h"
#include <set>
#include <vector>

using namespace bpflint;

TEST(RuleRegistryTest, IdsAndCheckNamesAreUniqueAndWellFormed) {
  std::set<std::string> Ids, Names;
  for (const RuleInfo &R : allRules()) {
    EXPECT_TRUE(Ids.insert(R.Id.str()).second) << R.Id.str();
    EXPECT_TRUE(Names.insert(R.CheckName.str()).second) << R.CheckName.str();
    // The check name starts with the family, as [bpflint-<family>-...].
    EXPECT_TRUE(R.CheckName.starts_with(familyName(R.Fam)))
        << R.CheckName.str();
    EXPECT_EQ(&getRule(R.Kind), &R);
  }
}

/// Each variant's ranges must be contiguous and non-overlapping: the next
/// range starts one release after the previous ends (after X.19 comes
/// (X+1).0). A rule may end before the newest kernel (it stopped being an
/// error), so the last range need not reach it.
static void expectContiguous(const RuleInfo &R, llvm::StringRef Variant) {
  std::vector<KernelMessage> Messages;
  for (const KernelMessage &M : R.kernelMessages())
    if (M.Variant == Variant)
      Messages.push_back(M);
  ASSERT_FALSE(Messages.empty()) << R.Id.str() << " " << Variant.str();
  for (size_t I = 1; I < Messages.size(); ++I) {
    KernelVersion PrevEnd = Messages[I - 1].Kernels.To;
    KernelVersion Start = Messages[I].Kernels.From;
    EXPECT_LT(PrevEnd, Start) << R.Id.str();
    EXPECT_TRUE(Start == KernelVersion(PrevEnd.Major, PrevEnd.Minor + 1) ||
                Start == KernelVersion(PrevEnd.Major + 1, 0))
        << R.Id.str() << " " << Variant.str();
  }
}

TEST(RuleRegistryTest, EveryKernelFromSinceToNewestHasOneMessage) {
  for (const RuleInfo &R : allRules()) {
    auto Messages = R.kernelMessages();
    ASSERT_FALSE(Messages.empty()) << R.Id.str();
    // The main form covers every kernel the rule exists on.
    EXPECT_EQ(R.kernelMessage(R.Since), Messages.front().Text) << R.Id.str();
    EXPECT_EQ(Messages.front().Kernels.From, R.Since) << R.Id.str();
    std::set<std::string> Variants;
    for (const KernelMessage &M : Messages)
      Variants.insert(M.Variant.str());
    for (const std::string &V : Variants)
      expectContiguous(R, V);
  }
}

TEST(RuleRegistryTest, RulesEndWhenTheKernelStopsRejecting) {
  const RuleInfo &R = getRule(Rule::LockHeldAtSubprogExit);
  EXPECT_TRUE(R.appliesTo(KernelVersion(6, 8)));
  EXPECT_FALSE(R.appliesTo(KernelVersion(6, 9)));
  EXPECT_FALSE(getRule(Rule::LockResDeadlock).appliesTo(KernelVersion(6, 12)));
  EXPECT_TRUE(getRule(Rule::LockResDeadlock).appliesTo(KernelVersion(6, 15)));
}

TEST(RuleRegistryTest, MessagesFollowTheSelectedKernel) {
  const RuleInfo &R = getRule(Rule::LockHeldAtExit);
  EXPECT_EQ(R.kernelMessage(KernelVersion(6, 1)), "bpf_spin_unlock is missing");
  EXPECT_TRUE(R.kernelMessage(KernelVersion(6, 18)).starts_with("BPF_EXIT"));
  // Newer than modelled behaves like the newest.
  EXPECT_EQ(R.kernelMessage(KernelVersion(9, 0)),
            R.kernelMessage(KernelVersion::newest()));
}

TEST(RuleRegistryTest, FindsByIdCheckNameAndFullName) {
  EXPECT_EQ(findRule("LOCK-017"), &getRule(Rule::LockHeldAtExit));
  EXPECT_EQ(findRule("lock-017"), &getRule(Rule::LockHeldAtExit));
  EXPECT_EQ(findRule("ringbuf-leak"), &getRule(Rule::RingbufLeak));
  EXPECT_EQ(findRule("bpflint-ringbuf-leak"), &getRule(Rule::RingbufLeak));
  EXPECT_EQ(findRule("no-such-check"), nullptr);
}
