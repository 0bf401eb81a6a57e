//===- KernelVersion.h - Kernel versions and profiles -----------*- C++ -*-===//
//
// Rules, allowlists and messages differ by kernel release. Everything that
// depends on the kernel is keyed by a KernelVersion; a "profile" is just the
// version the user selects with kernel=X.Y (default: the newest we model).
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_MODEL_KERNELVERSION_H
#define BPFLINT_MODEL_KERNELVERSION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace bpflint {

struct KernelVersion {
  unsigned Major = 0;
  unsigned Minor = 0;

  constexpr KernelVersion() = default;
  constexpr KernelVersion(unsigned Major, unsigned Minor)
      : Major(Major), Minor(Minor) {}

  /// Parses "X.Y" (a trailing ".Z" patch level is accepted and ignored) and
  /// the aliases "newest"/"latest". Returns nullopt for anything else.
  static std::optional<KernelVersion> parse(llvm::StringRef Text);

  /// The oldest and newest kernels whose behaviour bpflint models. "Newest"
  /// is bpf-next as described by RULES.md ("current", mid-2026).
  static constexpr KernelVersion oldest() { return {6, 1}; }
  static constexpr KernelVersion newest() { return {7, 1}; }

  bool isValid() const { return Major != 0; }
  std::string str() const;

  constexpr unsigned key() const { return Major * 1000 + Minor; }
  friend constexpr bool operator<(KernelVersion A, KernelVersion B) {
    return A.key() < B.key();
  }
  friend constexpr bool operator<=(KernelVersion A, KernelVersion B) {
    return A.key() <= B.key();
  }
  friend constexpr bool operator>=(KernelVersion A, KernelVersion B) {
    return A.key() >= B.key();
  }
  friend constexpr bool operator>(KernelVersion A, KernelVersion B) {
    return A.key() > B.key();
  }
  friend constexpr bool operator==(KernelVersion A, KernelVersion B) {
    return A.key() == B.key();
  }
  friend constexpr bool operator!=(KernelVersion A, KernelVersion B) {
    return A.key() != B.key();
  }
};

/// A closed range of kernel versions [From, To]. To is newest() when a rule
/// or message still holds in current kernels.
struct KernelRange {
  KernelVersion From;
  KernelVersion To = KernelVersion::newest();

  bool contains(KernelVersion V) const { return From <= V && V <= To; }
  std::string str() const;
};

/// The named profiles documented and tested (kernel=6.1, 6.6, 6.12, 6.18 and
/// the newest). Any other X.Y in [oldest, newest] is accepted as well.
llvm::ArrayRef<KernelVersion> knownProfiles();

} // namespace bpflint

#endif
