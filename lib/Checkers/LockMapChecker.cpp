//===- LockMapChecker.cpp - Programs that may not use locked maps ---------===//
//
// LOCK-024: socket filters and tracing programs (kprobe, tracepoint,
// perf_event, raw_tp) may not use a map whose value holds a lock. The
// verifier checks every map the program references; bpflint reports the
// first use it finds on a path, once per program and map.
//
//===----------------------------------------------------------------------===//

#include "BpfState.h"
#include "LockArgument.h"
#include "RuleReporter.h"
#include "bpflint/Model/LockRules.h"
#include "bpflint/Model/MapModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {
namespace {

class LockMapChecker : public Checker<check::PreCall> {
public:
  RuleReporter Reporter;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
};

/// Does the BTF value type of Def hold a lock the kernel V knows about?
bool valueHoldsLock(const MapDefinition &Def, ASTContext &Ctx,
                    KernelVersion V) {
  auto IsLock = [V](SpecialFieldKind K) {
    return K == SpecialFieldKind::SpinLock ||
           (K == SpecialFieldKind::ResSpinLock && V >= ResSpinLockSince);
  };
  if (!Def.hasBtfValue())
    return false;
  if (std::optional<SpecialFieldKind> K = specialStructKind(Def.ValueType))
    return IsLock(*K);
  for (const SpecialField &F : findSpecialFields(Def.ValueType, Ctx))
    if (IsLock(F.Kind))
      return true;
  return false;
}

/// Does the map's value (for globals: any variable of the section) hold a
/// bpf_list_head or bpf_rb_root?
bool holdsGraphRoot(const VarDecl *Map, const MapDefinition &Def,
                    ASTContext &Ctx) {
  auto HasRoot = [&Ctx](QualType T) {
    if (T.isNull())
      return false;
    if (std::optional<SpecialFieldKind> K = specialStructKind(T))
      return *K == SpecialFieldKind::ListHead || *K == SpecialFieldKind::RbRoot;
    return llvm::any_of(findSpecialFields(T, Ctx), [](const SpecialField &F) {
      return F.Kind == SpecialFieldKind::ListHead ||
             F.Kind == SpecialFieldKind::RbRoot;
    });
  };
  StringRef Section = globalDataSection(Map);
  if (Section.empty())
    return HasRoot(Def.ValueType);
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D))
      if (globalDataSection(VD) == Section && HasRoot(VD->getType()))
        return true;
  return false;
}

} // namespace

void LockMapChecker::checkPreCall(const CallEvent &Call,
                                  CheckerContext &C) const {
  if (!Reporter.isActive(Rule::LockProgramType))
    return;
  std::optional<ProgramSection> Prog = programSection(C);
  if (!Prog)
    return;
  StringRef Kind = lockForbiddenProgramKind(Prog->Type);
  if (Kind.empty())
    return;
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) {
    const VarDecl *Map = mapArgument(Call, I);
    if (!Map)
      continue;
    std::optional<MapDefinition> Def = parseMapDefinition(Map);
    if (!Def ||
        !valueHoldsLock(*Def, C.getASTContext(), Reporter.config().Kernel))
      continue;
    // A tracing program and a value with a graph root: the kernel reports
    // the root first (GRAPH-007, bpflint-graph-tracing-program).
    if (isTracingProgType(Prog->Type) &&
        getRule(Rule::GraphTracingProgram)
            .appliesTo(Reporter.config().Kernel) &&
        holdsGraphRoot(Map, *Def, C.getASTContext()))
      continue;
    ExplodedNode *N = C.generateErrorNode();
    if (!N)
      return;
    std::string What =
        ("a " + progTypeName(Prog->Type) + " program uses map '" +
         Map->getName() + "', whose value holds a bpf_spin_lock")
            .str();
    // One report per program and map, whichever path reaches it first.
    PathDiagnosticLocation MapLoc =
        PathDiagnosticLocation::create(Map, C.getSourceManager());
    auto Report = std::make_unique<PathSensitiveBugReport>(
        Reporter.bugType(Rule::LockProgramType),
        Reporter.describe(Rule::LockProgramType, What, "", {Kind.str()}), N,
        MapLoc, verifiedFunction(C));
    Report->addRange(Call.getSourceRange());
    C.emitReport(std::move(Report));
    return;
  }
}

void registerLockMapChecker(CheckerManager &Mgr) {
  auto *Checker = Mgr.registerChecker<LockMapChecker>();
  Checker->Reporter.init(Checker, BpfConfig::load(Mgr.getAnalyzerOptions()));
}

} // namespace bpflint
