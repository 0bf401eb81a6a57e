//===- Helpers.h - BPF helpers by id -------------------------- -*- C++ -*-===//

#ifndef BPFLINT_MODEL_HELPERS_H
#define BPFLINT_MODEL_HELPERS_H

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace bpflint {

/// BPF_FUNC_* ids. Enumerators are spelled like the libbpf declarations.
enum class HelperId : unsigned {
  unspec = 0,
#define BPFLINT_HELPER(Name, Id) Name = Id,
#include "bpflint/Model/Helpers.def"
};

/// "bpf_ringbuf_reserve" for 131; "" for an id the table does not know.
llvm::StringRef helperName(unsigned Id);
std::optional<HelperId> helperByName(llvm::StringRef Name);
std::optional<HelperId> helperById(unsigned Id);

} // namespace bpflint

#endif
