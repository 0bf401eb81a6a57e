#include "bpflint/Frontend/Options.h"
#include "gtest/gtest.h"

using namespace bpflint;

static std::string errorOf(std::vector<std::string> Args) {
  auto O = parsePluginArgs(Args);
  if (O)
    return "";
  return llvm::toString(O.takeError());
}

TEST(OptionsTest, Defaults) {
  auto O = parsePluginArgs({});
  ASSERT_TRUE(static_cast<bool>(O));
  EXPECT_EQ(O->Config.Kernel, KernelVersion::newest());
  EXPECT_FALSE(O->AsErrors);
  EXPECT_TRUE(O->ListChecks.empty());
}

TEST(OptionsTest, AllArguments) {
  auto O = parsePluginArgs({"kernel=6.1", "checks=-*,lock-*", "errors",
                            "list-checks=markdown", "help"});
  ASSERT_TRUE(static_cast<bool>(O));
  EXPECT_EQ(O->Config.Kernel, KernelVersion(6, 1));
  EXPECT_TRUE(O->AsErrors);
  EXPECT_EQ(O->ListChecks, "markdown");
  EXPECT_TRUE(O->Help);
  EXPECT_FALSE(O->Config.isActive(Rule::RingbufLeak));
  EXPECT_TRUE(O->Config.isActive(Rule::LockHeldAtExit));
}

TEST(OptionsTest, ErrorsNameTheValidArguments) {
  std::string E = errorOf({"kernal=6.1"});
  EXPECT_NE(E.find("unknown argument 'kernal=6.1'"), std::string::npos) << E;
  EXPECT_NE(E.find("kernel=<X.Y"), std::string::npos) << E;
  EXPECT_NE(E.find("checks="), std::string::npos) << E;
}

TEST(OptionsTest, MalformedValues) {
  EXPECT_NE(errorOf({"kernel=six"}).find("invalid kernel version"),
            std::string::npos);
  EXPECT_NE(errorOf({"kernel=5.15"}).find("older than"), std::string::npos);
  EXPECT_NE(errorOf({"checks="}).find("needs a value"), std::string::npos);
  EXPECT_NE(errorOf({"checks=nope"}).find("unknown check 'nope'"),
            std::string::npos);
  EXPECT_NE(errorOf({"errors=yes"}).find("unknown argument"),
            std::string::npos);
  EXPECT_NE(errorOf({"list-checks=yaml"}).find("list-checks"),
            std::string::npos);
}

TEST(OptionsTest, RulesOutsideTheKernelAreInactive) {
  auto O = parsePluginArgs({"kernel=6.1"});
  ASSERT_TRUE(static_cast<bool>(O));
  for (const RuleInfo &R : allRules())
    EXPECT_EQ(O->Config.isActive(R.Kind), R.appliesTo(KernelVersion(6, 1)));
}

TEST(OptionsTest, SeverityOverrides) {
  auto O = parsePluginArgs(
      {"severity=ringbuf-*:error,RB-009:warning,lock-held-at-exit:error"});
  ASSERT_TRUE(static_cast<bool>(O));
  EXPECT_TRUE(O->SeverityFromArgs);
  const SeverityOverrides &S = O->Severity;
  // The last matching entry wins; check names with or without the prefix,
  // rule ids and globs.
  EXPECT_EQ(S.isError("bpflint-ringbuf-leak"), std::optional<bool>(false));
  EXPECT_EQ(S.isError("bpflint-ringbuf-map-type"), std::optional<bool>(true));
  EXPECT_EQ(S.isError("bpflint-lock-held-at-exit"), std::optional<bool>(true));
  EXPECT_EQ(S.isError("bpflint-lock-nested"), std::nullopt);
  EXPECT_TRUE(S.isError("bpflint-lock-nested", true));
  EXPECT_FALSE(S.isError("bpflint-lock-nested", false));
  EXPECT_FALSE(S.isError("bpflint-ringbuf-leak", true));
  EXPECT_EQ(S.isError("not-a-check"), std::nullopt);
}

TEST(OptionsTest, MalformedSeverity) {
  EXPECT_NE(errorOf({"severity="}).find("needs a value"), std::string::npos);
  EXPECT_NE(errorOf({"severity=ringbuf-leak"}).find("invalid severity"),
            std::string::npos);
  EXPECT_NE(errorOf({"severity=ringbuf-leak:fatal"}).find("invalid severity"),
            std::string::npos);
  EXPECT_NE(errorOf({"severity=-ringbuf-leak:error"}).find("invalid severity"),
            std::string::npos);
  EXPECT_NE(errorOf({"severity=ringbuf-laek:error"}).find("ringbuf-laek"),
            std::string::npos);
}
