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

/// Spin locks and res locks in a map value type.
std::pair<uint64_t, uint64_t> countLocks(QualType T, ASTContext &Ctx) {
  uint64_t Spin = 0, Res = 0;
  LockFields F;
  if (std::optional<SpecialFieldKind> K = specialStructKind(T))
    addField({*K, nullptr, 0, false, "", QualType()}, F);
  for (const SpecialField &SF : findSpecialFields(T, Ctx))
    addField(SF, F);
  for (const SpecialField &SF : F.Spin)
    Spin += SF.Count;
  for (const SpecialField &SF : F.Res)
    Res += SF.Count;
  return {Spin, Res};
}

std::string lockName(LockKind K) {
  return (lockFunctionPrefix(K) + "_lock").str();
}
} // namespace

ObjectLocks ObjectLocks::compute(ASTContext &Ctx, KernelVersion V) {
  ObjectLocks Result;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->isThisDeclarationADefinition())
      continue;
    StringRef Section = globalDataSection(VD);
    if (!Section.empty()) {
      Result.SpinLocksPerSection[Section] +=
          countLocks(VD->getType(), Ctx).first;
      continue;
    }
    std::optional<MapDefinition> Def = parseMapDefinition(VD);
    if (!Def || !Def->hasBtfValue() || Result.InvalidRecordMap)
      continue;
    auto [Spin, Res] = countLocks(Def->ValueType, Ctx);
    if (V >= KernelVersion(6, 2) &&
        (Spin > 1 || (Spin && Res && V >= ResSpinLockSince)))
      Result.InvalidRecordMap = VD;
  }
  return Result;
}

std::optional<LockArgumentProblem>
checkLockArgument(ProgramStateRef State, SVal LockPtr, LockKind Kind,
                  KernelVersion V, const ObjectLocks &Objects) {
  const MemRegion *R = LockPtr.getAsRegion();
  if (!R)
    return std::nullopt;
  const MemRegion *Base = R->getBaseRegion();

  // The res-lock forms of the messages name bpf_res_spin_lock.
  std::string Res = Kind == LockKind::Res ? "res" : "";

  // LOCK-007: only map values and allocated objects.
  if (isa<StackSpaceRegion>(compat::memorySpace(Base, State)))
    return LockArgumentProblem{Rule::LockBadPointer,
                               "the lock is on the stack; " + lockName(Kind) +
                                   " works only on locks in map values or "
                                   "allocated objects",
                               Kind == LockKind::Res ? "res-stack" : "stack",
                               {}};
  // The helper's message for a NULL-able value is known; the kfunc's is not.
  if (Kind == LockKind::Spin) {
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
                               Res,
                               {Name}};

  // COM-006: libbpf creates .rodata read-only, and the kernel keeps no
  // special fields for such a map.
  if (Def->GlobalData && globalDataSection(Map).starts_with(".rodata"))
    return LockArgumentProblem{
        Rule::LockReadOnlyMap,
        ("the " + lockName(Kind) + " is in '" + Map->getName() +
         "', a const global in .rodata, which the kernel maps read-only; "
         "drop the const so it goes to .data or .bss")
            .str(),
        Res,
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
        Res,
        {Name}};

  // Offsets are within the region the pointer is based on: the map value,
  // or for global data the variable (the kernel counts the whole section).
  ASTContext &Ctx = Map->getASTContext();
  LockFields Own;
  QualType Value = Def->GlobalData ? Map->getType() : Def->ValueType;
  if (std::optional<SpecialFieldKind> K = specialStructKind(Value))
    addField({*K, nullptr, 0, false, "", QualType()}, Own);
  for (const SpecialField &F : findSpecialFields(Value, Ctx))
    addField(F, Own);
  SmallVectorImpl<SpecialField> &Wanted =
      Kind == LockKind::Spin ? Own.Spin : Own.Res;
  auto [SpinTotal, ResTotal] = countLocks(Value, Ctx);
  if (Def->GlobalData)
    SpinTotal = Objects.SpinLocksPerSection.lookup(globalDataSection(Map));
  uint64_t TotalOfKind = Kind == LockKind::Spin ? SpinTotal : ResTotal;

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
                               Res,
                               {Name}};
  if (SpinTotal && ResTotal && V >= ResSpinLockSince)
    return LockArgumentProblem{Rule::LockAndResLockInValue,
                               "the value of map '" + Map->getName().str() +
                                   "' has both a bpf_spin_lock and a "
                                   "bpf_res_spin_lock",
                               "",
                               {Name}};
  // Another map's value type made the kernel reject the object's BTF.
  if (Objects.InvalidRecordMap && Objects.InvalidRecordMap != Map &&
      !Def->GlobalData)
    return LockArgumentProblem{
        Rule::LockMultipleInValue,
        ("the value type of map '" + Objects.InvalidRecordMap->getName() +
         "' has more than one lock; the kernel rejects the object's BTF, so "
         "map '" +
         Map->getName() + "' has no BTF either")
            .str(),
        "",
        {Name}};

  if (TotalOfKind == 0)
    return LockArgumentProblem{Rule::LockNoLockInValue,
                               "the value of map '" + Map->getName().str() +
                                   "' has no " + lockName(Kind) + " field",
                               Res,
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
