//===- Analysis.h - Running bpflint's source checks -------------*- C++ -*-===//

#ifndef BPFLINT_FRONTEND_ANALYSIS_H
#define BPFLINT_FRONTEND_ANALYSIS_H

#include "bpflint/Frontend/Options.h"
#include <memory>

namespace clang {
class ASTConsumer;
class CompilerInstance;
} // namespace clang

namespace bpflint {

class FindingCollector;

/// An AST consumer that runs bpflint's path-sensitive checks on the
/// translation unit and reports through CI's DiagnosticsEngine. It does not
/// touch code generation: the emitted object is unchanged.
///
/// A .bpflint file above the main file supplies the options Opts leaves
/// open, and NOLINT comments suppress findings (Suppressions.h). With
/// Structured, findings are also collected there as data (the driver's JSON
/// and SARIF output).
std::unique_ptr<clang::ASTConsumer>
createAnalysisConsumer(clang::CompilerInstance &CI, const BpflintOptions &Opts,
                       FindingCollector *Structured = nullptr);

} // namespace bpflint

#endif
