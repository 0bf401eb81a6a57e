//===- GraphChecker.cpp - bpf_obj_new objects, lists and rbtrees ----------===//
//
// References to program-allocated objects, tracked as the verifier tracks
// them (RULES.md section 3, ownership model):
//  * bpf_obj_new, bpf_percpu_obj_new, bpf_list_pop_*, bpf_rbtree_remove and
//    bpf_refcount_acquire give an owning reference that must be dropped,
//    inserted (push/add) or stashed (bpf_kptr_xchg) on every path;
//  * insertion leaves a non-owning reference, as do bpf_rbtree_first/root/
//    left/right and bpf_list_front/back; bpf_spin_unlock invalidates every
//    non-owning reference;
//  * bpf_obj_drop and bpf_kptr_xchg release the reference: every copy of the
//    pointer is dead.
// References are keyed by the symbol behind the pointer: copies, &n->node
// and container_of(&n->node, ...) all share it, as the verifier's ids do.
// Pointers this checker did not see being created (e.g. bpf_kptr_xchg
// results, which the kptr checker owns) are never reported.
//
// Also: graph kfuncs need the lock of the root's allocation held.
//
// Rules: GRAPH-011 (NULL-able result used), GRAPH-012/COM-001 (leak),
// GRAPH-013 (drop of a non-owning reference), GRAPH-015 (no lock held),
// GRAPH-016 (a lock of another allocation held), GRAPH-017 (node inserted
// twice), GRAPH-018 (non-owning reference used after unlock), COM-002 (use
// after drop), COM-003 (double drop), COM-004 (drop of an interior pointer),
// GRAPH-009/010 (what obj_new/percpu_obj_new allocate), GRAPH-013 "kind"
// (percpu/plain drop mix-up), GRAPH-014 (root argument of the wrong kind or
// on the stack), GRAPH-026 (pointer fields of allocated objects).
// GRAPH-022 (bpf_obj_new/drop inside the critical section) is LOCK-018,
// reported by the critical-section call checker.
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "LockFixIts.h"
#include "LockState.h"
#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Model/ProgramType.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace {
struct GraphRef {
  enum Kind {
    Owning,    ///< Must be dropped, inserted or stashed.
    NonOwning, ///< Valid until the next unlock.
    Invalid,   ///< A non-owning reference after bpf_spin_unlock.
    Dropped,   ///< Released by bpf_obj_drop.
    Stashed,   ///< Released into a kptr by bpf_kptr_xchg.
  } K;
  /// The call that created the reference (leaks are uniqued by it).
  const Stmt *Site;
  /// A NULL check was made on a pointer derived from this one (e.g. on
  /// container_of(node, ...)): the analyzer cannot relate it to the
  /// reference's symbol, so NULL-ness is unknown and nothing is reported.
  bool CheckedIndirectly = false;
  /// The symbol points at the object's start (bpf_obj_new), not at its
  /// node field (pop, remove, first ...).
  bool AtObjectStart = false;
  /// A bpf_percpu_obj_new object (released by bpf_percpu_obj_drop only).
  bool Percpu = false;
  /// For a pop/remove result: the offset of the node in its object (from
  /// the root's __contains), or -1 if unknown.
  int64_t NodeOffset = -1;

  /// The offset of the object's start from the symbol, if known.
  std::optional<int64_t> startOffset() const {
    if (AtObjectStart)
      return 0;
    if (NodeOffset >= 0)
      return -NodeOffset;
    return std::nullopt;
  }

  bool operator==(const GraphRef &O) const {
    return K == O.K && Site == O.Site &&
           CheckedIndirectly == O.CheckedIndirectly &&
           AtObjectStart == O.AtObjectStart && Percpu == O.Percpu &&
           NodeOffset == O.NodeOffset;
  }
  void Profile(FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddPointer(Site);
    ID.AddBoolean(CheckedIndirectly);
    ID.AddBoolean(AtObjectStart);
    ID.AddBoolean(Percpu);
    ID.AddInteger(NodeOffset);
  }
};
} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(GraphRefs, SymbolRef, GraphRef)

namespace bpflint {
namespace {

class GraphChecker : public Checker<check::PreCall, check::PostCall,
                                    check::Location, check::BranchCondition,
                                    check::DeadSymbols, check::PointerEscape> {
public:
  RuleReporter Reporter;

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                     CheckerContext &C) const;
  void checkBranchCondition(const Stmt *Cond, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  ProgramStateRef checkPointerEscape(ProgramStateRef State,
                                     const InvalidatedSymbols &Escaped,
                                     const CallEvent *Call,
                                     PointerEscapeKind Kind) const;

private:
  void checkRootLock(const CallEvent &Call, const KfuncInfo &K,
                     CheckerContext &C) const;
  void checkDrop(const CallEvent &Call, StringRef Name,
                 CheckerContext &C) const;
  void checkInsert(const CallEvent &Call, StringRef Name,
                   CheckerContext &C) const;
  void checkNodeType(const CallEvent &Call, const KfuncInfo &K,
                     CheckerContext &C) const;
  void checkRefcountType(const CallEvent &Call, CheckerContext &C) const;
  void checkRootArg(const CallEvent &Call, const KfuncInfo &K,
                    CheckerContext &C) const;
  void checkNewType(const CallEvent &Call, const KfuncInfo &K,
                    CheckerContext &C) const;
  bool checkNullableArg(const CallEvent &Call, unsigned I, StringRef Name,
                        CheckerContext &C) const;
  void report(Rule R, const std::string &What, SymbolRef Sym, SourceRange Range,
              CheckerContext &C, StringRef Variant = "",
              ArrayRef<std::string> Args = {},
              const MemRegion *Interesting = nullptr,
              ArrayRef<FixItHint> FixIts = {}) const;
};

/// The kinds of graph kfuncs, by what they do to references.
enum class GraphOp {
  None,
  New,      ///< bpf_obj_new, bpf_percpu_obj_new: owning, NULL-able.
  Drop,     ///< bpf_obj_drop, bpf_percpu_obj_drop (arg 0).
  Insert,   ///< push_front/back, rbtree_add: node (arg 1) passed.
  Take,     ///< pop_front/back, rbtree_remove: owning, NULL-able result.
  Peek,     ///< first/root/left/right, list front/back: non-owning result.
  Refcount, ///< bpf_refcount_acquire: owning result.
};

GraphOp graphOpOf(const KfuncInfo *K) {
  if (!K)
    return GraphOp::None;
  switch (K->Id) {
  case KfuncId::bpf_obj_new:
  case KfuncId::bpf_percpu_obj_new:
    return GraphOp::New;
  case KfuncId::bpf_obj_drop:
  case KfuncId::bpf_percpu_obj_drop:
    return GraphOp::Drop;
  case KfuncId::bpf_list_push_front:
  case KfuncId::bpf_list_push_back:
  case KfuncId::bpf_rbtree_add:
    return GraphOp::Insert;
  case KfuncId::bpf_list_pop_front:
  case KfuncId::bpf_list_pop_back:
  case KfuncId::bpf_rbtree_remove:
    return GraphOp::Take;
  case KfuncId::bpf_list_front:
  case KfuncId::bpf_list_back:
  case KfuncId::bpf_rbtree_first:
  case KfuncId::bpf_rbtree_root:
  case KfuncId::bpf_rbtree_left:
  case KfuncId::bpf_rbtree_right:
    return GraphOp::Peek;
  case KfuncId::bpf_refcount_acquire:
    return GraphOp::Refcount;
  default:
    return GraphOp::None;
  }
}

/// Graph kfuncs whose argument 0 is a list head or rbtree root.
bool takesRoot(GraphOp Op) {
  return Op == GraphOp::Insert || Op == GraphOp::Take || Op == GraphOp::Peek;
}

bool isRbtreeKfunc(const KfuncInfo &K) {
  return K.Name.starts_with("bpf_rbtree_");
}

bool isUnlock(const BpfCallee &Callee) {
  return Callee.isHelper(HelperId::bpf_spin_unlock) ||
         Callee.isKfunc(KfuncId::bpf_res_spin_unlock) ||
         Callee.isKfunc(KfuncId::bpf_res_spin_unlock_irqrestore);
}

/// The tracked reference a pointer points into (its base symbol).
SymbolRef refSymbol(ProgramStateRef State, SVal Ptr) {
  const MemRegion *R = Ptr.getAsRegion();
  if (!R)
    return nullptr;
  const auto *SR = dyn_cast<SymbolicRegion>(R->getBaseRegion());
  if (!SR || !State->get<GraphRefs>(SR->getSymbol()))
    return nullptr;
  return SR->getSymbol();
}

/// Ends the owning reference that argument ArgNo of Call carries (if any),
/// leaving it in state To, with a path note saying so.
void passOwnership(const CallEvent &Call, unsigned ArgNo, GraphRef::Kind To,
                   std::string Note, CheckerContext &C) {
  ProgramStateRef State = C.getState();
  if (Call.getNumArgs() <= ArgNo)
    return;
  SymbolRef Sym = refSymbol(State, Call.getArgSVal(ArgNo));
  const GraphRef *Ref = Sym ? State->get<GraphRefs>(Sym) : nullptr;
  if (!Ref || Ref->K != GraphRef::Owning)
    return;
  GraphRef New = *Ref;
  New.K = To;
  const NoteTag *Tag =
      C.getNoteTag([Sym, Note = std::move(Note)](PathSensitiveBugReport &BR) {
        return BR.isInteresting(Sym) ? Note : std::string();
      });
  C.addTransition(State->set<GraphRefs>(Sym, New), Tag);
}

/// Byte offset of Ptr from the start of its base region, if constant.
std::optional<int64_t> byteOffset(SVal Ptr) {
  const MemRegion *R = Ptr.getAsRegion();
  if (!R)
    return std::nullopt;
  RegionOffset Off = R->getAsOffset();
  if (!Off.isValid() || Off.hasSymbolicOffset())
    return std::nullopt;
  return Off.getOffset() / 8;
}

bool refMayBeNull(ProgramStateRef State, SymbolRef Sym) {
  const GraphRef *Ref = State->get<GraphRefs>(Sym);
  if (!Ref || Ref->CheckedIndirectly)
    return false;
  ConditionTruthVal IsNull = State->getConstraintManager().isNull(State, Sym);
  return !IsNull.isConstrainedTrue() && !IsNull.isConstrainedFalse();
}

bool isKnownNull(ProgramStateRef State, SymbolRef Sym) {
  return State->getConstraintManager().isNull(State, Sym).isConstrainedTrue();
}

const char *releasedHow(GraphRef::Kind K) {
  return K == GraphRef::Stashed ? "stashed with bpf_kptr_xchg"
                                : "dropped with bpf_obj_drop";
}

/// A map value, a global-data section or an allocated object: the identity
/// the verifier gives the allocation a lock or a root lives in. Null if the
/// allocation is unknown (then nothing is reported).
struct Allocation {
  const MemRegion *Base = nullptr;
  /// For globals: the section (".bss", ".data.A"); all globals of one
  /// section are one map value.
  StringRef Section;
};

std::optional<Allocation> allocationOf(ProgramStateRef State,
                                       const MemRegion *Base) {
  if (!Base)
    return std::nullopt;
  if (const auto *VR = dyn_cast<VarRegion>(Base)) {
    const auto *VD = dyn_cast<VarDecl>(VR->getDecl());
    StringRef Section = VD ? globalDataSection(VD) : StringRef();
    if (Section.empty())
      return std::nullopt;
    return Allocation{Base, Section};
  }
  if (mapBehind(State, loc::MemRegionVal(Base)))
    return Allocation{Base, ""};
  if (const auto *SR = dyn_cast<SymbolicRegion>(Base))
    if (State->get<GraphRefs>(SR->getSymbol()))
      return Allocation{Base, ""};
  return std::nullopt;
}

bool sameAllocation(const Allocation &A, const Allocation &B) {
  if (!A.Section.empty() || !B.Section.empty())
    return A.Section == B.Section;
  return A.Base == B.Base;
}

/// The offset of the bpf_spin_lock in the map value the root lives in, as
/// the kernel prints it, or "%d" when the source does not tell (globals are
/// laid out by the compiler).
std::string lockOffsetText(ProgramStateRef State, SVal Root, ASTContext &Ctx) {
  const VarDecl *Map = mapBehind(State, Root);
  std::optional<MapDefinition> Def =
      Map ? parseMapDefinition(Map) : std::nullopt;
  if (!Def || !Def->hasBtfValue())
    return "%d";
  for (const SpecialField &F : findSpecialFields(Def->ValueType, Ctx))
    if (F.Kind == SpecialFieldKind::SpinLock && !F.InArray)
      return std::to_string(F.ByteOffset);
  return "%d";
}

/// Does the allocation of a root hold a lock? Unknown counts as yes.
bool allocationHasLock(ProgramStateRef State, const Allocation &A, SVal Root,
                       ASTContext &Ctx) {
  auto IsLock = [](QualType T, ASTContext &Ctx) {
    if (std::optional<SpecialFieldKind> K = specialStructKind(T))
      return *K == SpecialFieldKind::SpinLock ||
             *K == SpecialFieldKind::ResSpinLock;
    for (const SpecialField &F : findSpecialFields(T, Ctx))
      if (F.Kind == SpecialFieldKind::SpinLock ||
          F.Kind == SpecialFieldKind::ResSpinLock)
        return true;
    return false;
  };
  if (!A.Section.empty()) {
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (globalDataSection(VD) == A.Section && IsLock(VD->getType(), Ctx))
          return true;
    return false;
  }
  const VarDecl *Map = mapBehind(State, Root);
  std::optional<MapDefinition> Def =
      Map ? parseMapDefinition(Map) : std::nullopt;
  if (!Def || !Def->hasBtfValue())
    return true;
  return IsLock(Def->ValueType, Ctx);
}

/// The file range of E if it is written in the source (possibly as a macro
/// argument), else an invalid range.
CharSourceRange fileRange(const Expr *E, CheckerContext &C) {
  return Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), C.getSourceManager(),
      C.getLangOpts());
}

/// COM-004: `bpf_obj_drop(&n->node)` where n holds the object's start
/// (n = &n->node - offsetof(node)): replace the argument by `n`.
SmallVector<FixItHint, 1> objectBaseFixIt(const Expr *Arg, SVal ArgVal,
                                          int64_t Start, CheckerContext &C) {
  SmallVector<FixItHint, 1> Fixes;
  const auto *UO = dyn_cast<UnaryOperator>(Arg->IgnoreParenCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return Fixes;
  const auto *ME = dyn_cast<MemberExpr>(UO->getSubExpr()->IgnoreParens());
  const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!FD || !ME->isArrow())
    return Fixes;
  const auto *DRE = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  std::optional<int64_t> Off = byteOffset(ArgVal);
  if (!VD || !VD->getType()->isPointerType() || !Off ||
      *Off - int64_t(C.getASTContext().getFieldOffset(FD) / 8) != Start)
    return Fixes;
  CharSourceRange R = fileRange(UO, C);
  if (R.isInvalid())
    return Fixes;
  Fixes.push_back(FixItHint::CreateReplacement(R, VD->getName()));
  return Fixes;
}

/// The statement a leak was found at, or the last one before it (a leak at
/// the end of the function is found at its body).
const Stmt *leakStmt(const ExplodedNode *N) {
  const Decl *D = N->getLocationContext()->getDecl();
  const Stmt *Body = D ? D->getBody() : nullptr;
  for (unsigned I = 0; N && I < 16; ++I, N = N->getFirstPred()) {
    std::optional<StmtPoint> P = N->getLocation().getAs<StmtPoint>();
    if (P && P->getStmt() != Body)
      return P->getStmt();
  }
  return nullptr;
}

/// Does E name a local pointer variable (which may alias the object)?
bool namesLocalPointer(const Stmt *E) {
  if (!E)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && !VD->getType()->isIntegerType())
        return true;
  for (const Stmt *Child : E->children())
    if (namesLocalPointer(Child))
      return true;
  return false;
}

/// The variable that holds the object a bpf_obj_new/refcount_acquire call
/// returned for the whole function: initialised or assigned from the call,
/// assigned nowhere else, its address never taken, and declared at the top
/// level of the body (visible at every return).
class SoleHolder : public RecursiveASTVisitor<SoleHolder> {
public:
  SoleHolder(const VarDecl *VD, const Expr *Site) : VD(VD), Site(Site) {}
  bool Ok = true;
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp() && refersTo(BO->getLHS()) &&
        BO->getRHS()->IgnoreParenCasts() != Site)
      Ok = false;
    return Ok;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if ((UO->getOpcode() == UO_AddrOf || UO->isIncrementDecrementOp()) &&
        refersTo(UO->getSubExpr()))
      Ok = false;
    return Ok;
  }

private:
  bool refersTo(const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == VD;
  }
  const VarDecl *VD;
  const Expr *Site;
};

const VarDecl *soleHolder(const Stmt *SiteStmt, const FunctionDecl *FD,
                          const ParentMap &PM) {
  const auto *Site = dyn_cast_or_null<Expr>(SiteStmt);
  const auto *Body =
      FD ? dyn_cast_or_null<CompoundStmt>(FD->getBody()) : nullptr;
  if (!Site || !Body || !PM.hasParent(Site))
    return nullptr;
  const Stmt *Parent = PM.getParentIgnoreParenCasts(Site);
  const VarDecl *VD = nullptr;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(Parent)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (V->getInit() && V->getInit()->IgnoreParenCasts() == Site)
          VD = V;
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Parent)) {
    if (BO->getOpcode() == BO_Assign)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        VD = dyn_cast<VarDecl>(DRE->getDecl());
  }
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      !VD->getType()->isPointerType())
    return nullptr;
  bool TopLevel = false;
  for (const Stmt *S : Body->body())
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      TopLevel |= llvm::is_contained(DS->decls(), VD);
  if (!TopLevel)
    return nullptr;
  SoleHolder V(VD, Site);
  V.TraverseStmt(const_cast<CompoundStmt *>(Body));
  return V.Ok ? VD : nullptr;
}

} // namespace

void GraphChecker::report(Rule R, const std::string &What, SymbolRef Sym,
                          SourceRange Range, CheckerContext &C,
                          StringRef Variant, ArrayRef<std::string> Args,
                          const MemRegion *Interesting,
                          ArrayRef<FixItHint> FixIts) const {
  // The verifier stops at the first error.
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(R), Reporter.describe(R, What, Variant, Args), N);
  if (Range.isValid())
    Report->addRange(Range);
  if (Sym)
    Report->markInteresting(Sym);
  if (Interesting)
    Report->markInteresting(Interesting);
  RuleReporter::addFixIts(*Report, FixIts);
  C.emitReport(std::move(Report));
}

void GraphChecker::checkPreCall(const CallEvent &Call,
                                CheckerContext &C) const {
  BpfCallee Callee =
      classifyCallee(dyn_cast_or_null<CallExpr>(Call.getOriginExpr()));
  GraphOp Op = graphOpOf(Callee.Kfunc);
  if (Op == GraphOp::None)
    return;
  StringRef Name = Callee.Kfunc->Name;
  if (Op == GraphOp::Drop) {
    checkDrop(Call, Name, C);
    return;
  }
  if (Op == GraphOp::New) {
    checkNewType(Call, *Callee.Kfunc, C);
    return;
  }
  if (takesRoot(Op)) {
    checkRootArg(Call, *Callee.Kfunc, C);
    if (C.isDifferent())
      return;
    checkRootLock(Call, *Callee.Kfunc, C);
  }
  if (C.isDifferent())
    return;
  if (Op == GraphOp::Insert) {
    checkNodeType(Call, *Callee.Kfunc, C);
    if (C.isDifferent())
      return;
    checkInsert(Call, Name, C);
  }
  if (Op == GraphOp::Refcount)
    checkRefcountType(Call, C);
}

/// The declaration a root argument names: `&v->root` (a field) or `&groot`
/// (a global).
static const ValueDecl *rootDecl(const Expr *Arg) {
  if (!Arg)
    return nullptr;
  const auto *UO = dyn_cast<UnaryOperator>(Arg->IgnoreParenCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return nullptr;
  const Expr *E = UO->getSubExpr()->IgnoreParens();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  return nullptr;
}

/// `contains:<type>:<field>` of a root declaration, split.
static std::optional<std::pair<StringRef, StringRef>>
containsOf(const ValueDecl *D) {
  if (!D)
    return std::nullopt;
  std::optional<std::pair<StringRef, StringRef>> Result;
  for (const auto *Tag : D->specific_attrs<BTFDeclTagAttr>()) {
    StringRef T = Tag->getBTFDeclTag();
    if (!T.consume_front("contains:"))
      continue;
    if (Result)
      return std::nullopt; // Two tags: the record is invalid (GRAPH-001).
    auto [Type, Field] = T.split(':');
    if (Type.empty() || Field.empty())
      return std::nullopt;
    Result = {Type, Field};
  }
  return Result;
}

static const RecordDecl *structNamed(ASTContext &Ctx, StringRef Name) {
  for (const NamedDecl *ND :
       Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get(Name)))
    if (const auto *RD = dyn_cast<RecordDecl>(ND))
      if (RD->isStruct() && RD->getDefinition())
        return RD->getDefinition();
  return nullptr;
}

static const FieldDecl *fieldNamed(const RecordDecl *RD, StringRef Name) {
  for (const FieldDecl *F : RD->fields())
    if (F->getName() == Name)
      return F;
  return nullptr;
}

static uint64_t fieldByteOffset(ASTContext &Ctx, const FieldDecl *F) {
  return Ctx.getFieldOffset(F) / 8;
}

// GRAPH-019: push/add of `&x->f` where x's type or f is not what the root's
// __contains(type, field) declares. Only top-level node fields written as
// `&x->f` are checked.
void GraphChecker::checkNodeType(const CallEvent &Call, const KfuncInfo &K,
                                 CheckerContext &C) const {
  if (!Reporter.isActive(Rule::GraphWrongNodeType) || Call.getNumArgs() < 2)
    return;
  auto Contains = containsOf(rootDecl(Call.getArgExpr(0)));
  if (!Contains)
    return;
  const auto *UO =
      dyn_cast<UnaryOperator>(Call.getArgExpr(1)->IgnoreParenCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return;
  const auto *ME = dyn_cast<MemberExpr>(UO->getSubExpr()->IgnoreParens());
  const auto *Node = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  // Only `&x->f` and `&obj.f`: a field of a nested struct has its offset
  // from the outer object, which this does not compute.
  if (!Node || (!ME->isArrow() &&
                !isa<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts())))
    return;
  const RecordDecl *Actual = Node->getParent();
  ASTContext &Ctx = C.getASTContext();
  const RecordDecl *Expected = structNamed(Ctx, Contains->first);
  const FieldDecl *ExpectedNode =
      Expected ? fieldNamed(Expected, Contains->second) : nullptr;
  // A __contains that names nothing valid is a record error (GRAPH-001/002),
  // not this rule.
  if (!ExpectedNode || !Actual->getIdentifier())
    return;
  bool Rb = isRbtreeKfunc(K);
  StringRef RootName = Rb ? "bpf_rb_root" : "bpf_list_head";
  StringRef NodeName = Rb ? "bpf_rb_node" : "bpf_list_node";
  std::string ExpectedOff = std::to_string(fieldByteOffset(Ctx, ExpectedNode));
  std::string ActualOff = std::to_string(fieldByteOffset(Ctx, Node));
  if (Actual->getName() != Expected->getName()) {
    report(Rule::GraphWrongNodeType,
           (K.Name + "() of a node of struct " + Actual->getName() +
            ", but the " + RootName + " holds struct " + Expected->getName() +
            " (its __contains)")
               .str(),
           nullptr, Call.getArgSourceRange(1), C, "",
           {RootName.str(), NodeName.str(), ExpectedOff,
            Expected->getName().str(), ActualOff, Actual->getName().str()});
    return;
  }
  if (Node->getName() != ExpectedNode->getName())
    report(Rule::GraphWrongNodeType,
           (K.Name + "() of node field '" + Node->getName() + "', but the " +
            RootName + " links struct " + Expected->getName() + " through '" +
            ExpectedNode->getName() + "' (its __contains)")
               .str(),
           nullptr, Call.getArgSourceRange(1), C, "field",
           {ActualOff, NodeName.str(), ExpectedOff, Expected->getName().str()});
}

// GRAPH-024: bpf_refcount_acquire(p) needs a struct bpf_refcount in p's type.
void GraphChecker::checkRefcountType(const CallEvent &Call,
                                     CheckerContext &C) const {
  if (!Reporter.isActive(Rule::GraphRefcountNoField) || Call.getNumArgs() < 1)
    return;
  QualType T = Call.getArgExpr(0)->IgnoreParenImpCasts()->getType();
  if (!T->isPointerType())
    return;
  QualType Pointee = T->getPointeeType();
  const auto *RD = Pointee->getAsRecordDecl();
  if (!RD || !RD->getDefinition() || specialStructKind(Pointee))
    return;
  auto Fields =
      findSpecialFields(Pointee.getUnqualifiedType(), C.getASTContext());
  for (const SpecialField &F : Fields)
    if (F.Kind == SpecialFieldKind::Refcount)
      return;
  report(Rule::GraphRefcountNoField,
         ("bpf_refcount_acquire() of a struct " + RD->getName() +
          ", which has no struct bpf_refcount field; add one to the type")
             .str(),
         nullptr, Call.getArgSourceRange(0), C,
         Fields.empty() ? "no-record" : "");
}

// GRAPH-015/016: the root's allocation must hold the lock that is held.
void GraphChecker::checkRootLock(const CallEvent &Call, const KfuncInfo &K,
                                 CheckerContext &C) const {
  if (Call.getNumArgs() < 1)
    return;
  ProgramStateRef State = C.getState();
  SVal Root = Call.getArgSVal(0);
  // A root in a dropped, stashed or non-owning object is no root to the
  // verifier at all: the lock does not matter (GRAPH-014 and others).
  if (SymbolRef Sym = refSymbol(State, Root);
      Sym && State->get<GraphRefs>(Sym)->K != GraphRef::Owning)
    return;
  const MemRegion *RootRegion = Root.getAsRegion();
  std::optional<Allocation> RootAlloc =
      allocationOf(State, RootRegion ? RootRegion->getBaseRegion() : nullptr);
  if (!RootAlloc)
    return;
  // A root with no lock in its allocation is a declaration error
  // (GRAPH-003, reported at the declaration); the kernel never gets here.
  if (!allocationHasLock(State, *RootAlloc, Root, C.getASTContext()))
    return;
  StringRef FieldName = isRbtreeKfunc(K) ? "bpf_rb_root" : "bpf_list_head";
  SmallVector<HeldLock, 2> Held = heldLocks(State);
  std::string Off = lockOffsetText(State, Root, C.getASTContext());
  SourceRange Range = Call.getArgSourceRange(0);

  if (Held.empty()) {
    if (Reporter.isActive(Rule::GraphLockNotHeld))
      report(Rule::GraphLockNotHeld,
             (K.Name + "() without the lock that protects the " + FieldName +
              "; take the bpf_spin_lock next to it first")
                 .str(),
             nullptr, Range, C, "", {Off, FieldName.str()});
    return;
  }
  bool AllKnown = true;
  for (const HeldLock &H : Held) {
    std::optional<Allocation> LockAlloc = allocationOf(State, H.Alloc);
    if (!LockAlloc) {
      AllKnown = false;
      continue;
    }
    if (sameAllocation(*LockAlloc, *RootAlloc))
      return;
  }
  if (!AllKnown || !Reporter.isActive(Rule::GraphLockWrongAllocation))
    return;
  report(Rule::GraphLockWrongAllocation,
         (K.Name + "() while holding a lock of another allocation; the " +
          FieldName +
          " is protected by the bpf_spin_lock in its own map value, "
          "global section or object")
             .str(),
         nullptr, Range, C, "", {Off, FieldName.str()}, Held.front().Alloc);
}

/// GRAPH-011 for a pointer argument of a kfunc. True if reported.
bool GraphChecker::checkNullableArg(const CallEvent &Call, unsigned I,
                                    StringRef Name, CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SVal Arg = Call.getArgSVal(I);
  SymbolRef Sym = refSymbol(State, Arg);
  if (!Sym || !refMayBeNull(State, Sym))
    return false;
  if (!Reporter.isActive(Rule::GraphUseBeforeNullCheck))
    return true;
  std::optional<int64_t> Off = byteOffset(Arg);
  if (!Off)
    return true;
  // &n->node of a NULL-able n is pointer arithmetic on it.
  bool Arith = *Off != 0;
  report(Rule::GraphUseBeforeNullCheck,
         (Name + "() is given a pointer that may be NULL; check the "
                 "result of the call that returned it first")
             .str(),
         Sym, Call.getArgSourceRange(I), C, Arith ? "arith" : "arg",
         {Arith ? std::string("%d") : std::to_string(I)});
  return true;
}

void GraphChecker::checkDrop(const CallEvent &Call, StringRef Name,
                             CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  // Inside a critical section the call itself is the error (LOCK-018).
  if (anyLockHeld(State) || Call.getNumArgs() < 1)
    return;
  SVal Arg = Call.getArgSVal(0);
  SymbolRef Sym = refSymbol(State, Arg);
  if (!Sym)
    return;
  const GraphRef *Ref = State->get<GraphRefs>(Sym);
  SourceRange Range = Call.getArgSourceRange(0);
  switch (Ref->K) {
  case GraphRef::Dropped:
  case GraphRef::Stashed:
    if (Reporter.isActive(Rule::GraphDoubleDrop))
      report(Rule::GraphDoubleDrop,
             (Name + "() of an object that was already " + releasedHow(Ref->K))
                 .str(),
             Sym, Range, C, "", {"1"});
    return;
  case GraphRef::NonOwning:
  case GraphRef::Invalid:
    if (Reporter.isActive(Rule::GraphDropNonOwning))
      report(Rule::GraphDropNonOwning,
             (Name + "() of a non-owning reference: the node belongs to its "
                     "list or tree; remove or pop it to get an owning "
                     "reference")
                 .str(),
             Sym, Range, C, "", {"1"});
    return;
  case GraphRef::Owning:
    break;
  }
  if (checkNullableArg(Call, 0, Name, C))
    return;
  // COM-004 / GRAPH-027: the object's start, not a field (a pop/remove
  // result points at the node).
  std::optional<int64_t> Off = byteOffset(Arg);
  std::optional<int64_t> Start = Ref->startOffset();
  // For a popped or removed node, only the node pointer itself is checked
  // (its type says so, also under casts: `(struct item *)node` is still the
  // node pointer): the offsets of container_of through a void * temporary
  // (libbpf's macro) are not always followed by the analyzer.
  if (!Ref->AtObjectStart) {
    QualType T = Call.getArgExpr(0)->IgnoreParenCasts()->getType();
    std::optional<SpecialFieldKind> K =
        T->isPointerType() ? specialStructKind(T->getPointeeType())
                           : std::nullopt;
    if (!K ||
        (*K != SpecialFieldKind::ListNode && *K != SpecialFieldKind::RbNode))
      Start = std::nullopt;
  }
  if (Start && Off && *Off != *Start) {
    if (Reporter.isActive(Rule::GraphDropOffsetPointer))
      report(Rule::GraphDropOffsetPointer,
             (Name + "() is given a pointer " + Twine(*Off - *Start) +
              " bytes into the object; pass the object itself "
              "(container_of the node)")
                 .str(),
             Sym, Range, C, "", {"1"}, nullptr,
             objectBaseFixIt(Call.getArgExpr(0), Arg, *Start, C));
    return;
  }
  // GRAPH-013: percpu objects have their own drop, and only they.
  bool PercpuDrop = Name == "bpf_percpu_obj_drop";
  if (Ref->AtObjectStart && Ref->Percpu != PercpuDrop &&
      Reporter.isActive(Rule::GraphDropNonOwning) &&
      Reporter.config().Kernel >= KernelVersion(6, 7)) {
    // The kernel names the release kfunc the object needed.
    report(
        Rule::GraphDropNonOwning,
        (Name + "() of an object allocated with " +
         (Ref->Percpu ? "bpf_percpu_obj_new; drop it with "
                        "bpf_percpu_obj_drop"
                      : "bpf_obj_new; drop it with bpf_obj_drop"))
            .str(),
        Sym, Range, C, "kind",
        {"0", Ref->Percpu ? "bpf_percpu_obj_drop_impl" : "bpf_obj_drop_impl"});
  }
}

/// The type T of `bpf_obj_new(T)`: the operand type of the hidden
/// __builtin_btf_type_id(*(T *)0, 0), with its sugar.
static std::optional<QualType> objNewType(const CallEvent &Call) {
  if (Call.getNumArgs() < 1)
    return std::nullopt;
  const auto *Id = dyn_cast<CallExpr>(Call.getArgExpr(0)->IgnoreParenCasts());
  if (!Id || Id->getNumArgs() < 1)
    return std::nullopt;
  const FunctionDecl *FD = Id->getDirectCallee();
  if (!FD || FD->getBuiltinID() == 0 ||
      FD->getName() != "__builtin_btf_type_id")
    return std::nullopt;
  return Id->getArg(0)->IgnoreParenImpCasts()->getType();
}

/// Does a percpu object type hold a pointer (not a struct of scalars)?
static bool holdsPointer(QualType T, unsigned Depth = 0) {
  T = T.getCanonicalType();
  if (Depth > 8)
    return false;
  if (T->isPointerType())
    return true;
  if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    return holdsPointer(AT->getElementType(), Depth + 1);
  if (const auto *RD = T->getAsRecordDecl()) {
    if (!RD->getDefinition())
      return false;
    for (const FieldDecl *F : RD->getDefinition()->fields())
      if (holdsPointer(F->getType(), Depth + 1))
        return true;
  }
  return false;
}

// GRAPH-009/010: what bpf_obj_new and bpf_percpu_obj_new can allocate.
void GraphChecker::checkNewType(const CallEvent &Call, const KfuncInfo &K,
                                CheckerContext &C) const {
  std::optional<QualType> T = objNewType(Call);
  if (!T)
    return;
  // A typedef has its own BTF id: whether the kernel resolves it is not
  // modelled, so only unsugared types are checked.
  for (QualType Cur = *T;;) {
    if (isa<TypedefType>(Cur.getTypePtr()))
      return;
    QualType Next = Cur->getLocallyUnqualifiedSingleStepDesugaredType();
    if (Next == Cur)
      break;
    Cur = Next;
  }
  QualType Canon = T->getCanonicalType();
  if (Canon->isIncompleteType() || Canon->isDependentType())
    return;
  // Shown as written in bpf_obj_new(T), without the macro's typeof().
  while (isa<TypeOfType>(T->getTypePtr()) ||
         isa<TypeOfExprType>(T->getTypePtr()))
    *T = T->getSingleStepDesugaredType(C.getASTContext());
  SourceRange Range = Call.getSourceRange();
  if (!Canon->isStructureType()) {
    if (Reporter.isActive(Rule::GraphObjNewType))
      report(Rule::GraphObjNewType,
             (K.Name + "() of '" + T->getAsString() +
              "', which is not a struct; allocate a struct that holds it")
                 .str(),
             nullptr, Range, C);
    return;
  }
  if (K.Id != KfuncId::bpf_percpu_obj_new ||
      !Reporter.isActive(Rule::GraphPercpuObjNewType))
    return;
  ASTContext &Ctx = C.getASTContext();
  int64_t Size = Ctx.getTypeSizeInChars(Canon).getQuantity();
  if (Size > 512) {
    report(Rule::GraphPercpuObjNewType,
           ("bpf_percpu_obj_new() of '" + T->getAsString() + "' (" +
            Twine(Size) + " bytes); percpu objects are at most 512 bytes")
               .str(),
           nullptr, Range, C, "", {std::to_string(Size), "512"});
    return;
  }
  if (!findSpecialFields(Canon.getUnqualifiedType(), Ctx).empty()) {
    report(Rule::GraphPercpuObjNewType,
           ("bpf_percpu_obj_new() of '" + T->getAsString() +
            "', which holds special fields (locks, graph fields, kptrs, "
            "refcounts); percpu objects hold scalars only"),
           nullptr, Range, C, "special");
    return;
  }
  if (holdsPointer(Canon))
    report(Rule::GraphPercpuObjNewType,
           ("bpf_percpu_obj_new() of '" + T->getAsString() +
            "', which holds a pointer; percpu objects hold scalars only"),
           nullptr, Range, C, "scalars");
}

/// Is the object an expression names a local (stack) variable, reached
/// without going through a pointer?
static bool namesStackObject(const Expr *E) {
  while (true) {
    E = E->IgnoreParens();
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow())
        return false;
      E = ME->getBase();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      if (!AS->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        return false;
      E = AS->getBase()->IgnoreParenImpCasts();
      continue;
    }
    break;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType();
}

// GRAPH-014: the root argument must point exactly at a root of the kfunc's
// kind, in a map value or an allocated object. Checked where the source
// shows it: `&x` / `&v->f` whose type is another special struct or a
// scalar (reached through a cast), or a root on the stack.
void GraphChecker::checkRootArg(const CallEvent &Call, const KfuncInfo &K,
                                CheckerContext &C) const {
  if (!Reporter.isActive(Rule::GraphRootInvalid) || Call.getNumArgs() < 1)
    return;
  bool Rb = isRbtreeKfunc(K);
  StringRef RootName = Rb ? "bpf_rb_root" : "bpf_list_head";
  SourceRange Range = Call.getArgSourceRange(0);
  // A root in an object reached through a non-owning reference (a node
  // still in its tree or list): the register is no plain allocated object.
  ProgramStateRef State = C.getState();
  if (SymbolRef Sym = refSymbol(State, Call.getArgSVal(0));
      Sym && State->get<GraphRefs>(Sym)->K == GraphRef::NonOwning) {
    report(Rule::GraphRootInvalid,
           (K.Name + "() of a " + RootName +
            " in an object reached through a non-owning reference (a "
            "node that is in a list or tree); only map values, global "
            "sections and owning references (new, popped or removed "
            "objects) hold usable roots")
               .str(),
           Sym, Range, C, "not-allocation", {"0"});
    return;
  }
  const auto *UO =
      dyn_cast<UnaryOperator>(Call.getArgExpr(0)->IgnoreParenCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return;
  const Expr *Obj = UO->getSubExpr()->IgnoreParens();
  if (namesStackObject(Obj)) {
    report(Rule::GraphRootInvalid,
           (K.Name + "() of a " + RootName +
            " on the stack; roots live in a map value, a global section "
            "or an allocated object, next to their lock")
               .str(),
           nullptr, Range, C, "not-allocation", {"0"});
    return;
  }
  QualType T = Obj->getType();
  std::optional<SpecialFieldKind> Kind = specialStructKind(T);
  SpecialFieldKind Expected =
      Rb ? SpecialFieldKind::RbRoot : SpecialFieldKind::ListHead;
  bool Wrong =
      Kind ? *Kind != Expected : T->isScalarType() && !T->isPointerType();
  if (!Wrong)
    return;
  // Only in a known allocation: elsewhere the kernel may stop earlier.
  SVal Root = Call.getArgSVal(0);
  const MemRegion *RootRegion = Root.getAsRegion();
  if (!allocationOf(C.getState(),
                    RootRegion ? RootRegion->getBaseRegion() : nullptr))
    return;
  // Globals are laid out in their section by the compiler.
  std::string Off = "%u";
  if (RootRegion && isa<SymbolicRegion>(RootRegion->getBaseRegion()))
    if (std::optional<int64_t> O = byteOffset(Root))
      Off = std::to_string(*O);
  std::string What = Kind ? (Twine("a ") + specialFieldName(*Kind)).str()
                          : ("a field of type '" + T.getAsString() + "'");
  report(
      Rule::GraphRootInvalid,
      (K.Name + "() is given " + What + " where a " + RootName + " is expected")
          .str(),
      nullptr, Range, C, "", {RootName.str(), Off});
}

void GraphChecker::checkInsert(const CallEvent &Call, StringRef Name,
                               CheckerContext &C) const {
  if (Call.getNumArgs() < 2)
    return;
  ProgramStateRef State = C.getState();
  SymbolRef Sym = refSymbol(State, Call.getArgSVal(1));
  if (!Sym)
    return;
  const GraphRef *Ref = State->get<GraphRefs>(Sym);
  SourceRange Range = Call.getArgSourceRange(1);
  switch (Ref->K) {
  case GraphRef::NonOwning:
  case GraphRef::Invalid:
    if (Reporter.isActive(Rule::GraphInsertNonOwning))
      report(Rule::GraphInsertNonOwning,
             (Name + "() of a node that is already in a list or tree "
                     "(a non-owning reference); insert an owning reference "
                     "(a new object, or one removed or popped first)")
                 .str(),
             Sym, Range, C, "", {"1"});
    return;
  case GraphRef::Dropped:
  case GraphRef::Stashed:
    if (Reporter.isActive(Rule::GraphUseAfterDrop))
      report(Rule::GraphUseAfterDrop,
             (Name + "() of an object that was already " + releasedHow(Ref->K))
                 .str(),
             Sym, Range, C, "insert", {"1"});
    return;
  case GraphRef::Owning:
    checkNullableArg(Call, 1, Name, C);
    return;
  }
}

/// The offset of the node in the objects a root holds (its __contains), or
/// -1 if the source does not tell.
static int64_t nodeOffsetOf(const CallEvent &Call, ASTContext &Ctx) {
  if (Call.getNumArgs() < 1)
    return -1;
  auto Contains = containsOf(rootDecl(Call.getArgExpr(0)));
  if (!Contains)
    return -1;
  const RecordDecl *RD = structNamed(Ctx, Contains->first);
  const FieldDecl *Node = RD ? fieldNamed(RD, Contains->second) : nullptr;
  if (!Node || RD->isInvalidDecl())
    return -1;
  return fieldByteOffset(Ctx, Node);
}

void GraphChecker::checkPostCall(const CallEvent &Call,
                                 CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  BpfCallee Callee = classifyCallee(CE);
  if (!Callee.isKnown())
    return;
  ProgramStateRef State = C.getState();

  // Unlock: every non-owning reference dies.
  if (isUnlock(Callee)) {
    SmallVector<SymbolRef, 2> Invalidated;
    for (const auto &[Sym, Ref] : State->get<GraphRefs>())
      if (Ref.K == GraphRef::NonOwning) {
        GraphRef New = Ref;
        New.K = GraphRef::Invalid;
        State = State->set<GraphRefs>(Sym, New);
        Invalidated.push_back(Sym);
      }
    if (Invalidated.empty())
      return;
    const NoteTag *Note =
        C.getNoteTag([Invalidated](PathSensitiveBugReport &BR) -> std::string {
          for (SymbolRef Sym : Invalidated)
            if (BR.isInteresting(Sym))
              return "the unlock invalidates every non-owning reference";
          return "";
        });
    C.addTransition(State, Note);
    return;
  }

  // bpf_kptr_xchg(dst, new): ownership of new passes to the map.
  if (Callee.isHelper(HelperId::bpf_kptr_xchg)) {
    passOwnership(Call, 1, GraphRef::Stashed,
                  "object stashed with bpf_kptr_xchg here", C);
    return;
  }

  GraphOp Op = graphOpOf(Callee.Kfunc);
  switch (Op) {
  case GraphOp::None:
    return;
  case GraphOp::New:
  case GraphOp::Take:
  case GraphOp::Refcount:
  case GraphOp::Peek: {
    SymbolRef Sym = Call.getReturnValue().getAsSymbol();
    if (!Sym)
      return;
    bool Owning = Op != GraphOp::Peek;
    // bpf_refcount_acquire of an owning reference cannot fail.
    if (Op == GraphOp::Refcount && Call.getNumArgs() >= 1) {
      SymbolRef Arg = refSymbol(State, Call.getArgSVal(0));
      const GraphRef *ArgRef = Arg ? State->get<GraphRefs>(Arg) : nullptr;
      if (ArgRef && ArgRef->K == GraphRef::Owning)
        if (ProgramStateRef NonNull = State->assume(
                Call.getReturnValue().castAs<DefinedOrUnknownSVal>(), true))
          State = NonNull;
    }
    std::string Text = Op == GraphOp::New ? "object allocated here"
                       : Op == GraphOp::Peek
                           ? "non-owning reference returned here"
                           : "owning reference acquired here";
    const NoteTag *Note =
        C.getNoteTag([Sym, Text](PathSensitiveBugReport &BR) -> std::string {
          if (!BR.isInteresting(Sym))
            return "";
          return Text;
        });
    GraphRef Ref{Owning ? GraphRef::Owning : GraphRef::NonOwning, CE,
                 /*CheckedIndirectly=*/false,
                 /*AtObjectStart=*/Op == GraphOp::New};
    Ref.Percpu = Callee.isKfunc(KfuncId::bpf_percpu_obj_new);
    if (Op == GraphOp::Take)
      Ref.NodeOffset = nodeOffsetOf(Call, C.getASTContext());
    C.addTransition(State->set<GraphRefs>(Sym, Ref), Note);
    return;
  }
  case GraphOp::Drop:
    passOwnership(Call, 0, GraphRef::Dropped, "object dropped here", C);
    return;
  case GraphOp::Insert:
    passOwnership(Call, 1, GraphRef::NonOwning,
                  ("ownership passed to the " +
                   Twine(isRbtreeKfunc(*Callee.Kfunc) ? "tree" : "list") +
                   " here; the pointer is non-owning until the unlock")
                      .str(),
                  C);
    return;
  }
}

/// The field of a tracked object a pointer was loaded from, if Loc points
/// into the memory such a pointer names (`o->ptr->x`, `*o->ptr`).
static const FieldRegion *loadedFromObjectField(ProgramStateRef State,
                                                SVal Loc) {
  const MemRegion *R = Loc.getAsRegion();
  const auto *SR = R ? dyn_cast<SymbolicRegion>(R->getBaseRegion()) : nullptr;
  if (!SR)
    return nullptr;
  const MemRegion *From = nullptr;
  if (const auto *RV = dyn_cast<SymbolRegionValue>(SR->getSymbol()))
    From = RV->getRegion();
  else if (const auto *D = dyn_cast<SymbolDerived>(SR->getSymbol()))
    From = D->getRegion();
  const auto *FR = dyn_cast_or_null<FieldRegion>(From);
  if (!FR)
    return nullptr;
  const auto *Obj = dyn_cast<SymbolicRegion>(FR->getBaseRegion());
  if (!Obj)
    return nullptr;
  const GraphRef *Ref = State->get<GraphRefs>(Obj->getSymbol());
  if (!Ref || (Ref->K != GraphRef::Owning && Ref->K != GraphRef::NonOwning))
    return nullptr;
  return FR;
}

/// The helper or kfunc call that returned the trusted kernel object Loc
/// points into, for the calls whose result is known to be one.
static const CallExpr *kernelObjectCall(SVal Loc) {
  const MemRegion *R = Loc.getAsRegion();
  const auto *SR = R ? dyn_cast<SymbolicRegion>(R->getBaseRegion()) : nullptr;
  const auto *Conj = SR ? dyn_cast<SymbolConjured>(SR->getSymbol()) : nullptr;
  const auto *CE = Conj ? dyn_cast_or_null<CallExpr>(Conj->getStmt()) : nullptr;
  BpfCallee Callee = classifyCallee(CE);
  if (Callee.isHelper(HelperId::bpf_get_current_task_btf) ||
      Callee.isKfunc(KfuncId::bpf_task_acquire) ||
      Callee.isKfunc(KfuncId::bpf_task_from_pid) ||
      Callee.isKfunc(KfuncId::bpf_cgroup_acquire))
    return CE;
  return nullptr;
}

void GraphChecker::checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                                 CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  // GRAPH-026: kernel objects are read-only (outside struct_ops and the
  // like, which are not checked).
  if (!IsLoad && Reporter.isActive(Rule::GraphPointerFieldDeref))
    if (const CallExpr *CE = kernelObjectCall(Loc)) {
      std::optional<ProgramSection> Prog = programSection(C);
      const MemRegion *Base = Loc.getAsRegion()->getBaseRegion();
      if (Prog &&
          (Prog->Type == ProgType::SchedCls || Prog->Type == ProgType::Xdp ||
           Prog->Type == ProgType::Syscall) &&
          // bpf_get_current_task_btf never returns NULL.
          (classifyCallee(CE).isHelper(HelperId::bpf_get_current_task_btf) ||
           !mayBeNull(State, loc::MemRegionVal(Base)))) {
        const FunctionDecl *FD = CE->getDirectCallee();
        const auto *VD = FD ? nullptr
                            : dyn_cast_or_null<DeclRefExpr>(
                                  CE->getCallee()->IgnoreParenCasts());
        std::string Callee =
            FD ? FD->getName().str()
               : (VD ? VD->getDecl()->getName().str() : std::string("call"));
        report(Rule::GraphPointerFieldDeref,
               "kernel object returned by " + Callee +
                   "() written; the verifier lets programs write only the "
                   "objects they allocate (bpf_obj_new) and map values",
               nullptr, S ? S->getSourceRange() : SourceRange(), C, "kernel",
               {}, Base);
        return;
      }
    }
  // GRAPH-026: a pointer field of an allocated object is no pointer.
  if (const FieldRegion *FR = loadedFromObjectField(State, Loc);
      FR && Reporter.isActive(Rule::GraphPointerFieldDeref)) {
    QualType T = FR->getDecl()->getType();
    QualType Pointee = T->isPointerType() ? T->getPointeeType() : QualType();
    // Kptrs (type-tagged) and kernel types are other rules' business.
    bool Plain = !Pointee.isNull() && !Pointee->getAs<BTFTagAttributedType>();
    const RecordDecl *RD = Plain ? Pointee->getAsRecordDecl() : nullptr;
    bool ToRecord =
        RD && RD->isStruct() && !RD->hasAttr<BPFPreserveAccessIndexAttr>();
    bool ToScalar = Plain && Pointee->isScalarType();
    // Since 6.18 a pointer to scalars is read-only untrusted memory.
    bool Rdonly = ToScalar && Reporter.config().Kernel >= KernelVersion(6, 18);
    if (ToRecord || (ToScalar && !IsLoad)) {
      SourceRange Range = S ? S->getSourceRange() : SourceRange();
      report(Rule::GraphPointerFieldDeref,
             (Twine("pointer field '") + FR->getDecl()->getName() +
              "' of an allocated object " + (IsLoad ? "read" : "written") +
              " through; the verifier does not track pointers stored in "
              "objects (store an id, or a __kptr with bpf_kptr_xchg)")
                 .str(),
             nullptr, Range, C, Rdonly ? "rdonly" : "", {"%d"},
             FR->getBaseRegion());
      return;
    }
  }
  SymbolRef Sym = refSymbol(State, Loc);
  if (!Sym)
    return;
  const GraphRef *Ref = State->get<GraphRefs>(Sym);
  SourceRange Range = S ? S->getSourceRange() : SourceRange();
  const char *Access = IsLoad ? "read" : "written";
  // GRAPH-025: the bytes of a node, root or refcount of a live object.
  if ((Ref->K == GraphRef::Owning || Ref->K == GraphRef::NonOwning) &&
      !refMayBeNull(State, Sym) &&
      Reporter.isActive(Rule::GraphDirectFieldAccess))
    for (const MemRegion *R = Loc.getAsRegion(); R;) {
      const auto *SR = dyn_cast<SubRegion>(R);
      if (!SR)
        break;
      if (const auto *FR = dyn_cast<FieldRegion>(R)) {
        std::optional<SpecialFieldKind> K =
            specialStructKind(FR->getDecl()->getType());
        if (K &&
            (*K == SpecialFieldKind::ListHead ||
             *K == SpecialFieldKind::ListNode ||
             *K == SpecialFieldKind::RbRoot || *K == SpecialFieldKind::RbNode ||
             *K == SpecialFieldKind::Refcount)) {
          report(Rule::GraphDirectFieldAccess,
                 (Twine("field '") + FR->getDecl()->getName() + "' (" +
                  specialFieldName(*K) + ") " + Access +
                  " directly; only the kfuncs may touch it")
                     .str(),
                 Sym, Range, C, "", {specialFieldName(*K).str()});
          return;
        }
      }
      R = SR->getSuperRegion();
    }
  switch (Ref->K) {
  case GraphRef::Dropped:
  case GraphRef::Stashed:
    if (Reporter.isActive(Rule::GraphUseAfterDrop))
      report(
          Rule::GraphUseAfterDrop,
          (Twine("object ") + Access + " after it was " + releasedHow(Ref->K))
              .str(),
          Sym, Range, C);
    return;
  case GraphRef::Invalid:
    if (Reporter.isActive(Rule::GraphUseAfterUnlock))
      report(Rule::GraphUseAfterUnlock,
             (Twine("non-owning reference ") + Access +
              " after bpf_spin_unlock; use it only inside the critical "
              "section, or keep an owning reference (bpf_refcount_acquire)")
                 .str(),
             Sym, Range, C);
    return;
  case GraphRef::Owning:
  case GraphRef::NonOwning:
    if (refMayBeNull(State, Sym) &&
        Reporter.isActive(Rule::GraphUseBeforeNullCheck))
      report(Rule::GraphUseBeforeNullCheck,
             (Twine("object ") + Access +
              " before the pointer is checked for NULL; the call that "
              "returned it may return NULL")
                 .str(),
             Sym, Range, C);
    return;
  }
}

// `if (!container_of(node, T, member))` compares a pointer derived from the
// reference, not the reference: the analyzer learns nothing about the
// reference's symbol. Remember that its NULL-ness is the program's concern.
void GraphChecker::checkBranchCondition(const Stmt *Cond,
                                        CheckerContext &C) const {
  const auto *E = dyn_cast<Expr>(Cond);
  if (!E)
    return;
  ProgramStateRef State = C.getState();
  SmallVector<const Expr *, 2> Work{E};
  bool Changed = false;
  while (!Work.empty()) {
    const Expr *X = Work.pop_back_val()->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(X)) {
      if (UO->getOpcode() == UO_LNot)
        Work.push_back(UO->getSubExpr());
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(X)) {
      if (BO->isEqualityOp() || BO->isLogicalOp()) {
        Work.push_back(BO->getLHS());
        Work.push_back(BO->getRHS());
      }
      continue;
    }
    if (!X->getType()->isPointerType())
      continue;
    SVal V = C.getSVal(X);
    SymbolRef Sym = refSymbol(State, V);
    if (!Sym)
      continue;
    std::optional<int64_t> Off = byteOffset(V);
    if (Off && *Off == 0 && V.getAsRegion() &&
        isa<SymbolicRegion>(V.getAsRegion()))
      continue;
    GraphRef Ref = *State->get<GraphRefs>(Sym);
    if (Ref.CheckedIndirectly)
      continue;
    Ref.CheckedIndirectly = true;
    State = State->set<GraphRefs>(Sym, Ref);
    Changed = true;
  }
  if (Changed)
    C.addTransition(State);
}

void GraphChecker::checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SmallVector<RuleReporter::Leak, 2> Leaked;
  for (const auto &[Sym, Ref] : State->get<GraphRefs>()) {
    if (!SR.isDead(Sym))
      continue;
    if (Ref.K == GraphRef::Owning && !Ref.CheckedIndirectly &&
        !isKnownNull(State, Sym))
      Leaked.push_back({Sym, Ref.Site});
    State = State->remove<GraphRefs>(Sym);
  }
  // Fix-it: drop the object before the return the leak is found at, when
  // one variable holds it all along, it is not NULL, no lock is held and
  // the returned value does not use the object.
  auto FixIts = [&](const RuleReporter::Leak &L,
                    const ExplodedNode *N) -> SmallVector<FixItHint, 2> {
    SymbolRef Sym = L.first;
    const GraphRef *Ref = C.getState()->get<GraphRefs>(Sym);
    const auto *FD =
        dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
    const ParentMap &PM = C.getLocationContext()->getParentMap();
    if (!Ref || !Ref->AtObjectStart || Ref->Percpu || anyLockHeld(State) ||
        !State->getConstraintManager().isNull(State, Sym).isConstrainedFalse())
      return {};
    const VarDecl *VD = soleHolder(Ref->Site, FD, PM);
    const Stmt *S = VD ? leakStmt(N) : nullptr;
    while (S && !isa<ReturnStmt>(S))
      S = PM.getParent(S);
    const auto *RS = dyn_cast_or_null<ReturnStmt>(S);
    if (!RS || namesLocalPointer(RS->getRetValue()))
      return {};
    return statementBeforeReturn(("bpf_obj_drop(" + VD->getName() + ");").str(),
                                 /*Names=*/nullptr, RS, C);
  };
  Reporter.reportLeaks(Rule::GraphLeak,
                       "owning reference is neither dropped, inserted into a "
                       "list or tree, nor stashed on this path",
                       Leaked, State, C, FixIts);
}

ProgramStateRef GraphChecker::checkPointerEscape(
    ProgramStateRef State, const InvalidatedSymbols &Escaped,
    const CallEvent *Call, PointerEscapeKind Kind) const {
  // An owning reference handed to code we cannot see may be released there:
  // stop tracking it rather than guess.
  for (SymbolRef Sym : Escaped)
    if (const GraphRef *Ref = State->get<GraphRefs>(Sym);
        Ref && Ref->K == GraphRef::Owning)
      State = State->remove<GraphRefs>(Sym);
  return State;
}

void registerGraphChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<GraphChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
