//===- CodegenCompat.h - LLVM major differences in codegen APIs -*- C++ -*-===//
//
// The code generation half of Compat.h (kept apart so that the checkers do
// not include the pass builder and the target registry). Used by the
// plugin's bytecode hook. Guards name the majors that were built: 19 and 22.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_SUPPORT_CODEGENCOMPAT_H
#define BPFLINT_SUPPORT_CODEGENCOMPAT_H

#include "llvm/Config/llvm-config.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"
#include <functional>
#include <optional>

namespace bpflint::compat {

inline llvm::TargetMachine *createTargetMachine(
    const llvm::Target &T, const llvm::Triple &TT, llvm::StringRef CPU,
    llvm::StringRef Features, const llvm::TargetOptions &Options,
    std::optional<llvm::Reloc::Model> RM, llvm::CodeGenOptLevel OL) {
#if LLVM_VERSION_MAJOR >= 22
  return T.createTargetMachine(TT, CPU, Features, Options, RM, std::nullopt,
                               OL);
#else
  return T.createTargetMachine(TT.str(), CPU, Features, Options, RM,
                               std::nullopt, OL);
#endif
}

/// Calls AddPasses at the OptimizerLast extension point of a normal compile
/// (at every optimization level, -O0 included), not of an LTO pre-link.
inline void registerOptimizerLastModulePass(
    llvm::PassBuilder &PB,
    std::function<void(llvm::ModulePassManager &)> AddPasses) {
#if LLVM_VERSION_MAJOR >= 22
  PB.registerOptimizerLastEPCallback(
      [AddPasses](llvm::ModulePassManager &MPM, llvm::OptimizationLevel,
                  llvm::ThinOrFullLTOPhase Phase) {
        if (Phase == llvm::ThinOrFullLTOPhase::None)
          AddPasses(MPM);
      });
#else
  // LLVM 19 does not say; the plugin skips LTO pre-link compiles itself.
  PB.registerOptimizerLastEPCallback(
      [AddPasses](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        AddPasses(MPM);
      });
#endif
}

/// The registered target for TT (22 deprecates the string overload).
inline const llvm::Target *lookupTarget(const llvm::Triple &TT,
                                        std::string &Error) {
#if LLVM_VERSION_MAJOR >= 22
  return llvm::TargetRegistry::lookupTarget(TT, Error);
#else
  return llvm::TargetRegistry::lookupTarget(TT.str(), Error);
#endif
}

} // namespace bpflint::compat

#endif
