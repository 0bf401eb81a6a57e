//===- ToolingCompat.h - LLVM major differences for the driver -*- C++ -*-===//
//
// The tooling half of Compat.h (kept apart so that the checkers and the
// plugin do not include the frontend's printers). Used by tools/bpflint.
// Guards name the majors that were built: 19 and 22.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_SUPPORT_TOOLINGCOMPAT_H
#define BPFLINT_SUPPORT_TOOLINGCOMPAT_H

#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "llvm/Config/llvm-config.h"
#include <memory>

namespace bpflint::compat {

/// A TextDiagnosticPrinter writing to OS. Opts must outlive the printer.
inline std::unique_ptr<clang::TextDiagnosticPrinter>
createTextDiagnosticPrinter(llvm::raw_ostream &OS,
                            clang::DiagnosticOptions &Opts) {
#if LLVM_VERSION_MAJOR >= 22
  return std::make_unique<clang::TextDiagnosticPrinter>(OS, Opts);
#else
  // Reference-counted here: the printer owns a copy.
  return std::make_unique<clang::TextDiagnosticPrinter>(
      OS, new clang::DiagnosticOptions(Opts));
#endif
}

/// Whether several Clang Static Analyzer runs may share one process in
/// parallel threads. LLVM 22's analyzer keeps per-entry-point statistics in
/// process-wide registries (clang::ento::EntryPointStat: lockRegistry and
/// takeSnapshot append to global containers without a lock); two analyses
/// at once corrupt the heap, as the driver's -j 2 showed in CI.
#if LLVM_VERSION_MAJOR >= 22
inline constexpr bool AnalyzerIsThreadSafe = false;
#else
inline constexpr bool AnalyzerIsThreadSafe = true;
#endif

} // namespace bpflint::compat

#endif
