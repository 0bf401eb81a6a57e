//===- ProgramType.cpp - libbpf's section_defs, reduced -------------------===//

#include "bpflint/Model/ProgramType.h"

using namespace llvm;

namespace bpflint {

namespace {
struct SectionRule {
  const char *Prefix;
  ProgType Type;
  /// True if the name must equal Prefix or continue with '/' or '.'.
  bool WholeWord;
};

// Ordered as in libbpf's section_defs[]: the first match wins, so more
// specific prefixes come first.
const SectionRule SectionRules[] = {
    {"socket", ProgType::SocketFilter, true},
    {"sk_reuseport/migrate", ProgType::SkReuseport, true},
    {"sk_reuseport", ProgType::SkReuseport, true},
    {"kprobe.multi", ProgType::Kprobe, true},
    {"kretprobe.multi", ProgType::Kprobe, true},
    {"uprobe.multi", ProgType::Kprobe, true},
    {"uretprobe.multi", ProgType::Kprobe, true},
    {"kprobe.session", ProgType::Kprobe, true},
    {"uprobe.session", ProgType::Kprobe, true},
    {"kprobe", ProgType::Kprobe, true},
    {"uprobe", ProgType::Kprobe, true},
    {"kretprobe", ProgType::Kprobe, true},
    {"uretprobe", ProgType::Kprobe, true},
    {"ksyscall", ProgType::Kprobe, true},
    {"kretsyscall", ProgType::Kprobe, true},
    {"usdt", ProgType::Kprobe, true},
    {"tc/ingress", ProgType::SchedCls, true},
    {"tc/egress", ProgType::SchedCls, true},
    {"tcx/ingress", ProgType::SchedCls, true},
    {"tcx/egress", ProgType::SchedCls, true},
    {"netkit/primary", ProgType::SchedCls, true},
    {"netkit/peer", ProgType::SchedCls, true},
    {"tc", ProgType::SchedCls, true},
    {"classifier", ProgType::SchedCls, true},
    {"action", ProgType::SchedAct, true},
    {"tracepoint", ProgType::Tracepoint, true},
    {"tp", ProgType::Tracepoint, true},
    {"raw_tracepoint.w", ProgType::RawTracepointWritable, true},
    {"raw_tp.w", ProgType::RawTracepointWritable, true},
    {"raw_tracepoint", ProgType::RawTracepoint, true},
    {"raw_tp", ProgType::RawTracepoint, true},
    {"tp_btf", ProgType::Tracing, true},
    {"fentry", ProgType::Tracing, true},
    {"fmod_ret", ProgType::Tracing, true},
    {"fexit", ProgType::Tracing, true},
    {"freplace", ProgType::Ext, true},
    {"lsm", ProgType::Lsm, true},
    {"lsm_cgroup", ProgType::Lsm, true},
    {"iter", ProgType::Tracing, true},
    {"syscall", ProgType::Syscall, true},
    {"xdp.frags/devmap", ProgType::Xdp, true},
    {"xdp/devmap", ProgType::Xdp, true},
    {"xdp.frags/cpumap", ProgType::Xdp, true},
    {"xdp/cpumap", ProgType::Xdp, true},
    {"xdp.frags", ProgType::Xdp, true},
    {"xdp", ProgType::Xdp, true},
    {"perf_event", ProgType::PerfEvent, true},
    {"lwt_in", ProgType::LwtIn, true},
    {"lwt_out", ProgType::LwtOut, true},
    {"lwt_xmit", ProgType::LwtXmit, true},
    {"lwt_seg6local", ProgType::LwtSeg6Local, true},
    {"sockops", ProgType::SockOps, true},
    {"sk_skb", ProgType::SkSkb, true},
    {"sk_msg", ProgType::SkMsg, true},
    {"lirc_mode2", ProgType::LircMode2, true},
    {"flow_dissector", ProgType::FlowDissector, true},
    {"cgroup_skb", ProgType::CgroupSkb, true},
    {"cgroup/skb", ProgType::CgroupSkb, true},
    {"cgroup/sock_create", ProgType::CgroupSock, true},
    {"cgroup/sock_release", ProgType::CgroupSock, true},
    {"cgroup/sock", ProgType::CgroupSock, true},
    {"cgroup/post_bind", ProgType::CgroupSock, true},
    {"cgroup/dev", ProgType::CgroupDevice, true},
    {"cgroup/sysctl", ProgType::CgroupSysctl, true},
    {"cgroup/getsockopt", ProgType::CgroupSockopt, true},
    {"cgroup/setsockopt", ProgType::CgroupSockopt, true},
    {"cgroup/", ProgType::CgroupSockAddr, false},
    {"struct_ops", ProgType::StructOps, true},
    {"sk_lookup", ProgType::SkLookup, true},
    {"netfilter", ProgType::Netfilter, true},
};
} // namespace

std::optional<ProgramSection> classifyProgramSection(StringRef Section) {
  ProgramSection Result;
  // SEC("?tc") marks a program libbpf does not load by default.
  Section.consume_front("?");
  for (const SectionRule &R : SectionRules) {
    StringRef Prefix(R.Prefix);
    if (!Section.starts_with(Prefix))
      continue;
    StringRef Rest = Section.drop_front(Prefix.size());
    // "fentry.s/..." marks a sleepable program.
    if (Rest.consume_front(".s"))
      Result.Sleepable = true;
    if (R.WholeWord && !Rest.empty() && Rest.front() != '/')
      continue;
    Result.Type = R.Type;
    // libbpf loads SEC("syscall") programs as sleepable (SEC_SLEEPABLE).
    if (R.Type == ProgType::Syscall)
      Result.Sleepable = true;
    return Result;
  }
  return std::nullopt;
}

bool isTracingProgType(ProgType T) {
  switch (T) {
  case ProgType::Kprobe:
  case ProgType::Tracepoint:
  case ProgType::PerfEvent:
  case ProgType::RawTracepoint:
  case ProgType::RawTracepointWritable:
    return true;
  default:
    return false;
  }
}

StringRef progTypeName(ProgType T) {
  switch (T) {
  case ProgType::Unspec:
    return "unspec";
  case ProgType::SocketFilter:
    return "socket_filter";
  case ProgType::Kprobe:
    return "kprobe";
  case ProgType::SchedCls:
    return "sched_cls";
  case ProgType::SchedAct:
    return "sched_act";
  case ProgType::Tracepoint:
    return "tracepoint";
  case ProgType::Xdp:
    return "xdp";
  case ProgType::PerfEvent:
    return "perf_event";
  case ProgType::CgroupSkb:
    return "cgroup_skb";
  case ProgType::CgroupSock:
    return "cgroup_sock";
  case ProgType::LwtIn:
    return "lwt_in";
  case ProgType::LwtOut:
    return "lwt_out";
  case ProgType::LwtXmit:
    return "lwt_xmit";
  case ProgType::SockOps:
    return "sock_ops";
  case ProgType::SkSkb:
    return "sk_skb";
  case ProgType::CgroupDevice:
    return "cgroup_device";
  case ProgType::SkMsg:
    return "sk_msg";
  case ProgType::RawTracepoint:
    return "raw_tracepoint";
  case ProgType::CgroupSockAddr:
    return "cgroup_sock_addr";
  case ProgType::LwtSeg6Local:
    return "lwt_seg6local";
  case ProgType::LircMode2:
    return "lirc_mode2";
  case ProgType::SkReuseport:
    return "sk_reuseport";
  case ProgType::FlowDissector:
    return "flow_dissector";
  case ProgType::CgroupSysctl:
    return "cgroup_sysctl";
  case ProgType::RawTracepointWritable:
    return "raw_tracepoint_writable";
  case ProgType::CgroupSockopt:
    return "cgroup_sockopt";
  case ProgType::Tracing:
    return "tracing";
  case ProgType::StructOps:
    return "struct_ops";
  case ProgType::Ext:
    return "ext";
  case ProgType::Lsm:
    return "lsm";
  case ProgType::SkLookup:
    return "sk_lookup";
  case ProgType::Syscall:
    return "syscall";
  case ProgType::Netfilter:
    return "netfilter";
  }
  return "unknown";
}

} // namespace bpflint
