//===- ProgramType.h - Program types from SEC() names --------- -*- C++ -*-===//
//
// libbpf derives the program type from the ELF section name the program is
// placed in with SEC("..."); the kernel's rules key on that type.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_MODEL_PROGRAMTYPE_H
#define BPFLINT_MODEL_PROGRAMTYPE_H

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace bpflint {

/// BPF_PROG_TYPE_* (uapi numbering).
enum class ProgType : unsigned {
  Unspec = 0,
  SocketFilter = 1,
  Kprobe = 2,
  SchedCls = 3,
  SchedAct = 4,
  Tracepoint = 5,
  Xdp = 6,
  PerfEvent = 7,
  CgroupSkb = 8,
  CgroupSock = 9,
  LwtIn = 10,
  LwtOut = 11,
  LwtXmit = 12,
  SockOps = 13,
  SkSkb = 14,
  CgroupDevice = 15,
  SkMsg = 16,
  RawTracepoint = 17,
  CgroupSockAddr = 18,
  LwtSeg6Local = 19,
  LircMode2 = 20,
  SkReuseport = 21,
  FlowDissector = 22,
  CgroupSysctl = 23,
  RawTracepointWritable = 24,
  CgroupSockopt = 25,
  Tracing = 26,
  StructOps = 27,
  Ext = 28,
  Lsm = 29,
  SkLookup = 30,
  Syscall = 31,
  Netfilter = 32,
};

struct ProgramSection {
  ProgType Type = ProgType::Unspec;
  bool Sleepable = false;
};

/// Maps a SEC() name to its program type as libbpf does ("tc", "xdp",
/// "kprobe/do_sys_open", "fentry.s/...", ...). Returns nullopt for sections
/// that do not hold programs (".maps", "license", ".data", ...).
std::optional<ProgramSection> classifyProgramSection(llvm::StringRef Section);

llvm::StringRef progTypeName(ProgType T);

/// The kernel's is_tracing_prog_type(): kprobe, tracepoint, perf_event and
/// raw tracepoints. These cannot use maps with spin locks or graph roots.
bool isTracingProgType(ProgType T);

} // namespace bpflint

#endif
