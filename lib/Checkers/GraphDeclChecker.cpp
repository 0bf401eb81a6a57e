//===- GraphDeclChecker.cpp - Graph roots, nodes and program types --------===//
//
// What the kernel decides about graph data structures from declarations
// alone, before verifying any instruction:
//  * GRAPH-001: every bpf_list_head/bpf_rb_root needs one well-formed
//    __contains(type, field) tag;
//  * GRAPH-002: the tag names a struct of the program BTF with a node field
//    of the right kind (a struct only cast to with container_of is not
//    emitted into BTF by an optimising compile);
//  * GRAPH-003: a root lives next to a lock: in the same struct, or in the
//    same global section (the private(A) idiom);
//  * GRAPH-004: a type with both a list node and an rbtree node needs a
//    bpf_refcount;
//  * GRAPH-005: a node type owns no type that holds a root (no cycles);
//  * GRAPH-006: local storage maps cannot hold roots;
//  * GRAPH-007: tracing programs cannot use maps or sections with roots;
//  * GRAPH-008: kprobe and socket filter programs cannot call the kfuncs.
// Structs are checked when they certainly reach the program's BTF: map
// value types, bpf_obj_new types, globals and __contains targets.
//
//===----------------------------------------------------------------------===//

#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Model/ProgramType.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/AnalysisManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {
namespace {

class GraphDeclChecker : public Checker<check::EndOfTranslationUnit> {
public:
  RuleReporter Reporter;
  void checkEndOfTranslationUnit(const TranslationUnitDecl *TU,
                                 AnalysisManager &Mgr, BugReporter &BR) const;
};

bool isGraphKfunc(const KfuncInfo *K) {
  if (!K)
    return false;
  StringRef N = K->Name;
  return N.starts_with("bpf_list_") || N.starts_with("bpf_rbtree_") ||
         N == "bpf_obj_new" || N == "bpf_obj_drop" ||
         N == "bpf_percpu_obj_new" || N == "bpf_percpu_obj_drop" ||
         N == "bpf_refcount_acquire";
}

bool isRoot(SpecialFieldKind K) {
  return K == SpecialFieldKind::ListHead || K == SpecialFieldKind::RbRoot;
}

bool isLock(SpecialFieldKind K) {
  return K == SpecialFieldKind::SpinLock || K == SpecialFieldKind::ResSpinLock;
}

/// Types that certainly reach the program's BTF, over-approximated: every
/// type a global, a function signature or a BTF/CO-RE builtin mentions, and
/// what their structs mention. Local variables are not emitted by an
/// optimising compile; without optimisation they count too.
class BtfTypes : public RecursiveASTVisitor<BtfTypes> {
public:
  explicit BtfTypes(bool Optimized) : Optimized(Optimized) {}
  SmallPtrSet<const RecordDecl *, 16> Records;

  void add(QualType T) {
    for (unsigned Depth = 0; !T.isNull() && Depth < 16; ++Depth) {
      T = T.getCanonicalType();
      if (const auto *PT = T->getAs<PointerType>()) {
        T = PT->getPointeeType();
        continue;
      }
      if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr())) {
        T = AT->getElementType();
        continue;
      }
      if (const auto *FT = T->getAs<FunctionProtoType>()) {
        add(FT->getReturnType());
        for (QualType P : FT->getParamTypes())
          add(P);
        return;
      }
      break;
    }
    const RecordDecl *RD = T.isNull() ? nullptr : T->getAsRecordDecl();
    if (!RD || !(RD = RD->getDefinition()) || !Records.insert(RD).second)
      return;
    for (const FieldDecl *F : RD->fields())
      add(F->getType());
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasGlobalStorage() || !Optimized)
      add(VD->getType());
    return true;
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    add(FD->getType());
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (FD && FD->getBuiltinID() && FD->getIdentifier() &&
        (FD->getName().starts_with("__builtin_btf_type_id") ||
         FD->getName().starts_with("__builtin_preserve_")))
      for (const Expr *Arg : CE->arguments())
        add(Arg->IgnoreParenImpCasts()->getType());
    return true;
  }
  bool VisitUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) {
    return true;
  }

private:
  bool Optimized;
};

/// `contains:<type>:<field>` tags of a declaration.
SmallVector<StringRef, 1> containsTags(const Decl *D) {
  SmallVector<StringRef, 1> Tags;
  for (const auto *Tag : D->specific_attrs<BTFDeclTagAttr>())
    if (Tag->getBTFDeclTag().starts_with("contains:"))
      Tags.push_back(Tag->getBTFDeclTag());
  return Tags;
}

const RecordDecl *structNamed(ASTContext &Ctx, StringRef Name) {
  for (const NamedDecl *ND :
       Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get(Name)))
    if (const auto *RD = dyn_cast<RecordDecl>(ND))
      if (RD->isStruct() && RD->getDefinition())
        return RD->getDefinition();
  return nullptr;
}

/// Program functions (SEC()) and what they reference, through the static
/// functions they call.
class ProgramWalker : public RecursiveASTVisitor<ProgramWalker> {
public:
  SmallVector<const DeclRefExpr *, 8> GlobalRefs;
  SmallVector<const CallExpr *, 4> GraphCalls;
  SmallVector<const CallExpr *, 2> RbtreeAdds;

  void walk(const FunctionDecl *FD) {
    if (!FD || !(FD = FD->getDefinition()) || !Visited.insert(FD).second ||
        Visited.size() > 64)
      return;
    TraverseStmt(FD->getBody());
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasGlobalStorage() && !VD->isLocalVarDecl())
        GlobalRefs.push_back(DRE);
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    BpfCallee Callee = classifyCallee(CE);
    if (Callee.isKfunc(KfuncId::bpf_rbtree_add))
      RbtreeAdds.push_back(CE);
    if (isGraphKfunc(Callee.Kfunc))
      GraphCalls.push_back(CE);
    else if (!Callee.isKnown())
      walk(CE->getDirectCallee());
    return true;
  }

private:
  SmallPtrSet<const FunctionDecl *, 8> Visited;
};

/// GRAPH-023 (cb-kfunc): calls in a less() callback to the rbtree kfuncs
/// that take a node (remove, left, right) on a node derived from the
/// callback's parameters (non-owning, so the kernel gets to the callback
/// check).
class CallbackKfuncs : public RecursiveASTVisitor<CallbackKfuncs> {
public:
  explicit CallbackKfuncs(const FunctionDecl *Less) : Less(Less) {}
  SmallVector<const CallExpr *, 1> Calls;

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasLocalStorage() && VD->getInit() && derived(VD->getInit()))
      Derived.insert(VD);
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    BpfCallee Callee = classifyCallee(CE);
    if ((Callee.isKfunc(KfuncId::bpf_rbtree_remove) ||
         Callee.isKfunc(KfuncId::bpf_rbtree_left) ||
         Callee.isKfunc(KfuncId::bpf_rbtree_right)) &&
        CE->getNumArgs() >= 2 && derived(CE->getArg(1)))
      Calls.push_back(CE);
    return true;
  }

private:
  /// Does E mention a parameter of the callback, or a local initialised
  /// from one?
  bool derived(const Stmt *E) {
    if (!E)
      return false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl());
      if (PVD && PVD->getDeclContext() == Less)
        return true;
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        return Derived.count(VD);
    }
    for (const Stmt *Child : E->children())
      if (derived(Child))
        return true;
    return false;
  }
  const FunctionDecl *Less;
  SmallPtrSet<const VarDecl *, 4> Derived;
};

struct Finding {
  Rule R;
  std::string What;
  StringRef Variant;
  SmallVector<std::string, 2> Args;
  SourceLocation Loc;
};

class Analysis {
public:
  Analysis(const RuleReporter &Reporter, ASTContext &Ctx,
           const SourceManager &SM)
      : Reporter(Reporter), Ctx(Ctx), SM(SM),
        Types(Reporter.config().Optimized) {}

  void run(const TranslationUnitDecl *TU, std::vector<Finding> &Out);

private:
  const RuleReporter &Reporter;
  ASTContext &Ctx;
  const SourceManager &SM;
  BtfTypes Types;
  /// Global-data section -> does it hold a lock / a root?
  StringMap<bool> SectionHasLock, SectionHasRoot;
  std::vector<Finding> *Out = nullptr;
  SmallPtrSet<const FunctionDecl *, 4> ReportedCallbacks;
  SmallPtrSet<const FunctionDecl *, 4> CheckedCallbacks;

  void add(Rule R, std::string What, SourceLocation Loc, StringRef Variant = "",
           SmallVector<std::string, 2> Args = {}) {
    if (Reporter.isActive(R) && SM.isInMainFile(Loc))
      Out->push_back({R, std::move(What), Variant, std::move(Args), Loc});
  }
  bool checkContains(const NamedDecl *Root, SpecialFieldKind Kind,
                     ArrayRef<StringRef> Tags, StringRef Variant,
                     StringRef MapName);
  void checkStruct(const RecordDecl *RD);
  void checkCycle(const RecordDecl *RD, const SpecialField &Root);
  void checkMapType(const VarDecl *VD);
  void checkPrograms(const TranslationUnitDecl *TU);
  bool usesRoots(const VarDecl *VD);
};

/// GRAPH-001/002 for one root declaration. True if it is valid.
bool Analysis::checkContains(const NamedDecl *Root, SpecialFieldKind Kind,
                             ArrayRef<StringRef> Tags, StringRef Variant,
                             StringRef MapName) {
  SmallVector<std::string, 2> Args;
  if (!MapName.empty())
    Args.push_back(MapName.str());
  StringRef KindName = specialFieldName(Kind);
  SourceLocation Loc = Root->getLocation();
  // Two identical tags are accepted by the kernel (6.18); only differing
  // ones make the record ambiguous.
  if (Tags.empty() ||
      llvm::any_of(Tags, [&](StringRef T) { return T != Tags.front(); })) {
    add(Rule::GraphRootWithoutContains,
        ("'" + Root->getName() + "' is a " + KindName + " without " +
         (Tags.empty() ? "a" : "one") +
         " __contains(type, field) tag naming what it holds")
            .str(),
        Loc, Variant, Args);
    return false;
  }
  StringRef Text = Tags.front();
  Text.consume_front("contains:");
  auto [TypeName, FieldName] = Text.split(':');
  if (TypeName.empty() || FieldName.empty()) {
    add(Rule::GraphRootWithoutContains,
        ("'" + Root->getName() + "' has a malformed __contains tag '" +
         Tags.front() + "'; write __contains(type, field)")
            .str(),
        Loc, Variant, Args);
    return false;
  }
  const RecordDecl *Target = structNamed(Ctx, TypeName);
  SpecialFieldKind NodeKind = Kind == SpecialFieldKind::ListHead
                                  ? SpecialFieldKind::ListNode
                                  : SpecialFieldKind::RbNode;
  std::string Problem;
  if (!Target) {
    Problem = ("no struct " + TypeName + " is defined").str();
  } else {
    const FieldDecl *Node = nullptr;
    for (const FieldDecl *F : Target->fields())
      if (F->getName() == FieldName)
        Node = F;
    std::optional<SpecialFieldKind> K =
        Node ? specialStructKind(Node->getType()) : std::nullopt;
    if (!Node)
      Problem =
          ("struct " + TypeName + " has no field '" + FieldName + "'").str();
    else if (!K || *K != NodeKind)
      Problem = ("field '" + FieldName + "' of struct " + TypeName +
                 " is not a struct " + specialFieldName(NodeKind))
                    .str();
    else if (!Types.Records.count(Target))
      Problem = ("struct " + TypeName +
                 " is not in the program's BTF: it is only cast to (e.g. by "
                 "container_of), never allocated with bpf_obj_new or used "
                 "in a global or a function signature")
                    .str();
  }
  if (Problem.empty())
    return true;
  add(Rule::GraphContainsInvalid,
      ("the __contains of '" + Root->getName() + "' is invalid: " + Problem)
          .str(),
      Loc, Variant, Args);
  return false;
}

/// GRAPH-005: a node type may own (through a valid root) only types that
/// hold no root themselves.
void Analysis::checkCycle(const RecordDecl *RD, const SpecialField &Root) {
  auto Tags = containsTags(Root.Field);
  StringRef Text = Tags.front();
  Text.consume_front("contains:");
  StringRef TypeName = Text.split(':').first;
  const RecordDecl *Target = structNamed(Ctx, TypeName);
  if (!Target)
    return;
  for (const SpecialField &F :
       findSpecialFields(compat::recordType(Ctx, Target), Ctx)) {
    if (!isRoot(F.Kind))
      continue;
    std::string Owned = Target == RD ? "itself" : ("struct " + TypeName).str();
    add(Rule::GraphOwnershipCycle,
        ("struct " + RD->getName() + " is a list or rbtree node and its '" +
         Root.Field->getName() + "' holds " + Owned + ", which has a " +
         specialFieldName(F.Kind) + " '" + F.Field->getName() +
         "': a node type may own only types without roots (no ownership "
         "cycles); keep the roots in a map value or a global section")
            .str(),
        Root.Field->getLocation());
    return;
  }
}

/// GRAPH-006: local storage maps cannot hold graph roots.
void Analysis::checkMapType(const VarDecl *VD) {
  std::optional<MapDefinition> Def = parseMapDefinition(VD);
  if (!Def || Def->GlobalData || !Def->hasBtfValue() || !Def->mapType())
    return;
  MapType T = *Def->mapType();
  if (!isLocalStorage(T))
    return;
  for (const SpecialField &F : findSpecialFields(Def->ValueType, Ctx)) {
    if (!isRoot(F.Kind))
      continue;
    add(Rule::GraphMapType,
        ("map '" + VD->getName() + "' is a " + mapTypeName(T) +
         ", whose values cannot hold a " + specialFieldName(F.Kind) + " ('" +
         F.Field->getName() +
         "'); the kernel refuses to create it and the object does not "
         "load: use a BPF_MAP_TYPE_HASH or BPF_MAP_TYPE_ARRAY map")
            .str(),
        VD->getLocation(), "", {VD->getName().str()});
    return;
  }
}

void Analysis::checkStruct(const RecordDecl *RD) {
  if (!RD->getIdentifier() || !SM.isInMainFile(RD->getLocation()))
    return;
  QualType T = compat::recordType(Ctx, RD);
  auto Fields = findSpecialFields(T, Ctx);
  bool HasLock = false, HasRoot = false, HasList = false, HasRb = false,
       HasRefcount = false;
  for (const SpecialField &F : Fields) {
    HasLock |= isLock(F.Kind) && !F.InArray;
    HasRoot |= isRoot(F.Kind);
    HasList |= F.Kind == SpecialFieldKind::ListNode;
    HasRb |= F.Kind == SpecialFieldKind::RbNode;
    HasRefcount |= F.Kind == SpecialFieldKind::Refcount;
  }
  bool HasNode = HasList || HasRb;
  for (const SpecialField &F : Fields)
    if (isRoot(F.Kind) && !F.InArray &&
        checkContains(F.Field, F.Kind, containsTags(F.Field), "", "") &&
        HasNode)
      checkCycle(RD, F);
  if (HasRoot && !HasLock)
    add(Rule::GraphRootWithoutLock,
        ("struct " + RD->getName() +
         " holds a list head or rbtree root but no struct bpf_spin_lock to "
         "protect it; add one to the struct")
            .str(),
        RD->getLocation());
  if (HasList && HasRb && !HasRefcount)
    add(Rule::GraphNodeWithoutRefcount,
        ("struct " + RD->getName() +
         " is both a list node and an rbtree node but has no struct "
         "bpf_refcount; add one")
            .str(),
        RD->getLocation());
}

bool Analysis::usesRoots(const VarDecl *VD) {
  StringRef Section = globalDataSection(VD);
  if (!Section.empty())
    return SectionHasRoot.lookup(Section);
  std::optional<MapDefinition> Def = parseMapDefinition(VD);
  if (!Def || !Def->hasBtfValue())
    return false;
  for (const SpecialField &F : findSpecialFields(Def->ValueType, Ctx))
    if (isRoot(F.Kind))
      return true;
  return false;
}

void Analysis::checkPrograms(const TranslationUnitDecl *TU) {
  for (const Decl *D : TU->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->hasBody() || !SM.isInMainFile(FD->getLocation()))
      continue;
    StringRef Section = programSectionOf(FD);
    std::optional<ProgramSection> Prog =
        Section.empty() ? std::nullopt : classifyProgramSection(Section);
    if (!Prog)
      continue;
    ProgramWalker W;
    W.walk(FD);
    // GRAPH-023: the less() callback must be static.
    for (const CallExpr *Add : W.RbtreeAdds) {
      const FunctionDecl *Less =
          Add->getNumArgs() >= 3 ? callbackFunctionOf(Add->getArg(2)) : nullptr;
      if (Less && (Less = Less->getDefinition()) &&
          CheckedCallbacks.insert(Less).second) {
        CallbackKfuncs V(Less);
        V.TraverseStmt(Less->getBody());
        for (const CallExpr *CE : V.Calls) {
          StringRef Name = classifyCallee(CE).Kfunc->Name;
          add(Rule::GraphRbtreeCallbackNotStatic,
              ("'" + Less->getName() + "' is the less() callback of " +
               "bpf_rbtree_add and calls " + Name +
               "() on one of its nodes; the callback runs while the tree "
               "is being changed: only compare the nodes there")
                  .str(),
              CE->getBeginLoc(), "cb-kfunc", {Name.str()});
        }
      }
      if (!Less || !Less->isExternallyVisible() ||
          !ReportedCallbacks.insert(Less->getCanonicalDecl()).second)
        continue;
      add(Rule::GraphRbtreeCallbackNotStatic,
          ("'" + Less->getName() +
           "' is the less() callback of bpf_rbtree_add; the kernel accepts "
           "only static functions as callbacks: declare it static")
              .str(),
          Add->getArg(2)->getBeginLoc());
    }
    if (isTracingProgType(Prog->Type)) {
      auto It = llvm::find_if(W.GlobalRefs, [&](const DeclRefExpr *DRE) {
        return usesRoots(cast<VarDecl>(DRE->getDecl()));
      });
      if (It != W.GlobalRefs.end()) {
        add(Rule::GraphTracingProgram,
            ("a " + progTypeName(Prog->Type) + " program uses '" +
             (*It)->getDecl()->getName() +
             "', which holds a list head or rbtree root; use a tc, xdp, "
             "syscall or fentry program")
                .str(),
            (*It)->getBeginLoc());
        continue;
      }
    }
    if ((Prog->Type == ProgType::Kprobe ||
         Prog->Type == ProgType::SocketFilter) &&
        !W.GraphCalls.empty()) {
      const CallExpr *CE = W.GraphCalls.front();
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (!Callee || !Callee->getIdentifier())
        continue;
      add(Rule::GraphKfuncProgramType,
          ("a " + progTypeName(Prog->Type) + " program cannot call " +
           Callee->getName() + "; use a tc, xdp, syscall or fentry program")
              .str(),
          CE->getBeginLoc(), "", {Callee->getName().str()});
    }
  }
}

void Analysis::run(const TranslationUnitDecl *TU, std::vector<Finding> &O) {
  Out = &O;
  // Type declarations (records, enums, typedefs) hold no global, function
  // or evaluated call, so they add nothing here by themselves; a vmlinux.h
  // has tens of thousands of them. The types they declare are reached
  // through the declarations that use them.
  for (Decl *D : TU->decls())
    if (!isa<TagDecl, TypedefNameDecl>(D))
      Types.TraverseDecl(D);

  // Global sections: which hold locks and roots.
  SmallVector<const VarDecl *, 8> Globals;
  for (const Decl *D : TU->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->isThisDeclarationADefinition())
      continue;
    StringRef Section = globalDataSection(VD);
    if (Section.empty()) {
      checkMapType(VD);
      continue;
    }
    Globals.push_back(VD);
    QualType T = VD->getType();
    std::optional<SpecialFieldKind> K = specialStructKind(T);
    bool Lock = K && isLock(*K), Root = K && isRoot(*K);
    for (const SpecialField &F : findSpecialFields(T, Ctx)) {
      Lock |= isLock(F.Kind) && !F.InArray;
      Root |= isRoot(F.Kind);
    }
    SectionHasLock[Section] |= Lock;
    SectionHasRoot[Section] |= Root;
  }
  for (const VarDecl *VD : Globals) {
    std::optional<SpecialFieldKind> K = specialStructKind(VD->getType());
    if (!K || !isRoot(*K) || !SM.isInMainFile(VD->getLocation()))
      continue;
    StringRef Section = globalDataSection(VD);
    // libbpf names private sections' maps after the section.
    StringRef MapName = Section.starts_with(".data.") ? Section : "";
    SmallVector<std::string, 2> Args;
    if (!MapName.empty())
      Args.push_back(MapName.str());
    checkContains(VD, *K, containsTags(VD), "global", MapName);
    if (!SectionHasLock.lookup(Section))
      add(Rule::GraphRootWithoutLock,
          ("'" + VD->getName() + "' is a " + specialFieldName(*K) +
           " in section " + Section +
           ", which has no struct bpf_spin_lock; put one next to it with "
           "the same private() section")
              .str(),
          VD->getLocation(), "global", {specialFieldName(*K).str()});
  }

  // Structs that reach the BTF and hold graph fields.
  for (const RecordDecl *RD : Types.Records)
    checkStruct(RD);

  checkPrograms(TU);
}

} // namespace

void GraphDeclChecker::checkEndOfTranslationUnit(const TranslationUnitDecl *TU,
                                                 AnalysisManager &Mgr,
                                                 BugReporter &BR) const {
  const SourceManager &SM = Mgr.getSourceManager();
  std::vector<Finding> Findings;
  Analysis(Reporter, Mgr.getASTContext(), SM).run(TU, Findings);
  llvm::sort(Findings, [&](const Finding &A, const Finding &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
  for (const Finding &F : Findings) {
    auto Report = std::make_unique<BasicBugReport>(
        Reporter.bugType(F.R),
        Reporter.describe(F.R, F.What, F.Variant, F.Args),
        PathDiagnosticLocation(F.Loc, SM));
    BR.emitReport(std::move(Report));
  }
}

void registerGraphDeclChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<GraphDeclChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
