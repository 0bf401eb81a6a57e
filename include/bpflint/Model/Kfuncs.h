//===- Kfuncs.h - kfuncs by name ------------------------------ -*- C++ -*-===//

#ifndef BPFLINT_MODEL_KFUNCS_H
#define BPFLINT_MODEL_KFUNCS_H

#include "bpflint/Model/KernelVersion.h"
#include "llvm/ADT/StringRef.h"

namespace bpflint {

enum KfuncFlags : unsigned {
  KfAcquire = 1u << 0,
  KfRelease = 1u << 1,
  KfRetNull = 1u << 2,
  KfLockAllowed = 1u << 3,
  /// Pointer arguments must be trusted and non-NULL (KF_TRUSTED_ARGS or
  /// KF_RCU): a NULL-able or released pointer is rejected.
  KfTrustedArgs = 1u << 4,
};

enum class KfuncId : unsigned {
#define BPFLINT_KFUNC(Name, ...) Name,
#include "bpflint/Model/Kfuncs.def"
};

struct KfuncInfo {
  KfuncId Id;
  llvm::StringRef Name; ///< Canonical name, without "_impl".
  KernelVersion Since;
  unsigned Flags;

  bool has(KfuncFlags F) const { return (Flags & F) != 0; }
};

/// Looks a kfunc up by its declared name; "bpf_obj_new_impl" and
/// "bpf_obj_new" both find bpf_obj_new. Returns null for unknown names.
const KfuncInfo *lookupKfunc(llvm::StringRef DeclaredName);
const KfuncInfo &getKfunc(KfuncId Id);

} // namespace bpflint

#endif
