//===- BpfCallee.cpp ------------------------------------------------------===//

#include "bpflint/Model/BpfCallee.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

using namespace clang;
using namespace llvm;

namespace bpflint {

static std::optional<unsigned> integerValue(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenCasts();
  if (!E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return static_cast<unsigned>(R.Val.getInt().getZExtValue());
}

std::optional<unsigned> helperIdOfCalleeExpr(const Expr *Callee) {
  if (!Callee)
    return std::nullopt;
  const Expr *E = Callee->IgnoreParenCasts();
  // `static void *(*bpf_x)(...) = (void *)ID;` and the newer `* const` form.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || !VD->getType()->isFunctionPointerType())
      return std::nullopt;
    const VarDecl *Def = VD->getDefinition();
    if (!Def)
      Def = VD;
    if (const Expr *Init = Def->getInit())
      return integerValue(Init, Def->getASTContext());
    return std::nullopt;
  }
  // `((long (*)(void *))ID)(...)`, as some hand-written headers do.
  if (const auto *Lit = dyn_cast<IntegerLiteral>(E))
    return static_cast<unsigned>(Lit->getValue().getZExtValue());
  return std::nullopt;
}

BpfCallee classifyCallee(const CallExpr *CE) {
  BpfCallee Result;
  if (!CE)
    return Result;
  if (const FunctionDecl *FD = CE->getDirectCallee()) {
    // Only declarations without a body: a program's own function that happens
    // to share a name is not the kernel's.
    if (FD->hasBody() || !FD->getIdentifier())
      return Result;
    if ((Result.Kfunc = lookupKfunc(FD->getName())))
      return Result;
    Result.Helper = helperByName(FD->getName());
    return Result;
  }
  if (std::optional<unsigned> Id = helperIdOfCalleeExpr(CE->getCallee()))
    Result.Helper = helperById(*Id);
  return Result;
}

StringRef programSectionOf(const FunctionDecl *FD) {
  if (!FD)
    return "";
  if (const auto *SA = FD->getAttr<SectionAttr>())
    return SA->getName();
  return "";
}

EntryKind entryKindOf(const FunctionDecl *FD) {
  if (!FD || !FD->doesThisDeclarationHaveABody())
    return EntryKind::None;
  StringRef Section = programSectionOf(FD);
  // Any named section but .text holds a program; libbpf (or the project's
  // own loader) decides its type from the name.
  if (!Section.empty() && Section != ".text")
    return EntryKind::Program;
  // A non-static function is verified on its own only if it stays a call:
  // clang inlines small non-static functions at -O2 and libbpf never loads
  // the unreferenced copy left in .text. Only __noinline guarantees a call.
  if (FD->isExternallyVisible() && !FD->isInlined() &&
      FD->hasAttr<NoInlineAttr>())
    return EntryKind::GlobalSubprogram;
  return EntryKind::None;
}

} // namespace bpflint
