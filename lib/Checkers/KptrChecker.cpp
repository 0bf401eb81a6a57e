//===- KptrChecker.cpp - kptr fields, bpf_kptr_xchg and acquired objects --===//
//
// kptr fields of map values hold pointers to objects the program owns
// (RULES.md section 4). Only bpf_kptr_xchg may write referenced and percpu
// kptr fields; what it returns is an owned, NULL-able reference, just like
// the result of an acquire kfunc (bpf_cpumask_create, bpf_task_from_pid
// ...). These references are tracked from acquisition until a release
// kfunc, bpf_obj_drop, or a consuming call (bpf_kptr_xchg as the new
// object, bpf_rbtree_add, bpf_list_push_*) takes them. Modelled on the ring
// buffer checker: a symbol-keyed state map, leaks found when the symbol
// dies.
//
// References from bpf_obj_new and the graph kfuncs belong to the graph
// checkers: this checker never tracks or reports them (it only reads their
// type for the exact-type rule of bpf_kptr_xchg).
//
// Rules: KPTR-004/005/006 (shape of direct accesses), KPTR-007 (atomics),
// KPTR-008 (helper buffers), KPTR-009/010 (direct store), KPTR-011
// (integer store), KPTR-012 (untrusted store type), KPTR-013 (use before
// the NULL check), KPTR-014/015 (xchg destination), KPTR-017 (xchg type),
// KPTR-018 (leak), KPTR-019 (use after release).
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/Helpers.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Basic/TargetOptions.h"
#include "clang/Lex/Lexer.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace {
struct KptrRef {
  enum Kind { Owned, Released } K;
  /// The acquiring call: leaks are reported once per site.
  const Stmt *Site;
  /// The object's BTF type as the verifier sees it (the kptr field's type
  /// for bpf_kptr_xchg, the return type for kfuncs). Null if unknown.
  const RecordDecl *Type;
  /// How the reference ended, for messages.
  bool Consumed = false;
  /// A percpu object (from a __percpu_kptr field).
  bool Percpu = false;

  bool operator==(const KptrRef &O) const {
    return K == O.K && Site == O.Site && Type == O.Type &&
           Consumed == O.Consumed && Percpu == O.Percpu;
  }
  void Profile(FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddPointer(Site);
    ID.AddPointer(Type);
    ID.AddBoolean(Consumed);
    ID.AddBoolean(Percpu);
  }
};
} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(KptrRefs, SymbolRef, KptrRef)
// Nesting of bpf_rcu_read_lock() sections on this path.
REGISTER_TRAIT_WITH_PROGRAMSTATE(RcuDepth, unsigned)
// Pointers loaded from a kptr field of a map value -> the field. The map
// value pointer may die before the loaded pointer is used, so the fact is
// recorded at the load.
REGISTER_MAP_WITH_PROGRAMSTATE(LoadedKptrs, SymbolRef, const FieldDecl *)
// Integer-to-pointer casts -> the integer, a symbol, for the store into a
// kptr field that follows (KPTR-011).
REGISTER_MAP_WITH_PROGRAMSTATE(IntToPtrValues, const Expr *, SVal)

namespace bpflint {
namespace {

/// What a kptr tag means on the selected kernel.
enum class KptrKind { Unref, Ref, Percpu, Uptr };

std::optional<KptrKind> kptrKindOn(SpecialFieldKind K, KernelVersion V) {
  const bool NewTags = V >= KernelVersion(6, 3);
  switch (K) {
  case SpecialFieldKind::Kptr:
    return NewTags ? KptrKind::Ref : KptrKind::Unref;
  case SpecialFieldKind::KptrRef:
    if (!NewTags)
      return KptrKind::Ref;
    return std::nullopt;
  case SpecialFieldKind::KptrUntrusted:
    if (NewTags)
      return KptrKind::Unref;
    return std::nullopt;
  case SpecialFieldKind::PercpuKptr:
    if (V >= KernelVersion(6, 7))
      return KptrKind::Percpu;
    return std::nullopt;
  case SpecialFieldKind::Uptr:
    if (V >= KernelVersion(6, 13))
      return KptrKind::Uptr;
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

bool isKptrField(SpecialFieldKind K) {
  return K == SpecialFieldKind::Kptr || K == SpecialFieldKind::KptrRef ||
         K == SpecialFieldKind::KptrUntrusted ||
         K == SpecialFieldKind::PercpuKptr || K == SpecialFieldKind::Uptr;
}

/// The kptr fields of a map's value type as the kernel sees them. Empty
/// and Valid=false if the record would be invalid on this kernel (unknown
/// tags, kptrs in arrays or nested structs bpflint does not model).
struct KptrRecord {
  const VarDecl *Map = nullptr;
  bool Valid = false;
  struct Field {
    const FieldDecl *FD;
    uint64_t Offset;
    KptrKind Kind;
    QualType Pointee;
  };
  SmallVector<Field, 4> Fields;
  /// Why the kernel rejects the record (KPTR-001/002), if it does: the
  /// field, the rule and what is wrong with it.
  const FieldDecl *Broken = nullptr;
  Rule BrokenRule = Rule::KptrFieldInvalid;
  std::string BrokenWhy;

  const Field *at(uint64_t Off) const {
    for (const Field &F : Fields)
      if (F.Offset == Off)
        return &F;
    return nullptr;
  }
  const Field *of(const FieldDecl *FD) const {
    for (const Field &F : Fields)
      if (F.FD == FD)
        return &F;
    return nullptr;
  }
};

/// The program's license if it is not GPL-compatible (the kernel's
/// license_is_gpl_compatible), from the SEC("license") variable. None if
/// there is no such variable or it is GPL-compatible.
std::optional<std::string> nonGplLicense(ASTContext &Ctx) {
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    const auto *Sec = VD ? VD->getAttr<SectionAttr>() : nullptr;
    if (!Sec || Sec->getName() != "license" || !VD->getInit())
      continue;
    const auto *SL =
        dyn_cast<clang::StringLiteral>(VD->getInit()->IgnoreParenImpCasts());
    if (!SL || !SL->isOrdinary())
      return std::nullopt;
    StringRef L = SL->getString();
    L = L.take_until([](char Ch) { return Ch == 0; });
    if (L == "GPL" || L == "GPL v2" || L == "GPL and additional rights" ||
        L == "Dual BSD/GPL" || L == "Dual MIT/GPL" || L == "Dual MPL/GPL")
      return std::nullopt;
    return L.str();
  }
  return std::nullopt;
}

/// Why the kernel refuses a kptr field with this pointee (KPTR-001): not
/// a struct, a struct only declared (BTF FWD), or another type tag.
std::optional<std::string> invalidKptrPointee(QualType Pointee) {
  if (Pointee.isNull())
    return std::nullopt;
  for (QualType Cur = Pointee;;) {
    if (isa<BTFTagAttributedType>(Cur.getTypePtr()))
      return std::string("it has more than one type tag");
    QualType Next = Cur->getLocallyUnqualifiedSingleStepDesugaredType();
    if (Next == Cur)
      break;
    Cur = Next;
  }
  const RecordDecl *RD = Pointee->getAsRecordDecl();
  if (!RD || !RD->isStruct())
    return std::string("it does not point to a struct");
  if (!RD->getDefinition())
    return ("'struct " + RD->getName() +
            "' is only declared, never defined, so its BTF is a forward "
            "declaration")
        .str();
  return std::nullopt;
}

/// The structs a compile emits in full in its BTF (approximately, erring
/// towards "not emitted"): those reached from a global variable, from the
/// prototype of a non-static function definition or of a called extern
/// (kfunc), from __builtin_btf_type_id/__builtin_preserve_type_info, or by
/// a CO-RE relocation (a member access on a preserve_access_index struct);
/// then everything reached from them by value or through pointers that are
/// not struct members.
class BtfRoots : public RecursiveASTVisitor<BtfRoots> {
public:
  explicit BtfRoots(ASTContext &Ctx) : Ctx(Ctx) {}
  llvm::DenseSet<const RecordDecl *> Full;

  void addFull(QualType T, bool InMember = false) {
    for (unsigned Depth = 0; !T.isNull() && Depth < 32; ++Depth) {
      T = T.getCanonicalType();
      if (const auto *PT = T->getAs<clang::PointerType>()) {
        if (InMember)
          return;
        T = PT->getPointeeType();
        continue;
      }
      if (const clang::ArrayType *AT = Ctx.getAsArrayType(T)) {
        T = AT->getElementType();
        continue;
      }
      if (const auto *FT = T->getAs<FunctionProtoType>()) {
        addFull(FT->getReturnType());
        for (QualType P : FT->getParamTypes())
          addFull(P);
        return;
      }
      break;
    }
    const RecordDecl *RD = T.isNull() ? nullptr : T->getAsRecordDecl();
    if (!RD || !(RD = RD->getDefinition()) || !Full.insert(RD).second)
      return;
    for (const FieldDecl *FD : RD->fields())
      addFull(FD->getType(), /*InMember=*/true);
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->isFileVarDecl() && VD->hasGlobalStorage() &&
        VD->isThisDeclarationADefinition() != VarDecl::DeclarationOnly &&
        (VD->isExternallyVisible() || VD->isUsed()))
      addFull(VD->getType());
    return true;
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->hasBody() && FD->isThisDeclarationADefinition() &&
        FD->isExternallyVisible())
      addFull(FD->getType());
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return true;
    if (FD->getBuiltinID()) {
      StringRef Name = FD->getName();
      if ((Name == "__builtin_btf_type_id" ||
           Name == "__builtin_preserve_type_info") &&
          CE->getNumArgs() >= 1)
        addFull(CE->getArg(0)->IgnoreParenImpCasts()->getType());
      return true;
    }
    if (!FD->hasBody())
      addFull(FD->getType());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    QualType Base = ME->getBase()->getType();
    if (ME->isArrow() && Base->isPointerType())
      Base = Base->getPointeeType();
    if (const RecordDecl *RD = Base->getAsRecordDecl();
        RD && RD->hasAttr<BPFPreserveAccessIndexAttr>())
      addFull(Base);
    return true;
  }

private:
  ASTContext &Ctx;
};

/// The BtfRoots of the translation unit being analysed; reset when the
/// checker is registered for the next one.
const ASTContext *BtfRootsFor = nullptr;
llvm::DenseSet<const RecordDecl *> BtfRootsFull;

/// False if clang leaves RD a BTF forward declaration in this compile
/// (see BtfRoots; always true with clang-22).
bool emittedInFull(const RecordDecl *RD) {
  if (!compat::TaggedPointeesMayBeForward || !RD)
    return true;
  ASTContext &Ctx = RD->getASTContext();
  const ASTContext *&CachedFor = BtfRootsFor;
  llvm::DenseSet<const RecordDecl *> &Cached = BtfRootsFull;
  if (CachedFor != &Ctx) {
    BtfRoots Roots(Ctx);
    Roots.TraverseDecl(Ctx.getTranslationUnitDecl());
    Cached = std::move(Roots.Full);
    CachedFor = &Ctx;
  }
  const RecordDecl *Def = RD->getDefinition();
  return Def && Cached.contains(Def);
}

/// Kernel types registered with a destructor kfunc.
bool hasDestructorKfunc(StringRef Name, KernelVersion V) {
  if (Name == "bpf_crypto_ctx")
    return V >= KernelVersion(6, 10);
  return Name == "task_struct" || Name == "cgroup" || Name == "bpf_cpumask" ||
         Name == "prog_test_ref_kfunc" || Name == "prog_test_member";
}

KptrRecord kptrRecord(const VarDecl *Map, KernelVersion V) {
  KptrRecord Rec;
  Rec.Map = Map;
  std::optional<MapDefinition> Def =
      Map ? parseMapDefinition(Map) : std::nullopt;
  // Global data (.bss/.data): the kernel's record is the whole section, with
  // every variable in it at an offset only the linker knows. Not modelled
  // (the 6.12 selftests' cpumask_success.c keeps kptrs in globals).
  if (!Def || !Def->hasBtfValue() || Def->GlobalData)
    return Rec;
  for (const SpecialField &F :
       findSpecialFields(Def->ValueType, Map->getASTContext())) {
    if (!isKptrField(F.Kind))
      continue;
    std::optional<KptrKind> K = kptrKindOn(F.Kind, V);
    // Arrays of kptrs and pointees that are not structs: not modelled.
    const RecordDecl *RD =
        F.Pointee.isNull() ? nullptr : F.Pointee->getAsRecordDecl();
    if (!K || F.InArray)
      return Rec;
    if (std::optional<std::string> Why = invalidKptrPointee(F.Pointee)) {
      Rec.Broken = F.Field;
      Rec.BrokenWhy = *Why;
      return Rec;
    }
    // Defined, but only a forward declaration in the object's BTF: the
    // kernel ignores the record (KPTR-001). Whether some other use brings
    // the type in is approximated, so nothing is reported then.
    if (!emittedInFull(RD))
      return Rec;
    if (*K == KptrKind::Ref && RD->hasAttr<BPFPreserveAccessIndexAttr>() &&
        V >= KernelVersion(6, 6) && !hasDestructorKfunc(RD->getName(), V)) {
      Rec.Broken = F.Field;
      Rec.BrokenRule = Rule::KptrNoDestructor;
      Rec.BrokenWhy = ("kernel type 'struct " + RD->getName() +
                       "' has no destructor kfunc, so it cannot be a "
                       "referenced kptr; use __kptr_untrusted")
                          .str();
      return Rec;
    }
    Rec.Fields.push_back({F.Field, F.ByteOffset, *K, F.Pointee});
  }
  Rec.Valid = true;
  return Rec;
}

const RecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  const RecordDecl *RD = T->getAsRecordDecl();
  return RD ? RD->getDefinition() ? RD->getDefinition() : RD : nullptr;
}

/// The symbol a pointer's base region is, if any.
SymbolRef baseSymbol(SVal V) {
  const MemRegion *R = V.getAsRegion();
  if (!R)
    return V.getAsSymbol();
  if (const auto *SR = dyn_cast<SymbolicRegion>(R->getBaseRegion()))
    return SR->getSymbol();
  return nullptr;
}

bool mayBeNullSym(ProgramStateRef State, SymbolRef Sym) {
  ConditionTruthVal IsNull = State->getConstraintManager().isNull(State, Sym);
  return !IsNull.isConstrainedTrue() && !IsNull.isConstrainedFalse();
}

bool isKnownNull(ProgramStateRef State, SymbolRef Sym) {
  return State->getConstraintManager().isNull(State, Sym).isConstrainedTrue();
}

/// Why the kernel creates Map without BTF, so that bpf_kptr_xchg on it
/// fails (KPTR-003): a map type that cannot hold kptrs, or no BTF at all.
std::optional<std::string> kptrMapProblem(const VarDecl *Map, KernelVersion V) {
  std::optional<MapDefinition> Def = parseMapDefinition(Map);
  if (!Def || Def->GlobalData)
    return std::nullopt;
  if (Def->Legacy)
    return ("map '" + Map->getName() +
            "' is defined without BTF (SEC(\"maps\")), so it cannot hold "
            "kptrs; define it in SEC(\".maps\") with __type(value, ...)")
        .str();
  std::optional<MapType> T = Def->mapType();
  if (!T || !Def->hasBtfValue())
    return std::nullopt;
  switch (*T) {
  case MapType::Hash:
  case MapType::PercpuHash:
  case MapType::LruHash:
  case MapType::LruPercpuHash:
  case MapType::Array:
  case MapType::PercpuArray:
  case MapType::SkStorage:
  case MapType::InodeStorage:
  case MapType::TaskStorage:
  case MapType::CgrpStorage:
    return std::nullopt;
  default:
    break;
  }
  // Only if the value really has a kptr the kernel recognises.
  bool HasKptr = false;
  for (const SpecialField &F :
       findSpecialFields(Def->ValueType, Map->getASTContext()))
    if (isKptrField(F.Kind) && kptrKindOn(F.Kind, V) &&
        *kptrKindOn(F.Kind, V) != KptrKind::Uptr)
      HasKptr = true;
  if (!HasKptr)
    return std::nullopt;
  return ("map '" + Map->getName() + "' is a " + mapTypeName(*T) +
          ", which cannot hold kptrs; the kernel refuses its BTF and libbpf "
          "creates it without; use a hash, array or local-storage map")
      .str();
}

/// The kptr field of a map value that Loc (the location of a load) is,
/// if any.
std::optional<KptrRecord::Field> kptrFieldAt(ProgramStateRef State, SVal Loc,
                                             KernelVersion V) {
  const auto *FR = dyn_cast_or_null<FieldRegion>(Loc.getAsRegion());
  if (!FR)
    return std::nullopt;
  const VarDecl *Map = mapBehind(State, loc::MemRegionVal(FR->getBaseRegion()));
  if (!Map)
    return std::nullopt;
  KptrRecord Rec = kptrRecord(Map, V);
  if (!Rec.Valid)
    return std::nullopt;
  if (const KptrRecord::Field *F = Rec.of(FR->getDecl()))
    return *F;
  return std::nullopt;
}

/// Kernel types the verifier frees after an RCU grace period
/// (rcu_protected_types): loads of referenced kptrs to them are RCU
/// pointers inside an RCU read section.
bool isRcuProtectedKernelType(StringRef Name) {
  return Name == "task_struct" || Name == "cgroup" || Name == "bpf_cpumask" ||
         Name == "bpf_crypto_ctx" || Name == "prog_test_ref_kfunc";
}

/// Calls that take ownership of their argument ArgIdx without the
/// reference rules this checker reports (graph insertion).
std::optional<unsigned> consumedArgument(const BpfCallee &Callee) {
  if (!Callee.Kfunc)
    return std::nullopt;
  switch (Callee.Kfunc->Id) {
  case KfuncId::bpf_rbtree_add:
  case KfuncId::bpf_list_push_front:
  case KfuncId::bpf_list_push_back:
    return 1;
  default:
    return std::nullopt;
  }
}

/// Kfuncs whose result belongs to the graph checkers.
bool isGraphAcquire(const BpfCallee &Callee) {
  if (!Callee.Kfunc)
    return false;
  switch (Callee.Kfunc->Id) {
  case KfuncId::bpf_obj_new:
  case KfuncId::bpf_percpu_obj_new:
  case KfuncId::bpf_refcount_acquire:
  case KfuncId::bpf_list_pop_front:
  case KfuncId::bpf_list_pop_back:
  case KfuncId::bpf_rbtree_remove:
    return true;
  default:
    return false;
  }
}

/// The type `bpf_obj_new(T)` allocates: the argument of the hidden
/// __builtin_btf_type_id(*(T *)0, 0).
const RecordDecl *objNewType(const CallExpr *CE) {
  if (!CE || CE->getNumArgs() < 1)
    return nullptr;
  const auto *Id = dyn_cast<CallExpr>(CE->getArg(0)->IgnoreParenImpCasts());
  if (!Id || Id->getNumArgs() < 1)
    return nullptr;
  const FunctionDecl *FD = Id->getDirectCallee();
  if (!FD || FD->getBuiltinID() == 0 ||
      FD->getName() != "__builtin_btf_type_id")
    return nullptr;
  return recordOf(Id->getArg(0)->IgnoreParenImpCasts()->getType());
}

/// The kfunc that releases an object of the field's type, if known.
std::string releaseFunctionFor(const KptrRecord::Field &F) {
  if (F.Kind == KptrKind::Percpu)
    return "bpf_percpu_obj_drop";
  const RecordDecl *RD = recordOf(F.Pointee);
  if (!RD || !RD->getIdentifier())
    return "";
  StringRef Name = RD->getName();
  if (Name == "bpf_cpumask")
    return "bpf_cpumask_release";
  if (Name == "task_struct")
    return "bpf_task_release";
  if (Name == "cgroup")
    return "bpf_cgroup_release";
  // Program-local types (no vmlinux.h attribute) are bpf_obj_new objects.
  if (!RD->hasAttr<BPFPreserveAccessIndexAttr>())
    return "bpf_obj_drop";
  return "";
}

/// `v->f = x;` as a statement of its own becomes
/// `{ T *old = bpf_kptr_xchg(&v->f, x); if (old) release(old); }`.
SmallVector<FixItHint, 1>
directStoreFixIt(const Stmt *S, const KptrRecord::Field &F, CheckerContext &C) {
  SmallVector<FixItHint, 1> Fixes;
  const auto *BO = dyn_cast_or_null<BinaryOperator>(S);
  if (!BO) {
    // checkLocation sees the left-hand side of the assignment.
    const ParentMap &PM = C.getLocationContext()->getParentMap();
    BO = dyn_cast_or_null<BinaryOperator>(S ? PM.getParentIgnoreParens(S)
                                            : nullptr);
  }
  if (!BO || BO->getOpcode() != BO_Assign)
    return Fixes;
  const ParentMap &PM = C.getLocationContext()->getParentMap();
  if (!isa_and_nonnull<CompoundStmt>(PM.getParent(BO)))
    return Fixes;
  std::string Release = releaseFunctionFor(F);
  const RecordDecl *RD = recordOf(F.Pointee);
  if (Release.empty() || !RD || !RD->getIdentifier())
    return Fixes;
  const SourceManager &SM = C.getSourceManager();
  const LangOptions &LO = C.getLangOpts();
  // The statement itself must be written in the file (operands may be
  // macros such as NULL).
  if (BO->getBeginLoc().isMacroID() || BO->getOperatorLoc().isMacroID())
    return Fixes;
  SourceLocation End = SM.getExpansionRange(BO->getEndLoc()).getEnd();
  // Spelled as written: NULL stays NULL.
  StringRef Lhs = Lexer::getSourceText(
      SM.getExpansionRange(BO->getLHS()->getSourceRange()), SM, LO);
  StringRef Rhs = Lexer::getSourceText(
      SM.getExpansionRange(BO->getRHS()->getSourceRange()), SM, LO);
  if (Lhs.empty() || Rhs.empty())
    return Fixes;
  std::string Old = ("old_" + F.FD->getName()).str();
  std::string Type = (F.Kind == KptrKind::Percpu
                          ? "struct " + RD->getName() + " __percpu_kptr *"
                          : "struct " + RD->getName() + " *")
                         .str();
  std::string Text = "{ " + Type + Old + " = bpf_kptr_xchg(&" + Lhs.str() +
                     ", " + Rhs.str() + "); if (" + Old + ") " + Release + "(" +
                     Old + "); }";
  // The statement's semicolon goes away with the braces.
  SourceLocation AfterSemi = Lexer::findLocationAfterToken(
      End, tok::semi, SM, LO, /*SkipTrailingWhitespace=*/false);
  if (AfterSemi.isInvalid())
    return Fixes;
  Fixes.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(BO->getBeginLoc(), AfterSemi), Text));
  return Fixes;
}

class KptrChecker
    : public Checker<check::PreCall, check::PostCall, check::Location,
                     check::PostStmt<ImplicitCastExpr>,
                     check::PreStmt<BinaryOperator>, check::PreStmt<AtomicExpr>,
                     check::PreStmt<CastExpr>, check::PostStmt<BinaryOperator>,
                     check::LiveSymbols, check::DeadSymbols,
                     check::PointerEscape> {
public:
  RuleReporter Reporter;

  void checkPreStmt(const BinaryOperator *BO, CheckerContext &C) const;
  void checkPreStmt(const AtomicExpr *E, CheckerContext &C) const;
  void checkPreStmt(const CastExpr *E, CheckerContext &C) const;
  void checkPostStmt(const BinaryOperator *BO, CheckerContext &C) const;
  void checkLiveSymbols(ProgramStateRef State, SymbolReaper &SR) const;
  void checkPostStmt(const ImplicitCastExpr *E, CheckerContext &C) const;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                     CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  ProgramStateRef checkPointerEscape(ProgramStateRef State,
                                     const InvalidatedSymbols &Escaped,
                                     const CallEvent *Call,
                                     PointerEscapeKind Kind) const;

private:
  KernelVersion kernel() const { return Reporter.config().Kernel; }
  /// Reports and stops the path (the kernel stops at the first error).
  bool report(Rule R, const Twine &What, SymbolRef Sym, SourceRange Range,
              CheckerContext &C, StringRef Variant = "",
              ArrayRef<std::string> Args = {}) const;
  /// The kptr field Dst points at, resolved against its map's record.
  /// Returns false (and reports) if the kernel rejects the destination.
  bool checkXchgDestination(const CallEvent &Call, CheckerContext &C,
                            std::optional<KptrRecord::Field> &Out) const;
  bool checkXchgNew(const CallEvent &Call, const KptrRecord::Field *Field,
                    CheckerContext &C) const;
  /// A tracked reference passed as argument I of a kfunc.
  bool checkKfuncArgument(const CallEvent &Call, const BpfCallee &Callee,
                          unsigned I, CheckerContext &C) const;
  /// The BTF type of the object V points to, if known: tracked references
  /// and bpf_obj_new results.
  const RecordDecl *btfTypeOf(ProgramStateRef State, SVal V) const;
  /// A load or store through a percpu object pointer, not through
  /// bpf_this_cpu_ptr()/bpf_per_cpu_ptr() (KPTR-020).
  void reportPercpuAccess(const RecordDecl *Type, SymbolRef Sym,
                          const MemRegion *R, SourceRange Range,
                          CheckerContext &C) const;
  /// The kptr field Sym was loaded from, if it was.
  std::optional<KptrRecord::Field>
  loadedFrom(ProgramStateRef State, SymbolRef Sym, KernelVersion V) const;
  /// Whether a load of field F here gives an RCU pointer (else untrusted).
  bool loadedIsRcu(const KptrRecord::Field &F, CheckerContext &C) const;
  /// A direct access of type AccessTy at R that touches a kptr field of a
  /// map value with the wrong shape (KPTR-004/005/006), or atomically
  /// (KPTR-007). Returns true if reported.
  bool checkAccessShape(const MemRegion *R, QualType AccessTy, bool Atomic,
                        SourceRange Range, CheckerContext &C) const;
  /// The same for a variable-offset access (R has a symbolic index).
  bool checkVariableOffset(const MemRegion *R, uint64_t Size,
                           const KptrRecord &Rec, SourceRange Range,
                           CheckerContext &C) const;
  /// Buffer arguments of helpers that cover a kptr field (KPTR-008).
  bool checkLocalStorageMap(const CallEvent &Call, HelperId H,
                            CheckerContext &C) const;
  bool checkHelperMemory(const CallEvent &Call, const BpfCallee &Callee,
                         CheckerContext &C) const;
};

/// The field type's name as the kernel prints it (btf_field_type_name).
const char *fieldTypeName(KptrKind K) {
  switch (K) {
  case KptrKind::Percpu:
    return "percpu_kptr";
  case KptrKind::Uptr:
    return "uptr";
  default:
    return "kptr";
  }
}

/// The symbolic base region of a map value access and the kptr record of
/// the map behind it. Record invalid if not a map value with kptrs.
KptrRecord recordBehind(ProgramStateRef State, const MemRegion *R,
                        KernelVersion V) {
  const MemRegion *Base = R->getBaseRegion();
  if (!isa<SymbolicRegion>(Base))
    return KptrRecord();
  const VarDecl *Map = mapBehind(State, loc::MemRegionVal(Base));
  if (!Map)
    return KptrRecord();
  KptrRecord Rec = kptrRecord(Map, V);
  if (Rec.Fields.empty())
    Rec.Valid = false;
  return Rec;
}

/// The first kptr field that [Start, Start + Size) overlaps.
const KptrRecord::Field *overlappedField(const KptrRecord &Rec, uint64_t Start,
                                         uint64_t Size) {
  for (const KptrRecord::Field &F : Rec.Fields)
    if (Start < F.Offset + 8 && F.Offset < Start + Size)
      return &F;
  return nullptr;
}

uint64_t valueSize(const VarDecl *Map) {
  std::optional<MapDefinition> Def = parseMapDefinition(Map);
  if (!Def || !Def->hasBtfValue() || Def->ValueType->isIncompleteType())
    return 0;
  return Map->getASTContext().getTypeSizeInChars(Def->ValueType).getQuantity();
}

/// True if E computes its address with arithmetic on a void pointer (a GNU
/// extension): the analyzer's regions for it have wrong offsets, so the
/// access is not checked.
bool hasVoidPointerArithmetic(const Stmt *S, unsigned Depth = 0) {
  if (!S || Depth > 12)
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->isAdditiveOp() || BO->getOpcode() == BO_AddAssign ||
        BO->getOpcode() == BO_SubAssign)
      for (const Expr *Op : {BO->getLHS(), BO->getRHS()})
        if (const auto *PT = Op->getType()->getAs<clang::PointerType>();
            PT && PT->getPointeeType()->isVoidType())
          return true;
  for (const Stmt *Child : S->children())
    if (hasVoidPointerArithmetic(Child, Depth + 1))
      return true;
  return false;
}

bool KptrChecker::checkAccessShape(const MemRegion *R, QualType AccessTy,
                                   bool Atomic, SourceRange Range,
                                   CheckerContext &C) const {
  // Scalars and pointers only: aggregate copies are lowered to accesses
  // the source does not show.
  if (AccessTy.isNull() || !AccessTy->isScalarType())
    return false;
  ProgramStateRef State = C.getState();
  KptrRecord Rec = recordBehind(State, R, kernel());
  if (!Rec.Valid)
    return false;
  uint64_t Size = C.getASTContext().getTypeSizeInChars(AccessTy).getQuantity();
  RegionOffset Off = R->getAsOffset();
  if (!Off.isValid() || Size == 0)
    return false;
  if (Off.hasSymbolicOffset())
    return !Atomic && checkVariableOffset(R, Size, Rec, Range, C);
  if (Off.getRegion() != R->getBaseRegion() || Off.getOffset() < 0 ||
      Off.getOffset() % 8)
    return false;
  uint64_t Start = Off.getOffset() / 8;
  const KptrRecord::Field *F = overlappedField(Rec, Start, Size);
  if (!F)
    return false;
  std::string Name = fieldTypeName(F->Kind);
  if (Start != F->Offset) {
    if (!Reporter.isActive(Rule::KptrAccessMisaligned))
      return false;
    return report(Rule::KptrAccessMisaligned,
                  "access at offset " + Twine(Start) +
                      " of the map value "
                      "overlaps kptr field '" +
                      F->FD->getName() + "' (offset " + Twine(F->Offset) +
                      ") without starting at it",
                  nullptr, Range, C, "",
                  {Name, std::to_string(F->Offset), std::to_string(Start)});
  }
  if (Size != 8) {
    if (!Reporter.isActive(Rule::KptrAccessSize))
      return false;
    return report(Rule::KptrAccessSize,
                  Twine(Size) + "-byte " + (Atomic ? "atomic " : "") +
                      "access to kptr field '" + F->FD->getName() +
                      "'; kptr fields are accessed as whole 8-byte pointers",
                  nullptr, Range, C, "", {Name});
  }
  if (Atomic && Reporter.isActive(Rule::KptrAtomicAccess))
    return report(Rule::KptrAtomicAccess,
                  "atomic operation on kptr field '" + F->FD->getName() +
                      "'; use bpf_kptr_xchg() to exchange a referenced kptr, "
                      "plain loads and stores otherwise",
                  nullptr, Range, C);
  return false;
}

bool KptrChecker::checkVariableOffset(const MemRegion *R, uint64_t Size,
                                      const KptrRecord &Rec, SourceRange Range,
                                      CheckerContext &C) const {
  if (!Reporter.isActive(Rule::KptrAccessVariableOffset))
    return false;
  // One symbolic index at the outermost element, over a constant offset.
  const auto *ER = dyn_cast<ElementRegion>(R);
  if (!ER)
    return false;
  std::optional<NonLoc> Idx = ER->getIndex();
  if (!Idx || Idx->getAs<nonloc::ConcreteInt>())
    return false;
  RegionOffset SuperOff = ER->getSuperRegion()->getAsOffset();
  if (!SuperOff.isValid() || SuperOff.hasSymbolicOffset() ||
      SuperOff.getRegion() != R->getBaseRegion() || SuperOff.getOffset() < 0 ||
      SuperOff.getOffset() % 8)
    return false;
  ASTContext &Ctx = C.getASTContext();
  QualType ElemTy = ER->getElementType();
  if (ElemTy.isNull() || ElemTy->isIncompleteType())
    return false;
  int64_t ES = Ctx.getTypeSizeInChars(ElemTy).getQuantity();
  int64_t Base = SuperOff.getOffset() / 8;
  int64_t VS = valueSize(Rec.Map);
  if (ES <= 0 || VS <= 0 || Base + (int64_t)Size > VS)
    return false;
  ProgramStateRef State = C.getState();
  BasicValueFactory &BVF = C.getSValBuilder().getBasicValueFactory();
  QualType IdxTy = Ctx.LongLongTy;
  // The kernel first bounds the access to the value: an index the code has
  // not bounded fails there, with another message.
  int64_t MaxIdx = (VS - Base - (int64_t)Size) / ES;
  auto [InBounds, OutOfBounds] = State->assumeInclusiveRange(
      *Idx, BVF.getValue(0, IdxTy), BVF.getValue(MaxIdx, IdxTy));
  if (OutOfBounds || !InBounds)
    return false;
  for (const KptrRecord::Field &F : Rec.Fields) {
    // Indices k with [Base + k*ES, Base + k*ES + Size) overlapping the field.
    int64_t P = F.Offset;
    int64_t Lo = P - (int64_t)Size + 1 - Base;
    Lo = Lo <= 0 ? 0 : (Lo + ES - 1) / ES;
    int64_t Hi = P + 7 - Base;
    if (Hi < 0)
      continue;
    Hi = std::min(Hi / ES, MaxIdx);
    if (Lo > Hi)
      continue;
    auto [Overlaps, Misses] = InBounds->assumeInclusiveRange(
        *Idx, BVF.getValue(Lo, IdxTy), BVF.getValue(Hi, IdxTy));
    if (!Overlaps)
      continue;
    // Only when the index really varies: a single feasible value is a
    // constant to the kernel too.
    if (!Misses)
      return false;
    return report(Rule::KptrAccessVariableOffset,
                  "access at a variable offset of the map value may touch "
                  "kptr field '" +
                      F.FD->getName() +
                      "'; the kernel allows only constant offsets there",
                  nullptr, Range, C, "", {fieldTypeName(F.Kind)});
  }
  return false;
}

/// Helper arguments that are memory the helper reads or writes: the
/// pointer argument and its size (an argument index, or the map's key or
/// value size for the map helpers).
struct HelperMemArg {
  HelperId Helper;
  unsigned Ptr;
  enum SizeFrom { Arg, MapKey, MapValue } From;
  unsigned SizeArg;
};
const HelperMemArg HelperMemArgs[] = {
    {HelperId::bpf_probe_read, 0, HelperMemArg::Arg, 1},
    {HelperId::bpf_probe_read_str, 0, HelperMemArg::Arg, 1},
    {HelperId::bpf_probe_read_user, 0, HelperMemArg::Arg, 1},
    {HelperId::bpf_probe_read_user_str, 0, HelperMemArg::Arg, 1},
    {HelperId::bpf_probe_read_kernel, 0, HelperMemArg::Arg, 1},
    {HelperId::bpf_probe_read_kernel_str, 0, HelperMemArg::Arg, 1},
    {HelperId::bpf_get_current_comm, 0, HelperMemArg::Arg, 1},
    {HelperId::bpf_skb_load_bytes, 2, HelperMemArg::Arg, 3},
    {HelperId::bpf_perf_event_output, 3, HelperMemArg::Arg, 4},
    {HelperId::bpf_ringbuf_output, 1, HelperMemArg::Arg, 2},
    {HelperId::bpf_map_lookup_elem, 1, HelperMemArg::MapKey, 0},
    {HelperId::bpf_map_delete_elem, 1, HelperMemArg::MapKey, 0},
    {HelperId::bpf_map_update_elem, 1, HelperMemArg::MapKey, 0},
    {HelperId::bpf_map_update_elem, 2, HelperMemArg::MapValue, 0},
};

bool KptrChecker::checkHelperMemory(const CallEvent &Call,
                                    const BpfCallee &Callee,
                                    CheckerContext &C) const {
  if (!Callee.Helper || !Reporter.isActive(Rule::KptrHelperAccess))
    return false;
  ProgramStateRef State = C.getState();
  for (const HelperMemArg &A : HelperMemArgs) {
    if (!Callee.isHelper(A.Helper) || A.Ptr >= Call.getNumArgs())
      continue;
    const MemRegion *R = Call.getArgSVal(A.Ptr).getAsRegion();
    if (!R || hasVoidPointerArithmetic(Call.getArgExpr(A.Ptr)))
      continue;
    KptrRecord Rec = recordBehind(State, R, kernel());
    if (!Rec.Valid)
      continue;
    RegionOffset Off = R->getAsOffset();
    if (!Off.isValid() || Off.hasSymbolicOffset() ||
        Off.getRegion() != R->getBaseRegion() || Off.getOffset() < 0 ||
        Off.getOffset() % 8)
      continue;
    uint64_t Size = 0;
    if (A.From == HelperMemArg::Arg) {
      if (A.SizeArg >= Call.getNumArgs())
        continue;
      const llvm::APSInt *N =
          C.getSValBuilder().getKnownValue(State, Call.getArgSVal(A.SizeArg));
      if (!N || N->isNegative())
        continue;
      Size = N->getZExtValue();
    } else {
      const VarDecl *Map = mapArgument(Call, 0);
      std::optional<MapDefinition> Def =
          Map ? parseMapDefinition(Map) : std::nullopt;
      if (!Def)
        continue;
      QualType T =
          A.From == HelperMemArg::MapKey ? Def->KeyType : Def->ValueType;
      std::optional<uint64_t> S =
          A.From == HelperMemArg::MapKey ? Def->KeySize : Def->ValueSize;
      if (!T.isNull() && !T->isIncompleteType())
        Size = C.getASTContext().getTypeSizeInChars(T).getQuantity();
      else if (S)
        Size = *S;
    }
    if (Size == 0)
      continue;
    uint64_t Start = Off.getOffset() / 8;
    const KptrRecord::Field *F = overlappedField(Rec, Start, Size);
    if (!F)
      continue;
    return report(Rule::KptrHelperAccess,
                  "argument " + Twine(A.Ptr + 1) + " of " +
                      helperName(static_cast<unsigned>(*Callee.Helper)) +
                      "() covers kptr field '" + F->FD->getName() +
                      "' of a map value; helpers may not read or write "
                      "kptr fields",
                  nullptr, Call.getArgSourceRange(A.Ptr), C, "",
                  {fieldTypeName(F->Kind)});
  }
  return false;
}

void KptrChecker::reportPercpuAccess(const RecordDecl *Type, SymbolRef Sym,
                                     const MemRegion *R, SourceRange Range,
                                     CheckerContext &C) const {
  if (!Type || !Type->getIdentifier() ||
      !Reporter.isActive(Rule::KptrPercpuDirectAccess))
    return;
  RegionOffset Off = R->getAsOffset();
  if (!Off.isValid() || Off.hasSymbolicOffset())
    return;
  report(Rule::KptrPercpuDirectAccess,
         "percpu object 'struct " + Type->getName() +
             "' accessed directly; get this CPU's copy with "
             "bpf_this_cpu_ptr() (or bpf_per_cpu_ptr()) first",
         Sym, Range, C, "",
         {"%d", Type->getName().str(), std::to_string(Off.getOffset() / 8)});
}

std::optional<KptrRecord::Field>
KptrChecker::loadedFrom(ProgramStateRef State, SymbolRef Sym,
                        KernelVersion V) const {
  const FieldDecl *const *FD = Sym ? State->get<LoadedKptrs>(Sym) : nullptr;
  if (!FD)
    return std::nullopt;
  // The field's meaning on this kernel, from its own record.
  const RecordDecl *Parent = (*FD)->getParent();
  for (const SpecialField &F :
       findSpecialFields(compat::recordType(Parent->getASTContext(), Parent),
                         Parent->getASTContext()))
    if (F.Field == *FD)
      if (std::optional<KptrKind> K = kptrKindOn(F.Kind, V))
        return KptrRecord::Field{*FD, F.ByteOffset, *K, F.Pointee};
  return std::nullopt;
}

bool KptrChecker::loadedIsRcu(const KptrRecord::Field &F,
                              CheckerContext &C) const {
  if (kernel() < KernelVersion(6, 4) || F.Kind != KptrKind::Ref)
    return false;
  std::optional<ProgramSection> Sec = programSection(C);
  bool Sleepable = Sec && Sec->Sleepable;
  bool InRcu = (Sec && !Sleepable) || C.getState()->get<RcuDepth>() > 0;
  if (!InRcu)
    return false;
  const RecordDecl *RD = recordOf(F.Pointee);
  if (!RD || !RD->getIdentifier())
    return false;
  // Kernel types are matched by name; declarations taken from vmlinux.h
  // carry preserve_access_index.
  if (isRcuProtectedKernelType(RD->getName()))
    return true;
  return !RD->hasAttr<BPFPreserveAccessIndexAttr>();
}

bool KptrChecker::report(Rule R, const Twine &What, SymbolRef Sym,
                         SourceRange Range, CheckerContext &C,
                         StringRef Variant, ArrayRef<std::string> Args) const {
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return true;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(R), Reporter.describe(R, What.str(), Variant, Args), N);
  if (Range.isValid())
    Report->addRange(Range);
  if (Sym)
    Report->markInteresting(Sym);
  C.emitReport(std::move(Report));
  return true;
}

/// Sym is a percpu object the program owns: from bpf_percpu_obj_new, or
/// taken out of a __percpu_kptr field.
bool isPercpuObject(ProgramStateRef State, SymbolRef Sym) {
  if (!Sym)
    return false;
  if (const KptrRef *Ref = State->get<KptrRefs>(Sym))
    return Ref->Percpu;
  const auto *Conj = dyn_cast<SymbolConjured>(Sym);
  const auto *CE = Conj ? dyn_cast_or_null<CallExpr>(Conj->getStmt()) : nullptr;
  return CE && classifyCallee(CE).isKfunc(KfuncId::bpf_percpu_obj_new);
}

/// The kptr field of a program-local object (a bpf_obj_new type) that R,
/// the destination of bpf_kptr_xchg, is. Such destinations are accepted
/// since about 6.12 (KPTR-014; not measured on 6.12 itself).
std::optional<KptrRecord::Field> localObjectKptrField(const MemRegion *R,
                                                      KernelVersion V) {
  const auto *FR = dyn_cast_or_null<FieldRegion>(R);
  if (!FR || V < KernelVersion(6, 12) ||
      !isa<SymbolicRegion>(FR->getBaseRegion()))
    return std::nullopt;
  const RecordDecl *Parent = FR->getDecl()->getParent();
  if (!Parent || Parent->hasAttr<BPFPreserveAccessIndexAttr>())
    return std::nullopt;
  for (const SpecialField &F :
       findSpecialFields(compat::recordType(Parent->getASTContext(), Parent),
                         Parent->getASTContext()))
    if (F.Field == FR->getDecl() && !F.InArray &&
        F.ByteOffset == Parent->getASTContext().getFieldOffset(F.Field) / 8)
      if (std::optional<KptrKind> K = kptrKindOn(F.Kind, V))
        return KptrRecord::Field{F.Field, F.ByteOffset, *K, F.Pointee};
  return std::nullopt;
}

/// The kptr kind of a global variable (in .bss/.data) that R, the
/// destination of bpf_kptr_xchg, is: `struct T __kptr *g;`. The kernel
/// parses the section's record like a map value's (accepted on 6.18).
std::optional<KptrRecord::Field> globalKptr(const MemRegion *R,
                                            KernelVersion V) {
  const auto *VR = dyn_cast_or_null<VarRegion>(R);
  const auto *VD = VR ? dyn_cast<VarDecl>(VR->getDecl()) : nullptr;
  if (!VD || !VD->hasGlobalStorage() || globalDataSection(VD).empty())
    return std::nullopt;
  const auto *PT = VD->getType()->getAs<clang::PointerType>();
  if (!PT)
    return std::nullopt;
  for (QualType Cur = PT->getPointeeType();;) {
    if (const auto *Tagged = dyn_cast<BTFTagAttributedType>(Cur.getTypePtr())) {
      std::optional<SpecialFieldKind> SK =
          StringSwitch<std::optional<SpecialFieldKind>>(
              Tagged->getAttr()->getBTFTypeTag())
              .Case("kptr", SpecialFieldKind::Kptr)
              .Case("kptr_ref", SpecialFieldKind::KptrRef)
              .Case("percpu_kptr", SpecialFieldKind::PercpuKptr)
              .Default(std::nullopt);
      std::optional<KptrKind> K = SK ? kptrKindOn(*SK, V) : std::nullopt;
      QualType Pointee = Tagged->getWrappedType();
      if (!K || invalidKptrPointee(Pointee) ||
          !emittedInFull(recordOf(Pointee)))
        return std::nullopt;
      return KptrRecord::Field{nullptr, 0, *K, Pointee};
    }
    QualType Next = Cur->getLocallyUnqualifiedSingleStepDesugaredType();
    if (Next == Cur)
      return std::nullopt;
    Cur = Next;
  }
}

const RecordDecl *KptrChecker::btfTypeOf(ProgramStateRef State, SVal V) const {
  SymbolRef Sym = baseSymbol(V);
  if (!Sym)
    return nullptr;
  if (const KptrRef *Ref = State->get<KptrRefs>(Sym))
    return Ref->Type;
  const auto *Conj = dyn_cast<SymbolConjured>(Sym);
  const auto *CE = Conj ? dyn_cast_or_null<CallExpr>(Conj->getStmt()) : nullptr;
  if (CE && classifyCallee(CE).isKfunc(KfuncId::bpf_obj_new))
    return objNewType(CE);
  return nullptr;
}

/// The local-storage map type a storage helper takes, if H is one.
std::optional<MapType> storageHelperMap(HelperId H) {
  switch (H) {
  case HelperId::bpf_sk_storage_get:
  case HelperId::bpf_sk_storage_delete:
    return MapType::SkStorage;
  case HelperId::bpf_inode_storage_get:
  case HelperId::bpf_inode_storage_delete:
    return MapType::InodeStorage;
  case HelperId::bpf_task_storage_get:
  case HelperId::bpf_task_storage_delete:
    return MapType::TaskStorage;
  case HelperId::bpf_cgrp_storage_get:
  case HelperId::bpf_cgrp_storage_delete:
    return MapType::CgrpStorage;
  default:
    return std::nullopt;
  }
}

/// Generic helpers whose first argument is a map.
bool takesMapFirst(HelperId H) {
  switch (H) {
  case HelperId::bpf_map_lookup_elem:
  case HelperId::bpf_map_update_elem:
  case HelperId::bpf_map_delete_elem:
  case HelperId::bpf_map_push_elem:
  case HelperId::bpf_map_pop_elem:
  case HelperId::bpf_map_peek_elem:
  case HelperId::bpf_for_each_map_elem:
  case HelperId::bpf_map_lookup_percpu_elem:
    return true;
  default:
    return false;
  }
}

/// The helper a local-storage map type is used with.
StringRef storageGetHelper(MapType T) {
  switch (T) {
  case MapType::SkStorage:
    return "bpf_sk_storage_";
  case MapType::InodeStorage:
    return "bpf_inode_storage_";
  case MapType::TaskStorage:
    return "bpf_task_storage_";
  default:
    return "bpf_cgrp_storage_";
  }
}

// KPTR-023 (check_map_func_compatibility).
bool KptrChecker::checkLocalStorageMap(const CallEvent &Call, HelperId H,
                                       CheckerContext &C) const {
  if (!Reporter.isActive(Rule::KptrLocalStorageHelper))
    return false;
  std::optional<MapType> Wanted = storageHelperMap(H);
  if (!Wanted && !takesMapFirst(H))
    return false;
  const VarDecl *Map = mapArgument(Call, 0);
  std::optional<MapDefinition> Def =
      Map ? parseMapDefinition(Map) : std::nullopt;
  std::optional<MapType> T = Def ? Def->mapType() : std::nullopt;
  if (!T || !Def->Type)
    return false;
  StringRef Name = helperName(static_cast<unsigned>(H));
  std::string What;
  if (Wanted) {
    if (*T == *Wanted)
      return false;
    What = (Name + "() needs a " + mapTypeName(*Wanted) + " map; '" +
            Map->getName() + "' is " + mapTypeName(*T))
               .str();
  } else {
    if (!isLocalStorage(*T))
      return false;
    StringRef Verb = H == HelperId::bpf_map_delete_elem ? "delete" : "get";
    What =
        (Name + "() cannot take local-storage map '" + Map->getName() + "' (" +
         mapTypeName(*T) + "); use " + storageGetHelper(*T) + Verb + "()")
            .str();
  }
  return report(Rule::KptrLocalStorageHelper, What, nullptr,
                Call.getArgSourceRange(0), C, "",
                {std::to_string(*Def->Type), Name.str(),
                 std::to_string(static_cast<unsigned>(H))});
}

void KptrChecker::checkPreCall(const CallEvent &Call, CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  BpfCallee Callee = classifyCallee(CE);
  if (Callee.Helper && checkLocalStorageMap(Call, *Callee.Helper, C))
    return;
  if (checkHelperMemory(Call, Callee, C))
    return;
  // __sync_* builtins on a kptr field (KPTR-004/006/007).
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
      FD && FD->getBuiltinID() && FD->getName().starts_with("__sync_") && CE &&
      CE->getNumArgs() >= 1 && Call.getNumArgs() >= 1) {
    QualType T = CE->getArg(0)->IgnoreParenImpCasts()->getType();
    if (const MemRegion *R = Call.getArgSVal(0).getAsRegion();
        R && T->isPointerType() && !hasVoidPointerArithmetic(CE->getArg(0)))
      checkAccessShape(R, T->getPointeeType(), /*Atomic=*/true,
                       Call.getArgSourceRange(0), C);
    return;
  }
  if (Callee.isHelper(HelperId::bpf_kptr_xchg) && Call.getNumArgs() == 2) {
    std::optional<KptrRecord::Field> Field;
    if (checkXchgDestination(Call, C, Field))
      return;
    checkXchgNew(Call, Field ? &*Field : nullptr, C);
    return;
  }
  if (!Callee.Kfunc || consumedArgument(Callee))
    return;
  if (!Callee.Kfunc->has(KfRelease) && !Callee.Kfunc->has(KfTrustedArgs))
    return;
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I)
    if (checkKfuncArgument(Call, Callee, I, C))
      return;
}

bool KptrChecker::checkXchgDestination(
    const CallEvent &Call, CheckerContext &C,
    std::optional<KptrRecord::Field> &Out) const {
  ProgramStateRef State = C.getState();
  SVal Dst = Call.getArgSVal(0);
  const MemRegion *R = Dst.getAsRegion();
  if (!R)
    return false;
  const VarDecl *Map = mapBehind(State, Dst);
  if (!Map)
    return false;
  if (std::optional<std::string> Why = kptrMapProblem(Map, kernel());
      Why && Reporter.isActive(Rule::KptrMapType))
    return report(Rule::KptrMapType, *Why, nullptr, Call.getArgSourceRange(0),
                  C, "", {Map->getName().str()});
  KptrRecord Rec = kptrRecord(Map, kernel());
  if (Rec.Broken && Reporter.isActive(Rec.BrokenRule))
    return report(
        Rec.BrokenRule,
        "bpf_kptr_xchg() on a value of map '" + Map->getName() +
            "', whose kptrs the kernel ignores: kptr field '" +
            Rec.Broken->getName() + "' is invalid because " + Rec.BrokenWhy,
        nullptr, Call.getArgSourceRange(0), C, "",
        {Rec.BrokenRule == Rule::KptrNoDestructor ? Map->getName().str()
                                                  : std::string("1")});
  if (!Rec.Valid)
    return false;
  // The offset from the start of the map value.
  RegionOffset Off = R->getAsOffset();
  if (!Off.isValid() || Off.hasSymbolicOffset() ||
      Off.getRegion() != R->getBaseRegion() || Off.getOffset() < 0)
    return false;
  uint64_t ByteOff = Off.getOffset() / 8;
  SourceRange Range = Call.getArgSourceRange(0);
  if (Rec.Fields.empty()) {
    if (Reporter.isActive(Rule::KptrXchgBadDestination))
      return report(Rule::KptrXchgBadDestination,
                    "bpf_kptr_xchg() on a value of map '" + Map->getName() +
                        "', whose type has no kptr field",
                    nullptr, Range, C, "none");
    return false;
  }
  const KptrRecord::Field *F = Rec.at(ByteOff);
  if (!F || F->Kind == KptrKind::Uptr) {
    if (Reporter.isActive(Rule::KptrXchgBadDestination))
      return report(Rule::KptrXchgBadDestination,
                    "bpf_kptr_xchg() destination is offset " + Twine(ByteOff) +
                        " of the value of map '" + Map->getName() +
                        "', which is not a kptr field",
                    nullptr, Range, C, "", {std::to_string(ByteOff)});
    return false;
  }
  if (F->Kind == KptrKind::Unref) {
    if (Reporter.isActive(Rule::KptrXchgUnreferenced))
      return report(Rule::KptrXchgUnreferenced,
                    "bpf_kptr_xchg() on kptr field '" + F->FD->getName() +
                        "', which is not a referenced kptr; " +
                        (kernel() >= KernelVersion(6, 3)
                             ? "declare it __kptr (not __kptr_untrusted)"
                             : "on this kernel a referenced kptr is tagged "
                               "btf_type_tag(\"kptr_ref\")"),
                    nullptr, Range, C, "", {std::to_string(ByteOff)});
    return false;
  }
  Out = *F;
  return false;
}

bool KptrChecker::checkXchgNew(const CallEvent &Call,
                               const KptrRecord::Field *Field,
                               CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SVal New = Call.getArgSVal(1);
  if (New.isZeroConstant())
    return false;
  SourceRange Range = Call.getArgSourceRange(1);
  SymbolRef Sym = baseSymbol(New);
  if (const KptrRef *Ref = Sym ? State->get<KptrRefs>(Sym) : nullptr) {
    if (Ref->K == KptrRef::Released) {
      if (Reporter.isActive(Rule::KptrUseAfterRelease))
        return report(
            Rule::KptrUseAfterRelease,
            Twine("bpf_kptr_xchg() is given an object that was "
                  "already ") +
                (Ref->Consumed ? "stored by bpf_kptr_xchg()" : "released"),
            Sym, Range, C, "helper", {"2"});
      return false;
    }
    if (mayBeNullSym(State, Sym)) {
      if (Reporter.isActive(Rule::KptrUseBeforeNullCheck))
        return report(Rule::KptrUseBeforeNullCheck,
                      "the object given to bpf_kptr_xchg() may be NULL; "
                      "check it first",
                      Sym, Range, C, "helper", {"2"});
      return false;
    }
  }
  if (Sym && !State->get<KptrRefs>(Sym) && !mayBeNullSym(State, Sym) &&
      !isKnownNull(State, Sym) && Reporter.isActive(Rule::KptrLoadedNotOwned))
    if (std::optional<KptrRecord::Field> F = loadedFrom(State, Sym, kernel()))
      return report(Rule::KptrLoadedNotOwned,
                    "bpf_kptr_xchg() is given a pointer loaded from kptr "
                    "field '" +
                        F->FD->getName() +
                        "', which the program does not own; only owned "
                        "references can be stored",
                    Sym, Range, C, "xchg");
  // Percpu fields take percpu objects, with their own type names. A plain
  // object in a percpu field is accepted (measured on 6.18).
  if (!Field || Field->Kind != KptrKind::Ref ||
      !Reporter.isActive(Rule::KptrXchgTypeMismatch))
    return false;
  const RecordDecl *Have = btfTypeOf(State, New);
  const RecordDecl *Want = recordOf(Field->Pointee);
  // KPTR-017: a percpu object into a plain referenced field. 6.18 prints
  // the percpu register type without a type name.
  if (isPercpuObject(State, Sym) && Want && Want->getIdentifier())
    return report(Rule::KptrXchgTypeMismatch,
                  "bpf_kptr_xchg() stores a percpu object into kptr field '" +
                      Field->FD->getName() +
                      "', which is not __percpu_kptr; percpu and plain "
                      "objects are not interchangeable",
                  Sym, Range, C, "",
                  {"2", "percpu_ptr_", "", "ptr_", Want->getName().str()});
  if (!Have || !Want || !Have->getIdentifier() || !Want->getIdentifier() ||
      Have->getName() == Want->getName())
    return false;
  return report(
      Rule::KptrXchgTypeMismatch,
      "bpf_kptr_xchg() stores a 'struct " + Have->getName() +
          "' into kptr field '" + Field->FD->getName() + "' of type 'struct " +
          Want->getName() + "'; the types must match exactly",
      Sym, Range, C, "",
      {"2", "ptr_", Have->getName().str(), "ptr_", Want->getName().str()});
}

bool KptrChecker::checkKfuncArgument(const CallEvent &Call,
                                     const BpfCallee &Callee, unsigned I,
                                     CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SVal V = Call.getArgSVal(I);
  SymbolRef Sym = baseSymbol(V);
  const KptrRef *Ref = Sym ? State->get<KptrRefs>(Sym) : nullptr;
  SourceRange Range = Call.getArgSourceRange(I);
  StringRef Name = Callee.Kfunc->Name;
  if (!Ref) {
    // Releasing a borrowed pointer. Checked pointers only: which message a
    // NULL-able one gets first is not modelled.
    if (!Sym || !Callee.Kfunc->has(KfRelease) || I != 0 ||
        mayBeNullSym(State, Sym) || isKnownNull(State, Sym) ||
        !Reporter.isActive(Rule::KptrLoadedNotOwned))
      return false;
    std::optional<KptrRecord::Field> F = loadedFrom(State, Sym, kernel());
    if (!F)
      return false;
    return report(Rule::KptrLoadedNotOwned,
                  Name + "() releases a pointer loaded from kptr field '" +
                      F->FD->getName() +
                      "', which the program does not own; take the object "
                      "out with bpf_kptr_xchg() to own it",
                  Sym, Range, C, "", {std::to_string(I + 1)});
  }
  if (Ref->K == KptrRef::Released) {
    if (Reporter.isActive(Rule::KptrUseAfterRelease))
      return report(
          Rule::KptrUseAfterRelease,
          Name + "() is given an object that was already " +
              (Ref->Consumed ? "stored by bpf_kptr_xchg()" : "released"),
          Sym, Range, C, "kfunc", {std::to_string(I + 1)});
    return false;
  }
  if (mayBeNullSym(State, Sym) &&
      Reporter.isActive(Rule::KptrUseBeforeNullCheck))
    return report(Rule::KptrUseBeforeNullCheck,
                  Name + "() is given a pointer that may be NULL; check it "
                         "first",
                  Sym, Range, C, "trusted", {std::to_string(I)});
  return false;
}

void KptrChecker::checkPostCall(const CallEvent &Call,
                                CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  BpfCallee Callee = classifyCallee(CE);
  if (!Callee.isKnown())
    return;
  ProgramStateRef State = C.getState();
  const ProgramStateRef Before = State;

  // Releases and consuming calls end the reference.
  SymbolRef Ended = nullptr;
  bool EndedByConsume = false;
  auto End = [&](unsigned I, bool Consumed) {
    if (I >= Call.getNumArgs())
      return;
    SymbolRef Sym = baseSymbol(Call.getArgSVal(I));
    const KptrRef *Ref = Sym ? State->get<KptrRefs>(Sym) : nullptr;
    if (!Ref || Ref->K != KptrRef::Owned)
      return;
    KptrRef New = *Ref;
    New.K = KptrRef::Released;
    New.Consumed = Consumed;
    State = State->set<KptrRefs>(Sym, New);
    Ended = Sym;
    EndedByConsume = Consumed;
  };
  if (Callee.isKfunc(KfuncId::bpf_rcu_read_lock)) {
    State = State->set<RcuDepth>(State->get<RcuDepth>() + 1);
  } else if (Callee.isKfunc(KfuncId::bpf_rcu_read_unlock)) {
    if (unsigned D = State->get<RcuDepth>())
      State = State->set<RcuDepth>(D - 1);
  } else if (Callee.isHelper(HelperId::bpf_kptr_xchg)) {
    End(1, /*Consumed=*/true);
  } else if (std::optional<unsigned> I = consumedArgument(Callee)) {
    End(*I, /*Consumed=*/true);
  } else if (Callee.Kfunc && Callee.Kfunc->has(KfRelease)) {
    End(0, /*Consumed=*/false);
  }

  // Acquisitions start one.
  SymbolRef Result = Call.getReturnValue().getAsSymbol();
  const RecordDecl *Type = nullptr;
  bool Track = false, NonNull = false, Percpu = false;
  if (Callee.isHelper(HelperId::bpf_kptr_xchg)) {
    // Only an exchange on a referenced field yields a reference; other
    // destinations were reported before the call.
    SVal Dst = Call.getArgSVal(0);
    const MemRegion *R = Dst.getAsRegion();
    KptrRecord Rec = kptrRecord(mapBehind(State, Dst), kernel());
    RegionOffset Off = R ? R->getAsOffset() : RegionOffset();
    if (Rec.Valid && Off.isValid() && !Off.hasSymbolicOffset() &&
        Off.getOffset() >= 0)
      if (const KptrRecord::Field *F = Rec.at(Off.getOffset() / 8);
          F && (F->Kind == KptrKind::Ref || F->Kind == KptrKind::Percpu)) {
        Track = true;
        Type = recordOf(F->Pointee);
        Percpu = F->Kind == KptrKind::Percpu;
      }
    // A kptr in global data.
    if (!Track)
      if (std::optional<KptrRecord::Field> F = globalKptr(R, kernel());
          F && (F->Kind == KptrKind::Ref || F->Kind == KptrKind::Percpu)) {
        Track = true;
        Type = recordOf(F->Pointee);
        Percpu = F->Kind == KptrKind::Percpu;
      }
    // A kptr field of a program-local object (KPTR-021).
    if (!Rec.Map)
      if (std::optional<KptrRecord::Field> F =
              localObjectKptrField(R, kernel());
          F && (F->Kind == KptrKind::Ref || F->Kind == KptrKind::Percpu)) {
        Track = true;
        Type = recordOf(F->Pointee);
        Percpu = F->Kind == KptrKind::Percpu;
      }
  } else if (Callee.Kfunc && Callee.Kfunc->has(KfAcquire) &&
             !isGraphAcquire(Callee) && Callee.Kfunc->Since <= kernel()) {
    Track = true;
    NonNull = !Callee.Kfunc->has(KfRetNull);
    Type = recordOf(Call.getResultType()->getPointeeType());
  }
  ExplodedNode *Pred = C.getPredecessor();
  if (Ended) {
    std::string What = EndedByConsume
                           ? "reference handed over by " +
                                 (Callee.Helper ? std::string("bpf_kptr_xchg")
                                                : Callee.Kfunc->Name.str()) +
                                 "() here"
                           : "reference released here";
    const NoteTag *Note =
        C.getNoteTag([Ended, What](PathSensitiveBugReport &BR) {
          return BR.isInteresting(Ended) ? What : std::string();
        });
    Pred = C.addTransition(State, Pred, Note);
    if (!Pred)
      return;
  }
  if (Track && Result) {
    State = State->set<KptrRefs>(
        Result, KptrRef{KptrRef::Owned, CE, Type, false, Percpu});
    if (NonNull)
      if (ProgramStateRef S = State->assume(
              Call.getReturnValue().castAs<DefinedOrUnknownSVal>(), true))
        State = S;
    std::string What =
        Callee.Helper
            ? "bpf_kptr_xchg() returns the old object here; it is owned and "
              "may be NULL"
            : (Callee.Kfunc->Name + "() acquires a reference here").str();
    const NoteTag *Note =
        C.getNoteTag([Result, What](PathSensitiveBugReport &BR) -> std::string {
          return BR.isInteresting(Result) ? What : "";
        });
    C.addTransition(State, Pred, Note);
    return;
  }
  if (!Ended && State != Before)
    C.addTransition(State);
}

void KptrChecker::checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                                CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  const MemRegion *R = Loc.getAsRegion();
  if (!R)
    return;
  SourceRange Range = S ? S->getSourceRange() : SourceRange();

  // Loads and stores through a tracked reference.
  if (SymbolRef Sym = baseSymbol(Loc)) {
    if (const KptrRef *Ref = State->get<KptrRefs>(Sym)) {
      const char *Access = IsLoad ? "read" : "written";
      if (Ref->K == KptrRef::Released) {
        if (Reporter.isActive(Rule::KptrUseAfterRelease))
          report(Rule::KptrUseAfterRelease,
                 Twine("object ") + Access + " after it was " +
                     (Ref->Consumed ? "stored by bpf_kptr_xchg()" : "released"),
                 Sym, Range, C);
        return;
      }
      if (Ref->Percpu) {
        // NULL-able percpu pointers get a message not modelled here.
        if (!mayBeNullSym(State, Sym))
          reportPercpuAccess(Ref->Type, Sym, R, Range, C);
        return;
      }
      if (mayBeNullSym(State, Sym) &&
          Reporter.isActive(Rule::KptrUseBeforeNullCheck)) {
        report(Rule::KptrUseBeforeNullCheck,
               Twine("object ") + Access +
                   " before the pointer is checked for NULL",
               Sym, Range, C);
        return;
      }
    }
  }

  // Kernel objects loaded from a kptr field, in a non-GPL program.
  if (SymbolRef Sym = baseSymbol(Loc);
      Sym && !mayBeNullSym(State, Sym) && !isKnownNull(State, Sym) &&
      Reporter.isActive(Rule::KptrNonGplAccess))
    if (std::optional<KptrRecord::Field> F = loadedFrom(State, Sym, kernel());
        F && (F->Kind == KptrKind::Ref || F->Kind == KptrKind::Unref))
      if (const RecordDecl *RD = recordOf(F->Pointee);
          RD && RD->getIdentifier() &&
          RD->hasAttr<BPFPreserveAccessIndexAttr>())
        if (std::optional<std::string> License =
                nonGplLicense(C.getASTContext())) {
          report(Rule::KptrNonGplAccess,
                 "object 'struct " + RD->getName() +
                     "' loaded from kptr "
                     "field '" +
                     F->FD->getName() +
                     "' is a kernel object, "
                     "which only GPL-compatible programs may read; the "
                     "license is '" +
                     *License + "'",
                 Sym, Range, C, "", {RD->getName().str()});
          return;
        }

  // Direct accesses through a percpu pointer loaded from a kptr field.
  if (SymbolRef Sym = baseSymbol(Loc);
      Sym && !mayBeNullSym(State, Sym) && !isKnownNull(State, Sym))
    if (std::optional<KptrRecord::Field> F = loadedFrom(State, Sym, kernel());
        F && F->Kind == KptrKind::Percpu) {
      reportPercpuAccess(recordOf(F->Pointee), Sym, R, Range, C);
      return;
    }

  // Loads through a pointer read from a kptr field, before its NULL check.
  if (SymbolRef Sym = baseSymbol(Loc);
      Sym && !State->get<KptrRefs>(Sym) && mayBeNullSym(State, Sym) &&
      Reporter.isActive(Rule::KptrUseBeforeNullCheck)) {
    if (std::optional<KptrRecord::Field> F = loadedFrom(State, Sym, kernel());
        F && F->Kind != KptrKind::Percpu && F->Kind != KptrKind::Uptr) {
      report(Rule::KptrUseBeforeNullCheck,
             "pointer loaded from kptr field '" + F->FD->getName() +
                 "' is dereferenced before it is checked for NULL; the "
                 "field may be empty",
             Sym, Range, C, loadedIsRcu(*F, C) ? "rcu" : "untrusted");
      return;
    }
  }

  // Accesses of the wrong shape (KPTR-004/005/006).
  if (const auto *TR = dyn_cast<TypedValueRegion>(R);
      TR && !hasVoidPointerArithmetic(S))
    if (checkAccessShape(R, TR->getValueType(), /*Atomic=*/false, Range, C))
      return;

  // Direct stores into kptr fields of a map value.
  if (IsLoad || !Reporter.isActive(Rule::KptrDirectStore))
    return;
  const auto *FR = dyn_cast<FieldRegion>(R);
  if (!FR || !FR->getDecl()->getType()->isPointerType())
    return;
  const VarDecl *Map = mapBehind(State, loc::MemRegionVal(R->getBaseRegion()));
  if (!Map)
    return;
  KptrRecord Rec = kptrRecord(Map, kernel());
  const KptrRecord::Field *F = Rec.Valid ? Rec.of(FR->getDecl()) : nullptr;
  if (!F || F->Kind == KptrKind::Unref)
    return;
  if (F->Kind == KptrKind::Uptr) {
    report(Rule::KptrDirectStore,
           "store to uptr field '" + F->FD->getName() +
               "' of a map value; uptr fields are set by user space only",
           nullptr, Range, C, "uptr");
    return;
  }
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(Rule::KptrDirectStore),
      Reporter.describe(
          Rule::KptrDirectStore,
          (Twine("direct store to ") +
           (F->Kind == KptrKind::Percpu ? "percpu" : "referenced") +
           " kptr field '" + F->FD->getName() +
           "' of a map value; use bpf_kptr_xchg() and release the old "
           "object it returns")
              .str()),
      N);
  if (Range.isValid())
    Report->addRange(Range);
  RuleReporter::addFixIts(*Report, directStoreFixIt(S, *F, C));
  C.emitReport(std::move(Report));
}

// KPTR-012: an unreferenced kptr field takes NULL or a pointer of exactly
// its type (or whose first member is of its type; not modelled: only plain
// mismatches are reported).
void KptrChecker::checkPreStmt(const BinaryOperator *BO,
                               CheckerContext &C) const {
  if (BO->getOpcode() != BO_Assign)
    return;
  ProgramStateRef State = C.getState();
  std::optional<KptrRecord::Field> F =
      kptrFieldAt(State, C.getSVal(BO->getLHS()), kernel());
  if (!F || F->Kind != KptrKind::Unref)
    return;
  SVal V = C.getSVal(BO->getRHS());
  if (V.isZeroConstant())
    return;
  // KPTR-011: an integer that cannot be 0 here.
  // The integer value under the casts to a pointer type (stopping at the
  // load of a variable, whose rvalue is what the environment holds).
  const Expr *Int = BO->getRHS()->IgnoreParens();
  while (const auto *CE = dyn_cast<CastExpr>(Int)) {
    if (CE->getCastKind() == CK_LValueToRValue)
      break;
    Int = CE->getSubExpr()->IgnoreParens();
  }
  if (Int->getType()->isIntegerType()) {
    // The integer itself. The environment no longer holds the value of an
    // operand of the cast: checkPreStmt(CastExpr) kept it. Integers the
    // analyzer cannot compute are not reported.
    V = C.getSVal(Int);
    if (V.isUnknown())
      for (const Expr *E = BO->getRHS()->IgnoreParens(); E != Int;) {
        const auto *Cast = dyn_cast<CastExpr>(E);
        if (!Cast)
          break;
        if (const SVal *Kept = State->get<IntToPtrValues>(Cast)) {
          V = *Kept;
          break;
        }
        E = Cast->getSubExpr()->IgnoreParens();
      }
    std::optional<DefinedOrUnknownSVal> DV = V.getAs<DefinedOrUnknownSVal>();
    if (!DV || V.isUnknown() || State->assume(*DV, false) ||
        !Reporter.isActive(Rule::KptrStoreInteger))
      return;
    const RecordDecl *Want = recordOf(F->Pointee);
    std::string WantName =
        Want && Want->getIdentifier() ? Want->getName().str() : "%s";
    // clang emits BPF_ST for constants that fit in 32 bits with -mcpu=v4.
    const llvm::APSInt *K = C.getSValBuilder().getKnownValue(State, V);
    bool Imm = K && K->getSignificantBits() <= 32 &&
               C.getASTContext().getTargetInfo().getTargetOpts().CPU == "v4";
    report(Rule::KptrStoreInteger,
           "stores an integer into kptr field '" + F->FD->getName() +
               "'; an unreferenced kptr holds NULL or a pointer to 'struct " +
               WantName + "'",
           nullptr, BO->getSourceRange(), C, Imm ? "" : "register",
           Imm ? SmallVector<std::string, 5>{std::to_string(F->Offset)}
               : SmallVector<std::string, 5>{"%d", "ptr_", WantName,
                                             "untrusted_ptr_", WantName});
    return;
  }
  if (!Reporter.isActive(Rule::KptrUntrustedStoreType))
    return;
  const RecordDecl *Have = btfTypeOf(State, V);
  const RecordDecl *Want = recordOf(F->Pointee);
  if (!Have || !Want || !Have->getIdentifier() || !Want->getIdentifier() ||
      Have->getName() == Want->getName())
    return;
  // The first member of the stored type may be the field's type.
  if (const RecordDecl *Def = Have->getDefinition())
    if (!Def->field_empty())
      if (const RecordDecl *First = recordOf(Def->field_begin()->getType());
          First && First->getIdentifier() &&
          First->getName() == Want->getName())
        return;
  report(Rule::KptrUntrustedStoreType,
         "stores a 'struct " + Have->getName() + "' into kptr field '" +
             F->FD->getName() + "' of type 'struct " + Want->getName() + "'",
         baseSymbol(V), BO->getSourceRange(), C, "",
         {"%d", "ptr_", Have->getName().str(), "ptr_", Want->getName().str(),
          "untrusted_ptr_", Want->getName().str()});
}

// KPTR-007: __atomic_* read-modify-write builtins on a kptr field. Atomic
// loads and stores do not compile for BPF with LLVM 19.
void KptrChecker::checkPreStmt(const AtomicExpr *E, CheckerContext &C) const {
  switch (E->getOp()) {
  case AtomicExpr::AO__atomic_load:
  case AtomicExpr::AO__atomic_load_n:
  case AtomicExpr::AO__atomic_store:
  case AtomicExpr::AO__atomic_store_n:
  case AtomicExpr::AO__c11_atomic_load:
  case AtomicExpr::AO__c11_atomic_store:
  case AtomicExpr::AO__c11_atomic_init:
    return;
  default:
    break;
  }
  QualType T = E->getPtr()->IgnoreParenImpCasts()->getType();
  const MemRegion *R = C.getSVal(E->getPtr()).getAsRegion();
  if (!R || !T->isPointerType() || hasVoidPointerArithmetic(E->getPtr()))
    return;
  QualType Pointee = T->getPointeeType();
  if (const auto *AT = Pointee->getAs<AtomicType>())
    Pointee = AT->getValueType();
  checkAccessShape(R, Pointee, /*Atomic=*/true, E->getSourceRange(), C);
}

void KptrChecker::checkPreStmt(const CastExpr *E, CheckerContext &C) const {
  if (E->getCastKind() != CK_IntegralToPointer ||
      !Reporter.isActive(Rule::KptrStoreInteger))
    return;
  SVal V = C.getSVal(E->getSubExpr());
  if (!V.getAsSymbol() || !isa<NonLoc>(V))
    return;
  // Only casts stored right away into a field.
  const ParentMap &PM = C.getLocationContext()->getParentMap();
  const Stmt *P = PM.getParentIgnoreParenCasts(E);
  const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
  if (!BO || BO->getOpcode() != BO_Assign ||
      !isa<MemberExpr>(BO->getLHS()->IgnoreParens()))
    return;
  C.addTransition(C.getState()->set<IntToPtrValues>(E, V));
}

// The integer kept by checkPreStmt(CastExpr) lives until the assignment.
void KptrChecker::checkPostStmt(const BinaryOperator *BO,
                                CheckerContext &C) const {
  if (BO->getOpcode() != BO_Assign)
    return;
  ProgramStateRef State = C.getState();
  for (const Expr *E = BO->getRHS()->IgnoreParens(); isa<CastExpr>(E);
       E = cast<CastExpr>(E)->getSubExpr()->IgnoreParens())
    if (State->get<IntToPtrValues>(E)) {
      C.addTransition(State->remove<IntToPtrValues>(E));
      return;
    }
}

void KptrChecker::checkLiveSymbols(ProgramStateRef State,
                                   SymbolReaper &SR) const {
  for (const auto &Entry : State->get<IntToPtrValues>())
    if (SymbolRef Sym = Entry.second.getAsSymbol())
      SR.markLive(Sym);
}

void KptrChecker::checkPostStmt(const ImplicitCastExpr *E,
                                CheckerContext &C) const {
  if (E->getCastKind() != CK_LValueToRValue || !E->getType()->isPointerType())
    return;
  ProgramStateRef State = C.getState();
  SymbolRef Sym = C.getSVal(E).getAsSymbol();
  if (!Sym || State->get<KptrRefs>(Sym))
    return;
  std::optional<KptrRecord::Field> F =
      kptrFieldAt(State, C.getSVal(E->getSubExpr()), kernel());
  if (F)
    C.addTransition(State->set<LoadedKptrs>(Sym, F->FD));
}

void KptrChecker::checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  for (const auto &Entry : State->get<LoadedKptrs>())
    if (SR.isDead(Entry.first))
      State = State->remove<LoadedKptrs>(Entry.first);
  SmallVector<RuleReporter::Leak, 2> Leaked;
  for (const auto &[Sym, Ref] : State->get<KptrRefs>()) {
    if (!SR.isDead(Sym))
      continue;
    if (Ref.K == KptrRef::Owned && !isKnownNull(State, Sym))
      Leaked.push_back({Sym, Ref.Site});
    State = State->remove<KptrRefs>(Sym);
  }
  Reporter.reportLeaks(
      Rule::KptrLeak,
      "reference is neither released nor stored in a kptr on this path", Leaked,
      State, C);
}

ProgramStateRef KptrChecker::checkPointerEscape(
    ProgramStateRef State, const InvalidatedSymbols &Escaped,
    const CallEvent *Call, PointerEscapeKind Kind) const {
  // A reference handed to code we cannot see may be released there.
  for (SymbolRef Sym : Escaped)
    if (const KptrRef *Ref = State->get<KptrRefs>(Sym);
        Ref && Ref->K == KptrRef::Owned)
      State = State->remove<KptrRefs>(Sym);
  return State;
}

} // namespace

void registerKptrChecker(CheckerManager &Mgr) {
  BtfRootsFor = nullptr;
  BtfRootsFull.clear();
  auto *Checker = Mgr.registerChecker<KptrChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
