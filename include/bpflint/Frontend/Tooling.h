//===- Tooling.h - Analysing files with their compile commands -*- C++ -*-===//
//
// What the standalone driver and the editor proxy share: which compiles are
// BPF compiles, how a compile command is turned into bpflint's analysis, and
// the analysis of one file (optionally with unsaved contents from an editor).
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_FRONTEND_TOOLING_H
#define BPFLINT_FRONTEND_TOOLING_H

#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include <string>
#include <vector>

namespace bpflint {

/// A compile that targets BPF (-target bpf*, --target=bpf*, or a .bpf.c
/// file).
bool isBpfCompile(const clang::tooling::CompileCommand &C);

struct ToolingOptions {
  /// clang's resource directory ("": the one of the LLVM bpflint was built
  /// against).
  std::string ResourceDir;
  bool Color = false;
  /// Unsaved file contents by absolute path (an editor's buffers); they
  /// replace the files on disk for the analysis.
  const llvm::StringMap<std::string> *Unsaved = nullptr;
  /// Run the bytecode layer when the compile command produces an object
  /// (-c): the file is compiled (the object discarded) and the verifier
  /// checks the object, as the plugin does in the build.
  bool Bytecode = false;
};

/// The compile command as bpflint runs it: bpflint's own plugin flags
/// removed (their arguments returned in PluginArgs), syntax only, no output
/// or dependency files, clang's resource directory of the LLVM bpflint uses.
/// With Opts.Bytecode and a command that produces an object, the command
/// keeps compiling (to /dev/null) and EmitsObject is set.
std::vector<std::string>
adjustCompileCommand(const clang::tooling::CompileCommand &C,
                     std::vector<std::string> &PluginArgs,
                     const ToolingOptions &Opts, bool *EmitsObject = nullptr);

/// The analysis of one file.
struct FileAnalysis {
  std::string File;
  std::string Text; ///< What clang printed, as the plugin would.
  std::vector<Finding> Findings;
  std::string Failure; ///< Why the file could not be analysed ("" if fine).
  /// Programs whose analysis a limit cut short.
  std::vector<IncompleteAnalysis> Incomplete;
  std::string Directory; ///< The compile command's directory.
};

/// Analyses File with Command. DriverArgs are plugin arguments that win over
/// the command's -fplugin-arg-bpflint-*. Thread-safe: each call has its own
/// file manager, file system (with the command's working directory),
/// diagnostics and compiler instance.
FileAnalysis analyseFile(const std::string &File,
                         const clang::tooling::CompileCommand &Command,
                         llvm::ArrayRef<std::string> DriverArgs,
                         const ToolingOptions &Opts);

/// Writes the findings of Results and their fix-its as clang-tidy's
/// -export-fixes YAML (clang::tooling::TranslationUnitDiagnostics), which
/// clang-apply-replacements applies.
void writeFixesYaml(llvm::raw_ostream &OS,
                    llvm::ArrayRef<FileAnalysis> Results);

struct FixSummary {
  /// Findings with fix-its, and those whose fix-its were applied (the
  /// others overlapped an earlier finding's).
  unsigned WithFixes = 0, Applied = 0;
  std::vector<std::string> FilesChanged;
  /// Files that could not be read or written, with the reason.
  std::vector<std::string> Errors;
};

/// Applies the fix-its of Results' findings to the files on disk. The same
/// fix-it reported twice (a header in two compiles) is applied once.
FixSummary applyFixes(llvm::ArrayRef<FileAnalysis> Results);

} // namespace bpflint

#endif
