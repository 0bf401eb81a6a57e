//===- BytecodeHook.h - The bytecode verifier inside the compile -*- C++
//-*-===//
//
// Runs lib/Bytecode on the object this very compile emits. The frontend
// plugin registers an OptimizerLast callback through the code generator
// options; the pass clones the final module, emits the clone into memory
// with a BPF TargetMachine configured like clang's, and verifies that
// buffer. The real module and the real object are never touched.
//
// Findings go through clang's DiagnosticsEngine, at the source location the
// object's .BTF.ext line info gives, with the same check names, messages and
// severity handling (-Werror, -w, `errors`, -verify) as the source checks. A
// problem the source checks already reported (same rule, same function) is
// not reported again.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CLANGPLUGIN_BYTECODEHOOK_H
#define BPFLINT_CLANGPLUGIN_BYTECODEHOOK_H

#include "bpflint/Frontend/Options.h"
#include <memory>

namespace clang {
class CompilerInstance;
namespace ento {
class AnalysisASTConsumer;
}
} // namespace clang

namespace bpflint {

struct BytecodeHookState;

/// Whether this compile emits a BPF object the hook can verify: a BPF
/// target, an object or assembly output, no LTO pre-link (bitcode).
bool bytecodeHookApplies(const clang::CompilerInstance &CI);

/// Registers the codegen hook for this compile. Returns the state the
/// source layer feeds (attachSourceRecorder).
std::shared_ptr<BytecodeHookState>
installBytecodeHook(clang::CompilerInstance &CI, const BpflintOptions &Opts);

/// Adds to the analysis consumer a consumer that remembers which problems
/// the source checks found, and records the options in effect.
void attachSourceRecorder(const std::shared_ptr<BytecodeHookState> &State,
                          clang::ento::AnalysisASTConsumer &Consumer,
                          const BpflintOptions &Effective);

} // namespace bpflint

#endif
