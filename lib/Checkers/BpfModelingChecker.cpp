//===- BpfModelingChecker.cpp - How BPF code executes, for every checker -===//
//
// Silent modeling shared by all bpflint checkers:
//  * Only what the kernel verifies as a unit is analysed from the top: SEC()
//    programs and global subprograms. A static helper analysed on its own,
//    with no caller, would see e.g. an unlock without the caller's lock.
//    Callbacks of bpf_loop and friends that acquire ring buffer references
//    are analysed from the top too: the kernel verifies them with unknown
//    arguments, and a reference a callback loses can never be released.
//  * BPF helpers and kfuncs are evaluated here: a fresh return value, only
//    the memory they may write invalidated, and no pointer escape, so checkers
//    keep tracking records and locks passed to them and globals (notably
//    .rodata "const volatile" configuration) keep their values.
//  * CO-RE queries (bpf_core_type_exists() and friends) are constants once
//    libbpf relocated the program, and the kernel prunes dead branches. The
//    same query therefore yields the same symbolic value along a path.
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "bpflint/Checkers/BpfConfig.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/Expr.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

// Query text (interned by the checker) -> the value it evaluates to.
REGISTER_MAP_WITH_PROGRAMSTATE(CoreQueryResults, const void *, SymbolRef)

namespace bpflint {
namespace {

class BpfModelingChecker
    : public Checker<check::BeginFunction, eval::Call, check::LiveSymbols,
                     check::DeadSymbols> {
public:
  void checkBeginFunction(CheckerContext &C) const;
  bool evalCall(const CallEvent &Call, CheckerContext &C) const;
  void checkLiveSymbols(ProgramStateRef State, SymbolReaper &SR) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;

  BpfConfig Config;

private:
  bool evalBpfFunction(const CallExpr *CE, const CallEvent &Call,
                       CheckerContext &C) const;
  bool lookupIsInBounds(const CallEvent &Call, ProgramStateRef State,
                        CheckerContext &C) const;
  bool evalCoreQuery(const CallExpr *CE, const CallEvent &Call,
                     CheckerContext &C) const;

  mutable StringSet<> InternedQueries;

  /// Callbacks analysed as entries (see findRefAcquiringCallbacks).
  const CallbackInfo *callbackEntry(const FunctionDecl *FD) const;
  mutable std::optional<DenseMap<const FunctionDecl *, CallbackInfo>>
      CallbackEntries;
};

} // namespace

void BpfModelingChecker::checkBeginFunction(CheckerContext &C) const {
  if (!C.inTopFrame())
    return;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
  if (entryKindOf(FD) != EntryKind::None)
    return;
  const CallbackInfo *Callback = callbackEntry(FD);
  if (!Callback) {
    C.generateSink(C.getState(), C.getPredecessor());
    return;
  }
  // What the verifier knows about the callback's pointer arguments.
  ProgramStateRef State = C.getState();
  for (unsigned I = 0, E = FD->getNumParams(); I < E && I < 32; ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    if (!P->getType()->isPointerType())
      continue;
    std::optional<bool> NonNull;
    if (Callback->NonNullParams & (1u << I))
      NonNull = true;
    else if (I == Callback->CtxParam && Callback->CtxIsNull)
      NonNull = false;
    if (!NonNull)
      continue;
    SVal V = State->getSVal(State->getLValue(P, C.getLocationContext()));
    if (auto D = V.getAs<DefinedOrUnknownSVal>())
      if (ProgramStateRef Assumed = State->assume(*D, *NonNull))
        State = Assumed;
  }
  C.addTransition(State);
}

const CallbackInfo *
BpfModelingChecker::callbackEntry(const FunctionDecl *FD) const {
  if (!FD)
    return nullptr;
  if (!CallbackEntries) {
    CallbackEntries.emplace();
    findRefAcquiringCallbacks(FD->getASTContext().getTranslationUnitDecl(),
                              *CallbackEntries);
  }
  auto It = CallbackEntries->find(FD->getDefinition());
  return It == CallbackEntries->end() ? nullptr : &It->second;
}

bool BpfModelingChecker::evalCall(const CallEvent &Call,
                                  CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!CE)
    return false;
  if (classifyCallee(CE).isKnown())
    return evalBpfFunction(CE, Call, C);
  return evalCoreQuery(CE, Call, C);
}

/// Helpers whose result points into a value of the map in argument 0.
static bool returnsMapValue(const BpfCallee &Callee) {
  if (!Callee.Helper)
    return false;
  switch (*Callee.Helper) {
  case HelperId::bpf_map_lookup_elem:
  case HelperId::bpf_map_lookup_percpu_elem:
  case HelperId::bpf_get_local_storage:
  case HelperId::bpf_sk_storage_get:
  case HelperId::bpf_inode_storage_get:
  case HelperId::bpf_task_storage_get:
  case HelperId::bpf_cgrp_storage_get:
    return true;
  default:
    return false;
  }
}

/// bpf_map_lookup_elem(&array, &key) with a constant key on the stack below
/// max_entries: the verifier (6.14+) knows the result is not NULL.
bool BpfModelingChecker::lookupIsInBounds(const CallEvent &Call,
                                          ProgramStateRef State,
                                          CheckerContext &C) const {
  const VarDecl *Map = mapArgument(Call, 0);
  std::optional<MapDefinition> Def =
      Map ? parseMapDefinition(Map) : std::nullopt;
  if (!Def || !Def->mapType() || !Def->MaxEntries)
    return false;
  const MemRegion *Key = Call.getArgSVal(1).getAsRegion();
  if (!Key || !isa<StackSpaceRegion>(compat::memorySpace(Key, State)))
    return false;
  QualType KeyTy =
      Def->KeyType.isNull() ? Map->getASTContext().UnsignedIntTy : Def->KeyType;
  auto Value =
      C.getSValBuilder().getKnownValue(State, State->getSVal(Key, KeyTy));
  return Value && lookupCannotFail(*Def->mapType(), Value->getZExtValue(),
                                   *Def->MaxEntries, Config.Kernel);
}

bool BpfModelingChecker::evalBpfFunction(const CallExpr *CE,
                                         const CallEvent &Call,
                                         CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  // Helpers write only through their non-const pointer arguments (the
  // argument expressions carry the converted parameter types).
  SmallVector<const MemRegion *, 4> Written;
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) {
    const Expr *Arg = Call.getArgExpr(I);
    if (!Arg)
      continue;
    QualType T = Arg->getType();
    if (!T->isPointerType() || T->getPointeeType().isConstQualified())
      continue;
    if (const MemRegion *R = Call.getArgSVal(I).getAsRegion())
      Written.push_back(R);
  }
  if (!Written.empty())
    State = compat::invalidateForCall(State, Written, Call, C);
  QualType ResultTy = Call.getResultType();
  if (!ResultTy->isVoidType()) {
    SVal Result = compat::conjureCallResult(C, Call, ResultTy, this);
    State = State->BindExpr(CE, C.getLocationContext(), Result);
    BpfCallee Callee = classifyCallee(CE);
    if (returnsMapValue(Callee))
      State = noteMapValue(State, Result.getAsSymbol(), mapArgument(Call, 0));
    // bpf_get_local_storage returns the program's cgroup storage, never
    // NULL (RET_PTR_TO_MAP_VALUE); an array lookup with a constant key in
    // bounds cannot fail either (6.14+).
    if (Callee.isHelper(HelperId::bpf_get_local_storage) ||
        (Callee.isHelper(HelperId::bpf_map_lookup_elem) &&
         lookupIsInBounds(Call, State, C)))
      if (ProgramStateRef NonNull = State->assume(
              Result.castAs<DefinedOrUnknownSVal>(), /*Assumption=*/true))
        State = NonNull;
  }
  C.addTransition(State);
  return true;
}

bool BpfModelingChecker::evalCoreQuery(const CallExpr *CE,
                                       const CallEvent &Call,
                                       CheckerContext &C) const {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getBuiltinID() || !FD->getIdentifier())
    return false;
  StringRef Name = FD->getName();
  ProgramStateRef State = C.getState();
  const LocationContext *LCtx = C.getLocationContext();

  // __builtin_preserve_access_index(e) is e, with a relocation attached.
  if (Name == "__builtin_preserve_access_index" && Call.getNumArgs() == 1) {
    C.addTransition(State->BindExpr(CE, LCtx, Call.getArgSVal(0)));
    return true;
  }
  if (Name != "__builtin_preserve_type_info" &&
      Name != "__builtin_preserve_field_info" &&
      Name != "__builtin_preserve_enum_value" &&
      Name != "__builtin_btf_type_id")
    return false;

  // The query is identified by its spelling: same builtin, same arguments.
  std::string Key;
  raw_string_ostream OS(Key);
  OS << Name;
  for (const Expr *Arg : CE->arguments()) {
    OS << '|';
    Arg->IgnoreParenImpCasts()->printPretty(
        OS, nullptr, C.getASTContext().getPrintingPolicy());
  }
  const void *QueryId = InternedQueries.insert(OS.str()).first->getKey().data();

  SVal Result;
  if (const SymbolRef *Known = State->get<CoreQueryResults>(QueryId)) {
    Result = C.getSValBuilder().makeSymbolVal(*Known);
  } else {
    Result = compat::conjureCallResult(C, Call, CE->getType(), QueryId);
    if (SymbolRef Sym = Result.getAsSymbol())
      State = State->set<CoreQueryResults>(QueryId, Sym);
  }
  C.addTransition(State->BindExpr(CE, LCtx, Result));
  return true;
}

void BpfModelingChecker::checkLiveSymbols(ProgramStateRef State,
                                          SymbolReaper &SR) const {
  // Keep the constraints learnt about a query for the rest of the path.
  for (const auto &Entry : State->get<CoreQueryResults>())
    SR.markLive(Entry.second);
}

void BpfModelingChecker::checkDeadSymbols(SymbolReaper &SR,
                                          CheckerContext &C) const {
  ProgramStateRef State = removeDeadMapValues(C.getState(), SR);
  if (State != C.getState())
    C.addTransition(State);
}

void registerBpfModelingChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<BpfModelingChecker>();
  Checker->Config = BpfConfig::load(Mgr.getAnalyzerOptions());
}

} // namespace bpflint
