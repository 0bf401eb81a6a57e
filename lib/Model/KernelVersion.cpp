//===- KernelVersion.cpp --------------------------------------------------===//

#include "bpflint/Model/KernelVersion.h"
#include "llvm/ADT/SmallVector.h"

using namespace llvm;

namespace bpflint {

std::optional<KernelVersion> KernelVersion::parse(StringRef Text) {
  Text = Text.trim();
  if (Text.equals_insensitive("newest") || Text.equals_insensitive("latest"))
    return newest();
  SmallVector<StringRef, 3> Parts;
  Text.split(Parts, '.');
  if (Parts.size() < 2 || Parts.size() > 3)
    return std::nullopt;
  unsigned Values[3] = {0, 0, 0};
  for (size_t I = 0; I < Parts.size(); ++I)
    if (Parts[I].empty() || Parts[I].getAsInteger(10, Values[I]) ||
        Values[I] > 999)
      return std::nullopt;
  if (Values[0] == 0)
    return std::nullopt;
  return KernelVersion(Values[0], Values[1]);
}

std::string KernelVersion::str() const {
  return std::to_string(Major) + "." + std::to_string(Minor);
}

std::string KernelRange::str() const {
  if (To >= KernelVersion::newest())
    return From.str() + "+";
  return From.str() + "-" + To.str();
}

ArrayRef<KernelVersion> knownProfiles() {
  static const KernelVersion Profiles[] = {
      {6, 1}, {6, 6}, {6, 12}, {6, 18}, KernelVersion::newest()};
  return Profiles;
}

} // namespace bpflint
