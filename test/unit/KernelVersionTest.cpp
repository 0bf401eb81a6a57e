#include "bpflint/Model/KernelVersion.h"
#include "gtest/gtest.h"

using namespace bpflint;

TEST(KernelVersionTest, ParsesMajorMinorAndIgnoresPatch) {
  EXPECT_EQ(KernelVersion::parse("6.1"), KernelVersion(6, 1));
  EXPECT_EQ(KernelVersion::parse("6.12.3"), KernelVersion(6, 12));
  EXPECT_EQ(KernelVersion::parse(" 6.18 "), KernelVersion(6, 18));
}

TEST(KernelVersionTest, AliasesMeanNewest) {
  EXPECT_EQ(KernelVersion::parse("newest"), KernelVersion::newest());
  EXPECT_EQ(KernelVersion::parse("latest"), KernelVersion::newest());
}

TEST(KernelVersionTest, RejectsMalformed) {
  for (const char *Bad :
       {"", "6", "6.", ".1", "six.one", "6.1.2.3", "0.9", "6.-1", "6.1a"})
    EXPECT_FALSE(KernelVersion::parse(Bad)) << Bad;
}

TEST(KernelVersionTest, OrdersNumericallyNotLexically) {
  EXPECT_LT(KernelVersion(6, 2), KernelVersion(6, 12));
  EXPECT_LT(KernelVersion(6, 18), KernelVersion(7, 0));
}

TEST(KernelVersionTest, KnownProfilesAreSortedAndInRange) {
  auto Profiles = knownProfiles();
  ASSERT_GE(Profiles.size(), 5u);
  EXPECT_EQ(Profiles.front(), KernelVersion::oldest());
  EXPECT_EQ(Profiles.back(), KernelVersion::newest());
  for (size_t I = 1; I < Profiles.size(); ++I)
    EXPECT_LT(Profiles[I - 1], Profiles[I]);
}
