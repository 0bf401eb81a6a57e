#include "bpflint/Rules/RuleRegistry.h"
#include "gtest/gtest.h"
#include <set>

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

TEST(RuleRegistryTest, EveryKernelFromSinceToNewestHasOneMessage) {
  for (const RuleInfo &R : allRules()) {
    auto Messages = R.kernelMessages();
    ASSERT_FALSE(Messages.empty()) << R.Id.str();
    EXPECT_EQ(Messages.front().Kernels.From, R.Since) << R.Id.str();
    EXPECT_EQ(Messages.back().Kernels.To, KernelVersion::newest())
        << R.Id.str();
    for (size_t I = 1; I < Messages.size(); ++I) {
      // Contiguous, non-overlapping ranges: the next one starts one minor
      // release after the previous ends (releases after X.19 are (X+1).0).
      KernelVersion PrevEnd = Messages[I - 1].Kernels.To;
      KernelVersion Start = Messages[I].Kernels.From;
      EXPECT_LT(PrevEnd, Start) << R.Id.str();
      EXPECT_TRUE(Start == KernelVersion(PrevEnd.Major, PrevEnd.Minor + 1) ||
                  Start == KernelVersion(PrevEnd.Major + 1, 0))
          << R.Id.str();
    }
  }
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
