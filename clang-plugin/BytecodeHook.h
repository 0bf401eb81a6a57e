//===- BytecodeHook.h - The bytecode verifier inside the compile -*- C++
//-*-===//
//
// Runs lib/Bytecode on the object this very compile emits, read back after
// code generation (the temporary output file clang writes, or a memory
// stream the driver gives the code generator); where that cannot be done,
// an OptimizerLast pass emits a private copy of the final module into
// memory with a BPF TargetMachine configured like clang's. The real module
// and the real object are never touched.
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
class ASTConsumer;
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

/// Registers the codegen hook for this compile, once the main action's
/// consumer (and so its output file) exists. Returns the state the source
/// layer feeds (attachSourceRecorder).
std::shared_ptr<BytecodeHookState>
installBytecodeHook(clang::CompilerInstance &CI, const BpflintOptions &Opts);

/// Adds to the analysis consumer a consumer that remembers which problems
/// the source checks found, and records the options in effect.
void attachSourceRecorder(const std::shared_ptr<BytecodeHookState> &State,
                          clang::ento::AnalysisASTConsumer &Consumer,
                          const BpflintOptions &Effective);

/// The driver: makes the code generator write the object into memory, for
/// the consumer of createEmittedObjectVerifier. Call before the code
/// generator's consumer is created.
void captureObjectStream(const std::shared_ptr<BytecodeHookState> &State);

/// A consumer to run after the code generator's: verifies the object it
/// emitted (then the OptimizerLast pass does nothing).
std::unique_ptr<clang::ASTConsumer>
createEmittedObjectVerifier(const std::shared_ptr<BytecodeHookState> &State);

/// The plugin's action after the main action: the same, for the hook
/// installBytecodeHook registered for CI (an empty consumer if none).
std::unique_ptr<clang::ASTConsumer>
createEmittedObjectVerifier(clang::CompilerInstance &CI);

} // namespace bpflint

#endif
