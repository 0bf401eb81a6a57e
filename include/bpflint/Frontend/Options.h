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
#include <string>

namespace clang::ento {
class AnalysisASTConsumer;
}

namespace bpflint {

struct BpflintOptions {
  BpfConfig Config;
  bool AsErrors = false;
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
};

/// Parses plugin arguments such as "kernel=6.1", "checks=-*,lock-*",
/// "errors", "no-bytecode", "list-checks[=markdown]", "help". Errors name
/// the valid ones.
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
