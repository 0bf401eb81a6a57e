//===- LockArgument.cpp ---------------------------------------------------===//

#include "LockArgument.h"
#include "BpfState.h"
#include "bpflint/Model/LockRules.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Support/Compat.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"

using namespace clang;
using namespace clang::ento;
using namespace llvm;

namespace bpflint {

std::string kernelMapName(const VarDecl *Map) {
  StringRef Section = globalDataSection(Map);
  // libbpf names a global-data map "<object name prefix><section>"; the
  // object name is unknown at compile time.
  if (!Section.empty())
    return ("<obj>" + Section).str();
  return Map->getName().take_front(15).str();
}

namespace {
/// The lock fields of the value a map holds, at offsets within the region
/// the lock pointer is based on (the map value, or the global variable).
struct LockFields {
  SmallVector<SpecialField, 2> Spin, Res;
};

void addField(const SpecialField &F, LockFields &Out) {
  if (F.Kind == SpecialFieldKind::SpinLock)
    Out.Spin.push_back(F);
  else if (F.Kind == SpecialFieldKind::ResSpinLock)
    Out.Res.push_back(F);
}

/// Locks of one global variable, at offsets within it (a variable that is
/// itself a lock has its lock at offset 0).
void collectVarLocks(const VarDecl *VD, LockFields &Out) {
  ASTContext &Ctx = VD->getASTContext();
  if (std::optional<SpecialFieldKind> K = specialStructKind(VD->getType()))
    addField({*K, nullptr, 0, false, "", QualType()}, Out);
  for (const SpecialField &F : findSpecialFields(VD->getType(), Ctx))
    addField(F, Out);
}

/// The kernel sees one map value per global-data section: count the locks
/// of every variable in the section (for "more than one lock"), but report
/// offsets within Var only.
LockFields globalDataLocks(const VarDecl *Var, LockFields &SectionWide) {
  LockFields Own;
  collectVarLocks(Var, Own);
  StringRef Section = globalDataSection(Var);
  for (const Decl *D : Var->getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D))
      if (VD->isThisDeclarationADefinition() &&
          globalDataSection(VD) == Section)
        collectVarLocks(VD, SectionWide);
  return Own;
}

std::string lockName(LockKind K) {
  return (lockFunctionPrefix(K) + "_lock").str();
}
} // namespace

std::optional<LockArgumentProblem> checkLockArgument(ProgramStateRef State,
                                                     SVal LockPtr,
                                                     LockKind Kind,
                                                     KernelVersion V) {
  const MemRegion *R = LockPtr.getAsRegion();
  if (!R)
    return std::nullopt;
  const MemRegion *Base = R->getBaseRegion();

  // LOCK-007: only map values and allocated objects; the verifier names the
  // register type. (The res-lock kfunc reports these differently; only the
  // helper's messages are modelled.)
  if (Kind == LockKind::Spin) {
    if (isa<StackSpaceRegion>(compat::memorySpace(Base, State)))
      return LockArgumentProblem{Rule::LockBadPointer,
                                 "the lock is on the stack; bpf_spin_lock "
                                 "works only on locks in map values or "
                                 "allocated objects",
                                 "stack",
                                 {}};
    if (const auto *SR = dyn_cast<SymbolicRegion>(Base))
      if (mapBehind(State, loc::MemRegionVal(SR)) &&
          mayBeNull(State, loc::MemRegionVal(SR)))
        return LockArgumentProblem{
            Rule::LockBadPointer,
            "the map value may be NULL here; check the lookup result first",
            "",
            {}};
  }

  const VarDecl *Map = mapBehind(State, loc::MemRegionVal(Base));
  if (!Map)
    return std::nullopt; // Unknown provenance: the kernel's view is unknown.
  std::optional<MapDefinition> Def = parseMapDefinition(Map);
  if (!Def)
    return std::nullopt;
  std::string Name = kernelMapName(Map);

  // LOCK-005: without BTF for the value the kernel knows no fields at all.
  if (!Def->hasBtfValue())
    return LockArgumentProblem{Rule::LockMapWithoutBtf,
                               "map '" + Map->getName().str() +
                                   "' is defined with key_size/value_size; "
                                   "use __type(key, ...) and __type(value, "
                                   "...) so the kernel sees the lock",
                               "",
                               {Name}};

  // LOCK-004: a map type that cannot hold a lock is created without BTF
  // (libbpf retries after -EOPNOTSUPP), so the kernel sees no lock at all.
  if (!Def->GlobalData && Def->mapType() &&
      !mapTypeCanHoldLock(*Def->mapType(), V))
    return LockArgumentProblem{
        Rule::LockMapType,
        ("map '" + Map->getName() + "' is a " + mapTypeName(*Def->mapType()) +
         ", which cannot hold a " + lockName(Kind) +
         " (use BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY or a local storage "
         "map)")
            .str(),
        "",
        {Name}};

  LockFields Own, Total;
  if (Def->GlobalData) {
    Own = globalDataLocks(Map, Total);
  } else {
    for (const SpecialField &F :
         findSpecialFields(Def->ValueType, Map->getASTContext()))
      addField(F, Own);
    Total = Own;
  }
  SmallVectorImpl<SpecialField> &Wanted =
      Kind == LockKind::Spin ? Own.Spin : Own.Res;
  uint64_t TotalOfKind = 0;
  for (const SpecialField &F : Kind == LockKind::Spin ? Total.Spin : Total.Res)
    TotalOfKind += F.Count;

  if (TotalOfKind == 0)
    return LockArgumentProblem{Rule::LockNoLockInValue,
                               "the value of map '" + Map->getName().str() +
                                   "' has no " + lockName(Kind) + " field",
                               "",
                               {Name}};
  // With several locks the type's BTF record is invalid. Since 6.2 the
  // kernel parses the records of all program types when the BTF is loaded,
  // rejects it, and libbpf falls back to loading without BTF: every lock use
  // in the object then fails for want of BTF.
  if (TotalOfKind > 1)
    return LockArgumentProblem{Rule::LockMultipleInValue,
                               "the value of map '" + Map->getName().str() +
                                   "' has " + std::to_string(TotalOfKind) +
                                   " " + lockName(Kind) +
                                   " fields; the kernel allows one",
                               "",
                               {Name}};
  if (!Total.Spin.empty() && !Total.Res.empty() && V >= ResSpinLockSince)
    return LockArgumentProblem{Rule::LockAndResLockInValue,
                               "the value of map '" + Map->getName().str() +
                                   "' has both a bpf_spin_lock and a "
                                   "bpf_res_spin_lock",
                               "",
                               {Name}};
  if (Wanted.empty())
    return std::nullopt; // The lock is in another variable of the section.
  const SpecialField &Lock = Wanted.front();
  bool Nested = Lock.Field && !Def->GlobalData &&
                Lock.Field->getParent() !=
                    Def->ValueType->getAsRecordDecl()->getDefinition();
  // An array of one lock is one lock to the kernel; more were counted above.
  if (Nested && V < NestedLockFieldsSince)
    return LockArgumentProblem{Rule::LockMisplaced,
                               "the " + lockName(Kind) +
                                   " is inside a nested struct, which "
                                   "kernels before 6.10 do not search",
                               "",
                               {Name}};

  // LOCK-008/009: the pointer must be a constant offset equal to the field's.
  RegionOffset Offset = R->getAsOffset();
  if (!Offset.isValid() || Offset.getRegion() != Base)
    return std::nullopt;
  if (Offset.hasSymbolicOffset())
    return LockArgumentProblem{Rule::LockVariableOffset,
                               "the lock pointer has a variable offset",
                               "",
                               {}};
  int64_t Bytes = Offset.getOffset() / 8;
  if (Bytes != static_cast<int64_t>(Lock.ByteOffset))
    return LockArgumentProblem{
        Rule::LockWrongOffset,
        "the pointer is at offset " + std::to_string(Bytes) + ", the " +
            lockName(Kind) + " field at offset " +
            std::to_string(Lock.ByteOffset),
        "",
        // Global-data offsets are within the whole section for the kernel:
        // leave those numbers to it.
        Def->GlobalData
            ? SmallVector<std::string, 2>()
            : SmallVector<std::string, 2>{std::to_string(Bytes),
                                          std::to_string(Lock.ByteOffset)}};
  return std::nullopt;
}

} // namespace bpflint
