//===- LockRules.h - What a critical section allows ----------- -*- C++ -*-===//
//
// The version-dependent facts of RULES.md section 2 and 6 that are not a
// kernel message: which calls are allowed while a bpf_spin_lock is held,
// which map types may hold a lock, which program types may use one.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_MODEL_LOCKRULES_H
#define BPFLINT_MODEL_LOCKRULES_H

#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/KernelVersion.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Model/ProgramType.h"

namespace bpflint {

/// Static bpf2bpf calls (and a static subprogram returning with the
/// caller's lock held, or taking one) are allowed from 6.9 on.
constexpr KernelVersion StaticCallsUnderLockSince{6, 9};
/// Lock field search descends into nested (non-array) structs.
constexpr KernelVersion NestedLockFieldsSince{6, 10};
/// bpf_res_spin_lock and its kfuncs.
constexpr KernelVersion ResSpinLockSince{6, 15};
/// bpf_kptr_xchg joined the critical-section allowlist after 6.18 (the
/// running 6.18 kernel rejects it; RULES.md lists it for current kernels).
constexpr KernelVersion KptrXchgUnderLockSince{6, 19};

/// Is a call to Callee (a helper or kfunc) allowed while a lock is held on
/// kernel V? (LOCK-018; the kernel's kfunc_spin_allowed and friends.)
bool isAllowedUnderLock(const BpfCallee &Callee, KernelVersion V);

/// Can a map of type T hold a bpf_spin_lock on kernel V? (LOCK-004)
bool mapTypeCanHoldLock(MapType T, KernelVersion V);

/// The message prefix the verifier uses for program types that may not use
/// maps with locks ("tracing" or "socket filter"), or "" if allowed.
/// (LOCK-024)
llvm::StringRef lockForbiddenProgramKind(ProgType T);

} // namespace bpflint

#endif
