//===- Options.h - bpflint's user-facing options ----------------*- C++ -*-===//
//
// One parser for the options the plugin receives as -fplugin-arg-bpflint-<arg>
// (and that the standalone driver maps its flags to).
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_FRONTEND_OPTIONS_H
#define BPFLINT_FRONTEND_OPTIONS_H

#include "bpflint/Checkers/BpfConfig.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clang::ento {
class AnalysisASTConsumer;
}

namespace bpflint {

/// Per-check severities, "ringbuf-lint-flags:error,lock-*:warning": check
/// names, rule ids or globs as in checks=, each with `error` or `warning`;
/// the last entry that matches a check wins. An override wins over the
/// global `errors` argument and -Werror.
class SeverityOverrides {
public:
  static llvm::Expected<SeverityOverrides> parse(llvm::StringRef Spec);
  /// true: error, false: warning, nullopt: no entry matches Check (the full
  /// check name, "bpflint-ringbuf-leak").
  std::optional<bool> isError(llvm::StringRef Check) const;
  /// Check's severity with Default (the global one) for no override.
  bool isError(llvm::StringRef Check, bool Default) const {
    return isError(Check).value_or(Default);
  }
  const std::string &spec() const { return Spec; }
  bool empty() const { return Entries.empty(); }

private:
  struct Entry {
    CheckSelection Match;
    bool Error;
  };
  std::vector<Entry> Entries;
  std::string Spec;
};

struct BpflintOptions {
  BpfConfig Config;
  bool AsErrors = false;
  SeverityOverrides Severity;
  /// "" (off), "text" or "markdown".
  std::string ListChecks;
  bool Help = false;
  /// Run the bytecode verifier on the object the compile emits (plugin
  /// only; -fplugin-arg-bpflint-no-bytecode turns it off).
  bool Bytecode = true;
  /// Print a remark for each program whose analysis the analyzer's budgets
  /// cut short (-fplugin-arg-bpflint-report-incomplete).
  bool ReportIncomplete = false;
  /// Set by the plugin: called once the analysis consumer is set up, with
  /// the options in effect (after a .bpflint file), so that the bytecode
  /// layer can see the source findings (to report each problem once).
  std::function<void(clang::ento::AnalysisASTConsumer &,
                     const BpflintOptions &)>
      OnAnalysisConsumer;
  /// Whether kernel= / checks= were given as arguments (a .bpflint config
  /// file supplies only what the arguments leave open).
  bool KernelFromArgs = false;
  bool ChecksFromArgs = false;
  bool SeverityFromArgs = false;
};

/// Parses plugin arguments such as "kernel=6.1", "checks=-*,lock-*",
/// "severity=ringbuf-*:error", "errors", "no-bytecode",
/// "list-checks[=markdown]", "help". Errors name the valid ones.
llvm::Expected<BpflintOptions>
parsePluginArgs(llvm::ArrayRef<std::string> Args);

/// Usage text for the plugin arguments.
void printPluginHelp(llvm::raw_ostream &OS);

/// The rule registry as a table (Format "text") or as the docs index
/// (Format "markdown", the content of docs/checks/README.md).
void printCheckList(llvm::raw_ostream &OS, llvm::StringRef Format,
                    const BpfConfig &Config);

} // namespace bpflint

#endif
