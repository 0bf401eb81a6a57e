#include "bpflint/Model/ProgramType.h"
#include "gtest/gtest.h"

using namespace bpflint;

static ProgType typeOf(llvm::StringRef Section) {
  auto S = classifyProgramSection(Section);
  return S ? S->Type : ProgType::Unspec;
}

TEST(ProgramTypeTest, CommonSections) {
  EXPECT_EQ(typeOf("tc"), ProgType::SchedCls);
  EXPECT_EQ(typeOf("tc/ingress"), ProgType::SchedCls);
  EXPECT_EQ(typeOf("classifier"), ProgType::SchedCls);
  EXPECT_EQ(typeOf("xdp"), ProgType::Xdp);
  EXPECT_EQ(typeOf("xdp.frags"), ProgType::Xdp);
  EXPECT_EQ(typeOf("kprobe/do_sys_open"), ProgType::Kprobe);
  EXPECT_EQ(typeOf("kretprobe/do_sys_open"), ProgType::Kprobe);
  EXPECT_EQ(typeOf("tracepoint/syscalls/sys_enter_openat"),
            ProgType::Tracepoint);
  EXPECT_EQ(typeOf("tp/sched/sched_switch"), ProgType::Tracepoint);
  EXPECT_EQ(typeOf("tp_btf/sched_switch"), ProgType::Tracing);
  EXPECT_EQ(typeOf("raw_tp/sys_enter"), ProgType::RawTracepoint);
  EXPECT_EQ(typeOf("raw_tp.w/sys_enter"), ProgType::RawTracepointWritable);
  EXPECT_EQ(typeOf("fentry/do_unlinkat"), ProgType::Tracing);
  EXPECT_EQ(typeOf("lsm/file_open"), ProgType::Lsm);
  EXPECT_EQ(typeOf("lsm_cgroup/socket_bind"), ProgType::Lsm);
  EXPECT_EQ(typeOf("socket"), ProgType::SocketFilter);
  EXPECT_EQ(typeOf("sockops"), ProgType::SockOps);
  EXPECT_EQ(typeOf("cgroup/connect4"), ProgType::CgroupSockAddr);
  EXPECT_EQ(typeOf("cgroup_skb/ingress"), ProgType::CgroupSkb);
  EXPECT_EQ(typeOf("syscall"), ProgType::Syscall);
  EXPECT_EQ(typeOf("struct_ops/enqueue"), ProgType::StructOps);
  EXPECT_EQ(typeOf("?tc"), ProgType::SchedCls); // not autoloaded
}

TEST(ProgramTypeTest, SleepableSuffix) {
  auto S = classifyProgramSection("fentry.s/do_unlinkat");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Type, ProgType::Tracing);
  EXPECT_TRUE(S->Sleepable);
  EXPECT_FALSE(classifyProgramSection("fentry/x")->Sleepable);
}

TEST(ProgramTypeTest, NonProgramSections) {
  for (const char *S : {".maps", "license", ".data", ".bss", ".rodata", "maps",
                        "tcx", "xdpfoo", "tpx/a"})
    EXPECT_FALSE(classifyProgramSection(S)) << S;
}

TEST(ProgramTypeTest, TracingProgTypesForLocks) {
  EXPECT_TRUE(isTracingProgType(ProgType::Kprobe));
  EXPECT_TRUE(isTracingProgType(ProgType::Tracepoint));
  EXPECT_TRUE(isTracingProgType(ProgType::RawTracepoint));
  EXPECT_FALSE(isTracingProgType(ProgType::Tracing));
  EXPECT_FALSE(isTracingProgType(ProgType::SchedCls));
}
