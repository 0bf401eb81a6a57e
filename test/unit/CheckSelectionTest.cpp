#include "bpflint/Rules/CheckSelection.h"
#include "gtest/gtest.h"

using namespace bpflint;

static CheckSelection parseOk(llvm::StringRef Spec) {
  auto S = CheckSelection::parse(Spec);
  EXPECT_TRUE(static_cast<bool>(S)) << llvm::toString(S.takeError());
  return S ? std::move(*S) : CheckSelection();
}

TEST(CheckSelectionTest, EverythingIsOnByDefault) {
  CheckSelection All;
  for (const RuleInfo &R : allRules())
    EXPECT_TRUE(All.isEnabled(R)) << R.Id.str();
}

TEST(CheckSelectionTest, LaterPatternsWin) {
  CheckSelection S = parseOk("-*,lock-*,-lock-held-at-exit");
  EXPECT_FALSE(S.isEnabled(Rule::LockHeldAtExit));
  EXPECT_TRUE(S.isEnabled(Rule::LockUnlockWithoutLock));
  EXPECT_FALSE(S.isEnabled(Rule::RingbufLeak));
}

TEST(CheckSelectionTest, MatchesFullNamesAndRuleIds) {
  CheckSelection S = parseOk("-*,bpflint-ringbuf-leak,LOCK-017");
  EXPECT_TRUE(S.isEnabled(Rule::RingbufLeak));
  EXPECT_TRUE(S.isEnabled(Rule::LockHeldAtExit));
  EXPECT_FALSE(S.isEnabled(Rule::LockUnlockWithoutLock));
}

TEST(CheckSelectionTest, UnknownPlainNamesAreErrors) {
  auto S = CheckSelection::parse("lock-held-at-exits");
  ASSERT_FALSE(static_cast<bool>(S));
  EXPECT_NE(llvm::toString(S.takeError()).find("unknown check"),
            std::string::npos);
  // A glob that matches nothing today is fine: families grow.
  EXPECT_TRUE(static_cast<bool>(CheckSelection::parse("kptr-*")));
}
