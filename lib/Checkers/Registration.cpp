//===- Registration.cpp - Adds bpflint's checkers to the analyzer ---------===//

#include "bpflint/Checkers/Registration.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

using namespace clang::ento;
using namespace llvm;

namespace bpflint {

void registerAnalysisCoverageChecker(CheckerManager &Mgr);
void registerBpfModelingChecker(CheckerManager &Mgr);
void registerSpinLockChecker(CheckerManager &Mgr);
void registerCriticalSectionCallChecker(CheckerManager &Mgr);
void registerGraphChecker(CheckerManager &Mgr);
void registerGraphDeclChecker(CheckerManager &Mgr);
void registerLockAccessChecker(CheckerManager &Mgr);
void registerLockMapChecker(CheckerManager &Mgr);
void registerRbtreeCallbackLockChecker(CheckerManager &Mgr);
void registerRingBufChecker(CheckerManager &Mgr);
void registerKptrChecker(CheckerManager &Mgr);

namespace {
bool always(const CheckerManager &) { return true; }

struct CheckerEntry {
  StringLiteral Name;
  StringLiteral Description;
  void (*Register)(CheckerManager &);
};

// Analyzer checkers, each covering some rules of one family; rules are
// selected with checks= (see CheckSelection), not by enabling checkers.
constexpr CheckerEntry Checkers[] = {
    {"bpflint.core.Modeling",
     "Models BPF helpers, kfuncs, CO-RE queries and program entry points",
     registerBpfModelingChecker},
    {"bpflint.core.AnalysisCoverage",
     "Reports analyses that the analyzer's budgets cut short",
     registerAnalysisCoverageChecker},
    {"bpflint.graph.Graph",
     "References to allocated objects, lists and rbtrees",
     registerGraphChecker},
    {"bpflint.graph.GraphDecls",
     "Graph roots, nodes and the programs that may use them",
     registerGraphDeclChecker},
    // Callbacks run in name order: calls in a critical section are judged
    // (CriticalSectionCalls) before the lock functions themselves (SpinLock).
    {"bpflint.kptr.Kptr",
     "kptr fields, bpf_kptr_xchg and references from acquire kfuncs",
     registerKptrChecker},
    {"bpflint.lock.CriticalSectionCalls",
     "Calls the verifier does not allow while a lock is held",
     registerCriticalSectionCallChecker},
    {"bpflint.lock.LockAccess", "Loads and stores of lock bytes",
     registerLockAccessChecker},
    {"bpflint.lock.LockMaps", "Maps that hold locks and who may use them",
     registerLockMapChecker},
    {"bpflint.lock.RbtreeCallbackLocks",
     "Locks taken in the less() callback of bpf_rbtree_add",
     registerRbtreeCallbackLockChecker},
    {"bpflint.lock.SpinLock", "bpf_spin_lock critical sections",
     registerSpinLockChecker},
    {"bpflint.ringbuf.RingBuf", "Ring buffer reservations",
     registerRingBufChecker},
};

constexpr StringRef ClangModelingCheckers[] = {
    "core.builtin.BuiltinFunctions",
    "core.builtin.NoReturnFunctions",
};
} // namespace

void registerCheckers(CheckerRegistry &Registry) {
  for (const CheckerEntry &C : Checkers) {
    Registry.addChecker(C.Register, always, C.Name, C.Description,
                        /*DocsUri=*/"", /*IsHidden=*/false);
    if (C.Name != Checkers[0].Name)
      Registry.addDependency(C.Name, Checkers[0].Name);
  }
}

ArrayRef<StringRef> analyzerCheckersToEnable() {
  static const SmallVector<StringRef, 8> Names = [] {
    SmallVector<StringRef, 8> Result;
    for (const CheckerEntry &C : Checkers)
      Result.push_back(C.Name);
    Result.append(std::begin(ClangModelingCheckers),
                  std::end(ClangModelingCheckers));
    return Result;
  }();
  return Names;
}

} // namespace bpflint
