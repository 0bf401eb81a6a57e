//===- LockFixIts.cpp -----------------------------------------------------===//

#include "LockFixIts.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Lex/Lexer.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {
namespace {

/// Every variable Expr names must be visible at any return of the function:
/// a global, a parameter, or a local declared at the top level of the body.
class VisibleEverywhere : public RecursiveASTVisitor<VisibleEverywhere> {
public:
  explicit VisibleEverywhere(const FunctionDecl *FD) : FD(FD) {}
  bool Ok = true;

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD) {
      Ok = false;
      return false;
    }
    if (VD->hasGlobalStorage() || isa<ParmVarDecl>(VD))
      return true;
    Ok = isTopLevelLocal(VD);
    return Ok;
  }

private:
  bool isTopLevelLocal(const VarDecl *VD) {
    for (const Stmt *S : cast<CompoundStmt>(FD->getBody())->body())
      if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (D == VD)
            return true;
    return false;
  }
  const FunctionDecl *FD;
};

} // namespace

SmallVector<FixItHint, 2> statementBeforeReturn(StringRef Statement,
                                                const Expr *Names,
                                                const ReturnStmt *RS,
                                                CheckerContext &C) {
  SmallVector<FixItHint, 2> Fixes;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
  if (!RS || !FD || !isa_and_nonnull<CompoundStmt>(FD->getBody()))
    return Fixes;
  const SourceManager &SM = C.getSourceManager();
  const LangOptions &LO = C.getLangOpts();
  if (RS->getBeginLoc().isMacroID() || RS->getEndLoc().isMacroID())
    return Fixes;
  if (Names) {
    SourceRange NamesRange = Names->getSourceRange();
    if (NamesRange.getBegin().isMacroID() || NamesRange.getEnd().isMacroID())
      return Fixes;
    VisibleEverywhere Visible(FD);
    Visible.TraverseStmt(const_cast<Expr *>(Names));
    if (!Visible.Ok)
      return Fixes;
  }
  const ParentMap &PM = C.getLocationContext()->getParentMap();

  // `if (c) return x;` needs braces around the new statement and the return.
  if (!isa_and_nonnull<CompoundStmt>(PM.getParent(RS))) {
    SourceLocation AfterSemi = Lexer::findLocationAfterToken(
        RS->getEndLoc(), tok::semi, SM, LO,
        /*SkipTrailingWhitespaceAndNewLine=*/false);
    if (AfterSemi.isInvalid())
      return Fixes;
    Fixes.push_back(FixItHint::CreateInsertion(RS->getBeginLoc(),
                                               ("{ " + Statement + " ").str()));
    Fixes.push_back(FixItHint::CreateInsertion(AfterSemi, " }"));
    return Fixes;
  }
  // Otherwise a statement of its own, indented like the return.
  std::pair<FileID, unsigned> Pos = SM.getDecomposedLoc(RS->getBeginLoc());
  StringRef Buffer = SM.getBufferData(Pos.first);
  size_t LineStart = Buffer.rfind('\n', Pos.second);
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  StringRef Indent = Buffer.slice(LineStart, Pos.second);
  if (Indent.find_first_not_of(" \t") != StringRef::npos)
    Indent = " "; // Something precedes the return on its line.
  std::string Text =
      (Statement + (Indent == " " ? " " : "\n" + Indent.str())).str();
  Fixes.push_back(FixItHint::CreateInsertion(RS->getBeginLoc(), Text));
  return Fixes;
}

SmallVector<FixItHint, 2> unlockBeforeReturn(const HeldLock &Lock,
                                             const ReturnStmt *RS,
                                             CheckerContext &C) {
  if (!RS || !Lock.LockArg || Lock.Frame != C.getStackFrame())
    return {};
  SourceRange ArgRange = Lock.LockArg->getSourceRange();
  if (ArgRange.getBegin().isMacroID() || ArgRange.getEnd().isMacroID())
    return {};
  StringRef ArgText =
      Lexer::getSourceText(CharSourceRange::getTokenRange(ArgRange),
                           C.getSourceManager(), C.getLangOpts());
  if (ArgText.empty())
    return {};
  std::string Unlock =
      (lockFunctionPrefix(Lock.Kind) + "_unlock(" + ArgText + ");").str();
  return statementBeforeReturn(Unlock, Lock.LockArg, RS, C);
}

} // namespace bpflint
