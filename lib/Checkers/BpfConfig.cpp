//===- BpfConfig.cpp ------------------------------------------------------===//

#include "bpflint/Checkers/BpfConfig.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "llvm/Support/Error.h"

using namespace llvm;

namespace bpflint {

static constexpr StringLiteral KernelKey = "bpflint-kernel";
static constexpr StringLiteral ChecksKey = "bpflint-checks";
static constexpr StringLiteral OptimizedKey = "bpflint-optimized";

void BpfConfig::store(clang::AnalyzerOptions &Opts) const {
  Opts.Config[KernelKey] = Kernel.str();
  Opts.Config[ChecksKey] = Checks.spec();
  Opts.Config[OptimizedKey] = Optimized ? "true" : "false";
}

BpfConfig BpfConfig::load(const clang::AnalyzerOptions &Opts) {
  BpfConfig Config;
  auto Kernel = Opts.Config.find(KernelKey);
  if (Kernel != Opts.Config.end())
    if (std::optional<KernelVersion> V = KernelVersion::parse(Kernel->second))
      Config.Kernel = *V;
  auto Checks = Opts.Config.find(ChecksKey);
  if (Checks != Opts.Config.end()) {
    // The front end validated the spec already; a bad one here means all on.
    if (Expected<CheckSelection> S = CheckSelection::parse(Checks->second))
      Config.Checks = std::move(*S);
    else
      consumeError(S.takeError());
  }
  auto Optimized = Opts.Config.find(OptimizedKey);
  Config.Optimized =
      Optimized != Opts.Config.end() && Optimized->second == "true";
  return Config;
}

} // namespace bpflint
