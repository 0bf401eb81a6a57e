//===- Helpers.cpp --------------------------------------------------------===//

#include "bpflint/Model/Helpers.h"
#include "llvm/ADT/StringSwitch.h"

using namespace llvm;

namespace bpflint {

StringRef helperName(unsigned Id) {
  switch (Id) {
#define BPFLINT_HELPER(Name, Id)                                               \
  case Id:                                                                     \
    return #Name;
#include "bpflint/Model/Helpers.def"
  default:
    return "";
  }
}

std::optional<HelperId> helperById(unsigned Id) {
  if (helperName(Id).empty())
    return std::nullopt;
  return static_cast<HelperId>(Id);
}

std::optional<HelperId> helperByName(StringRef Name) {
  unsigned Id = StringSwitch<unsigned>(Name)
#define BPFLINT_HELPER(Name, Id) .Case(#Name, Id)
#include "bpflint/Model/Helpers.def"
                    .Default(0);
  return helperById(Id);
}

} // namespace bpflint
