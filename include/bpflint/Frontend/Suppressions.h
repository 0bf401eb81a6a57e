//===- Suppressions.h - NOLINT comments and .bpflint files ----*- C++ -*-===//
//
// What users know from clang-tidy, the same in the plugin and the driver:
//   - `// NOLINT` or `// NOLINT(bpflint-<check>, ...)` on the line of a
//     finding, `// NOLINTNEXTLINE(...)` on the line before, and
//     `// NOLINTBEGIN(...)` ... `// NOLINTEND(...)` around a region. The list
//     takes check names (with or without `bpflint-`), rule ids and globs.
//   - A `.bpflint` YAML file, searched from the compiled file's directory
//     upwards (the nearest one wins), with the keys `checks` and `kernel` in
//     the syntax of the plugin arguments, and `severity`, a mapping from
//     check names, rule ids or globs to `error` or `warning` (or a list of
//     such entries, or one string as the severity= argument takes). Arguments
//     given on the command line win over the file; `checks` and `severity` from
//     the command line are applied after the file's.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_FRONTEND_SUPPRESSIONS_H
#define BPFLINT_FRONTEND_SUPPRESSIONS_H

#include "bpflint/Frontend/Options.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace llvm::vfs {
class FileSystem;
}

namespace bpflint {

/// Decides whether a finding is suppressed by a NOLINT comment.
class SuppressionFilter {
public:
  /// Check is the full check name ("bpflint-ringbuf-leak"); Loc is where the
  /// finding is reported (macro locations are mapped to the file).
  bool isSuppressed(clang::FullSourceLoc Loc, llvm::StringRef Check);

private:
  struct Region {
    unsigned From, To; ///< 1-based lines, inclusive.
    std::string Checks;
  };
  /// NOLINTBEGIN/END regions per file, computed on first use.
  llvm::DenseMap<clang::FileID, std::vector<Region>> Regions;
};

/// Does the NOLINT argument list Checks ("" means "all") cover Check?
/// Exposed for tests.
bool nolintCovers(llvm::StringRef Checks, llvm::StringRef Check);

/// The content of a .bpflint file.
struct ProjectConfig {
  std::string Path;
  std::optional<std::string> Checks;
  std::optional<std::string> Kernel;
  /// The `severity` mapping as a severity= argument value
  /// ("ringbuf-lint-flags:error,lock-*:warning", in the file's order).
  std::optional<std::string> Severity;
};

/// Parses a .bpflint file's text. Unknown keys and bad values are errors
/// naming Path.
llvm::Expected<ProjectConfig> parseProjectConfig(llvm::StringRef Text,
                                                 llvm::StringRef Path);

/// The nearest .bpflint above File (whose directory is searched first), if
/// any. File is made absolute against FS's working directory.
llvm::Expected<std::optional<ProjectConfig>>
findProjectConfig(llvm::StringRef File, llvm::vfs::FileSystem &FS);

/// Opts with the config's values for what the arguments left open, validated
/// by the plugin argument parser.
llvm::Expected<BpflintOptions> applyProjectConfig(const BpflintOptions &Opts,
                                                  const ProjectConfig &Config);

} // namespace bpflint

#endif
