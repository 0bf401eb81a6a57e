//===- RbtreeCallbackLockChecker.cpp - Locks in bpf_rbtree_add's less() ---===//
//
// LOCK-025: the verifier runs the less() callback of bpf_rbtree_add with the
// tree's lock already held, and rejects any bpf_spin_lock/bpf_spin_unlock in
// it ("can't spin_{lock,unlock} in rbtree cb"). The Static Analyzer does not
// call callbacks, so this checker finds them syntactically: every function
// passed as the less argument of bpf_rbtree_add in the translation unit, and
// the static functions it calls.
//
//===----------------------------------------------------------------------===//

#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/AnalysisManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {
namespace {

class RbtreeCallbackLockChecker : public Checker<check::EndOfTranslationUnit> {
public:
  RuleReporter Reporter;
  void checkEndOfTranslationUnit(const TranslationUnitDecl *TU,
                                 AnalysisManager &Mgr, BugReporter &BR) const;
};

/// Calls in a function body, and in the bodies of what it calls.
class CallWalker : public RecursiveASTVisitor<CallWalker> {
public:
  SmallVector<const CallExpr *, 4> LockCalls;

  void walk(const FunctionDecl *FD) {
    if (!FD || !FD->hasBody() || !Visited.insert(FD).second ||
        Visited.size() > 64)
      return;
    TraverseStmt(FD->getBody());
  }
  bool VisitCallExpr(CallExpr *CE) {
    BpfCallee Callee = classifyCallee(CE);
    if (Callee.isHelper(HelperId::bpf_spin_lock) ||
        Callee.isHelper(HelperId::bpf_spin_unlock))
      LockCalls.push_back(CE);
    else if (const FunctionDecl *FD = CE->getDirectCallee())
      walk(FD);
    return true;
  }

private:
  SmallPtrSet<const FunctionDecl *, 8> Visited;
};

/// Every `bpf_rbtree_add(root, node, less)` call of the translation unit.
class RbtreeAddFinder : public RecursiveASTVisitor<RbtreeAddFinder> {
public:
  SmallVector<const CallExpr *, 4> Adds;
  bool VisitCallExpr(CallExpr *CE) {
    if (classifyCallee(CE).isKfunc(KfuncId::bpf_rbtree_add) &&
        CE->getNumArgs() >= 3)
      Adds.push_back(CE);
    return true;
  }
};

} // namespace

void RbtreeCallbackLockChecker::checkEndOfTranslationUnit(
    const TranslationUnitDecl *TU, AnalysisManager &Mgr,
    BugReporter &BR) const {
  if (!Reporter.isActive(Rule::LockInRbtreeCallback))
    return;
  const SourceManager &SM = Mgr.getSourceManager();
  RbtreeAddFinder Finder;
  for (Decl *D : TU->decls())
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      if (FD->hasBody() && SM.isInMainFile(FD->getLocation()))
        Finder.TraverseDecl(FD);

  SmallPtrSet<const CallExpr *, 4> Reported;
  for (const CallExpr *Add : Finder.Adds) {
    const FunctionDecl *Less = callbackFunctionOf(Add->getArg(2));
    if (!Less)
      continue;
    CallWalker Walker;
    Walker.walk(Less->getDefinition());

    for (const CallExpr *Lock : Walker.LockCalls) {
      if (!Reported.insert(Lock).second)
        continue;
      auto Report = std::make_unique<BasicBugReport>(
          Reporter.bugType(Rule::LockInRbtreeCallback),
          Reporter.describe(Rule::LockInRbtreeCallback,
                            ("'" + Less->getName() +
                             "' is the less() callback of bpf_rbtree_add, "
                             "which runs with the tree's lock held; it may "
                             "not lock or unlock")
                                .str()),
          PathDiagnosticLocation(Lock->getBeginLoc(), SM));
      Report->addRange(Lock->getSourceRange());
      Report->addNote("passed to bpf_rbtree_add here",
                      PathDiagnosticLocation(Add->getBeginLoc(), SM));
      BR.emitReport(std::move(Report));
    }
  }
}

void registerRbtreeCallbackLockChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<RbtreeCallbackLockChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
