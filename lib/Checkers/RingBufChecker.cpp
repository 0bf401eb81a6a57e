//===- RingBufChecker.cpp - bpf_ringbuf_reserve / submit / discard --------===//
//
// A reservation is a reference the verifier tracks from bpf_ringbuf_reserve
// until bpf_ringbuf_submit or bpf_ringbuf_discard releases it. The record
// pointer is NULL-able until checked, usable while reserved, and dead (a
// scalar, in every copy) once released. Modelled on clang's StreamChecker: a
// symbol-keyed state map, leaks found when the record's symbol dies. Copies
// of the pointer (locals, struct fields, arguments of static helpers) share
// the symbol, so they are tracked together, as the verifier does by id.
//
// Rules: RB-006 (access before the NULL check), RB-009 (reservation neither
// submitted nor discarded on some path), RB-010 (access after release
// or second release), RB-011 (release of an interior pointer), RB-012
// (release of a NULL-able, NULL or non-ring-buffer pointer), RB-013 (record
// held across bpf_tail_call or a legacy packet load), RB-007 (pointer
// arithmetic before the NULL check), RB-008 (write beyond the reserved
// size).
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "LockFixIts.h"
#include "RingBuf.h"
#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SValBuilder.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace {
struct RecordState {
  enum Kind { Reserved, Submitted, Discarded } K;
  /// The reserve call, used to report each leaking reservation once.
  const Stmt *ReserveSite;
  /// The reserved size in bytes if it is a constant, else -1.
  int64_t Size = -1;

  bool isReleased() const { return K != Reserved; }
  bool operator==(const RecordState &O) const {
    return K == O.K && ReserveSite == O.ReserveSite && Size == O.Size;
  }
  void Profile(FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddPointer(ReserveSite);
    ID.AddInteger(Size);
  }
};
} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(Records, SymbolRef, RecordState)

namespace bpflint {
namespace {

class RingBufChecker
    : public Checker<check::PreCall, check::PostCall, check::Location,
                     check::DeadSymbols, check::PointerEscape> {
public:
  RuleReporter Reporter;

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
  void checkRelease(const CallEvent &Call, StringRef HelperName,
                    CheckerContext &C) const;
  void checkEarlyExit(const CallEvent &Call, CheckerContext &C) const;
  bool checkArithmetic(const CallEvent &Call, CheckerContext &C) const;
  void checkHelperMemory(const CallEvent &Call, CheckerContext &C) const;
  void checkVariableIndex(SymbolRef Sym, const TypedValueRegion *R,
                          const Stmt *S, CheckerContext &C) const;
  bool checkBounds(SymbolRef Sym, SVal Ptr, uint64_t AccessSize,
                   const Twine &What, SourceRange Range,
                   CheckerContext &C) const;
  SmallVector<FixItHint, 2> discardBeforeReturn(const RuleReporter::Leak &L,
                                                const ExplodedNode *N,
                                                ProgramStateRef State,
                                                CheckerContext &C) const;
  void report(Rule R, const Twine &What, SymbolRef Sym, SourceRange Range,
              CheckerContext &C, StringRef Variant = "",
              ArrayRef<std::string> Args = {},
              ArrayRef<FixItHint> FixIts = {}) const;
};

/// The reservation a pointer points into, if it is a tracked record.
SymbolRef recordSymbol(ProgramStateRef State, SVal Ptr) {
  const MemRegion *R = Ptr.getAsRegion();
  if (!R)
    return nullptr;
  const auto *SR = dyn_cast<SymbolicRegion>(R->getBaseRegion());
  if (!SR || !State->get<Records>(SR->getSymbol()))
    return nullptr;
  return SR->getSymbol();
}

bool recordMayBeNull(ProgramStateRef State, SymbolRef Sym) {
  ConditionTruthVal IsNull = State->getConstraintManager().isNull(State, Sym);
  return !IsNull.isConstrainedTrue() && !IsNull.isConstrainedFalse();
}

/// The constant byte offset of Ptr from the start of its record, if the
/// offset is a constant.
std::optional<int64_t> constantOffset(SVal Ptr) {
  const MemRegion *R = Ptr.getAsRegion();
  if (!R)
    return std::nullopt;
  RegionOffset Off = R->getAsOffset();
  if (!Off.isValid() || Off.hasSymbolicOffset())
    return std::nullopt;
  return Off.getOffset() / 8;
}

/// True if Ptr points into its record at a variable offset.
bool hasVariableOffset(SVal Ptr) {
  const MemRegion *R = Ptr.getAsRegion();
  if (!R)
    return false;
  RegionOffset Off = R->getAsOffset();
  return Off.isValid() && Off.hasSymbolicOffset();
}

/// Helpers that read or write memory through (pointer, size) arguments
/// whose size the verifier checks against the memory's bounds.
struct MemoryArg {
  unsigned Ptr, Size;
};
std::optional<MemoryArg> helperMemoryArg(HelperId H) {
  switch (H) {
  case HelperId::bpf_get_current_comm:
  case HelperId::bpf_probe_read_kernel:
  case HelperId::bpf_probe_read_kernel_str:
  case HelperId::bpf_dynptr_read:
    return MemoryArg{0, 1};
  case HelperId::bpf_ringbuf_output:
    return MemoryArg{1, 2};
  case HelperId::bpf_perf_event_output:
    return MemoryArg{3, 4};
  default:
    return std::nullopt;
  }
}

const char *releasedAs(RecordState::Kind K) {
  return K == RecordState::Submitted ? "submitted" : "discarded";
}

} // namespace

void RingBufChecker::report(Rule R, const Twine &What, SymbolRef Sym,
                            SourceRange Range, CheckerContext &C,
                            StringRef Variant, ArrayRef<std::string> Args,
                            ArrayRef<FixItHint> FixIts) const {
  // The kernel stops at the first error: nothing after it is analysed.
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(R), Reporter.describe(R, What.str(), Variant, Args), N);
  if (Range.isValid())
    Report->addRange(Range);
  if (Sym)
    Report->markInteresting(Sym);
  RuleReporter::addFixIts(*Report, FixIts);
  C.emitReport(std::move(Report));
}

namespace {
/// BPF_F_RDONLY_PROG: the verifier knows the values of a frozen read-only
/// map.
constexpr uint64_t MapFlagRdonlyProg = 1u << 7;

/// The map of `bpf_map_lookup_elem(&map, ...)` if Sym is its result. (The
/// modeling checker forgets the map once the pointer is dead, while values
/// loaded through it live on.)
const VarDecl *lookedUpMap(SymbolRef Sym) {
  const auto *SC = dyn_cast<SymbolConjured>(Sym);
  const auto *CE = SC ? dyn_cast_or_null<CallExpr>(SC->getStmt()) : nullptr;
  if (!CE || CE->getNumArgs() < 1 ||
      !classifyCallee(CE).isHelper(HelperId::bpf_map_lookup_elem))
    return nullptr;
  const auto *UO =
      dyn_cast<UnaryOperator>(CE->getArg(0)->IgnoreParenImpCasts());
  const auto *DRE =
      UO && UO->getOpcode() == UO_AddrOf
          ? dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts())
          : nullptr;
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

/// True if the verifier has no range for Sym beyond its width.
bool isOpaqueSource(ProgramStateRef State, SymbolRef Sym) {
  if (const auto *SC = dyn_cast<SymbolConjured>(Sym)) {
    // Helpers whose result the verifier leaves unknown (helpers such as
    // bpf_probe_read_kernel_str or bpf_get_smp_processor_id get a range).
    BpfCallee Callee =
        classifyCallee(dyn_cast_or_null<CallExpr>(SC->getStmt()));
    return Callee.isHelper(HelperId::bpf_get_prandom_u32) ||
           Callee.isHelper(HelperId::bpf_ktime_get_ns) ||
           Callee.isHelper(HelperId::bpf_get_current_pid_tgid);
  }
  const MemRegion *R = nullptr;
  if (const auto *RV = dyn_cast<SymbolRegionValue>(Sym))
    R = RV->getRegion();
  else if (const auto *D = dyn_cast<SymbolDerived>(Sym))
    R = D->getRegion();
  if (!R || !isa<SymbolicRegion>(R->getBaseRegion()))
    return false;
  // A load from the value of a looked-up map, unless the map is read-only
  // to the program (its values may be known constants).
  const VarDecl *Map = mapBehind(State, loc::MemRegionVal(R->getBaseRegion()));
  if (!Map)
    Map = lookedUpMap(cast<SymbolicRegion>(R->getBaseRegion())->getSymbol());
  std::optional<MapDefinition> Def =
      Map ? parseMapDefinition(Map) : std::nullopt;
  return Def && !Def->GlobalData && !Def->Legacy &&
         !(Def->MapFlags.value_or(0) & MapFlagRdonlyProg);
}

bool mayHold(CheckerContext &C, ProgramStateRef State, SymbolRef Sym,
             BinaryOperatorKind Op, const llvm::APSInt &Bound) {
  SValBuilder &SVB = C.getSValBuilder();
  SVal Cond = SVB.evalBinOpNN(State, Op, nonloc::SymbolVal(Sym),
                              SVB.makeIntVal(Bound), SVB.getConditionType());
  auto DCond = Cond.getAs<DefinedOrUnknownSVal>();
  return DCond && !Cond.isUnknown() && State->assume(*DCond, true);
}
} // namespace

std::optional<OpaqueScalar> opaqueScalar(CheckerContext &C, SVal V,
                                         const Expr *Source) {
  SymbolRef Sym = V.getAsSymbol();
  while (const auto *Cast = dyn_cast_or_null<SymbolCast>(Sym))
    Sym = Cast->getOperand();
  ProgramStateRef State = C.getState();
  if (!Sym || !Source || !isOpaqueSource(State, Sym))
    return std::nullopt;
  // The value must be used at its own type: the analyzer does not model
  // the conversions the compiler emits (sign extension of an int holding a
  // u32), so another type gives another verifier range.
  ASTContext &Ctx = C.getASTContext();
  QualType T = Sym->getType();
  QualType ST = Source->IgnoreParenImpCasts()->getType();
  if (!T->isIntegerType() || ST.isNull() || !ST->isIntegerType() ||
      Ctx.getTypeSize(T) != Ctx.getTypeSize(ST) ||
      T->isSignedIntegerType() != ST->isSignedIntegerType())
    return std::nullopt;
  OpaqueScalar O;
  O.Bits = Ctx.getTypeSize(T);
  O.Signed = T->isSignedIntegerType();
  if (O.Bits > 64)
    return std::nullopt;
  BasicValueFactory &BVF = C.getSValBuilder().getBasicValueFactory();
  llvm::APSInt Zero = BVF.getValue(0, T);
  llvm::APSInt Limit = BVF.getValue(1ULL << 29, T);
  if (O.Signed) {
    O.Negative = mayHold(C, State, Sym, BO_LT, Zero);
    O.Min = mayHold(C, State, Sym, BO_EQ, BVF.getMinValue(T));
  } else if (O.Bits == 64) {
    O.SignBit = mayHold(C, State, Sym, BO_GE, BVF.getValue(1ULL << 63, T));
  }
  O.Unbounded = O.Bits > 29 && mayHold(C, State, Sym, BO_GE, Limit);
  return O;
}

std::optional<EarlyExit> earlyExitOf(const CallExpr *CE) {
  if (!CE)
    return std::nullopt;
  if (classifyCallee(CE).isHelper(HelperId::bpf_tail_call))
    return EarlyExit{"", "bpf_tail_call()", "a tail call does not return"};
  // `unsigned long long load_byte(void *skb, unsigned long long off)
  //  asm("llvm.bpf.load.byte");` and friends compile to BPF_LD_ABS/IND.
  const FunctionDecl *FD = CE->getDirectCallee();
  const auto *Label = FD ? FD->getAttr<AsmLabelAttr>() : nullptr;
  if (Label && Label->getLabel().starts_with("llvm.bpf.load."))
    return EarlyExit{"ld_abs",
                     ("legacy packet load '" + FD->getName() + "'").str(),
                     "a failed load ends the program"};
  return std::nullopt;
}

void RingBufChecker::checkPreCall(const CallEvent &Call,
                                  CheckerContext &C) const {
  BpfCallee Callee =
      classifyCallee(dyn_cast_or_null<CallExpr>(Call.getOriginExpr()));
  if (Callee.isKnown() && checkArithmetic(Call, C))
    return;
  if (Callee.isHelper(HelperId::bpf_ringbuf_submit))
    checkRelease(Call, "bpf_ringbuf_submit", C);
  else if (Callee.isHelper(HelperId::bpf_ringbuf_discard))
    checkRelease(Call, "bpf_ringbuf_discard", C);
  else {
    checkEarlyExit(Call, C);
    checkHelperMemory(Call, C);
  }
}

// A pointer into an unchecked record passed to a helper or kfunc: the
// compiler has to compute it before the call, so before the NULL check
// that follows. (Arithmetic written before the check but only used after
// it is sunk past the check by the compiler and accepted.) A pointer to the
// record itself needs no arithmetic and fails in the helper's argument
// check instead: that is left to the other rules.
bool RingBufChecker::checkArithmetic(const CallEvent &Call,
                                     CheckerContext &C) const {
  if (!Reporter.isActive(Rule::RingbufArithBeforeNullCheck))
    return false;
  ProgramStateRef State = C.getState();
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) {
    SVal Arg = Call.getArgSVal(I);
    SymbolRef Sym = recordSymbol(State, Arg);
    if (!Sym || State->get<Records>(Sym)->isReleased() ||
        !recordMayBeNull(State, Sym))
      continue;
    std::optional<int64_t> Off = constantOffset(Arg);
    if (Off && *Off == 0)
      continue;
    report(Rule::RingbufArithBeforeNullCheck,
           "a pointer into a ring buffer record is computed before the "
           "record is checked for NULL; check the result of "
           "bpf_ringbuf_reserve() first",
           Sym, Call.getArgSourceRange(I), C);
    return true;
  }
  return false;
}

/// The array subscript a store S writes through: `a[i] = v`, `a[i] += v`,
/// `a[i]++`.
static const ArraySubscriptExpr *storedSubscript(const Stmt *S) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    E = BO->isAssignmentOp() ? BO->getLHS() : E;
  else if (const auto *UO = dyn_cast<UnaryOperator>(E))
    E = UO->isIncrementDecrementOp() ? UO->getSubExpr() : E;
  return dyn_cast<ArraySubscriptExpr>(E->IgnoreParenImpCasts());
}

// RB-008 at a variable index: a write `rec->buf[i] = v` whose index the path
// does not bound. Only an index the verifier knows nothing about either
// (see opaqueScalar) is reported, so the verifier's range is the path's.
void RingBufChecker::checkVariableIndex(SymbolRef Sym,
                                        const TypedValueRegion *R,
                                        const Stmt *S,
                                        CheckerContext &C) const {
  if (!Reporter.isActive(Rule::RingbufAccessOutOfBounds))
    return;
  const auto *ER = dyn_cast<ElementRegion>(R);
  const ArraySubscriptExpr *ASE = storedSubscript(S);
  if (!ER || !ASE || hasVariableOffset(loc::MemRegionVal(ER->getSuperRegion())))
    return;
  std::optional<OpaqueScalar> O =
      opaqueScalar(C, ER->getIndex(), ASE->getIdx());
  if (!O)
    return;
  StringRef Variant;
  const char *Why = "";
  if ((O->Signed && O->Bits == 64 && O->Min) || O->SignBit) {
    Variant = "unbounded_min";
    Why = "may have its sign bit set";
  } else if (O->Signed && O->Min) {
    Variant = "negative";
    Why = "may be negative";
  } else if (!O->Negative && O->Unbounded) {
    Variant = "unbounded";
    Why = "has no upper bound";
  } else {
    return;
  }
  report(Rule::RingbufAccessOutOfBounds,
         Twine("ring buffer record written at an index that ") + Why +
             " on this path; check the index against the size of the array "
             "first",
         Sym, ASE->getIdx()->getSourceRange(), C, Variant);
}

// RB-008: the reserved size bounds every access, in the program and in the
// helpers it passes the record to.
bool RingBufChecker::checkBounds(SymbolRef Sym, SVal Ptr, uint64_t AccessSize,
                                 const Twine &What, SourceRange Range,
                                 CheckerContext &C) const {
  const RecordState *RS = C.getState()->get<Records>(Sym);
  if (!RS || RS->Size < 0 || !Reporter.isActive(Rule::RingbufAccessOutOfBounds))
    return false;
  std::optional<int64_t> Off = constantOffset(Ptr);
  if (!Off || *Off < 0 || *Off + (int64_t)AccessSize <= RS->Size)
    return false;
  report(Rule::RingbufAccessOutOfBounds,
         What + " bytes " + Twine(*Off) + ".." + Twine(*Off + AccessSize) +
             " of a ring buffer record of " + Twine(RS->Size) +
             " bytes; reserve the size of what the record holds",
         Sym, Range, C, "",
         {std::to_string(RS->Size), std::to_string(*Off),
          std::to_string(AccessSize)});
  return true;
}

void RingBufChecker::checkHelperMemory(const CallEvent &Call,
                                       CheckerContext &C) const {
  BpfCallee Callee =
      classifyCallee(dyn_cast_or_null<CallExpr>(Call.getOriginExpr()));
  if (!Callee.Helper)
    return;
  std::optional<MemoryArg> Mem = helperMemoryArg(*Callee.Helper);
  if (!Mem || Mem->Size >= Call.getNumArgs())
    return;
  ProgramStateRef State = C.getState();
  SVal Ptr = Call.getArgSVal(Mem->Ptr);
  SymbolRef Sym = recordSymbol(State, Ptr);
  if (!Sym || State->get<Records>(Sym)->isReleased() ||
      recordMayBeNull(State, Sym))
    return;
  const llvm::APSInt *Size =
      C.getSValBuilder().getKnownValue(State, Call.getArgSVal(Mem->Size));
  if (!Size || Size->isNegative() || Size->isZero())
    return;
  checkBounds(Sym, Ptr, Size->getZExtValue(),
              helperName(static_cast<unsigned>(*Callee.Helper)) +
                  Twine("() is given"),
              Call.getArgSourceRange(Mem->Ptr), C);
}

// bpf_tail_call and LD_ABS/LD_IND may end the program: the verifier rejects
// them while any reference is held. A reservation counts until it is known
// to have failed.
void RingBufChecker::checkEarlyExit(const CallEvent &Call,
                                    CheckerContext &C) const {
  if (!Reporter.isActive(Rule::RingbufHeldAcrossEarlyExit))
    return;
  std::optional<EarlyExit> Exit =
      earlyExitOf(dyn_cast_or_null<CallExpr>(Call.getOriginExpr()));
  if (!Exit)
    return;
  ProgramStateRef State = C.getState();
  for (const auto &[Sym, RS] : State->get<Records>()) {
    if (RS.K != RecordState::Reserved ||
        State->getConstraintManager().isNull(State, Sym).isConstrainedTrue())
      continue;
    report(Rule::RingbufHeldAcrossEarlyExit,
           Exit->Call + " while a ring buffer record is reserved; " +
               Exit->Reason + ": submit or discard the record first",
           Sym, Call.getSourceRange(), C, Exit->Variant);
    return;
  }
}

namespace {
/// The local variable the reserve call Site is stored in, when it is the
/// only value the variable ever gets in FD (initialiser or one assignment,
/// address never taken), so that at any return it holds that record.
class SingleAssignment : public RecursiveASTVisitor<SingleAssignment> {
public:
  explicit SingleAssignment(const VarDecl *VD) : VD(VD) {}
  unsigned Writes = 0;
  bool AddressTaken = false;

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp() && refersTo(BO->getLHS()))
      ++Writes;
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->getOpcode() == UO_AddrOf && refersTo(UO->getSubExpr()))
      AddressTaken = true;
    return true;
  }

private:
  bool refersTo(const Expr *E) const {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
    return DRE && DRE->getDecl() == VD;
  }
  const VarDecl *VD;
};

/// The variable `e` of `e = bpf_ringbuf_reserve(...)` or of its declaration
/// `T *e = bpf_ringbuf_reserve(...)`.
const VarDecl *recordVariable(const Stmt *Site, const ParentMap &PM) {
  const Stmt *P = PM.getParentIgnoreParenCasts(Site);
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
    if (BO->getOpcode() != BO_Assign ||
        BO->getRHS()->IgnoreParenCasts() != Site)
      return nullptr;
    const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenCasts());
    return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  }
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(P))
    if (DS->isSingleDecl())
      if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
        if (VD->getInit() && VD->getInit()->IgnoreParenCasts() == Site)
          return VD;
  return nullptr;
}

/// True if VD is declared at the top level of FD's body: in scope at every
/// return.
bool isTopLevelLocal(const VarDecl *VD, const FunctionDecl *FD) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
  if (!Body)
    return false;
  for (const Stmt *S : Body->body())
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (D == VD)
          return true;
  return false;
}
} // namespace

/// True if VD holds the record Sym itself (offset 0) on this path.
static bool holdsRecord(const VarDecl *VD, SymbolRef Sym, CheckerContext &C) {
  if (!VD || !VD->getType()->isPointerType() || !VD->hasLocalStorage())
    return false;
  ProgramStateRef State = C.getState();
  SVal V = State->getSVal(State->getLValue(VD, C.getLocationContext()));
  const MemRegion *R = V.getAsRegion();
  if (!R)
    return false;
  const auto *SR = dyn_cast<SymbolicRegion>(R->getBaseRegion());
  RegionOffset Off = R->getAsOffset();
  return SR && SR->getSymbol() == Sym && Off.isValid() &&
         !Off.hasSymbolicOffset() && Off.getOffset() == 0;
}

/// For RB-011's fix-it: a variable that holds the record itself where the
/// offset pointer Arg is released. First the base `e` of an argument
/// written `&e->field`, `e->array` or `e + n`; else the variable the
/// reserve call Site was stored in.
static const VarDecl *recordBaseVariable(const Expr *Arg, SymbolRef Sym,
                                         const Stmt *Site, CheckerContext &C) {
  if (!Arg || Arg->getBeginLoc().isMacroID() || Arg->getEndLoc().isMacroID())
    return nullptr;
  const Expr *E = Arg->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenCasts();
  else if (const auto *BO = dyn_cast<BinaryOperator>(E);
           BO && BO->isAdditiveOp())
    E = BO->getLHS()->IgnoreParenCasts();
  while (true) {
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      E = ME->getBase()->IgnoreParenCasts();
      if (ME->isArrow())
        break;
    } else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      E = ASE->getBase()->IgnoreParenCasts();
    } else {
      break;
    }
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        holdsRecord(VD, Sym, C))
      return VD;
  // The variable the reservation was stored in, if that is the only value
  // it ever gets (its binding may be gone: the analyzer drops dead ones).
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
  const ParentMap &PM = C.getLocationContext()->getParentMap();
  if (!FD || !FD->getBody() || !Site || !PM.hasParent(Site))
    return nullptr;
  const VarDecl *VD = recordVariable(Site, PM);
  if (!VD || !VD->getType()->isPointerType() || !isTopLevelLocal(VD, FD))
    return nullptr;
  SingleAssignment Uses(VD);
  Uses.TraverseStmt(FD->getBody());
  if (Uses.AddressTaken || Uses.Writes + (VD->getInit() != nullptr) != 1)
    return nullptr;
  return VD;
}

// The verifier checks a release argument in this order: register type
// (NULL-able, released = scalar, other memory), then the offset, then the
// reference. Reports follow the same order so the predicted message is the
// one the kernel prints.
void RingBufChecker::checkRelease(const CallEvent &Call, StringRef HelperName,
                                  CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SVal Arg = Call.getArgSVal(0);
  SourceRange Range = Call.getArgSourceRange(0);

  if (SymbolRef Sym = recordSymbol(State, Arg)) {
    const RecordState *RS = State->get<Records>(Sym);
    if (RS->isReleased()) {
      if (Reporter.isActive(Rule::RingbufUseAfterRelease))
        report(Rule::RingbufUseAfterRelease,
               HelperName + "() of a ring buffer record that was already " +
                   releasedAs(RS->K),
               Sym, Range, C, "release");
      return;
    }
    if (recordMayBeNull(State, Sym)) {
      if (Reporter.isActive(Rule::RingbufReleaseInvalidPointer))
        report(Rule::RingbufReleaseInvalidPointer,
               HelperName + "() of a ring buffer record that may be NULL; "
                            "check the result of bpf_ringbuf_reserve() first",
               Sym, Range, C);
      return;
    }
    RegionOffset Off = Arg.getAsRegion()->getAsOffset();
    if (Off.isValid() && !Off.hasSymbolicOffset() && Off.getOffset() != 0 &&
        Reporter.isActive(Rule::RingbufReleaseOffsetPointer)) {
      SmallVector<FixItHint, 1> Fix;
      if (const VarDecl *Base =
              recordBaseVariable(Call.getArgExpr(0), Sym, RS->ReserveSite, C))
        Fix.push_back(FixItHint::CreateReplacement(
            CharSourceRange::getTokenRange(Range), Base->getName()));
      report(Rule::RingbufReleaseOffsetPointer,
             HelperName + "() is given a pointer " +
                 Twine(Off.getOffset() / 8) +
                 " bytes into the record; pass the pointer "
                 "bpf_ringbuf_reserve() returned",
             Sym, Range, C, "", {}, Fix);
    }
    return;
  }

  if (!Reporter.isActive(Rule::RingbufReleaseInvalidPointer))
    return;
  // Pointers that are certainly not a reservation.
  if (Arg.isZeroConstant()) {
    report(Rule::RingbufReleaseInvalidPointer,
           HelperName + "() of a NULL pointer", nullptr, Range, C, "null");
    return;
  }
  const MemRegion *R = Arg.getAsRegion();
  if (!R)
    return;
  const MemRegion *Base = R->getBaseRegion();
  if (isa<VarRegion>(Base) &&
      isa<StackSpaceRegion>(compat::memorySpace(Base, C.getState()))) {
    report(Rule::RingbufReleaseInvalidPointer,
           HelperName + "() of a pointer to the stack, not to a ring buffer "
                        "record",
           nullptr, Range, C, "stack");
    return;
  }
  if (mapBehind(State, Arg))
    report(Rule::RingbufReleaseInvalidPointer,
           HelperName + "() of a pointer to a map value, not to a ring buffer "
                        "record",
           nullptr, Range, C, "map_value");
}

void RingBufChecker::checkPostCall(const CallEvent &Call,
                                   CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  BpfCallee Callee = classifyCallee(CE);
  if (!Callee.Helper)
    return;
  ProgramStateRef State = C.getState();

  switch (*Callee.Helper) {
  case HelperId::bpf_ringbuf_reserve: {
    SymbolRef Sym = Call.getReturnValue().getAsSymbol();
    if (!Sym)
      return;
    const NoteTag *Note =
        C.getNoteTag([Sym](PathSensitiveBugReport &BR) -> std::string {
          if (!BR.isInteresting(Sym))
            return "";
          return "record reserved here";
        });
    int64_t Size = -1;
    if (const llvm::APSInt *V =
            C.getSValBuilder().getKnownValue(State, Call.getArgSVal(1)))
      if (V->getActiveBits() < 32)
        Size = V->getZExtValue();
    C.addTransition(
        State->set<Records>(Sym, RecordState{RecordState::Reserved, CE, Size}),
        Note);
    return;
  }
  case HelperId::bpf_ringbuf_submit:
  case HelperId::bpf_ringbuf_discard: {
    SymbolRef Sym = recordSymbol(State, Call.getArgSVal(0));
    if (!Sym)
      return;
    const RecordState *RS = State->get<Records>(Sym);
    if (RS->isReleased())
      return;
    RecordState::Kind K = *Callee.Helper == HelperId::bpf_ringbuf_submit
                              ? RecordState::Submitted
                              : RecordState::Discarded;
    const NoteTag *Note =
        C.getNoteTag([Sym, K](PathSensitiveBugReport &BR) -> std::string {
          if (!BR.isInteresting(Sym))
            return "";
          return std::string("record ") + releasedAs(K) + " here";
        });
    C.addTransition(
        State->set<Records>(Sym, RecordState{K, RS->ReserveSite, RS->Size}),
        Note);
    return;
  }
  default:
    return;
  }
}

void RingBufChecker::checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                                   CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SymbolRef Sym = recordSymbol(State, Loc);
  if (!Sym)
    return;
  const RecordState *RS = State->get<Records>(Sym);
  SourceRange Range = S ? S->getSourceRange() : SourceRange();
  const char *Access = IsLoad ? "read" : "written";
  if (RS->isReleased()) {
    if (Reporter.isActive(Rule::RingbufUseAfterRelease))
      report(Rule::RingbufUseAfterRelease,
             Twine("ring buffer record ") + Access + " after it was " +
                 releasedAs(RS->K),
             Sym, Range, C);
    return;
  }
  if (recordMayBeNull(State, Sym)) {
    // A variable offset is added to the pointer before the access.
    if (hasVariableOffset(Loc)) {
      if (Reporter.isActive(Rule::RingbufArithBeforeNullCheck))
        report(Rule::RingbufArithBeforeNullCheck,
               Twine("ring buffer record ") + Access +
                   " at a variable offset before it is checked for NULL; "
                   "bpf_ringbuf_reserve() returns NULL when the buffer is full",
               Sym, Range, C);
      return;
    }
    if (Reporter.isActive(Rule::RingbufUseBeforeNullCheck))
      report(Rule::RingbufUseBeforeNullCheck,
             Twine("ring buffer record ") + Access +
                 " before it is checked for NULL; bpf_ringbuf_reserve() "
                 "returns NULL when the buffer is full",
             Sym, Range, C);
    return;
  }
  // Writes only: a read whose value is unused is dropped by the compiler.
  // Writes stay, since the record is passed to submit/discard afterwards.
  const auto *TR = dyn_cast_or_null<TypedValueRegion>(Loc.getAsRegion());
  if (IsLoad || !TR)
    return;
  if (hasVariableOffset(Loc)) {
    checkVariableIndex(Sym, TR, S, C);
    return;
  }
  QualType T = TR->getValueType();
  if (T.isNull() || T->isIncompleteType() || !T->isScalarType())
    return;
  checkBounds(Sym, Loc, C.getASTContext().getTypeSizeInChars(T).getQuantity(),
              "write to", Range, C);
}

void RingBufChecker::checkDeadSymbols(SymbolReaper &SR,
                                      CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SmallVector<RuleReporter::Leak, 2> Leaked;
  for (const auto &[Sym, RS] : State->get<Records>()) {
    if (!SR.isDead(Sym))
      continue;
    // A reservation known to have failed (NULL) holds nothing.
    if (RS.K == RecordState::Reserved &&
        !State->getConstraintManager().isNull(State, Sym).isConstrainedTrue())
      Leaked.push_back({Sym, RS.ReserveSite});
    State = State->remove<Records>(Sym);
  }
  Reporter.reportLeaks(
      leakRule(C, Rule::RingbufLeak),
      "ring buffer record is neither submitted nor discarded on this path",
      Leaked, State, C,
      [&](const RuleReporter::Leak &L, const ExplodedNode *N) {
        return discardBeforeReturn(L, N, State, C);
      });
}

ProgramStateRef RingBufChecker::checkPointerEscape(
    ProgramStateRef State, const InvalidatedSymbols &Escaped,
    const CallEvent *Call, PointerEscapeKind Kind) const {
  // A record handed to code we cannot see may be released there: stop
  // tracking it rather than guess. BPF helpers do not escape (they are
  // evaluated by the modeling checker).
  for (SymbolRef Sym : Escaped)
    if (const RecordState *RS = State->get<Records>(Sym);
        RS && RS->K == RecordState::Reserved)
      State = State->remove<Records>(Sym);
  return State;
}

// The fix for a leak at a return: discard the record there. Offered only
// when the record is known not to be NULL at that point (a NULL-able one
// cannot be discarded), the return ends the frame that reserved it, and
// the variable holding it certainly holds it there.
SmallVector<FixItHint, 2> RingBufChecker::discardBeforeReturn(
    const RuleReporter::Leak &L, const ExplodedNode *N, ProgramStateRef State,
    CheckerContext &C) const {
  const auto &[Sym, Site] = L;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
  std::optional<StmtPoint> SP = N->getLocation().getAs<StmtPoint>();
  if (!FD || !FD->getBody() || !SP ||
      !State->getConstraintManager().isNull(State, Sym).isConstrainedFalse())
    return {};
  const ParentMap &PM = C.getLocationContext()->getParentMap();
  // The reservation must be a statement of this function.
  if (!PM.hasParent(Site))
    return {};
  // The record dies at the return or at the value it returns.
  const Stmt *S = SP->getStmt();
  while (S && !isa<ReturnStmt>(S) && isa<Expr>(S))
    S = PM.getParent(S);
  const auto *RS = dyn_cast_or_null<ReturnStmt>(S);
  if (!RS)
    return {};
  const VarDecl *VD = recordVariable(Site, PM);
  if (!VD || !VD->getType()->isPointerType() || !isTopLevelLocal(VD, FD))
    return {};
  SingleAssignment Uses(VD);
  Uses.TraverseStmt(FD->getBody());
  bool Initialised = VD->getInit() != nullptr;
  if (Uses.AddressTaken || Uses.Writes + Initialised != 1)
    return {};
  return statementBeforeReturn(
      ("bpf_ringbuf_discard(" + VD->getName() + ", 0);").str(), nullptr, RS, C);
}

Rule leakRule(CheckerContext &C, Rule Leak) {
  if (entryKindOf(verifiedFunction(C)) == EntryKind::None)
    return Rule::RingbufCallbackLeak;
  return Leak;
}

void registerRingBufChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<RingBufChecker>();
  BpfConfig Config = BpfConfig::load(Mgr.getAnalyzerOptions());
  Checker->Reporter.init(Checker, Config);
  // The other ring buffer checkers share the analyzer checker entry
  // (bpflint.ringbuf.RingBuf): rules are selected with checks=, not here.
  registerRingBufCallChecker(Mgr, Config);
  registerRingBufDynptrChecker(Mgr, Config);
}

} // namespace bpflint
