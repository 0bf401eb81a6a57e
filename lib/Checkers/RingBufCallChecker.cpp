//===- RingBufCallChecker.cpp - Arguments of ring buffer helper calls -----===//
//
// What the verifier (or, for lint rules, the helper at run time) decides from
// the arguments of one ring buffer helper call alone: the map type, whether
// the reservation size is a constant, and the flags. Values only known at
// load time (.rodata "const volatile" configuration, __kconfig externs, CO-RE
// queries) are constants for the verifier, so they never count as unknown.
//
// Rules: RB-002 / RB-003 (map type), RB-004 (non-constant reserve size),
// lint RB-005 (reservation that always fails), RB-014 (flags), RB-024
// (dynptr reservation that always fails), RB-028 (drain flags), and
// RB-001 (map definitions the kernel refuses to create), RB-015
// (bpf_ringbuf_output reading past its data), RB-025 (drain callback not
// static, or returning a constant other than 0 or 1).
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "RingBuf.h"
#include "RuleReporter.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/KernelVersion.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/AnalysisManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SValBuilder.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {
namespace {

// Kernel constants (kernel/bpf/ringbuf.c, include/linux/bpf.h).
constexpr uint64_t RingbufHeaderSize = 8;
constexpr uint64_t RingbufMaxRecordSize = UINT32_MAX / 4;
constexpr uint64_t DynptrMaxSize = (1ULL << 24) - 1;
constexpr uint64_t WakeupFlags = 3;  // BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP
constexpr uint64_t MaxQueryFlag = 3; // BPF_RB_PROD_POS

class RingBufCallChecker
    : public Checker<check::PreCall, check::ASTDecl<VarDecl>> {
public:
  RuleReporter Reporter;

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkASTDecl(const VarDecl *VD, AnalysisManager &Mgr,
                    BugReporter &BR) const;

private:
  bool checkMapType(const CallEvent &Call, StringRef Helper, unsigned HelperNo,
                    MapType Expected, Rule R, CheckerContext &C) const;
  bool checkConstantSize(const CallEvent &Call, CheckerContext &C) const;
  void checkReservationFits(const CallEvent &Call, StringRef Helper,
                            bool Dynptr, CheckerContext &C) const;
  void checkFlags(const CallEvent &Call, StringRef Helper, unsigned FlagsArg,
                  CheckerContext &C) const;
  bool checkOutputData(const CallEvent &Call, CheckerContext &C) const;
  bool checkOutputSize(const CallEvent &Call, CheckerContext &C) const;
  bool checkDrainCallback(const CallEvent &Call, CheckerContext &C) const;
  void reportError(Rule R, const Twine &What, SourceRange Range,
                   CheckerContext &C, ArrayRef<std::string> MessageArgs = {},
                   StringRef Variant = "") const;
  void reportLint(Rule R, const Twine &What, SourceRange Range,
                  CheckerContext &C) const;
};

/// The value of argument I if it is a constant on this path.
std::optional<uint64_t> constantArg(const CallEvent &Call, unsigned I,
                                    CheckerContext &C) {
  if (I >= Call.getNumArgs())
    return std::nullopt;
  if (const llvm::APSInt *V =
          C.getSValBuilder().getKnownValue(C.getState(), Call.getArgSVal(I)))
    return V->getZExtValue();
  return std::nullopt;
}

/// True if the verifier sees Sym as a run-time value: a helper's result, or
/// a value read from the context, a map value, a writable global or an
/// argument of a global subprogram. False for load-time constants and for
/// anything whose origin we cannot name (in doubt, stay silent).
bool isRuntimeAtom(SymbolRef Sym) {
  if (const auto *SC = dyn_cast<SymbolConjured>(Sym)) {
    const auto *CE = dyn_cast_or_null<CallExpr>(SC->getStmt());
    // CO-RE queries are builtins and relocated to constants; helpers and
    // kfuncs return run-time values.
    return CE && classifyCallee(CE).isKnown();
  }
  const MemRegion *R = nullptr;
  if (const auto *RV = dyn_cast<SymbolRegionValue>(Sym))
    R = RV->getRegion();
  else if (const auto *D = dyn_cast<SymbolDerived>(Sym))
    R = D->getRegion();
  else
    return false;
  const MemRegion *Base = R->getBaseRegion();
  if (const auto *VR = dyn_cast<VarRegion>(Base)) {
    const auto *VD = dyn_cast<VarDecl>(VR->getDecl());
    if (!VD)
      return false;
    if (isa<ParmVarDecl>(VD))
      return true;
    // const (incl. .rodata "const volatile") and extern (__kconfig, __ksym)
    // globals are frozen or resolved before the verifier runs.
    if (VD->hasGlobalStorage())
      return !VD->getType().isConstQualified() && !VD->hasExternalStorage();
    return false;
  }
  // Through a pointer: the context, a map value, an argument.
  if (const auto *SR = dyn_cast<SymbolicRegion>(Base))
    return isRuntimeAtom(SR->getSymbol());
  return false;
}

bool isRuntimeValue(SVal V) {
  SymbolRef Sym = V.getAsSymbol();
  if (!Sym)
    return false;
  bool Any = false;
  for (SymbolRef Atom : Sym->symbols()) {
    if (isa<SymbolData>(Atom)) {
      if (!isRuntimeAtom(Atom))
        return false;
      Any = true;
    }
  }
  return Any;
}

StringRef mapName(const MapDefinition &Def) {
  return Def.Var ? Def.Var->getName() : StringRef("the map");
}

} // namespace

void RingBufCallChecker::reportError(Rule R, const Twine &What,
                                     SourceRange Range, CheckerContext &C,
                                     ArrayRef<std::string> MessageArgs,
                                     StringRef Variant) const {
  // The kernel stops at the first error.
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(R),
      Reporter.describe(R, What.str(), Variant, MessageArgs), N);
  Report->addRange(Range);
  C.emitReport(std::move(Report));
}

void RingBufCallChecker::reportLint(Rule R, const Twine &What,
                                    SourceRange Range,
                                    CheckerContext &C) const {
  // The kernel accepts the program: keep analysing the path.
  ExplodedNode *N = C.generateNonFatalErrorNode();
  if (!N)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(
      Reporter.bugType(R), Reporter.describe(R, What.str()), N);
  Report->addRange(Range);
  C.emitReport(std::move(Report));
}

void RingBufCallChecker::checkPreCall(const CallEvent &Call,
                                      CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  BpfCallee Callee = classifyCallee(CE);
  if (!Callee.Helper)
    return;
  HelperId H = *Callee.Helper;
  StringRef Name = helperName(static_cast<unsigned>(H));
  unsigned No = static_cast<unsigned>(H);

  switch (H) {
  case HelperId::bpf_ringbuf_reserve:
    if (checkMapType(Call, Name, No, MapType::Ringbuf, Rule::RingbufMapType,
                     C) ||
        checkConstantSize(Call, C))
      return;
    checkReservationFits(Call, Name, /*Dynptr=*/false, C);
    return;
  case HelperId::bpf_ringbuf_reserve_dynptr:
    if (checkMapType(Call, Name, No, MapType::Ringbuf, Rule::RingbufMapType, C))
      return;
    checkReservationFits(Call, Name, /*Dynptr=*/true, C);
    return;
  case HelperId::bpf_ringbuf_output:
    if (checkMapType(Call, Name, No, MapType::Ringbuf, Rule::RingbufMapType,
                     C) ||
        checkOutputData(Call, C))
      return;
    checkFlags(Call, Name, 3, C);
    return;
  case HelperId::bpf_ringbuf_query:
    if (checkMapType(Call, Name, No, MapType::Ringbuf, Rule::RingbufMapType, C))
      return;
    checkFlags(Call, Name, 1, C);
    return;
  case HelperId::bpf_ringbuf_submit:
  case HelperId::bpf_ringbuf_discard:
  case HelperId::bpf_ringbuf_submit_dynptr:
  case HelperId::bpf_ringbuf_discard_dynptr:
    checkFlags(Call, Name, 1, C);
    return;
  case HelperId::bpf_user_ringbuf_drain:
    // The callback's address is loaded before the call is checked.
    if (const FunctionDecl *CB = Call.getNumArgs() > 1
                                     ? callbackFunctionOf(Call.getArgExpr(1))
                                     : nullptr;
        CB && CB->getDefinition() && CB->isExternallyVisible() &&
        Reporter.isActive(Rule::RingbufDrainCallbackNotStatic)) {
      reportError(Rule::RingbufDrainCallbackNotStatic,
                  "'" + CB->getName() +
                      "' is the bpf_user_ringbuf_drain callback; the kernel "
                      "accepts only static functions as callbacks: declare "
                      "it static",
                  Call.getArgSourceRange(1), C);
      return;
    }
    if (checkMapType(Call, Name, No, MapType::UserRingbuf,
                     Rule::RingbufUserRingbufMapType, C) ||
        checkDrainCallback(Call, C))
      return;
    checkFlags(Call, Name, 3, C);
    return;
  default:
    return;
  }
}

bool RingBufCallChecker::checkMapType(const CallEvent &Call, StringRef Helper,
                                      unsigned HelperNo, MapType Expected,
                                      Rule R, CheckerContext &C) const {
  if (!Reporter.isActive(R))
    return false;
  const VarDecl *Map = mapArgument(Call, 0);
  if (!Map)
    return false;
  std::optional<MapDefinition> Def = parseMapDefinition(Map);
  if (!Def || !Def->mapType() || *Def->mapType() == Expected)
    return false;
  reportError(
      R,
      Helper + "() needs a " + mapTypeName(Expected) + " map; '" +
          mapName(*Def) + "' is " + mapTypeName(*Def->mapType()) +
          " (map_type " + Twine(*Def->Type) + ")",
      Call.getArgSourceRange(0), C,
      {std::to_string(*Def->Type), Helper.str(), std::to_string(HelperNo)});
  return true;
}

bool RingBufCallChecker::checkConstantSize(const CallEvent &Call,
                                           CheckerContext &C) const {
  if (!Reporter.isActive(Rule::RingbufNonConstantSize) ||
      Call.getNumArgs() < 2 || constantArg(Call, 1, C))
    return false;
  const Expr *SizeExpr = Call.getArgExpr(1);
  if (!SizeExpr || SizeExpr->isValueDependent() ||
      SizeExpr->isIntegerConstantExpr(C.getASTContext()))
    return false;
  if (!isRuntimeValue(Call.getArgSVal(1)))
    return false;
  reportError(Rule::RingbufNonConstantSize,
              "the size passed to bpf_ringbuf_reserve() is not a constant; "
              "reserve a fixed-size record, or use "
              "bpf_ringbuf_reserve_dynptr() or bpf_ringbuf_output() for "
              "variable-size data",
              Call.getArgSourceRange(1), C);
  return true;
}

void RingBufCallChecker::checkReservationFits(const CallEvent &Call,
                                              StringRef Helper, bool Dynptr,
                                              CheckerContext &C) const {
  Rule R = Dynptr ? Rule::RingbufLintDynptrReserveFails
                  : Rule::RingbufLintReserveFails;
  if (!Reporter.isActive(R))
    return;
  if (std::optional<uint64_t> Flags = constantArg(Call, 2, C);
      Flags && *Flags) {
    reportLint(R,
               Helper + "() with flags " + Twine(*Flags) +
                   " always fails: the flags argument must be 0",
               Call.getArgSourceRange(2), C);
    return;
  }
  std::optional<uint64_t> Size = constantArg(Call, 1, C);
  if (!Size)
    return;
  if (Dynptr && *Size > DynptrMaxSize) {
    reportLint(R,
               Helper + "() of " + Twine(*Size) +
                   " bytes always fails: a dynptr holds at most " +
                   Twine(DynptrMaxSize) + " bytes",
               Call.getArgSourceRange(1), C);
    return;
  }
  if (*Size > RingbufMaxRecordSize) {
    reportLint(R,
               Helper + "() of " + Twine(*Size) +
                   " bytes always fails: a record holds at most " +
                   Twine(RingbufMaxRecordSize) + " bytes",
               Call.getArgSourceRange(1), C);
    return;
  }
  const VarDecl *Map = mapArgument(Call, 0);
  std::optional<MapDefinition> Def =
      Map ? parseMapDefinition(Map) : std::nullopt;
  if (!Def || !Def->MaxEntries || Def->mapType() != MapType::Ringbuf)
    return;
  // __bpf_ringbuf_reserve: the record plus its 8-byte header, rounded up to
  // 8, must fit in the ring. (User space may resize the map before loading;
  // the size in the source is what the program was written for.)
  uint64_t Needed = (*Size + RingbufHeaderSize + 7) & ~uint64_t(7);
  if (Needed > *Def->MaxEntries)
    reportLint(R,
               Helper + "() of " + Twine(*Size) +
                   " bytes always fails: with its 8-byte header the record "
                   "needs " +
                   Twine(Needed) + " bytes and '" + mapName(*Def) + "' holds " +
                   Twine(*Def->MaxEntries),
               Call.getArgSourceRange(1), C);
}

void RingBufCallChecker::checkFlags(const CallEvent &Call, StringRef Helper,
                                    unsigned FlagsArg,
                                    CheckerContext &C) const {
  std::optional<uint64_t> Flags = constantArg(Call, FlagsArg, C);
  if (!Flags)
    return;
  SourceRange Range = Call.getArgSourceRange(FlagsArg);
  if (Helper == "bpf_user_ringbuf_drain") {
    if (!Reporter.isActive(Rule::RingbufLintDrainFlags))
      return;
    if ((*Flags & ~WakeupFlags) || *Flags == WakeupFlags)
      reportLint(Rule::RingbufLintDrainFlags,
                 Helper + "() with flags " + Twine(*Flags) +
                     " always fails with -EINVAL: pass 0, BPF_RB_NO_WAKEUP "
                     "or BPF_RB_FORCE_WAKEUP",
                 Range, C);
    return;
  }
  if (!Reporter.isActive(Rule::RingbufLintFlags))
    return;
  if (Helper == "bpf_ringbuf_query") {
    if (*Flags > MaxQueryFlag)
      reportLint(Rule::RingbufLintFlags,
                 Helper + "() with flags " + Twine(*Flags) +
                     " always returns 0: pass one of BPF_RB_AVAIL_DATA, "
                     "BPF_RB_RING_SIZE, BPF_RB_CONS_POS, BPF_RB_PROD_POS",
                 Range, C);
    return;
  }
  if (!(*Flags & ~WakeupFlags))
    return;
  if (Helper == "bpf_ringbuf_output")
    reportLint(Rule::RingbufLintFlags,
               Helper + "() with flags " + Twine(*Flags) +
                   " always fails with -EINVAL and writes nothing: pass 0, "
                   "BPF_RB_NO_WAKEUP or BPF_RB_FORCE_WAKEUP",
               Range, C);
  else
    reportLint(Rule::RingbufLintFlags,
               Helper +
                   "() ignores flags other than BPF_RB_NO_WAKEUP and "
                   "BPF_RB_FORCE_WAKEUP (got " +
                   Twine(*Flags) + ")",
               Range, C);
}

// RB-001: ringbuf_map_alloc / ringbuf_map_alloc_check. libbpf passes
// max_entries (rounded up to a power-of-2 multiple of the page size), the
// key and value sizes and the flags to the kernel as written.
void RingBufCallChecker::checkASTDecl(const VarDecl *VD, AnalysisManager &Mgr,
                                      BugReporter &BR) const {
  if (!Reporter.isActive(Rule::RingbufMapDefinition) ||
      !Mgr.getSourceManager().isInMainFile(VD->getLocation()))
    return;
  std::optional<MapDefinition> Def = parseMapDefinition(VD);
  if (!Def || Def->GlobalData || !Def->mapType() ||
      (*Def->mapType() != MapType::Ringbuf &&
       *Def->mapType() != MapType::UserRingbuf))
    return;
  std::string Problem = ringbufMapProblem(
      *Def->mapType(), Def->MaxEntries.value_or(0),
      (Def->KeySize && *Def->KeySize) || !Def->KeyType.isNull(),
      (Def->ValueSize && *Def->ValueSize) || !Def->ValueType.isNull(),
      Def->MapFlags.value_or(0), Reporter.config().Kernel);
  if (Problem.empty())
    return;
  const char *Kind =
      *Def->mapType() == MapType::Ringbuf ? "ring buffer" : "user ring buffer";
  auto Report = std::make_unique<BasicBugReport>(
      Reporter.bugType(Rule::RingbufMapDefinition),
      Reporter.describe(Rule::RingbufMapDefinition,
                        (Twine(Kind) + " map '" + VD->getName() +
                         "' cannot be created: " + Problem +
                         "; libbpf then fails to load the whole object")
                            .str(),
                        "", {VD->getName().str()}),
      PathDiagnosticLocation(VD->getLocation(), Mgr.getSourceManager()));
  Report->addRange(VD->getSourceRange());
  BR.emitReport(std::move(Report));
}

bool RingBufCallChecker::checkOutputData(const CallEvent &Call,
                                         CheckerContext &C) const {
  if (!Reporter.isActive(Rule::RingbufOutputMemory) || Call.getNumArgs() < 3)
    return false;
  std::optional<uint64_t> Size = constantArg(Call, 2, C);
  SVal Data = Call.getArgSVal(1);
  const MemRegion *R = Data.getAsRegion();
  ProgramStateRef State = C.getState();
  if (!Size && R && !mayBeNull(State, Data))
    return checkOutputSize(Call, C);
  if (!Size || !*Size || !R)
    return false;
  RegionOffset Off = R->getAsOffset();
  if (!Off.isValid() || Off.hasSymbolicOffset())
    return false;
  int64_t Begin = Off.getOffset() / 8;
  SourceRange Range = Call.getArgSourceRange(1);

  // A stack object: the frame has 512 bytes.
  if (isa<StackSpaceRegion>(compat::memorySpace(R, State))) {
    if (*Size <= 512)
      return false;
    reportError(Rule::RingbufOutputMemory,
                "bpf_ringbuf_output() reads " + Twine(*Size) +
                    " bytes from the stack, which holds at most 512",
                Range, C, {"%d", std::to_string(*Size)}, "stack");
    return true;
  }
  // An element of a map with a known value size (not the .data/.bss
  // section maps, whose layout is the compiler's).
  const VarDecl *Map = mapBehind(State, Data);
  if (!Map || !isa<SymbolicRegion>(R->getBaseRegion()))
    return false;
  std::optional<MapDefinition> Def = parseMapDefinition(Map);
  if (!Def || Def->GlobalData)
    return false;
  std::optional<uint64_t> ValueSize = Def->ValueSize;
  if (!Def->ValueType.isNull() && !Def->ValueType->isIncompleteType())
    ValueSize =
        C.getASTContext().getTypeSizeInChars(Def->ValueType).getQuantity();
  if (!ValueSize || Begin < 0 || Begin + *Size <= *ValueSize)
    return false;
  reportError(Rule::RingbufOutputMemory,
              "bpf_ringbuf_output() reads bytes " + Twine(Begin) + ".." +
                  Twine(Begin + *Size) + " of a value of '" + mapName(*Def) +
                  "', which has " + Twine(*ValueSize) + " bytes",
              Range, C,
              {std::to_string(*ValueSize), std::to_string(Begin),
               std::to_string(*Size)});
  return true;
}

// RB-015 with a variable size: the verifier needs a size that cannot be
// negative (as the u64 argument) and is below 1 << 29. Only a size the
// verifier knows nothing about either is reported (see opaqueScalar).
bool RingBufCallChecker::checkOutputSize(const CallEvent &Call,
                                         CheckerContext &C) const {
  std::optional<OpaqueScalar> O =
      opaqueScalar(C, Call.getArgSVal(2), Call.getArgExpr(2));
  if (!O)
    return false;
  SourceRange Range = Call.getArgSourceRange(2);
  if ((O->Signed && O->Negative) || O->SignBit) {
    reportError(Rule::RingbufOutputMemory,
                "the size given to bpf_ringbuf_output() may be negative on "
                "this path; check it first",
                Range, C, {}, "negative");
    return true;
  }
  if (!O->Unbounded)
    return false;
  reportError(Rule::RingbufOutputMemory,
              "the size given to bpf_ringbuf_output() has no upper bound on "
              "this path; check it against the size of the data first",
              Range, C, {}, "unbounded");
  return true;
}

namespace {
/// The return statements of one function body.
class ReturnFinder : public RecursiveASTVisitor<ReturnFinder> {
public:
  SmallVector<const ReturnStmt *, 4> Returns;
  bool VisitReturnStmt(ReturnStmt *RS) {
    Returns.push_back(RS);
    return true;
  }
};
} // namespace

// RB-025: the verifier checks R0 at every exit of the callback. A constant
// outside [0, 1] is certain to fail; other values are left alone.
bool RingBufCallChecker::checkDrainCallback(const CallEvent &Call,
                                            CheckerContext &C) const {
  if (!Reporter.isActive(Rule::RingbufDrainCallbackReturn) ||
      Call.getNumArgs() < 2)
    return false;
  const FunctionDecl *CB = callbackFunctionOf(Call.getArgExpr(1));
  CB = CB ? CB->getDefinition() : nullptr;
  if (!CB || !CB->hasBody())
    return false;
  ReturnFinder Finder;
  Finder.TraverseStmt(CB->getBody());
  for (const ReturnStmt *RS : Finder.Returns) {
    const Expr *E = RS->getRetValue();
    if (!E || E->isValueDependent())
      continue;
    std::optional<llvm::APSInt> V =
        E->getIntegerConstantExpr(C.getASTContext());
    if (!V)
      continue;
    int64_t Value = V->getExtValue();
    if (Value == 0 || Value == 1)
      continue;
    char Hex[32];
    snprintf(Hex, sizeof(Hex), "%#llx", (unsigned long long)Value);
    ExplodedNode *N = C.generateErrorNode();
    if (!N)
      return true;
    auto Report = std::make_unique<PathSensitiveBugReport>(
        Reporter.bugType(Rule::RingbufDrainCallbackReturn),
        Reporter.describe(
            Rule::RingbufDrainCallbackReturn,
            ("'" + CB->getName() + "' returns " + Twine(Value) +
             "; a bpf_user_ringbuf_drain callback returns 0 "
             "to continue or 1 to stop")
                .str(),
            "",
            Reporter.config().Kernel < KernelVersion(6, 8)
                ? std::vector<std::string>{Hex}
                : std::vector<std::string>{std::to_string(Value),
                                           std::to_string(Value)}),
        N);
    Report->addRange(Call.getArgSourceRange(1));
    Report->addNote(
        "returns " + std::to_string(Value) + " here",
        PathDiagnosticLocation(RS->getBeginLoc(), C.getSourceManager()));
    C.emitReport(std::move(Report));
    return true;
  }
  return false;
}

void registerRingBufCallChecker(CheckerManager &Mgr, const BpfConfig &Config) {
  auto *Checker = Mgr.registerChecker<RingBufCallChecker>();
  Checker->Reporter.init(Checker, Config);
}

} // namespace bpflint
