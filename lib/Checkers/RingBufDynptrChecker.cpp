//===- RingBufDynptrChecker.cpp - Ring buffer dynptrs ---------------------===//
//
// bpf_ringbuf_reserve_dynptr acquires a reference on the stack slot of the
// dynptr whether or not the reservation succeeds: the verifier cannot tell,
// so bpf_ringbuf_submit_dynptr or bpf_ringbuf_discard_dynptr must follow on
// every path, even after a failed reservation. The state is keyed by the
// dynptr's memory region (the verifier keys it by stack slot).
//
// Rules: RB-017 (re-initialising a live dynptr), RB-018 (dynptr never
// released), RB-019 (release of a released dynptr), RB-021 (dynptr used
// after release), RB-013 (dynptr held across bpf_tail_call or a legacy packet
// load), RB-016 (dynptr not on the stack), RB-019 (release of a dynptr that
// was never initialised), RB-020 (release of a dynptr that is not a ring
// buffer dynptr), RB-022 (slices: NULL check, use after release, bounds,
// writes through a read-only slice), RB-023 (the dynptr's bytes read or
// handed to a helper as memory), RB-017 (a store into a live ring buffer
// dynptr), RB-026 (the const sample dynptr of a bpf_user_ringbuf_drain
// callback released, re-initialised or accessed), RB-027 (a NULL drain
// context dereferenced in the callback), RB-029 (a dynptr reserved in a
// callback and not released there).
//
// Drain callbacks are analysed as entries of their own when they may break
// RB-026/RB-027 (see findRefAcquiringCallbacks); their first parameter is
// then the const dynptr.
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "RingBuf.h"
#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Support/Compat.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace {
struct DynptrState {
  /// Local: initialised by bpf_dynptr_from_mem; it holds no reference.
  /// Const: the sample of a drain callback (CONST_PTR_TO_DYNPTR), owned by
  /// the kernel.
  enum Kind { Acquired, Released, Local, Const } K;
  const Stmt *ReserveSite;

  bool operator==(const DynptrState &O) const {
    return K == O.K && ReserveSite == O.ReserveSite;
  }
  void Profile(FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddPointer(ReserveSite);
  }
};
} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(RingbufDynptrs, const MemRegion *, DynptrState)

namespace {
/// A pointer returned by bpf_dynptr_data or bpf_dynptr_slice(_rdwr).
struct SliceState {
  const MemRegion *Dynptr;
  /// The length asked for, if constant, else -1.
  int64_t Len;
  /// From bpf_dynptr_slice: read-only.
  bool ReadOnly;
  /// From the bpf_dynptr_data helper: it shares the dynptr's reference and
  /// is invalidated when the dynptr is released. (kfunc slices are not, on
  /// 6.18.)
  bool HoldsRef;
  /// The dynptr was released.
  bool Dead;

  bool operator==(const SliceState &O) const {
    return Dynptr == O.Dynptr && Len == O.Len && ReadOnly == O.ReadOnly &&
           HoldsRef == O.HoldsRef && Dead == O.Dead;
  }
  void Profile(FoldingSetNodeID &ID) const {
    ID.AddPointer(Dynptr);
    ID.AddInteger(Len);
    ID.AddBoolean(ReadOnly);
    ID.AddBoolean(HoldsRef);
    ID.AddBoolean(Dead);
  }
};
} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(DynptrSlices, SymbolRef, SliceState)

// The context of a drain callback whose every caller passes NULL: the
// callback gets scalar 0.
REGISTER_SET_WITH_PROGRAMSTATE(DrainNullContexts, SymbolRef)

namespace bpflint {
namespace {

class RingBufDynptrChecker
    : public Checker<check::BeginFunction, check::PreCall, check::PostCall,
                     check::EndFunction, check::RegionChanges, check::Location,
                     check::DeadSymbols> {
public:
  RuleReporter Reporter;

  void checkBeginFunction(CheckerContext &C) const;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const;
  void checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                     CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  void checkDynptrBytes(const MemRegion *Region, bool IsLoad, const Stmt *S,
                        CheckerContext &C) const;
  bool checkDrainAccess(SVal Loc, const Stmt *S, CheckerContext &C) const;
  bool checkOffsetSample(const CallEvent &Call, HelperId H, StringRef Name,
                         CheckerContext &C) const;
  ProgramStateRef
  checkRegionChanges(ProgramStateRef State,
                     const InvalidatedSymbols *Invalidated,
                     ArrayRef<const MemRegion *> ExplicitRegions,
                     ArrayRef<const MemRegion *> Regions,
                     const LocationContext *LCtx, const CallEvent *Call) const;

private:
  /// Callbacks analysed as entries (see findRefAcquiringCallbacks).
  mutable std::optional<DenseMap<const FunctionDecl *, CallbackInfo>>
      CallbackEntries;

  void report(Rule R, const Twine &What, const MemRegion *Dynptr,
              SourceRange Range, CheckerContext &C,
              ArrayRef<std::string> Args = {}, StringRef Variant = "") const;
  /// RB-026: helper Name is given the const sample dynptr.
  void reportConst(StringRef Name, StringRef Variant, const MemRegion *R,
                   SourceRange Range, CheckerContext &C) const;
};

/// The dynptr a `struct bpf_dynptr *` argument points to.
const MemRegion *dynptrRegion(const CallEvent &Call, unsigned I) {
  if (I >= Call.getNumArgs())
    return nullptr;
  const MemRegion *R = Call.getArgSVal(I).getAsRegion();
  return R ? R->StripCasts() : nullptr;
}

/// The argument that is the dynptr, for the dynptr APIs that read or write
/// through an initialised dynptr.
std::optional<unsigned> dynptrUseArg(HelperId H) {
  switch (H) {
  case HelperId::bpf_dynptr_read:
    return 2;
  case HelperId::bpf_dynptr_write:
  case HelperId::bpf_dynptr_data:
    return 0;
  default:
    return std::nullopt;
  }
}

/// True if the dynptr at R was never written on this path: a local whose
/// first word the store still has no value for. Calls that may initialise
/// it (helpers, kfuncs, unknown functions) invalidate it first.
bool isUninitialised(const MemRegion *R, ProgramStateRef State,
                     CheckerContext &C) {
  const auto *VR = dyn_cast<VarRegion>(R);
  if (!VR || !isa<StackLocalsSpaceRegion>(compat::memorySpace(VR, State)))
    return false;
  QualType T = VR->getValueType();
  if (T.isNull() || !T->isStructureType())
    return false;
  ASTContext &Ctx = C.getASTContext();
  MemRegionManager &MRMgr = C.getStoreManager().getRegionManager();
  const ElementRegion *First = MRMgr.getElementRegion(
      Ctx.UnsignedLongLongTy, C.getSValBuilder().makeZeroArrayIndex(), VR, Ctx);
  return State->getSVal(First).isUndef();
}

/// "a global variable" or "a map value" for a dynptr that is not on the
/// stack, with the verifier's name of the register type.
std::optional<std::pair<StringRef, StringRef>>
nonStackDynptr(const CallEvent &Call, unsigned I, ProgramStateRef State) {
  const MemRegion *R = dynptrRegion(Call, I);
  if (!R)
    return std::nullopt;
  const MemSpaceRegion *Space = compat::memorySpace(R, State);
  if (isa<StackSpaceRegion>(Space))
    return std::nullopt;
  // .data/.bss globals are values of the section's array map.
  if (isa<GlobalsSpaceRegion>(Space) && isa<VarRegion>(R->getBaseRegion())) {
    const auto *VD =
        dyn_cast<VarDecl>(cast<VarRegion>(R->getBaseRegion())->getDecl());
    if (VD && !VD->hasExternalStorage())
      return std::make_pair(StringRef("a global variable"),
                            StringRef("map_value"));
    return std::nullopt;
  }
  if (mapBehind(State, Call.getArgSVal(I)))
    return std::make_pair(StringRef("a map value"), StringRef("map_value"));
  return std::nullopt;
}

/// Helper arguments the verifier checks as memory read (Write false) or
/// written (Write true) by the helper.
struct HelperMemArg {
  unsigned Arg;
  bool Write;
};
ArrayRef<HelperMemArg> helperMemoryArgs(HelperId H) {
  static const HelperMemArg Key[] = {{1, false}};
  static const HelperMemArg Update[] = {{1, false}, {2, false}};
  static const HelperMemArg Second[] = {{1, false}};
  static const HelperMemArg Fourth[] = {{3, false}};
  static const HelperMemArg Third[] = {{2, false}};
  static const HelperMemArg Dst[] = {{0, true}};
  switch (H) {
  case HelperId::bpf_map_lookup_elem:
  case HelperId::bpf_map_delete_elem:
    return Key;
  case HelperId::bpf_map_update_elem:
    return Update;
  case HelperId::bpf_ringbuf_output:
    return Second;
  case HelperId::bpf_perf_event_output:
    return Fourth;
  case HelperId::bpf_dynptr_write:
    return Third;
  case HelperId::bpf_get_current_comm:
  case HelperId::bpf_probe_read_kernel:
  case HelperId::bpf_probe_read_kernel_str:
  case HelperId::bpf_dynptr_read:
    return Dst;
  default:
    return {};
  }
}

/// The variable whose pointer value a load or store (S) dereferences:
/// `p->f`, `*p`, `p[i]`, also as the target of an assignment.
const VarDecl *dereferencedVariable(const Stmt *S) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isAssignmentOp())
    E = BO->getLHS()->IgnoreParenImpCasts();
  else if (const auto *UO = dyn_cast<UnaryOperator>(E);
           UO && UO->isIncrementDecrementOp())
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  const Expr *Ptr = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (ME->isArrow())
      Ptr = ME->getBase();
  } else if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_Deref)
      Ptr = UO->getSubExpr();
  } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
    Ptr = AS->getBase();
  }
  const auto *DRE =
      Ptr ? dyn_cast<DeclRefExpr>(Ptr->IgnoreParenCasts()) : nullptr;
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

/// The live dynptr (ring buffer or local) whose bytes Loc points into.
const MemRegion *liveDynptrAt(ProgramStateRef State, const MemRegion *Loc,
                              const DynptrState **DSOut = nullptr) {
  if (!Loc)
    return nullptr;
  Loc = Loc->StripCasts();
  for (const auto &[R, DS] : State->get<RingbufDynptrs>()) {
    if (DS.K == DynptrState::Released || DS.K == DynptrState::Const)
      continue;
    if (Loc == R || Loc->isSubRegionOf(R)) {
      if (DSOut)
        *DSOut = &DS;
      return R;
    }
  }
  return nullptr;
}

} // namespace

void RingBufDynptrChecker::report(Rule R, const Twine &What,
                                  const MemRegion *Dynptr, SourceRange Range,
                                  CheckerContext &C, ArrayRef<std::string> Args,
                                  StringRef Variant) const {
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(R), Reporter.describe(R, What.str(), Variant, Args), N);
  Report->addRange(Range);
  if (Dynptr)
    Report->markInteresting(Dynptr);
  C.emitReport(std::move(Report));
}

void RingBufDynptrChecker::checkBeginFunction(CheckerContext &C) const {
  if (!C.inTopFrame())
    return;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
  if (!FD || entryKindOf(FD) != EntryKind::None)
    return;
  if (!CallbackEntries) {
    CallbackEntries.emplace();
    findRefAcquiringCallbacks(FD->getASTContext().getTranslationUnitDecl(),
                              *CallbackEntries);
  }
  auto It = CallbackEntries->find(FD->getDefinition());
  if (It == CallbackEntries->end() || !It->second.Drain)
    return;
  ProgramStateRef State = C.getState();
  const LocationContext *LCtx = C.getLocationContext();
  auto ParamValue = [&](unsigned I) -> SVal {
    if (I >= FD->getNumParams() ||
        !FD->getParamDecl(I)->getType()->isPointerType())
      return UnknownVal();
    return State->getSVal(State->getLValue(FD->getParamDecl(I), LCtx));
  };
  if (const MemRegion *R = ParamValue(0).getAsRegion())
    State = State->set<RingbufDynptrs>(
        R->StripCasts(), DynptrState{DynptrState::Const, nullptr});
  // Every call passes NULL: the modeling checker made the context NULL.
  // Some call does: it may be NULL (reported when dereferenced while it may
  // still be).
  if (It->second.CtxMayBeNull)
    if (SymbolRef Sym = ParamValue(It->second.CtxParam).getAsLocSymbol())
      State = State->add<DrainNullContexts>(Sym);
  C.addTransition(State);
}

void RingBufDynptrChecker::reportConst(StringRef Name, StringRef Variant,
                                       const MemRegion *R, SourceRange Range,
                                       CheckerContext &C) const {
  if (!Reporter.isActive(Rule::RingbufDrainDynptrConst) ||
      getRule(Rule::RingbufDrainDynptrConst)
          .kernelMessage(Reporter.config().Kernel, Variant)
          .empty())
    return;
  report(Rule::RingbufDrainDynptrConst,
         Name +
             "() of the sample dynptr of a bpf_user_ringbuf_drain "
             "callback; the sample is a const dynptr owned by the kernel: " +
             (Variant.empty() ? "it is released by the drain itself"
                              : "reserve into a dynptr of your own"),
         R, Range, C, {}, Variant);
}

void RingBufDynptrChecker::checkPreCall(const CallEvent &Call,
                                        CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  ProgramStateRef State = C.getState();
  // A dynptr holds its reference even if the reservation failed.
  if (std::optional<EarlyExit> Exit = earlyExitOf(CE);
      Exit && Reporter.isActive(Rule::RingbufHeldAcrossEarlyExit)) {
    for (const auto &[R, DS] : State->get<RingbufDynptrs>()) {
      if (DS.K != DynptrState::Acquired)
        continue;
      report(Rule::RingbufHeldAcrossEarlyExit,
             Exit->Call + " while a ring buffer dynptr is reserved; " +
                 Exit->Reason + ": submit or discard the dynptr first",
             R, Call.getSourceRange(), C, {}, Exit->Variant);
      return;
    }
  }
  BpfCallee Callee = classifyCallee(CE);
  if (!Callee.Helper)
    return;
  HelperId H = *Callee.Helper;
  StringRef Name = helperName(static_cast<unsigned>(H));
  if (checkOffsetSample(Call, H, Name, C))
    return;

  // Arguments are checked in order; the first bad one is reported.
  for (const HelperMemArg &M : helperMemoryArgs(H)) {
    if (M.Arg >= Call.getNumArgs() ||
        !Reporter.isActive(Rule::RingbufDynptrOpaque))
      break;
    const MemRegion *R =
        liveDynptrAt(State, Call.getArgSVal(M.Arg).getAsRegion());
    if (!R)
      continue;
    StringRef Variant = M.Write ? "helper_write" : "helper_read";
    if (getRule(Rule::RingbufDynptrOpaque)
            .kernelMessage(Reporter.config().Kernel, Variant)
            .empty())
      continue;
    report(Rule::RingbufDynptrOpaque,
           Name + "() is given the dynptr itself as memory to " +
               (M.Write ? "write" : "read") +
               "; a dynptr is opaque: pass the data through "
               "bpf_dynptr_read/write or a slice",
           R, Call.getArgSourceRange(M.Arg), C, {}, Variant);
    return;
  }

  if (H == HelperId::bpf_ringbuf_reserve_dynptr) {
    if (auto Where = nonStackDynptr(Call, 3, State)) {
      if (Reporter.isActive(Rule::RingbufDynptrNotOnStack))
        report(Rule::RingbufDynptrNotOnStack,
               Name + "() into a dynptr in " + Where->first +
                   "; a ring buffer dynptr must be a local variable",
               nullptr, Call.getArgSourceRange(3), C, {Where->second.str()});
      return;
    }
    const MemRegion *R = dynptrRegion(Call, 3);
    const DynptrState *DS = R ? State->get<RingbufDynptrs>(R) : nullptr;
    if (DS && DS->K == DynptrState::Const) {
      reportConst(Name, "reinit", R, Call.getArgSourceRange(3), C);
      return;
    }
    if (DS && DS->K == DynptrState::Acquired &&
        Reporter.isActive(Rule::RingbufDynptrReinit))
      report(Rule::RingbufDynptrReinit,
             Name + "() into a dynptr that still holds a reservation; "
                    "submit or discard it first",
             R, Call.getArgSourceRange(3), C);
    return;
  }
  if (H == HelperId::bpf_ringbuf_submit_dynptr ||
      H == HelperId::bpf_ringbuf_discard_dynptr) {
    const MemRegion *R = dynptrRegion(Call, 0);
    const DynptrState *DS = R ? State->get<RingbufDynptrs>(R) : nullptr;
    if (DS && DS->K == DynptrState::Released &&
        Reporter.isActive(Rule::RingbufDynptrDoubleRelease))
      report(Rule::RingbufDynptrDoubleRelease,
             Name + "() of a dynptr that was already submitted or discarded", R,
             Call.getArgSourceRange(0), C);
    else if (DS && DS->K == DynptrState::Const)
      reportConst(Name, "", R, Call.getArgSourceRange(0), C);
    else if (DS && DS->K == DynptrState::Local &&
             Reporter.isActive(Rule::RingbufDynptrKindMismatch))
      report(Rule::RingbufDynptrKindMismatch,
             Name + "() of a dynptr made by bpf_dynptr_from_mem(); only a "
                    "dynptr from bpf_ringbuf_reserve_dynptr() can be "
                    "submitted or discarded",
             R, Call.getArgSourceRange(0), C);
    else if (!DS && R && isUninitialised(R, State, C) &&
             Reporter.isActive(Rule::RingbufDynptrDoubleRelease))
      report(Rule::RingbufDynptrDoubleRelease,
             Name + "() of a dynptr that was never initialised; reserve it "
                    "with bpf_ringbuf_reserve_dynptr() first",
             R, Call.getArgSourceRange(0), C);
    return;
  }
  if (H == HelperId::bpf_dynptr_from_mem) {
    const MemRegion *R = dynptrRegion(Call, 3);
    const DynptrState *DS = R ? State->get<RingbufDynptrs>(R) : nullptr;
    if (DS && DS->K == DynptrState::Const)
      reportConst(Name, "reinit", R, Call.getArgSourceRange(3), C);
    return;
  }
  if (std::optional<unsigned> Arg = dynptrUseArg(H)) {
    const MemRegion *R = dynptrRegion(Call, *Arg);
    const DynptrState *DS = R ? State->get<RingbufDynptrs>(R) : nullptr;
    if (DS && DS->K == DynptrState::Released &&
        Reporter.isActive(Rule::RingbufDynptrUseAfterRelease))
      report(Rule::RingbufDynptrUseAfterRelease,
             Name + "() of a ring buffer dynptr that was already submitted "
                    "or discarded",
             R, Call.getArgSourceRange(*Arg), C);
  }
}

void RingBufDynptrChecker::checkPostCall(const CallEvent &Call,
                                         CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  BpfCallee Callee = classifyCallee(CE);
  if (!Callee.isKnown())
    return;
  ProgramStateRef State = C.getState();
  if (Callee.isHelper(HelperId::bpf_ringbuf_reserve_dynptr)) {
    const MemRegion *R = dynptrRegion(Call, 3);
    // Only stack dynptrs are references; others fail earlier (RB-016).
    if (!R || !isa<StackSpaceRegion>(compat::memorySpace(R, State)))
      return;
    const NoteTag *Note =
        C.getNoteTag([R](PathSensitiveBugReport &BR) -> std::string {
          if (!BR.isInteresting(R))
            return "";
          return "dynptr reserved here; it must be submitted or discarded "
                 "even if the reservation fails";
        });
    C.addTransition(
        State->set<RingbufDynptrs>(R, DynptrState{DynptrState::Acquired, CE}),
        Note);
    return;
  }
  bool KfuncSlice = Callee.isKfunc(KfuncId::bpf_dynptr_slice) ||
                    Callee.isKfunc(KfuncId::bpf_dynptr_slice_rdwr);
  if (Callee.isHelper(HelperId::bpf_dynptr_data) || KfuncSlice) {
    SymbolRef Sym = Call.getReturnValue().getAsSymbol();
    const MemRegion *R = dynptrRegion(Call, 0);
    unsigned LenArg = KfuncSlice ? 3 : 2;
    if (!Sym || !R || LenArg >= Call.getNumArgs())
      return;
    int64_t Len = -1;
    if (const llvm::APSInt *V =
            C.getSValBuilder().getKnownValue(State, Call.getArgSVal(LenArg)))
      if (V->getActiveBits() < 32)
        Len = V->getZExtValue();
    C.addTransition(State->set<DynptrSlices>(
        Sym, SliceState{R, Len, Callee.isKfunc(KfuncId::bpf_dynptr_slice),
                        !KfuncSlice, false}));
    return;
  }
  if (Callee.isHelper(HelperId::bpf_dynptr_from_mem)) {
    const MemRegion *R = dynptrRegion(Call, 3);
    if (!R || !isa<StackSpaceRegion>(compat::memorySpace(R, State)))
      return;
    C.addTransition(
        State->set<RingbufDynptrs>(R, DynptrState{DynptrState::Local, CE}));
    return;
  }
  if (Callee.isHelper(HelperId::bpf_ringbuf_submit_dynptr) ||
      Callee.isHelper(HelperId::bpf_ringbuf_discard_dynptr)) {
    const MemRegion *R = dynptrRegion(Call, 0);
    const DynptrState *DS = R ? State->get<RingbufDynptrs>(R) : nullptr;
    if (!DS || DS->K != DynptrState::Acquired)
      return;
    for (const auto &[Sym, SS] : State->get<DynptrSlices>())
      if (SS.Dynptr == R && SS.HoldsRef) {
        SliceState Dead = SS;
        Dead.Dead = true;
        State = State->set<DynptrSlices>(Sym, Dead);
      }
    const NoteTag *Note =
        C.getNoteTag([R](PathSensitiveBugReport &BR) -> std::string {
          if (!BR.isInteresting(R))
            return "";
          return "dynptr released here";
        });
    C.addTransition(State->set<RingbufDynptrs>(
                        R, DynptrState{DynptrState::Released, DS->ReserveSite}),
                    Note);
  }
}

void RingBufDynptrChecker::checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                                         CheckerContext &C) const {
  const MemRegion *Region = Loc.getAsRegion();
  if (checkDrainAccess(Loc, S, C))
    return;
  checkDynptrBytes(Region, IsLoad, S, C);
  if (!Reporter.isActive(Rule::RingbufDynptrSlice))
    return;
  const auto *Base =
      Region ? dyn_cast<SymbolicRegion>(Region->getBaseRegion()) : nullptr;
  if (!Base)
    return;
  ProgramStateRef State = C.getState();
  SymbolRef Sym = Base->getSymbol();
  const SliceState *SS = State->get<DynptrSlices>(Sym);
  if (!SS)
    return;
  SourceRange Range = S ? S->getSourceRange() : SourceRange();
  const char *Access = IsLoad ? "read" : "written";
  const char *Maker = !SS->HoldsRef ? (SS->ReadOnly ? "bpf_dynptr_slice()"
                                                    : "bpf_dynptr_slice_rdwr()")
                                    : "bpf_dynptr_data()";
  if (SS->Dead) {
    report(Rule::RingbufDynptrSlice,
           Twine("slice from ") + Maker + " " + Access +
               " after its dynptr was submitted or discarded",
           SS->Dynptr, Range, C, {}, "release");
    return;
  }
  ConditionTruthVal IsNull = State->getConstraintManager().isNull(State, Sym);
  if (!IsNull.isConstrainedTrue() && !IsNull.isConstrainedFalse()) {
    report(Rule::RingbufDynptrSlice,
           Twine("slice from ") + Maker + " " + Access +
               " before it is checked for NULL; it is NULL when the range "
               "is outside the dynptr or the reservation failed",
           nullptr, Range, C, {}, SS->ReadOnly ? "rdonly" : "");
    return;
  }
  if (IsLoad)
    return;
  if (SS->ReadOnly) {
    report(Rule::RingbufDynptrSlice,
           "slice from bpf_dynptr_slice() is read-only; use "
           "bpf_dynptr_slice_rdwr() to write",
           nullptr, Range, C, {}, "rdonly_write");
    return;
  }
  // Writes only, as for records: a read whose value is unused is dropped.
  const auto *TR = dyn_cast<TypedValueRegion>(Region);
  RegionOffset Off = Region->getAsOffset();
  if (SS->Len < 0 || !TR || !Off.isValid() || Off.hasSymbolicOffset())
    return;
  QualType T = TR->getValueType();
  if (T.isNull() || T->isIncompleteType() || !T->isScalarType())
    return;
  int64_t Begin = Off.getOffset() / 8;
  int64_t Size = C.getASTContext().getTypeSizeInChars(T).getQuantity();
  if (Begin < 0 || Begin + Size <= SS->Len)
    return;
  report(Rule::RingbufDynptrSlice,
         Twine("write to bytes ") + Twine(Begin) + ".." + Twine(Begin + Size) +
             " of a dynptr slice of " + Twine(SS->Len) + " bytes",
         nullptr, Range, C,
         {std::to_string(SS->Len), std::to_string(Begin), std::to_string(Size)},
         "bounds");
}

// RB-026: a dynptr API given a pointer before or after the const sample
// (`sample - 1`, `sample + 1`).
bool RingBufDynptrChecker::checkOffsetSample(const CallEvent &Call, HelperId H,
                                             StringRef Name,
                                             CheckerContext &C) const {
  std::optional<unsigned> Arg = dynptrUseArg(H);
  if (H == HelperId::bpf_ringbuf_submit_dynptr ||
      H == HelperId::bpf_ringbuf_discard_dynptr)
    Arg = 0;
  if (!Arg || *Arg >= Call.getNumArgs() ||
      !Reporter.isActive(Rule::RingbufDrainDynptrConst))
    return false;
  const MemRegion *R = Call.getArgSVal(*Arg).getAsRegion();
  if (!R)
    return false;
  RegionOffset Off = R->getAsOffset();
  if (!Off.isValid() || Off.hasSymbolicOffset() || Off.getOffset() == 0)
    return false;
  ProgramStateRef State = C.getState();
  const DynptrState *DS = State->get<RingbufDynptrs>(Off.getRegion());
  if (!DS || DS->K != DynptrState::Const)
    return false;
  int64_t Bytes = Off.getOffset() / 8;
  StringRef Variant = Bytes < 0 ? "negative_offset" : "offset";
  if (getRule(Rule::RingbufDrainDynptrConst)
          .kernelMessage(Reporter.config().Kernel, Variant)
          .empty())
    return false;
  report(Rule::RingbufDrainDynptrConst,
         Name + "() is given a pointer " + Twine(Bytes < 0 ? -Bytes : Bytes) +
             " bytes " + (Bytes < 0 ? "before" : "after") +
             " the sample dynptr of a bpf_user_ringbuf_drain callback; pass "
             "the sample itself and read at an offset with the helper",
         Off.getRegion(), Call.getArgSourceRange(*Arg), C,
         {std::to_string(*Arg + 1), std::to_string(Bytes)}, Variant);
  return true;
}

static const char NullContextWhat[] =
    "the context of a bpf_user_ringbuf_drain callback is dereferenced, but "
    "the drain passes NULL: the callback gets 0; pass a pointer to a local "
    "variable as the drain's context";

static const char SomeNullContextWhat[] =
    "the context of a bpf_user_ringbuf_drain callback is dereferenced "
    "without a NULL check, but a drain passes NULL: for that call the "
    "callback gets 0; pass a pointer to a local variable, or check the "
    "context first";

// RB-026 / RB-027: in a drain callback, an access through the const sample
// dynptr or through a context every caller passes as NULL.
bool RingBufDynptrChecker::checkDrainAccess(SVal Loc, const Stmt *S,
                                            CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SourceRange Range = S ? S->getSourceRange() : SourceRange();
  // The analyzer folds the NULL context into the address 0: find the
  // variable the address came from, and the symbol it was bound to.
  if (Loc.isZeroConstant() && !State->get<DrainNullContexts>().isEmpty()) {
    const VarDecl *VD = dereferencedVariable(S);
    // A copy of the context (`struct stats *st = ctx;`): the address is 0
    // and the copy was made from the context.
    if (VD && !isa<ParmVarDecl>(VD) && VD->getInit())
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(VD->getInit()->IgnoreParenCasts());
          DRE && isa<ParmVarDecl>(DRE->getDecl()))
        VD = cast<ParmVarDecl>(DRE->getDecl());
    SymbolRef Sym = VD && C.inTopFrame()
                        ? State
                              ->getRawSVal(loc::MemRegionVal(
                                  State->getRegion(VD, C.getLocationContext())))
                              .getAsLocSymbol()
                        : nullptr;
    if (!Sym || !State->contains<DrainNullContexts>(Sym) ||
        !Reporter.isActive(Rule::RingbufDrainNullContext))
      return false;
    report(Rule::RingbufDrainNullContext, NullContextWhat, nullptr, Range, C);
    return true;
  }
  const MemRegion *Region = Loc.getAsRegion();
  if (!Region)
    return false;
  if (const auto *Base = dyn_cast<SymbolicRegion>(Region->getBaseRegion());
      Base && State->contains<DrainNullContexts>(Base->getSymbol())) {
    ConditionTruthVal IsNull =
        State->getConstraintManager().isNull(State, Base->getSymbol());
    if (IsNull.isConstrainedFalse() ||
        !Reporter.isActive(Rule::RingbufDrainNullContext))
      return false;
    report(Rule::RingbufDrainNullContext,
           IsNull.isConstrainedTrue() ? NullContextWhat : SomeNullContextWhat,
           nullptr, Range, C);
    return true;
  }
  for (const auto &[R, DS] : State->get<RingbufDynptrs>()) {
    if (DS.K != DynptrState::Const ||
        !(Region == R || Region->isSubRegionOf(R)))
      continue;
    if (!Reporter.isActive(Rule::RingbufDrainDynptrConst) ||
        getRule(Rule::RingbufDrainDynptrConst)
            .kernelMessage(Reporter.config().Kernel, "access")
            .empty())
      return false;
    report(Rule::RingbufDrainDynptrConst,
           "the sample dynptr of a bpf_user_ringbuf_drain callback is "
           "accessed directly; read the sample with bpf_dynptr_read() or "
           "bpf_dynptr_data()",
           R, Range, C, {}, "access");
    return true;
  }
  return false;
}

// RB-023 / RB-017: the program reads or writes the bytes of a live dynptr.
void RingBufDynptrChecker::checkDynptrBytes(const MemRegion *Region,
                                            bool IsLoad, const Stmt *S,
                                            CheckerContext &C) const {
  const auto *TR = dyn_cast_or_null<TypedValueRegion>(Region);
  if (!TR)
    return;
  ProgramStateRef State = C.getState();
  const DynptrState *DS = nullptr;
  const MemRegion *R = liveDynptrAt(State, Region, &DS);
  if (!R)
    return;
  // Scalar accesses only: a struct copy whose result is unused is dropped
  // by the compiler, and so is an unused scalar read of a local.
  QualType T = TR->getValueType();
  if (T.isNull() || !T->isScalarType())
    return;
  SourceRange Range = S ? S->getSourceRange() : SourceRange();
  if (IsLoad) {
    if (Reporter.isActive(Rule::RingbufDynptrOpaque))
      report(Rule::RingbufDynptrOpaque,
             "the bytes of a dynptr are read directly; a dynptr is opaque: "
             "read its data with bpf_dynptr_read() or a slice",
             R, Range, C);
    return;
  }
  if (DS->K != DynptrState::Acquired ||
      !Reporter.isActive(Rule::RingbufDynptrReinit) ||
      getRule(Rule::RingbufDynptrReinit)
          .kernelMessage(Reporter.config().Kernel, "write")
          .empty())
    return;
  report(Rule::RingbufDynptrReinit,
         "store into a dynptr that holds a ring buffer reservation; submit "
         "or discard it first",
         R, Range, C, {}, "write");
}

void RingBufDynptrChecker::checkDeadSymbols(SymbolReaper &SR,
                                            CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  for (const auto &Entry : State->get<DynptrSlices>())
    if (SR.isDead(Entry.first))
      State = State->remove<DynptrSlices>(Entry.first);
  if (State != C.getState())
    C.addTransition(State);
}

void RingBufDynptrChecker::checkEndFunction(const ReturnStmt *RS,
                                            CheckerContext &C) const {
  // The reference is the program's, not the frame's: report at main exit.
  Rule Leak = leakRule(C, Rule::RingbufDynptrLeak);
  if (!C.inTopFrame() || !Reporter.isActive(Leak))
    return;
  ProgramStateRef State = C.getState();
  SmallVector<std::pair<const MemRegion *, const Stmt *>, 2> Leaked;
  for (const auto &[R, DS] : State->get<RingbufDynptrs>())
    if (DS.K == DynptrState::Acquired)
      Leaked.push_back({R, DS.ReserveSite});
  if (Leaked.empty())
    return;
  ExplodedNode *N = C.generateNonFatalErrorNode(State);
  if (!N)
    return;
  for (const auto &[R, Site] : Leaked) {
    auto Report = Reporter.leakReport(Leak,
                                      "ring buffer dynptr is neither submitted "
                                      "nor discarded on this path",
                                      N, Site, C);
    Report->markInteresting(R);
    C.emitReport(std::move(Report));
  }
}

ProgramStateRef RingBufDynptrChecker::checkRegionChanges(
    ProgramStateRef State, const InvalidatedSymbols *,
    ArrayRef<const MemRegion *> ExplicitRegions, ArrayRef<const MemRegion *>,
    const LocationContext *, const CallEvent *Call) const {
  // A dynptr handed to code we cannot see may be released there. BPF
  // helpers are modelled above and do not end tracking.
  if (!Call || classifyCallee(dyn_cast_or_null<CallExpr>(Call->getOriginExpr()))
                   .isKnown())
    return State;
  for (const MemRegion *R : ExplicitRegions)
    for (const auto &Entry : State->get<RingbufDynptrs>())
      if (Entry.first->isSubRegionOf(R) || Entry.first == R)
        State = State->remove<RingbufDynptrs>(Entry.first);
  return State;
}

void registerRingBufDynptrChecker(CheckerManager &Mgr,
                                  const BpfConfig &Config) {
  auto *Checker = Mgr.registerChecker<RingBufDynptrChecker>();
  Checker->Reporter.init(Checker, Config);
}

} // namespace bpflint
