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

} // namespace bpflint::compat

#endif
