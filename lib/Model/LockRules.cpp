//===- LockRules.cpp ------------------------------------------------------===//

#include "bpflint/Model/LockRules.h"

using namespace llvm;

namespace bpflint {

bool isAllowedUnderLock(const BpfCallee &Callee, KernelVersion V) {
  if (Callee.Helper) {
    if (*Callee.Helper == HelperId::bpf_spin_unlock)
      return true;
    if (*Callee.Helper == HelperId::bpf_kptr_xchg)
      return V >= KptrXchgUnderLockSince;
    return false;
  }
  // Only the kfuncs of the allowlist; any other kfunc, including ones
  // bpflint does not know, is rejected.
  return Callee.Kfunc && Callee.Kfunc->has(KfLockAllowed) &&
         V >= Callee.Kfunc->Since;
}

bool mapTypeCanHoldLock(MapType T, KernelVersion V) {
  switch (T) {
  case MapType::Hash:
  case MapType::Array:
  case MapType::CgroupStorage:
  case MapType::SkStorage:
  case MapType::InodeStorage:
  case MapType::TaskStorage:
    return true;
  case MapType::CgrpStorage:
    return V >= KernelVersion(6, 2);
  default:
    return false;
  }
}

StringRef lockForbiddenProgramKind(ProgType T) {
  if (T == ProgType::SocketFilter)
    return "socket filter";
  if (isTracingProgType(T))
    return "tracing";
  return "";
}

} // namespace bpflint
