//===- BpfState.cpp -------------------------------------------------------===//

#include "BpfState.h"
#include "bpflint/Model/BpfCallee.h"
#include "bpflint/Model/MapModel.h"
#include "clang/AST/Decl.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"

using namespace clang;
using namespace clang::ento;

// Map-value symbol -> the map definition it was looked up in.
REGISTER_MAP_WITH_PROGRAMSTATE(MapValueOrigins, SymbolRef, const VarDecl *)

namespace bpflint {

ProgramStateRef noteMapValue(ProgramStateRef State, SymbolRef Value,
                             const VarDecl *Map) {
  if (!Value || !Map)
    return State;
  return State->set<MapValueOrigins>(Value, Map);
}

ProgramStateRef removeDeadMapValues(ProgramStateRef State, SymbolReaper &SR) {
  for (const auto &Entry : State->get<MapValueOrigins>())
    if (SR.isDead(Entry.first))
      State = State->remove<MapValueOrigins>(Entry.first);
  return State;
}

const VarDecl *mapBehind(ProgramStateRef State, SVal Ptr) {
  const MemRegion *R = Ptr.getAsRegion();
  if (!R)
    return nullptr;
  R = R->getBaseRegion();
  if (const auto *VR = dyn_cast<VarRegion>(R)) {
    const auto *VD = dyn_cast<VarDecl>(VR->getDecl());
    return VD && !globalDataSection(VD).empty() ? VD : nullptr;
  }
  if (const auto *SR = dyn_cast<SymbolicRegion>(R))
    if (const VarDecl *const *Map =
            State->get<MapValueOrigins>(SR->getSymbol()))
      return *Map;
  return nullptr;
}

const VarDecl *mapArgument(const CallEvent &Call, unsigned I) {
  if (I >= Call.getNumArgs())
    return nullptr;
  const MemRegion *R = Call.getArgSVal(I).getAsRegion();
  if (!R)
    return nullptr;
  const auto *VR = dyn_cast<VarRegion>(R->getBaseRegion());
  if (!VR)
    return nullptr;
  const auto *VD = dyn_cast<VarDecl>(VR->getDecl());
  return VD && parseMapDefinition(VD) ? VD : nullptr;
}

const FunctionDecl *verifiedFunction(CheckerContext &C) {
  const LocationContext *LC = C.getLocationContext();
  while (LC->getParent())
    LC = LC->getParent();
  return dyn_cast_or_null<FunctionDecl>(LC->getDecl());
}

std::optional<ProgramSection> programSection(CheckerContext &C) {
  StringRef Section = programSectionOf(verifiedFunction(C));
  if (Section.empty())
    return std::nullopt;
  return classifyProgramSection(Section);
}

bool mayBeNull(ProgramStateRef State, SVal Ptr) {
  std::optional<DefinedSVal> D = Ptr.getAs<DefinedSVal>();
  if (!D)
    return false;
  auto [NonNull, Null] = State->assume(*D);
  return NonNull && Null;
}

} // namespace bpflint
