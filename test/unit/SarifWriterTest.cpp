//===- SarifWriterTest.cpp - JSON/SARIF writers and suppressions ----------===//

#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "bpflint/Frontend/Suppressions.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"

using namespace bpflint;
using namespace llvm;

namespace {

Finding leakFinding() {
  Finding F;
  F.Check = "bpflint-ringbuf-leak";
  F.RuleId = "RB-009";
  F.Level = "warning";
  F.Message = "leaked (verifier: \"Unreleased reference id=%d "
              "alloc_insn=%d\", \"BPF_EXIT ... leak\")";
  splitDescription(F.Message, F.What, F.KernelMessages);
  F.Loc = {"/src/p r/a.bpf.c", 21, 12, 12};
  F.Notes.push_back({{"/src/p r/a.bpf.c", 16, 21, 21}, "record reserved here"});
  F.Notes.push_back({{"/src/p r/a.bpf.c", 20, 3, 3}, "Taking true branch"});
  F.FixIts.push_back(
      {{{"/src/p r/a.bpf.c", 21, 5, 5}, {"/src/p r/a.bpf.c", 21, 5, 5}},
       "bpf_ringbuf_discard(e, 0);\n    "});
  return F;
}

json::Value sarifOf(ArrayRef<Finding> Findings, const RunInfo &Run) {
  std::string Text;
  raw_string_ostream OS(Text);
  writeSarif(OS, Findings, Run);
  Expected<json::Value> V = json::parse(Text);
  EXPECT_TRUE(static_cast<bool>(V)) << toString(V.takeError());
  return V ? std::move(*V) : json::Value(nullptr);
}

RunInfo run() {
  RunInfo Run;
  Run.ToolVersion = "1.2.3";
  Run.DocsBaseUri = "https://example.invalid/docs/";
  Run.SourceRoot = "/src/p r";
  Run.Kernel = KernelVersion(6, 1);
  Run.FilesAnalysed = {"/src/p r/a.bpf.c"};
  return Run;
}

} // namespace

TEST(StructuredDiagnosticsTest, SplitDescription) {
  std::string What;
  std::vector<std::string> Messages;
  splitDescription("x is wrong (verifier: \"a %d\", \"b\")", What, Messages);
  EXPECT_EQ(What, "x is wrong");
  ASSERT_EQ(Messages.size(), 2u);
  EXPECT_EQ(Messages[0], "a %d");
  EXPECT_EQ(Messages[1], "b");
  splitDescription("lint only", What, Messages);
  EXPECT_EQ(What, "lint only");
  EXPECT_TRUE(Messages.empty());
}

TEST(StructuredDiagnosticsTest, FileUri) {
  EXPECT_EQ(fileUri("/a b/c#d.c"), "file:///a%20b/c%23d.c");
}

TEST(SarifWriterTest, RulesFromTheRegistry) {
  json::Value V = sarifOf({}, run());
  const json::Object *Root = V.getAsObject();
  ASSERT_TRUE(Root);
  EXPECT_EQ(Root->getString("version"), "2.1.0");
  const json::Object *Driver =
      (*Root->getArray("runs"))[0].getAsObject()->getObject("tool")->getObject(
          "driver");
  EXPECT_EQ(Driver->getString("name"), "bpflint");
  EXPECT_EQ(Driver->getString("version"), "1.2.3");
  EXPECT_EQ(Driver->getString("informationUri"),
            "https://example.invalid/docs/driver.md");
  const json::Array *Rules = Driver->getArray("rules");
  ASSERT_EQ(Rules->size(), allRules().size());
  for (size_t I = 0; I < Rules->size(); ++I) {
    const RuleInfo &R = allRules()[I];
    const json::Object *O = (*Rules)[I].getAsObject();
    EXPECT_EQ(O->getString("id"), R.fullCheckName());
    EXPECT_EQ(O->getObject("shortDescription")->getString("text"), R.Summary);
    EXPECT_EQ(O->getString("helpUri"), "https://example.invalid/docs/checks/" +
                                           R.CheckName.str() + ".md");
    EXPECT_EQ(O->getObject("properties")->getString("ruleId"), R.Id);
    if (R.appliesTo(KernelVersion(6, 1)))
      EXPECT_EQ(O->getObject("properties")->getString("kernelMessage"),
                R.kernelMessage(KernelVersion(6, 1)));
  }
  const json::Array *Results =
      (*Root->getArray("runs"))[0].getAsObject()->getArray("results");
  EXPECT_TRUE(Results->empty());
}

TEST(SarifWriterTest, ResultWithCodeFlowAndFix) {
  json::Value V = sarifOf({leakFinding()}, run());
  const json::Object *Run =
      (*V.getAsObject()->getArray("runs"))[0].getAsObject();
  EXPECT_EQ(Run->getObject("originalUriBaseIds")
                ->getObject("SRCROOT")
                ->getString("uri"),
            "file:///src/p%20r/");
  const json::Object *R = (*Run->getArray("results"))[0].getAsObject();
  EXPECT_EQ(R->getString("ruleId"), "bpflint-ringbuf-leak");
  const RuleInfo *Rule = findRule("ringbuf-leak");
  ASSERT_TRUE(Rule);
  EXPECT_EQ(R->getInteger("ruleIndex"),
            static_cast<int64_t>(Rule - allRules().data()));
  EXPECT_EQ(R->getString("level"), "warning");
  EXPECT_NE(R->getObject("message")->getString("text")->find("verifier:"),
            StringRef::npos);
  const json::Object *Phys =
      (*R->getArray("locations"))[0].getAsObject()->getObject(
          "physicalLocation");
  EXPECT_EQ(Phys->getObject("artifactLocation")->getString("uri"), "a.bpf.c");
  EXPECT_EQ(Phys->getObject("artifactLocation")->getString("uriBaseId"),
            "SRCROOT");
  EXPECT_EQ(Phys->getObject("region")->getInteger("startLine"), 21);
  EXPECT_EQ(Phys->getObject("region")->getInteger("startColumn"), 12);

  // Notes in order, then the finding itself.
  const json::Array *Steps = (*R->getArray("codeFlows"))[0]
                                 .getAsObject()
                                 ->getArray("threadFlows")
                                 ->front()
                                 .getAsObject()
                                 ->getArray("locations");
  ASSERT_EQ(Steps->size(), 3u);
  auto StepText = [&](size_t I) {
    return (*Steps)[I]
        .getAsObject()
        ->getObject("location")
        ->getObject("message")
        ->getString("text")
        ->str();
  };
  EXPECT_EQ(StepText(0), "record reserved here");
  EXPECT_EQ(StepText(1), "Taking true branch");
  EXPECT_EQ(StepText(2), "leaked");
  EXPECT_EQ((*Steps)[2].getAsObject()->getInteger("executionOrder"), 3);

  const json::Object *Change = (*R->getArray("fixes"))[0]
                                   .getAsObject()
                                   ->getArray("artifactChanges")
                                   ->front()
                                   .getAsObject();
  const json::Object *Rep =
      Change->getArray("replacements")->front().getAsObject();
  EXPECT_EQ(Rep->getObject("insertedContent")->getString("text"),
            "bpf_ringbuf_discard(e, 0);\n    ");
  EXPECT_EQ(Rep->getObject("deletedRegion")->getInteger("startColumn"), 5);
  EXPECT_EQ(R->getObject("properties")->getString("ruleId"), "RB-009");
}

TEST(SarifWriterTest, FailuresAndAbsoluteUris) {
  RunInfo Info = run();
  Info.SourceRoot = "/elsewhere";
  Info.Failures.emplace_back("/src/p r/b.bpf.c", "the compile failed");
  json::Value V = sarifOf({leakFinding()}, Info);
  const json::Object *Run =
      (*V.getAsObject()->getArray("runs"))[0].getAsObject();
  const json::Object *Inv = (*Run->getArray("invocations"))[0].getAsObject();
  EXPECT_EQ(Inv->getBoolean("executionSuccessful"), false);
  EXPECT_EQ(Inv->getArray("toolExecutionNotifications")->size(), 1u);
  const json::Object *Art =
      (*(*Run->getArray("results"))[0].getAsObject()->getArray("locations"))[0]
          .getAsObject()
          ->getObject("physicalLocation")
          ->getObject("artifactLocation");
  EXPECT_EQ(Art->getString("uri"), "file:///src/p%20r/a.bpf.c");
  EXPECT_FALSE(Art->getString("uriBaseId"));
}

TEST(JsonWriterTest, Finding) {
  std::string Text;
  raw_string_ostream OS(Text);
  writeJson(OS, {leakFinding()}, run());
  Expected<json::Value> V = json::parse(Text);
  ASSERT_TRUE(static_cast<bool>(V));
  const json::Object *F =
      V->getAsObject()->getArray("findings")->front().getAsObject();
  EXPECT_EQ(F->getString("check"), "bpflint-ringbuf-leak");
  EXPECT_EQ(F->getString("what"), "leaked");
  EXPECT_EQ(F->getArray("kernelMessages")->size(), 2u);
  EXPECT_EQ(F->getArray("notes")->size(), 2u);
  EXPECT_EQ(F->getInteger("line"), 21);
}

TEST(SuppressionsTest, NolintCovers) {
  EXPECT_TRUE(nolintCovers("", "bpflint-ringbuf-leak"));
  EXPECT_TRUE(nolintCovers("bpflint-ringbuf-leak", "bpflint-ringbuf-leak"));
  EXPECT_TRUE(nolintCovers("ringbuf-leak", "bpflint-ringbuf-leak"));
  EXPECT_TRUE(nolintCovers("RB-009", "bpflint-ringbuf-leak"));
  EXPECT_TRUE(nolintCovers("bpflint-*", "bpflint-ringbuf-leak"));
  EXPECT_TRUE(
      nolintCovers("misc-x, bpflint-ringbuf-*", "bpflint-ringbuf-leak"));
  EXPECT_FALSE(nolintCovers("bpflint-lock-*", "bpflint-ringbuf-leak"));
  EXPECT_FALSE(nolintCovers("-", "bpflint-ringbuf-leak"));
}

TEST(SuppressionsTest, ProjectConfig) {
  Expected<ProjectConfig> C =
      parseProjectConfig("checks: '-*,lock-*'\nkernel: 6.6\n", "x/.bpflint");
  ASSERT_TRUE(static_cast<bool>(C)) << toString(C.takeError());
  EXPECT_EQ(*C->Checks, "-*,lock-*");
  EXPECT_EQ(*C->Kernel, "6.6");

  BpflintOptions Args = cantFail(parsePluginArgs({"checks=ringbuf-leak"}));
  BpflintOptions Opts = cantFail(applyProjectConfig(Args, *C));
  EXPECT_EQ(Opts.Config.Kernel, KernelVersion(6, 6));
  // The arguments' checks come after the file's.
  EXPECT_TRUE(Opts.Config.isActive(Rule::RingbufLeak));
  EXPECT_TRUE(Opts.Config.isActive(Rule::LockHeldAtExit));

  BpflintOptions KernelArg = cantFail(parsePluginArgs({"kernel=6.1"}));
  EXPECT_EQ(cantFail(applyProjectConfig(KernelArg, *C)).Config.Kernel,
            KernelVersion(6, 1));

  EXPECT_TRUE(static_cast<bool>(parseProjectConfig("", ".bpflint")));
  auto Err = [](StringRef Text) {
    Expected<ProjectConfig> R = parseProjectConfig(Text, "d/.bpflint");
    return R ? std::string() : toString(R.takeError());
  };
  EXPECT_NE(Err("kernal: 6.1\n").find("d/.bpflint: unknown key 'kernal'"),
            std::string::npos);
  EXPECT_NE(Err("kernel: 5.4\n").find("older than the oldest"),
            std::string::npos);
  EXPECT_NE(Err("checks: 'nosuch-check'\n").find("unknown check"),
            std::string::npos);
}
