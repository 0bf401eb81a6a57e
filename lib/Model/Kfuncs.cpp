//===- Kfuncs.cpp ---------------------------------------------------------===//

#include "bpflint/Model/Kfuncs.h"

using namespace llvm;

namespace bpflint {

static const KfuncInfo KfuncTable[] = {
#define BPFLINT_KFUNC(Name, SinceMajor, SinceMinor, Flags)                     \
  {KfuncId::Name, #Name, KernelVersion(SinceMajor, SinceMinor), Flags},
#include "bpflint/Model/Kfuncs.def"
};

const KfuncInfo *lookupKfunc(StringRef DeclaredName) {
  // libbpf's macros call the "_impl" variants (bpf_obj_new_impl); kernels
  // since 6.17 also export the plain names. Both are the same kfunc.
  StringRef Name = DeclaredName;
  Name.consume_back("_impl");
  for (const KfuncInfo &K : KfuncTable)
    if (K.Name == Name)
      return &K;
  return nullptr;
}

const KfuncInfo &getKfunc(KfuncId Id) {
  return KfuncTable[static_cast<unsigned>(Id)];
}

} // namespace bpflint
