//===- AbstractState.cpp - Verifier state on one path ---------------------===//

#include "bpflint/Bytecode/AbstractState.h"
#include "bpflint/Bytecode/ObjectFile.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace bpflint::bc {

std::string RegState::str(const BpfObject &Obj) const {
  std::string Out;
  raw_string_ostream OS(Out);
  auto mapName = [&]() -> std::string {
    if (MapIndex < 0 || size_t(MapIndex) >= Obj.maps().size())
      return "?";
    return Obj.maps()[MapIndex].Name;
  };
  auto attrs = [&](bool WithMap) {
    OS << "(";
    if (WithMap)
      OS << "map=" << mapName() << ",";
    OS << "id=" << Id;
    if (RefObjId)
      OS << ",ref_obj_id=" << RefObjId;
    if (Off)
      OS << ",off=" << Off;
    // The variable part: "var_off(umax=63)", the kernel's ranges.
    if (VarOff)
      OS << ",var_off" << StringRef(VarRange.str()).drop_front(6);
    OS << ")";
  };
  switch (Type) {
  case RegType::NotInit:
    OS << "not initialized";
    break;
  case RegType::Scalar:
    OS << Val.str();
    break;
  case RegType::Ctx:
    OS << "ctx";
    if (Off)
      OS << "(off=" << Off << ")";
    break;
  case RegType::Stack:
    OS << "fp" << (Off < 0 ? "" : "+") << Off;
    if (Frame)
      OS << " (frame " << Frame << ")";
    break;
  case RegType::ConstMap:
    OS << "map_ptr(map=" << mapName() << ")";
    break;
  case RegType::MapValue:
    OS << (MaybeNull ? "map_value_or_null" : "map_value");
    attrs(true);
    break;
  case RegType::RingbufMem:
    OS << (MaybeNull ? "ringbuf_mem_or_null" : "ringbuf_mem");
    attrs(false);
    break;
  case RegType::Released:
    OS << "released reference";
    break;
  case RegType::Opaque:
    OS << "pointer";
    break;
  case RegType::AllocObj:
    OS << (Percpu ? "percpu_" : "") << (NonOwning ? "non_own_" : "")
       << (MaybeNull ? "ptr_or_null_" : "ptr_") << Obj.btf().typeName(BtfId);
    attrs(false);
    break;
  case RegType::KernelObj: {
    std::string Name = Obj.btf().typeName(BtfId);
    StringRef N(Name);
    N.consume_front("struct ");
    OS << (Trust == PtrTrust::Rcu         ? "rcu_"
           : Trust == PtrTrust::Untrusted ? "untrusted_"
                                          : "")
       << (MaybeNull ? "ptr_or_null_" : "ptr_") << N;
    attrs(false);
    break;
  }
  case RegType::DynptrMem:
    OS << (SliceOf == 1 ? "rdonly_" : "")
       << (MaybeNull ? "mem_or_null" : "mem");
    attrs(false);
    OS << " of " << MemSize << " bytes";
    break;
  case RegType::ConstDynptr:
    OS << "dynptr_ptr";
    if (Off)
      OS << "(off=" << Off << ")";
    break;
  }
  return Out;
}

void VerifierState::noteBranch(CodeAddr At, bool Taken) {
  constexpr size_t MaxNotes = 8;
  if (Branches.size() == MaxNotes)
    Branches.erase(Branches.begin());
  Branches.push_back({At, Taken});
}

namespace {

// A consistent renaming of ids between the old and the new state, as the
// kernel's check_ids(): two states that differ only in id numbering (every
// loop iteration allocates fresh ones) are the same state.
class IdMap {
public:
  // A handful of ids per state: linear search in place beats hashing (this
  // runs for every remembered state at every prune point).
  bool check(uint32_t Old, uint32_t New) {
    if (!Old && !New)
      return true;
    if (!Old || !New)
      return false;
    for (const auto &[O, N] : Pairs)
      if (O == Old || N == New)
        return O == Old && N == New;
    Pairs.push_back({Old, New});
    return true;
  }

private:
  SmallVector<std::pair<uint32_t, uint32_t>, 16> Pairs;
};

// A pointer's variable offset: bounds checks judge its whole range.
bool varRangeCovered(const Scalar &Old, const Scalar &New) {
  return Old.contains(New) && (Old.Imprecise || !New.Imprecise);
}

bool regCovered(const RegState &Old, const RegState &New, IdMap &Ids) {
  // An uninitialised register in the old state: the old exploration either
  // never read it or stopped there; either way nothing is lost for recall
  // that matters (pruning only ever hides findings, never invents them).
  if (Old.Type == RegType::NotInit)
    return true;
  if (Old.Type != New.Type)
    return false;
  switch (Old.Type) {
  case RegType::Scalar:
    // Scalar ids only matter for refinement; ignore them here as the
    // kernel does for scalars it has not marked precise.
    return Old.Val.contains(New.Val) &&
           (Old.Val.Imprecise || !New.Val.Imprecise) &&
           Old.Val.FromCtx == New.Val.FromCtx;
  case RegType::Released:
  case RegType::Opaque:
    return true;
  default:
    return Old.MaybeNull == New.MaybeNull &&
           Old.NullUncertain == New.NullUncertain && Old.VarOff == New.VarOff &&
           Old.VarOffSure == New.VarOffSure && Old.Off == New.Off &&
           Old.MapIndex == New.MapIndex && Old.Frame == New.Frame &&
           Old.BtfId == New.BtfId && Old.Trust == New.Trust &&
           Old.NonOwning == New.NonOwning && Old.Percpu == New.Percpu &&
           Old.MemSize == New.MemSize && Old.SliceOf == New.SliceOf &&
           Ids.check(Old.DynptrId, New.DynptrId) &&
           (!Old.VarOff || varRangeCovered(Old.VarRange, New.VarRange)) &&
           Ids.check(Old.Id, New.Id) && Ids.check(Old.RefObjId, New.RefObjId);
  }
}

bool slotCovered(const StackSlot &Old, const StackSlot &New, IdMap &Ids) {
  switch (Old.K) {
  case StackSlot::Invalid:
    return true;
  case StackSlot::Misc:
    // As for scalars: an exact old value covers exact new ones only.
    if (Old.Unknown)
      return (New.K == StackSlot::Misc && New.Unknown) ||
             New.K == StackSlot::Zero;
    return New.K == StackSlot::Misc || New.K == StackSlot::Zero ||
           (New.K == StackSlot::Spill && New.Spilled.Type == RegType::Scalar);
  case StackSlot::Zero:
    return New.K == StackSlot::Zero;
  case StackSlot::Spill:
    return New.K == StackSlot::Spill &&
           regCovered(Old.Spilled, New.Spilled, Ids);
  case StackSlot::IrqFlag:
    return New.K == StackSlot::IrqFlag && Ids.check(Old.DynId, New.DynId);
  case StackSlot::Dynptr:
    return New.K == StackSlot::Dynptr && Old.DynKind == New.DynKind &&
           Old.DynFirst == New.DynFirst && Ids.check(Old.DynId, New.DynId) &&
           Ids.check(Old.DynRef, New.DynRef);
  }
  return false;
}

} // namespace

bool VerifierState::coveredBy(const VerifierState &Old,
                              const uint16_t *Live) const {
  if (Old.Frames.size() != Frames.size() || Old.Refs.size() != Refs.size() ||
      Old.Lock.Held != Lock.Held)
    return false;
  // A tainted exploration reports nothing, so it cannot stand in for an
  // untainted one.
  if (Old.Tainted && !Tainted)
    return false;
  IdMap Ids;
  if (Lock.Held &&
      (Old.Lock.MapIndex != Lock.MapIndex || !Ids.check(Old.Lock.Id, Lock.Id)))
    return false;
  if (Old.ResLocks.size() != ResLocks.size() || Old.Irqs.size() != Irqs.size())
    return false;
  for (size_t I = 0; I < ResLocks.size(); ++I)
    if (Old.ResLocks[I].MapIndex != ResLocks[I].MapIndex ||
        Old.ResLocks[I].Irq != ResLocks[I].Irq ||
        !Ids.check(Old.ResLocks[I].Id, ResLocks[I].Id))
      return false;
  for (size_t I = 0; I < Irqs.size(); ++I)
    if (Old.Irqs[I].LockClass != Irqs[I].LockClass ||
        !(Old.Irqs[I].At == Irqs[I].At) ||
        !Ids.check(Old.Irqs[I].Id, Irqs[I].Id))
      return false;
  for (size_t I = 0; I < Refs.size(); ++I)
    if (!Ids.check(Old.Refs[I].Id, Refs[I].Id) ||
        !(Old.Refs[I].AllocAt == Refs[I].AllocAt) ||
        Old.Refs[I].Alloc != Refs[I].Alloc ||
        Old.Refs[I].Kernel != Refs[I].Kernel ||
        Old.Refs[I].Dynptr != Refs[I].Dynptr)
      return false;
  for (size_t F = 0; F < Frames.size(); ++F) {
    const FrameState &O = Old.Frames[F], &N = Frames[F];
    if (!(O.ReturnTo == N.ReturnTo) || !(O.Entry == N.Entry) ||
        O.CallbackOf != N.CallbackOf)
      return false;
    for (size_t R = 0; R < O.Regs.size(); ++R)
      if ((!Live || (Live[F] >> R & 1)) &&
          !regCovered(O.Regs[R], N.Regs[R], Ids))
        return false;
    // Slots Old never used are Invalid, which covers anything; slots New
    // never used are Invalid.
    static const StackSlot InvalidSlot;
    for (size_t S = 0; S < O.Stack.size(); ++S)
      if (!slotCovered(O.Stack[S],
                       S < N.Stack.size() ? N.Stack[S] : InvalidSlot, Ids))
        return false;
  }
  return true;
}

} // namespace bpflint::bc
