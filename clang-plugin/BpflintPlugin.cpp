//===- BpflintPlugin.cpp - clang -fplugin=bpflint.so entry point ----------===//
//
// Runs bpflint's source checks as part of an ordinary compile. Registered as
// an "add before main action" plugin: the analysis consumer sees the AST
// before code generation and does not change what is emitted. Then, unless
// -fplugin-arg-bpflint-no-bytecode, the bytecode verifier checks the object
// the compile emits (BytecodeHook.h), from a second action registered "add
// after main action" (it reads the object once code generation is done).
//
//===----------------------------------------------------------------------===//

#include "BytecodeHook.h"
#include "bpflint/Frontend/Analysis.h"
#include "bpflint/Frontend/Options.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"

using namespace clang;

namespace bpflint {
namespace {

class BpflintAction : public PluginASTAction {
public:
  ActionType getActionType() override { return AddBeforeMainAction; }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    llvm::Expected<BpflintOptions> Parsed = parsePluginArgs(Args);
    if (!Parsed) {
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(D.getCustomDiagID(DiagnosticsEngine::Error, "bpflint: %0"))
          << llvm::toString(Parsed.takeError());
      return false;
    }
    Opts = std::move(*Parsed);
    if (Opts.Help)
      printPluginHelp(llvm::outs());
    if (!Opts.ListChecks.empty())
      printCheckList(llvm::outs(), Opts.ListChecks, Opts.Config);
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    BpflintOptions WithHook = Opts;
    if (Opts.Bytecode && bytecodeHookApplies(CI)) {
      std::shared_ptr<BytecodeHookState> Hook = installBytecodeHook(CI, Opts);
      WithHook.OnAnalysisConsumer = [Hook](ento::AnalysisASTConsumer &C,
                                           const BpflintOptions &Effective) {
        attachSourceRecorder(Hook, C, Effective);
      };
    }
    return createAnalysisConsumer(CI, WithHook);
  }

private:
  BpflintOptions Opts;
};

/// Runs after the main action's code generation: verifies the object it
/// wrote. Takes no arguments (those are "bpflint"'s).
class BpflintObjectAction : public PluginASTAction {
public:
  ActionType getActionType() override { return AddAfterMainAction; }
  bool ParseArgs(const CompilerInstance &,
                 const std::vector<std::string> &) override {
    return true;
  }
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return createEmittedObjectVerifier(CI);
  }
};

} // namespace
} // namespace bpflint

// Registered in this order: "bpflint" creates the hook the second finds.
static FrontendPluginRegistry::Add<bpflint::BpflintAction>
    X("bpflint", "compile-time checks for BPF programs");
static FrontendPluginRegistry::Add<bpflint::BpflintObjectAction>
    Y("bpflint-object", "bpflint's bytecode verifier on the emitted object");
