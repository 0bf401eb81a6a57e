//===- BpfCallee.cpp ------------------------------------------------------===//

#include "bpflint/Model/BpfCallee.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/SmallPtrSet.h"

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

std::optional<unsigned> syncCallbackArgument(HelperId H) {
  switch (H) {
  case HelperId::bpf_for_each_map_elem:
  case HelperId::bpf_loop:
  case HelperId::bpf_user_ringbuf_drain:
    return 1;
  case HelperId::bpf_find_vma:
    return 2;
  default:
    return std::nullopt;
  }
}

const FunctionDecl *callbackFunctionOf(const Expr *Arg) {
  if (!Arg)
    return nullptr;
  const Expr *E = Arg->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
}

namespace {
/// The callback context argument of a sync callback helper, and the
/// callback's parameter that receives it.
std::pair<unsigned, unsigned> callbackContext(HelperId H) {
  switch (H) {
  case HelperId::bpf_for_each_map_elem:
    return {2, 3}; // cb(map, key, value, ctx)
  case HelperId::bpf_find_vma:
    return {3, 2}; // cb(task, vma, ctx)
  default:
    return {2, 1}; // bpf_loop cb(index, ctx), drain cb(dynptr, ctx)
  }
}

/// Sync callback arguments of helper calls in function bodies.
class CallbackFinder : public RecursiveASTVisitor<CallbackFinder> {
public:
  explicit CallbackFinder(ASTContext &Ctx) : Ctx(Ctx) {}
  SmallVector<std::pair<const FunctionDecl *, CallbackInfo>, 4> Found;
  bool VisitCallExpr(CallExpr *CE) {
    BpfCallee Callee = classifyCallee(CE);
    if (!Callee.Helper)
      return true;
    std::optional<unsigned> Arg = syncCallbackArgument(*Callee.Helper);
    if (!Arg || *Arg >= CE->getNumArgs())
      return true;
    const FunctionDecl *FD = callbackFunctionOf(CE->getArg(*Arg));
    const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
    if (!Def)
      return true;
    auto [CtxArg, CtxParam] = callbackContext(*Callee.Helper);
    CallbackInfo Info;
    Info.CtxParam = CtxParam;
    Info.CtxIsNull =
        CtxArg < CE->getNumArgs() &&
        CE->getArg(CtxArg)->IgnoreParenCasts()->isNullPointerConstant(
            Ctx, Expr::NPC_ValueDependentIsNotNull);
    Info.CtxMayBeNull = Info.CtxIsNull;
    // bpf_for_each_map_elem's key and value: PTR_TO_MAP_KEY/_VALUE
    // (confirmed on 6.18: the verifier prunes their NULL checks).
    if (Callee.isHelper(HelperId::bpf_for_each_map_elem))
      Info.NonNullParams = (1u << 1) | (1u << 2);
    Info.Drain = Callee.isHelper(HelperId::bpf_user_ringbuf_drain);
    Found.push_back({Def, Info});
    return true;
  }

private:
  ASTContext &Ctx;
};

/// True if P is used other than as a plain argument of a call: dereferenced,
/// offset, stored or compared.
class ParamUseFinder : public RecursiveASTVisitor<ParamUseFinder> {
public:
  explicit ParamUseFinder(const ParmVarDecl *P) : P(P) {}
  unsigned Uses = 0, PlainArgs = 0;
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    Uses += DRE->getDecl() == P;
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    for (const Expr *Arg : CE->arguments())
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg->IgnoreParenCasts()))
        PlainArgs += DRE->getDecl() == P;
    return true;
  }

private:
  const ParmVarDecl *P;
};

bool usedBeyondCallArguments(const ParmVarDecl *P, const Stmt *Body) {
  if (!P || !Body || !P->getType()->isPointerType())
    return false;
  ParamUseFinder Finder(P);
  Finder.TraverseStmt(const_cast<Stmt *>(Body));
  return Finder.Uses > Finder.PlainArgs;
}

/// What a function and the static functions it calls do.
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  bool AcquiresRef = false;
  bool TakesLock = false;
  /// Calls a dynptr API that needs an owned dynptr: release or initialise.
  bool OwnsDynptr = false;

  void scan(const FunctionDecl *FD) {
    if (!FD || !FD->hasBody() || !Visited.insert(FD).second ||
        Visited.size() > 64)
      return;
    TraverseStmt(FD->getBody());
  }
  bool VisitCallExpr(CallExpr *CE) {
    BpfCallee Callee = classifyCallee(CE);
    if (Callee.isHelper(HelperId::bpf_ringbuf_reserve) ||
        Callee.isHelper(HelperId::bpf_ringbuf_reserve_dynptr))
      AcquiresRef = true;
    else if (Callee.isHelper(HelperId::bpf_ringbuf_submit_dynptr) ||
             Callee.isHelper(HelperId::bpf_ringbuf_discard_dynptr) ||
             Callee.isHelper(HelperId::bpf_dynptr_from_mem))
      OwnsDynptr = true;
    else if (Callee.isHelper(HelperId::bpf_spin_lock) ||
             (Callee.Kfunc && (Callee.Kfunc->Name.contains("spin_lock") ||
                               Callee.Kfunc->Name.contains("irq_save"))))
      TakesLock = true;
    else if (!Callee.isKnown())
      if (const FunctionDecl *FD = CE->getDirectCallee())
        scan(FD->getDefinition());
    return true;
  }

private:
  SmallPtrSet<const FunctionDecl *, 8> Visited;
};
} // namespace

void findRefAcquiringCallbacks(
    const TranslationUnitDecl *TU,
    DenseMap<const FunctionDecl *, CallbackInfo> &Out) {
  CallbackFinder Finder(TU->getASTContext());
  for (const Decl *D : TU->decls())
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      if (FD->doesThisDeclarationHaveABody())
        Finder.TraverseStmt(FD->getBody());
  struct Verdict {
    bool Entry = false;
    bool OwnsDynptr = false;
    bool UsesCtx = false;
    bool TouchesSample = false;
  };
  DenseMap<const FunctionDecl *, Verdict> Verdicts;
  for (const auto &[FD, Info] : Finder.Found) {
    auto [It, New] = Verdicts.try_emplace(FD);
    if (New) {
      BodyScanner Scan;
      Scan.scan(FD);
      It->second.Entry = Scan.AcquiresRef || Scan.TakesLock;
      // A drain callback that releases or re-initialises a dynptr, or that
      // uses its context at all.
      const ParmVarDecl *Ctx = Info.CtxParam < FD->getNumParams()
                                   ? FD->getParamDecl(Info.CtxParam)
                                   : nullptr;
      It->second.OwnsDynptr = Scan.OwnsDynptr;
      It->second.UsesCtx = Ctx && (Ctx->isUsed() || Ctx->isReferenced());
      It->second.TouchesSample =
          FD->getNumParams() > 0 &&
          usedBeyondCallArguments(FD->getParamDecl(0), FD->getBody());
    }
    if (!It->second.Entry && !Info.Drain)
      continue;
    auto [Entry, First] = Out.try_emplace(FD, Info);
    // Calls that disagree: the kernel verifies the callback for each, so
    // only what all calls pass is known.
    if (!First) {
      Entry->second.CtxIsNull &= Info.CtxIsNull;
      Entry->second.CtxMayBeNull |= Info.CtxMayBeNull;
      Entry->second.NonNullParams &= Info.NonNullParams;
      Entry->second.Drain &= Info.Drain;
    }
  }
  // A drain callback that is an entry only for RB-026/RB-027 must be one of
  // every call (another helper's callback gets other arguments).
  for (auto It = Out.begin(); It != Out.end();) {
    auto Cur = It++;
    const Verdict &V = Verdicts.lookup(Cur->first);
    const CallbackInfo &Info = Cur->second;
    if (!V.Entry && !(Info.Drain && (V.OwnsDynptr || V.TouchesSample ||
                                     (Info.CtxMayBeNull && V.UsesCtx))))
      Out.erase(Cur);
  }
}

} // namespace bpflint
