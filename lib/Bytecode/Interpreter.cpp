//===- Interpreter.cpp - Abstract interpretation of a BPF program ---------===//
//
// The kernel's do_check(), reduced to the state bpflint's rules need. Each
// handler either updates the state and continues, forks, reports a finding
// where the kernel would reject, or stops the path as incomplete where we
// cannot follow (see Interpreter.h).
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include <chrono>

using namespace llvm;

namespace bpflint::bc {

unsigned ProgramResult::incompleteCount() const {
  unsigned N = 0;
  for (const auto &[Reason, Count] : Incomplete)
    N += Count;
  return N;
}

namespace detail {

void Interp::verifyEntry(const Function &F, bool IsProgram) {
  Seen.clear();
  Work.clear();
  Steps = 0;
  Exhausted = TooManyBranches = false;

  VerifierState St;
  FrameState Fr;
  Fr.Entry = {F.Section, F.FirstInsn};
  if (IsProgram) {
    Fr.Regs[1].Type = RegType::Ctx;
  } else {
    // A global function is verified with its arguments unknown. The kernel
    // types pointer arguments from BTF; an unknown scalar is the weaker
    // claim, so its branches on them are explored both ways, as the
    // kernel's for maybe-NULL pointers are.
    for (unsigned R = 1; R <= 5; ++R)
      Fr.Regs[R] = RegState::scalar(Scalar::unknown());
  }
  Fr.Regs[10].Type = RegType::Stack;
  St.Frames.push_back(Fr);
  if (IsProgram && !mapsCreatable(Fr.Entry, St))
    return;
  Work.emplace_back(Fr.Entry, std::move(St));

  while (!Work.empty() && !Exhausted) {
    auto [Pc, S] = std::move(Work.back());
    Work.pop_back();
    runPath(Pc, std::move(S));
  }
  if (Exhausted) {
    Res.BudgetExhausted = true;
    Res.Incomplete[TooManyBranches ? "more pending branches than the "
                                     "kernel allows (8192)"
                                   : "instruction budget exhausted"] +=
        Work.size() + 1;
  }
  Res.Steps += Steps;
}

void Interp::queue(CodeAddr Pc, VerifierState St) {
  // The kernel rejects a program whose DFS has more than 8192 branches
  // pending (BPF_COMPLEXITY_LIMIT_JMP_SEQ, "The sequence of %d jumps is too
  // complex."). We prune less, so we may get there on a program the kernel
  // accepts: give up on the entry then. This also bounds memory.
  if (Work.size() >= 8192) {
    Exhausted = TooManyBranches = true;
    return;
  }
  Work.emplace_back(Pc, std::move(St));
}

bool Interp::pruned(CodeAddr Pc, const VerifierState &St) {
  std::vector<SeenState> &List = Seen[addrKey(Pc)];
  // Registers no path reads before writing them are not compared (the
  // kernel's liveness marks). A caller frame resumes at its return address
  // with r0..r5 set by the return (a callback's caller re-runs the helper
  // call, which reads them).
  uint16_t Live[MaxCallFrames + 1];
  size_t NFrames = std::min(St.Frames.size(), std::size(Live));
  for (size_t F = 0; F < NFrames; ++F) {
    if (F + 1 == St.Frames.size()) {
      Live[F] = Liveness.liveIn(Pc);
      continue;
    }
    const FrameState &Callee = St.Frames[F + 1];
    Live[F] = Liveness.liveIn(Callee.ReturnTo);
    if (Callee.CallbackOf < 0)
      Live[F] &= ~uint16_t(0x3f);
  }
  const uint16_t *LiveMasks = NFrames == St.Frames.size() ? Live : nullptr;
  for (size_t I = 0; I < List.size();) {
    SeenState &Old = List[I];
    if (St.coveredBy(Old.St, LiveMasks)) {
      ++Old.Hit;
      return true;
    }
    // As the kernel's is_state_visited(): a state that keeps failing to
    // prune is dropped, so that lists stay short and each visit cheap.
    if (++Old.Miss > Old.Hit * 3 + 3) {
      std::swap(Old, List.back());
      List.pop_back();
      continue;
    }
    ++I;
  }
  // Remembering a state is a copy: like the kernel, only when the path
  // went some way since the last one (or nothing is known here yet).
  if (List.size() < Opts.MaxStatesPerInsn &&
      (List.empty() || Steps - LastStored >= 8)) {
    List.push_back({St, 0, 0});
    LastStored = Steps;
  }
  return false;
}

bool Interp::inFunction(const VerifierState &St, int64_t Target) const {
  const Function *F = function(St.cur().Entry);
  return F && Target >= F->FirstInsn &&
         Target < int64_t(F->FirstInsn) + F->NumInsns;
}

void Interp::runPath(CodeAddr Pc, VerifierState St) {
  for (;;) {
    if (++Steps > Opts.MaxSteps) {
      Exhausted = true;
      return;
    }
    if (!inFunction(St, Pc.Insn)) {
      stop("control flow leaves the function");
      return;
    }
    // A tainted path reports nothing (report() suppresses its findings) and
    // taint is never cleared: exploring it further costs time and finds
    // nothing.
    if (St.Tainted) {
      stop("path on a value the kernel knows better");
      return;
    }
    if (Leaders.count(addrKey(Pc)) && pruned(Pc, St))
      return;
    const Insn &I = section(Pc).Insns[Pc.Insn];
    bool Continue = true;
    switch (I.Kind) {
    case InsnKind::Invalid:
    case InsnKind::Continuation:
      stop("invalid instruction");
      return;
    case InsnKind::Alu:
      Continue = doAlu(I, Pc, St);
      break;
    case InsnKind::LoadImm64:
      Continue = doLoadImm64(I, Pc, St);
      if (Continue)
        ++Pc.Insn; // Skip the second slot.
      break;
    case InsnKind::Load:
      Continue = doLoad(I, Pc, St);
      break;
    case InsnKind::Store:
      Continue = doStore(I, Pc, St);
      break;
    case InsnKind::Atomic:
      Continue = doAtomic(I, Pc, St);
      break;
    case InsnKind::LegacyPacket:
      Continue = doLegacyPacket(I, Pc, St);
      break;
    case InsnKind::Jump:
      if (!doJump(I, Pc, St))
        return;
      continue; // doJump set Pc.
    case InsnKind::Call:
      if (!doCall(I, Pc, St))
        return;
      continue; // doCall set Pc.
    case InsnKind::Exit:
      if (!doExit(Pc, St))
        return;
      continue;
    }
    if (!Continue)
      return;
    ++Pc.Insn;
  }
}

//===-- ALU ---------------------------------------------------------------===//

bool Interp::doAlu(const Insn &I, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  bool Is32 = !I.isAlu64();
  uint8_t Op = I.op();
  if (I.Dst == 10) {
    stop("write to the frame pointer");
    return false;
  }
  RegState &D = Regs[I.Dst];
  RegState S;
  if (I.usesSrcReg()) {
    S = Regs[I.Src];
    if (S.Type == RegType::NotInit) {
      stop("read of an uninitialized register");
      return false;
    }
  } else {
    Scalar Imm = Scalar::constant(Is32 ? uint64_t(uint32_t(I.Imm))
                                       : uint64_t(int64_t(I.Imm)));
    // A CO-RE relocation patches this immediate at load time.
    if (Obj.btf().hasCoreReloc(section(Pc).ElfIndex, uint64_t(Pc.Insn) * 8) &&
        Obj.btf().coreRelocKind(section(Pc).ElfIndex, uint64_t(Pc.Insn) * 8) !=
            CoreTypeIdLocal) {
      Imm = Is32 ? Scalar::unknownOfSize(4) : Scalar::unknown();
      Imm.Imprecise = true;
    }
    S = RegState::scalar(Imm);
  }
  if (S.Type == RegType::Released) {
    // To the kernel a released reference is an unknown scalar (root) or
    // uninitialized: a plain copy keeps what it is.
    if (Op == AluMov && !Is32 && I.Off == 0) {
      D = S;
      return true;
    }
    stop("use of a released reference");
    return false;
  }

  if (Op == AluMov) {
    if (I.Off != 0) { // movsx
      if (S.Type != RegType::Scalar) {
        stop("sign-extending move of a pointer");
        return false;
      }
      Scalar R;
      if (S.Val.isConst()) {
        unsigned Bits = I.Off;
        uint64_t V = uint64_t(SignExtend64(S.Val.constValue(), Bits));
        R = Scalar::constant(Is32 ? uint32_t(V) : V);
        R.Imprecise = S.Val.Imprecise;
      } else {
        R = Is32 ? Scalar::unknownOfSize(4) : Scalar::unknown();
        R.Imprecise = true;
      }
      D = RegState::scalar(R);
      return true;
    }
    if (!Is32) {
      // Copies of an unknown scalar share an id: refining one at a branch
      // refines all (the kernel's linked registers).
      if (I.usesSrcReg() && S.Type == RegType::Scalar && !S.Val.isConst()) {
        if (!Regs[I.Src].Id)
          Regs[I.Src].Id = St.freshId();
        S.Id = Regs[I.Src].Id;
      }
      D = S;
      return true;
    }
    if (S.Type != RegType::Scalar) {
      stop("32-bit copy of a pointer");
      return false;
    }
    // Current kernels keep the link when the value fits in 32 bits.
    if (I.usesSrcReg() && S.Val.fitsU32() && !S.Val.isConst()) {
      if (!Regs[I.Src].Id)
        Regs[I.Src].Id = St.freshId();
      D = Regs[I.Src];
      return true;
    }
    D = RegState::scalar(
        aluScalar(AluOr, Scalar::constant(0), S.Val, /*Is32=*/true));
    return true;
  }

  if (D.Type == RegType::NotInit) {
    stop("read of an uninitialized register");
    return false;
  }
  if (D.Type == RegType::Released) {
    // An unknown scalar to the kernel: +/- a scalar stays one.
    if (!Is32 && (Op == AluAdd || Op == AluSub) && S.Type == RegType::Scalar) {
      D.NullUncertain = false;
      return true;
    }
    stop("use of a released reference");
    return false;
  }

  // Pointer arithmetic: only pointer +/- scalar on pointer kinds whose
  // offset we track.
  if (D.isPointer() || S.isPointer()) {
    if (Is32) {
      stop("32-bit pointer arithmetic");
      return false;
    }
    bool DPtr = D.isPointer();
    RegState Ptr = DPtr ? D : S;
    const RegState &Other = DPtr ? S : D;
    // adjust_ptr_min_max_vals: no arithmetic on a NULL-able pointer.
    if (Ptr.Type == RegType::AllocObj && Ptr.MaybeNull && DPtr &&
        Other.Type == RegType::Scalar && (Op == AluAdd || Op == AluSub)) {
      report(Rule::GraphUseBeforeNullCheck, Pc,
             "arithmetic on the object from bpf_obj_new in R" +
                 std::to_string(I.Dst) + " before it is checked for NULL",
             {regNote(Pc, I.Dst, Ptr)}, St, "arith");
      return false;
    }
    if (DPtr && Other.Type == RegType::Scalar &&
        (Op == AluAdd || Op == AluSub) && nullablePtrArith(I, Pc, Ptr, St))
      return false;
    bool Trackable =
        Ptr.Type == RegType::Ctx || Ptr.Type == RegType::Stack ||
        Ptr.Type == RegType::MapValue || Ptr.Type == RegType::RingbufMem ||
        Ptr.Type == RegType::AllocObj || Ptr.Type == RegType::ConstDynptr ||
        Ptr.Type == RegType::DynptrMem;
    if (Other.Type != RegType::Scalar || !Trackable || Ptr.MaybeNull ||
        !(Op == AluAdd || (Op == AluSub && DPtr))) {
      stop("unsupported pointer arithmetic");
      return false;
    }
    if (Other.Val.isConst() && !Other.Val.Imprecise) {
      // Wrapping arithmetic: the offset may be nonsense, but not UB.
      uint64_t Delta = Other.Val.constValue();
      Ptr.Off = int64_t(Op == AluAdd ? uint64_t(Ptr.Off) + Delta
                                     : uint64_t(Ptr.Off) - Delta);
    } else {
      Ptr.VarOffSure |=
          !Other.Val.isConst() && !Other.Val.Imprecise && !Other.Val.FromCtx;
      if (!addVarOff(I, Pc, Ptr, Other.Val, Op == AluSub, St))
        return false;
    }
    D = Ptr;
    return true;
  }

  // Scalar arithmetic.
  if (Op == AluNeg) {
    Scalar R = aluScalar(AluSub, Scalar::constant(0), D.Val, Is32);
    if (!R.isConst())
      R.Imprecise = true;
    D = RegState::scalar(R);
    return true;
  }
  if (Op == AluEnd) {
    Scalar R;
    bool ToLE = !I.isAlu64() && !I.usesSrcReg();
    unsigned Bits = unsigned(I.Imm);
    if (ToLE) {
      // On a little-endian target, to-le is a truncation.
      R = Bits == 64 ? D.Val
                     : aluScalar(AluAnd, D.Val,
                                 Scalar::constant((1ull << Bits) - 1), false);
    } else if (D.Val.isConst()) {
      uint64_t V = D.Val.constValue();
      uint64_t Swapped = Bits == 16   ? byteswap(uint16_t(V))
                         : Bits == 32 ? byteswap(uint32_t(V))
                                      : byteswap(V);
      R = Scalar::constant(Swapped);
      R.Imprecise = D.Val.Imprecise;
    } else {
      R = Scalar::unknownOfSize(Bits / 8);
      R.Imprecise = true;
    }
    D = RegState::scalar(R);
    return true;
  }
  if ((Op == AluLsh || Op == AluRsh || Op == AluArsh) && S.Val.isConst() &&
      S.Val.constValue() >= (Is32 ? 32u : 64u)) {
    stop("shift by more than the operand width");
    return false;
  }
  uint32_t Link = D.Id ? D.Id : D.DeltaLinkId;
  Scalar R = aluScalar(Op, D.Val, S.Val, Is32,
                       (Op == AluDiv || Op == AluMod) && I.Off == 1);
  D = RegState::scalar(R);
  if ((Op == AluAdd || Op == AluSub) && S.Type == RegType::Scalar &&
      S.Val.isConst())
    D.DeltaLinkId = Link;
  return true;
}

bool Interp::doLoadImm64(const Insn &I, CodeAddr Pc, VerifierState &St) {
  RegState &D = St.cur().Regs[I.Dst];
  if (I.Dst == 10) {
    stop("write to the frame pointer");
    return false;
  }
  const Reloc *R = section(Pc).relocAt(Pc.Insn);
  if (!R) {
    if (I.Src != 0) {
      stop("ld_imm64 with an unresolved pseudo source");
      return false;
    }
    Scalar V = Scalar::constant(I.Imm64);
    // libbpf resolves a local type id to the id in the object's own BTF,
    // which it loads unchanged: the value is the one in the object.
    if (Obj.btf().hasCoreReloc(section(Pc).ElfIndex, uint64_t(Pc.Insn) * 8) &&
        Obj.btf().coreRelocKind(section(Pc).ElfIndex, uint64_t(Pc.Insn) * 8) !=
            CoreTypeIdLocal)
      V = Scalar::imprecise();
    D = RegState::scalar(V);
    return true;
  }
  D = RegState();
  switch (R->Kind) {
  case RelocKind::MapRef:
    if (!mapUsableByProgram(R->MapIndex, Pc, St))
      return false;
    D.Type = RegType::ConstMap;
    D.MapIndex = R->MapIndex;
    return true;
  case RelocKind::DataRef:
    if (!mapUsableByProgram(R->MapIndex, Pc, St))
      return false;
    D.Type = RegType::MapValue;
    D.MapIndex = R->MapIndex;
    D.Off = int64_t(R->SymbolOffset);
    // Direct map values have id 0 (lock identity is the map). Before 6.2
    // each ld_imm64 of a global got a fresh id (RULES.md LOCK-013).
    if (Opts.Kernel < KernelVersion(6, 2))
      D.Id = St.freshId();
    return true;
  case RelocKind::SubprogAddr:
    if (std::optional<CodeAddr> T = funcAddrTarget(Obj, Pc)) {
      // check_ld_imm: only a static function may be a callback.
      const Function *F = function(*T);
      if (F && F->FirstInsn == T->Insn && F->Global) {
        report(Rule::RingbufDrainCallbackNotStatic, Pc,
               "the address of global function '" + F->Name +
                   "' is taken (as a callback)",
               {}, St);
        return false;
      }
      D.FuncSection = int(T->Section);
      D.Off = T->Insn;
    }
    D.Type = RegType::Opaque;
    return true;
  case RelocKind::ExternVar:
    D.Type = RegType::Opaque;
    return true;
  default:
    stop("unsupported relocation on ld_imm64");
    return false;
  }
}

//===-- Memory ------------------------------------------------------------===//

// The stack slots covered by an access of Size bytes at Ptr+Off, or null if
// the access is not at a known in-bounds offset of a live frame.
StackSlot *Interp::stackSlots(VerifierState &St, const RegState &Ptr,
                              int64_t Off, unsigned Size, unsigned &First,
                              unsigned &Count) {
  if (Ptr.VarOff || Ptr.Frame >= St.Frames.size())
    return nullptr;
  // [Lo, Lo + Size) below the frame pointer. Offsets come from arbitrary
  // arithmetic: compare before adding so nothing can wrap around.
  constexpr int64_t Limit = StackSlots * 8;
  if (Size == 0 || Size > Limit || Ptr.Off < -Limit || Ptr.Off > Limit)
    return nullptr;
  int64_t Lo = Ptr.Off + Off, Hi = Lo + Size;
  if (Lo < -Limit || Hi > 0)
    return nullptr;
  // Slot k holds bytes [-8(k+1), -8k).
  unsigned Last = unsigned((-Lo - 1) / 8);
  First = unsigned((-(Hi - 1) - 1) / 8);
  Count = Last - First + 1;
  FrameState &Fr = St.Frames[Ptr.Frame];
  Fr.useSlots(Last + 1);
  return &Fr.Stack[0];
}

void Interp::helperFilledStack(StackSlot *Slots, unsigned First, unsigned Count,
                               int64_t Lo, int64_t Hi) {
  for (unsigned K = First; K < First + Count; ++K) {
    // The kernel knows nothing of the slot's bytes if the helper wrote all
    // of them, or the others were never written or unknown already.
    int64_t SlotLo = -8 * int64_t(K + 1), SlotHi = -8 * int64_t(K);
    bool Unknown = (Lo <= SlotLo && Hi >= SlotHi) ||
                   Slots[K].K == StackSlot::Invalid ||
                   (Slots[K].K == StackSlot::Misc && Slots[K].Unknown);
    Slots[K] = StackSlot{StackSlot::Misc, {}};
    Slots[K].Unknown = Unknown;
  }
}

bool Interp::badDeref(const Insn &I, CodeAddr Pc, const RegState &Base,
                      unsigned RegNo, const VerifierState &St) {
  if (badKernelDeref(Pc, Base, RegNo, St))
    return true;
  std::string R = "R" + std::to_string(RegNo);
  if (Base.Type == RegType::RingbufMem && Base.MaybeNull) {
    report(Rule::RingbufUseBeforeNullCheck, Pc,
           "ring buffer record in " + R +
               " is accessed before it is checked for NULL",
           withNote(heldNotes(St, false, true), regNote(Pc, RegNo, Base)), St);
    return true;
  }
  if (Base.Type == RegType::AllocObj && Base.MaybeNull) {
    report(Rule::GraphUseBeforeNullCheck, Pc,
           "object from bpf_obj_new in " + R +
               " is accessed before it is checked for NULL",
           withNote(heldNotes(St, false, true), regNote(Pc, RegNo, Base)), St);
    return true;
  }
  if (Base.Type == RegType::Released && Base.DynptrId) {
    report(Rule::RingbufDynptrSlice, Pc,
           "dynptr slice in " + R +
               " is accessed after its dynptr was overwritten or "
               "reinitialised",
           {regNote(Pc, RegNo, Base)}, St, "release");
    return true;
  }
  if (Base.Type == RegType::Released && Base.BtfId) {
    report(Rule::GraphUseAfterDrop, Pc,
           "object from bpf_obj_new in " + R +
               " is accessed after bpf_obj_drop released it",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (Base.Type == RegType::Released) {
    report(Rule::RingbufUseAfterRelease, Pc,
           "ring buffer record in " + R +
               " is accessed after it was submitted or discarded",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  return false;
}

bool Interp::touchesLock(const Insn &I, CodeAddr Pc, const RegState &Base,
                         unsigned Size, const VerifierState &St) {
  // check_map_access: no load, store or atomic may overlap the value's
  // bpf_spin_lock. Before 6.10 the kernel does not see a lock nested in a
  // struct member (LOCK-003), and BtfInfo does; stay with current kernels.
  if (Base.Type != RegType::MapValue || Base.MaybeNull || Base.VarOff ||
      Base.MapIndex < 0 || size_t(Base.MapIndex) >= Obj.maps().size() ||
      Opts.Kernel < KernelVersion(6, 10))
    return false;
  const MapDef &M = Obj.maps()[Base.MapIndex];
  if (!M.Btf.SpinLockOffset || !Obj.btf().kernelAcceptsBtf())
    return false;
  int64_t Lock = *M.Btf.SpinLockOffset;
  int64_t Lo = Base.Off + I.Off, Hi = Lo + Size;
  if (!(Lo < Lock + 4 && Lock < Hi))
    return false;
  report(Rule::LockDirectAccess, Pc,
         std::string(I.Kind == InsnKind::Load ? "load of" : "store to") +
             " bytes " + std::to_string(Lo) + ".." + std::to_string(Hi - 1) +
             " of a value of map '" + M.Name +
             "', which overlap its bpf_spin_lock at offset " +
             std::to_string(Lock),
         {regNote(Pc, I.Kind == InsnKind::Load ? I.Src : I.Dst, Base)}, St);
  return true;
}

bool Interp::badKptrAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                           unsigned Size, const VerifierState &St) {
  // check_map_access then check_map_kptr_access. Only for maps whose type
  // surely keeps kptr fields (hash, array, LRU hash, task storage) and a
  // known offset (else KptrAccess.cpp).
  if (Base.Type == RegType::MapValue && Base.VarOff)
    return kptrVarOffAccess(I, Pc, Base, Size, St);
  if (Base.Type != RegType::MapValue || Base.MaybeNull || Base.VarOff ||
      Base.MapIndex < 0 || size_t(Base.MapIndex) >= Obj.maps().size() ||
      !Obj.btf().kernelAcceptsBtf())
    return false;
  const MapDef &M = Obj.maps()[Base.MapIndex];
  uint32_t Type = M.Btf.MapType;
  if (M.IsDataSection || !M.Btf.HasBtf ||
      !(Type == 1 || Type == 2 || Type == 9 ||
        (Type == 29 && Opts.Kernel >= KernelVersion(6, 4))))
    return false;
  int64_t Lo = Base.Off + I.Off, Hi = Lo + Size;
  // Out of the value: another error first.
  if (Lo < 0 || !M.Btf.ValueSize || Hi > int64_t(M.Btf.ValueSize))
    return false;
  const SpecialFields::KptrField *K =
      M.Btf.Fields.overlappingKptr(Lo, int64_t(Size));
  if (!K)
    return false;
  // What the tag means to the kernel of the profile (Kptr.def); a tag it
  // does not know invalidates the record: then nothing is judged.
  enum { Unref, Ref, Percpu, Uptr, Invalid };
  auto kindOf = [&](StringRef Tag) {
    if (Opts.Kernel < KernelVersion(6, 3))
      return Tag == "kptr" ? Unref : Tag == "kptr_ref" ? Ref : Invalid;
    if (Tag == "kptr_untrusted")
      return Unref;
    if (Tag == "kptr")
      return Ref;
    if (Tag == "percpu_kptr" && Opts.Kernel >= KernelVersion(6, 7))
      return Percpu;
    if (Tag == "uptr" && Opts.Kernel >= KernelVersion(6, 13))
      return Uptr;
    return Invalid;
  };
  for (const SpecialFields::KptrField &F : M.Btf.Fields.Kptrs)
    if (kindOf(F.Tag) == Invalid)
      return false;
  int Kind = kindOf(K->Tag);
  std::string Field = (Kind == Percpu ? "percpu_kptr"
                       : Kind == Uptr ? "uptr"
                                      : "kptr") +
                      std::string(" field at offset ") +
                      std::to_string(K->Off) + " of a value of map '" + M.Name +
                      "'";
  unsigned RegNo = I.Kind == InsnKind::Load ? I.Src : I.Dst;
  std::string Access = I.Kind == InsnKind::Load ? "load" : "store";
  if (I.Kind == InsnKind::Atomic)
    Access = "atomic operation";
  // An access starting before the field may first meet another special
  // field the kernel checks in offset order: then it is not judged.
  if (Lo != int64_t(K->Off)) {
    if (Lo < int64_t(K->Off) && firstFieldIsKptr(M.Btf.Fields, Lo, Hi) != K)
      return false;
    report(Rule::KptrAccessMisaligned, Pc,
           "a " + std::to_string(Size) + "-byte " + Access + " at offset " +
               std::to_string(Lo) +
               (Lo < int64_t(K->Off) ? " overlapping the " : " inside the ") +
               Field,
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (Size != 8) {
    report(Rule::KptrAccessSize, Pc,
           "a " + std::to_string(Size) + "-byte " + Access + " of the " +
               Field + " (kptrs are accessed 8 bytes at a time)",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (Kind == Uptr && (I.Kind == InsnKind::Atomic || I.mode() == ModeMemSX))
    return false; // Not confirmed for uptr.
  if (I.Kind == InsnKind::Atomic || I.mode() == ModeMemSX) {
    report(Rule::KptrAtomicAccess, Pc,
           "an " + Access + " on the " + Field +
               " (only plain loads and stores may access it)",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (I.Kind == InsnKind::Load)
    return false;
  if (Kind == Uptr) {
    report(Rule::KptrDirectStore, Pc,
           "store to the " + Field + " (user space sets uptr fields)",
           {regNote(Pc, RegNo, Base)}, St, "uptr");
    return true;
  }
  if (Kind == Ref || Kind == Percpu) {
    report(Rule::KptrDirectStore, Pc,
           "direct store to the referenced " + Field +
               " (only bpf_kptr_xchg may write it)",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (I.cls() == ClassST && I.Imm != 0) {
    report(Rule::KptrStoreInteger, Pc,
           "store of the constant " + std::to_string(I.Imm) + " into the " +
               Field + " (only 0, i.e. NULL, may be stored as an immediate)",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (I.cls() == ClassSTX)
    return kptrStoreValue(I, Pc, Base, *K, Field, St);
  return false;
}

std::optional<Scalar> Interp::frozenMapValue(const RegState &Base,
                                             int16_t InsnOff, unsigned Size,
                                             bool SignExt) const {
  if (Base.Type != RegType::MapValue || Base.MapIndex < 0 ||
      size_t(Base.MapIndex) >= Obj.maps().size())
    return std::nullopt;
  const MapDef &M = Obj.maps()[Base.MapIndex];
  StringRef Name = M.Name;
  if (!M.IsDataSection)
    return std::nullopt;
  // .kconfig is frozen too, but libbpf fills it from the running kernel's
  // configuration: its values are unknown here, and the kernel knows them.
  auto Unknown = [&] {
    Scalar V = SignExt ? Scalar::imprecise() : Scalar::unknownOfSize(Size);
    V.Imprecise = true;
    return V;
  };
  if (Name == ".kconfig")
    return Unknown();
  if (!Name.starts_with(".rodata"))
    return std::nullopt;
  // libbpf creates .rodata* with BPF_F_RDONLY_PROG and freezes it before
  // loading, so check_mem_access() reads the value the object was written
  // with (bpf_map_direct_read: constant offset, 1/2/4/8 bytes).
  int64_t Off = Base.Off + InsnOff;
  if (Base.VarOff || Off < 0 || uint64_t(Off) + Size > M.InitialData.size() ||
      !(Size == 1 || Size == 2 || Size == 4 || Size == 8))
    return Unknown();
  uint64_t V = 0;
  for (unsigned K = 0; K < Size; ++K) // BPF objects here are little-endian.
    V |= uint64_t(M.InitialData[Off + K]) << (8 * K);
  if (SignExt)
    V = uint64_t(SignExtend64(V, 8 * Size));
  return Scalar::constant(V);
}

bool Interp::doLoad(const Insn &I, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  const RegState Base = Regs[I.Src];
  unsigned Size = I.accessSize();
  bool SignExt = I.mode() == ModeMemSX;
  if (I.Dst == 10) {
    stop("write to the frame pointer");
    return false;
  }
  RegState Result;
  if (badDeref(I, Pc, Base, I.Src, St) || touchesLock(I, Pc, Base, Size, St) ||
      badKptrAccess(I, Pc, Base, Size, St) ||
      kernelObjAccess(I, Pc, Base, I.Src, /*IsStore=*/false, St) ||
      dynptrAccess(I, Pc, Base, I.Src, /*IsStore=*/false, St) ||
      memOutOfBounds(I, Pc, Base, I.Src, St))
    return false;
  switch (Base.Type) {
  case RegType::Stack: {
    unsigned First, Count;
    StackSlot *Slots = stackSlots(St, Base, I.Off, Size, First, Count);
    if (!Slots) {
      stop("stack access at an unknown or out-of-bounds offset");
      return false;
    }
    int64_t Lo = Base.Off + I.Off;
    for (unsigned K = First; K < First + Count; ++K)
      if (Slots[K].K == StackSlot::Invalid) {
        stop("read of uninitialized stack");
        return false;
      }
    const StackSlot &Slot = Slots[First];
    if (Size == 8 && Lo % 8 == 0 && Slot.K == StackSlot::Spill) {
      Result = Slot.Spilled;
    } else {
      bool AllZero = true, AnyPtr = false, Exact = true;
      for (unsigned K = First; K < First + Count; ++K) {
        AllZero &= Slots[K].K == StackSlot::Zero;
        Exact &= Slots[K].K == StackSlot::Zero ||
                 (Slots[K].K == StackSlot::Misc && Slots[K].Unknown);
        AnyPtr |= Slots[K].K == StackSlot::Spill &&
                  Slots[K].Spilled.Type != RegType::Scalar;
      }
      if (AnyPtr) {
        stop("partial fill of a spilled pointer");
        return false;
      }
      Scalar V = AllZero ? Scalar::constant(0) : Scalar::unknownOfSize(Size);
      // Misc bytes and partial fills: the kernel may know more (it tracks
      // sub-register spills in newer versions), unless helpers wrote them.
      V.Imprecise = !AllZero && !Exact;
      Result = RegState::scalar(V);
    }
    break;
  }
  case RegType::Ctx: {
    if (Base.VarOff || Base.Off != 0) {
      stop("access through a modified context pointer");
      return false;
    }
    Scalar V = Scalar::unknownOfSize(Size);
    V.FromCtx = Size >= 4;
    Result = RegState::scalar(V);
    break;
  }
  case RegType::MapValue:
  case RegType::RingbufMem:
  case RegType::DynptrMem: {
    if (Base.MaybeNull) {
      stop("dereference of a pointer that may be NULL");
      return false;
    }
    if (int K = loadKptr(I, Base, St, Result)) {
      if (K == 2)
        return false;
      break;
    }
    Scalar V = Scalar::unknownOfSize(Size);
    if (std::optional<Scalar> Frozen =
            frozenMapValue(Base, I.Off, Size, SignExt)) {
      Regs[I.Dst] = RegState::scalar(*Frozen);
      return true;
    }
    Result = RegState::scalar(V);
    break;
  }
  case RegType::Released:
    stop("use of a released reference");
    return false;
  case RegType::AllocObj:
    if (directFieldAccess(I, Pc, Base, St) ||
        accessAllocObj(I, Base, nullptr, Result) != 1)
      return false;
    break;
  case RegType::KernelObj:
    if (!loadThroughKernelObj(I, Base, Result)) {
      stop("load through a kernel object pointer we cannot follow");
      return false;
    }
    break;
  default:
    stop("load through an unsupported pointer");
    return false;
  }
  if (SignExt) {
    Result = RegState::scalar(Scalar::imprecise());
  }
  Regs[I.Dst] = Result;
  return true;
}

bool Interp::doStore(const Insn &I, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  const RegState Base = Regs[I.Dst];
  unsigned Size = I.accessSize();
  RegState Value;
  if (I.cls() == ClassST) {
    Value = RegState::scalar(Scalar::constant(uint64_t(int64_t(I.Imm))));
  } else {
    Value = Regs[I.Src];
    if (Value.Type == RegType::NotInit) {
      stop("read of an uninitialized register");
      return false;
    }
    if (Value.Type == RegType::Released) {
      stop("use of a released reference");
      return false;
    }
  }
  if (badDeref(I, Pc, Base, I.Dst, St) || touchesLock(I, Pc, Base, Size, St) ||
      badKptrAccess(I, Pc, Base, Size, St) ||
      kernelObjAccess(I, Pc, Base, I.Dst, /*IsStore=*/true, St) ||
      dynptrAccess(I, Pc, Base, I.Dst, /*IsStore=*/true, St) ||
      memOutOfBounds(I, Pc, Base, I.Dst, St))
    return false;
  switch (Base.Type) {
  case RegType::Stack: {
    if (Base.VarOff) {
      // A store at a variable offset may hit any slot.
      if (Base.Frame < St.Frames.size())
        for (StackSlot &S : St.Frames[Base.Frame].Stack)
          if (S.K != StackSlot::Invalid)
            S = StackSlot{StackSlot::Misc, {}};
      return true;
    }
    unsigned First, Count;
    StackSlot *Slots = stackSlots(St, Base, I.Off, Size, First, Count);
    if (!Slots) {
      stop("stack access out of bounds");
      return false;
    }
    int64_t Lo = Base.Off + I.Off;
    if (Size == 8 && Lo % 8 == 0) {
      Slots[First] = StackSlot{StackSlot::Spill, Value};
      return true;
    }
    if (Value.Type != RegType::Scalar) {
      stop("partial spill of a pointer");
      return false;
    }
    for (unsigned K = First; K < First + Count; ++K)
      Slots[K] = StackSlot{StackSlot::Misc, {}};
    return true;
  }
  case RegType::MapValue:
  case RegType::RingbufMem:
  case RegType::DynptrMem:
    if (Base.MaybeNull) {
      stop("dereference of a pointer that may be NULL");
      return false;
    }
    return true;
  case RegType::Ctx:
    return true;
  case RegType::AllocObj: {
    RegState Unused;
    return !directFieldAccess(I, Pc, Base, St) &&
           accessAllocObj(I, Base, &Value, Unused) == 1;
  }
  case RegType::Released:
    stop("use of a released reference");
    return false;
  default:
    stop("store through an unsupported pointer");
    return false;
  }
}

bool Interp::doAtomic(const Insn &I, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  const RegState Base = Regs[I.Dst];
  unsigned Size = I.accessSize();
  if (Regs[I.Src].Type != RegType::Scalar) {
    stop("atomic operation with a non-scalar operand");
    return false;
  }
  bool Fetch = I.Imm & AtomicFetch;
  bool CmpXchg = I.Imm == AtomicCmpXchg;
  // Read-modify-write operations (not load-acquire/store-release) on a
  // map value: the kptr checks of check_mem_access.
  if (I.Imm >= 0 && I.Imm < 0x100 &&
      !(CmpXchg && Regs[0].Type == RegType::NotInit) &&
      badKptrAccess(I, Pc, Base, Size, St))
    return false;
  Scalar Loaded = Scalar::unknownOfSize(Size);
  switch (Base.Type) {
  case RegType::Stack: {
    unsigned First, Count;
    StackSlot *Slots = stackSlots(St, Base, I.Off, Size, First, Count);
    if (!Slots) {
      stop("stack access at an unknown or out-of-bounds offset");
      return false;
    }
    for (unsigned K = First; K < First + Count; ++K) {
      if (Slots[K].K == StackSlot::Invalid ||
          (Slots[K].K == StackSlot::Spill &&
           Slots[K].Spilled.Type != RegType::Scalar)) {
        stop("atomic operation on an unsupported stack slot");
        return false;
      }
      Slots[K] = StackSlot{StackSlot::Misc, {}};
    }
    Loaded.Imprecise = true;
    break;
  }
  case RegType::MapValue:
  case RegType::RingbufMem:
    if (Base.MaybeNull) {
      stop("dereference of a pointer that may be NULL");
      return false;
    }
    if (memOutOfBounds(I, Pc, Base, I.Dst, St))
      return false;
    break;
  default:
    stop("atomic operation through an unsupported pointer");
    return false;
  }
  if (CmpXchg)
    Regs[0] = RegState::scalar(Loaded);
  else if (Fetch)
    Regs[I.Src] = RegState::scalar(Loaded);
  return true;
}

bool Interp::doLegacyPacket(const Insn &I, CodeAddr Pc, VerifierState &St) {
  // LD_ABS/LD_IND may end the program: the kernel forbids them while a
  // lock (checked first, check_resource_leak) or references are held.
  if (St.Lock.Held) {
    report(Rule::LockLdAbs, Pc,
           "legacy packet load (LD_ABS/LD_IND) while " +
               lockDescription(St.Lock) + " is held",
           heldNotes(St, true, false), St);
    return false;
  }
  if (hasAllocRef(St)) {
    stop("LD_ABS/LD_IND while an allocated object is held");
    return false;
  }
  if (!St.Refs.empty()) {
    report(Rule::RingbufHeldAcrossEarlyExit, Pc,
           "legacy packet load (LD_ABS/LD_IND), which may end the program, "
           "while " +
               heldRefKind(St) + " is held",
           heldNotes(St, false, true), St, "ld_abs");
    return false;
  }
  auto &Regs = St.cur().Regs;
  if (Regs[6].Type != RegType::Ctx) {
    stop("LD_ABS/LD_IND without the context in R6");
    return false;
  }
  clobberCallerSaved(St);
  Regs[0] = RegState::scalar(Scalar::unknownOfSize(I.accessSize()));
  return true;
}

//===-- Jumps -------------------------------------------------------------===//

void Interp::markPtrOrNull(VerifierState &St, uint32_t Id, bool IsNull) {
  uint32_t RefId = 0;
  St.forEachReg([&](RegState &R) {
    if (!R.isPointer() || !R.MaybeNull || R.Id != Id)
      return;
    if (IsNull) {
      // Only the acquired pointer itself (id == ref_obj_id), not a slice
      // that shares its reference (mark_ptr_or_null_regs).
      RefId = R.RefObjId && R.RefObjId == R.Id ? R.RefObjId : RefId;
      R = RegState::scalar(Scalar::constant(0));
    } else {
      R.MaybeNull = R.NullUncertain = false;
    }
  });
  // On the NULL branch nothing was acquired (release_reference_state).
  if (IsNull && RefId)
    erase_if(St.Refs, [&](const RefState &Ref) { return Ref.Id == RefId; });
}

bool Interp::doJump(const Insn &I, CodeAddr &Pc, VerifierState &St) {
  int64_t Target = int64_t(Pc.Insn) + 1 + I.jumpOffset();
  if (!inFunction(St, Target)) {
    stop("jump out of the function");
    return false;
  }
  CodeAddr Taken{Pc.Section, unsigned(Target)};
  CodeAddr Fall{Pc.Section, Pc.Insn + 1};
  uint8_t Op = I.op();
  if (Op == JmpJa) {
    Pc = Taken;
    return true;
  }
  if (Op == 0xe0) {
    stop("may_goto");
    return false;
  }
  auto &Regs = St.cur().Regs;
  bool Is32 = I.isJmp32();
  RegState A = Regs[I.Dst];
  RegState B =
      I.usesSrcReg()
          ? Regs[I.Src]
          : RegState::scalar(Scalar::constant(Is32 ? uint64_t(uint32_t(I.Imm))
                                                   : uint64_t(int64_t(I.Imm))));
  if (A.Type == RegType::NotInit || B.Type == RegType::NotInit) {
    stop("read of an uninitialized register");
    return false;
  }
  if (A.Type == RegType::Released || B.Type == RegType::Released)
    return jumpOnReleased(I, Pc, St);
  const CodeAddr At = Pc;

  // Continues this path with one outcome and queues the other.
  auto fork = [&](VerifierState &TakenSt, VerifierState &FallSt) {
    queue(Taken, std::move(TakenSt));
    St = std::move(FallSt);
    Pc = Fall;
    return true;
  };

  if (A.Type == RegType::Scalar && B.Type == RegType::Scalar) {
    int Decided = branchTaken(Op, A.Val, B.Val, Is32);
    if (Decided >= 0) {
      Pc = Decided ? Taken : Fall;
      return true;
    }
    bool Exact = !A.Val.Imprecise && !B.Val.Imprecise;
    // A context field may be a packet or BTF pointer to the kernel, which
    // then knows more about comparisons between such values.
    if ((A.Val.FromCtx && !B.Val.isConst()) ||
        (B.Val.FromCtx && !A.Val.isConst()))
      Exact = false;
    VerifierState Out[2] = {St, std::move(St)};
    bool Feasible[2];
    for (int Outcome = 0; Outcome < 2; ++Outcome) {
      VerifierState &S = Out[Outcome];
      auto &R = S.cur().Regs;
      Scalar VA = A.Val, VB = B.Val;
      bool Refined = false;
      Feasible[Outcome] = refineBranch(Op, VA, VB, Is32, Outcome, Refined);
      if (!Refined)
        // Unrefined 32-bit comparisons: the kernel's 32-bit bounds learn
        // from them; ours do not.
        VA.Imprecise = VB.Imprecise = Is32 || VA.Imprecise || VB.Imprecise;
      auto apply = [&](unsigned RegNo, const RegState &Orig, const Scalar &V) {
        R[RegNo].Val = V;
        uint32_t K = Orig.Id, L = Orig.DeltaLinkId;
        S.forEachReg([&](RegState &Other) {
          if (Other.Type != RegType::Scalar || &Other == &R[RegNo])
            return;
          if (K && Other.Id == K)
            Other.Val = V;
          else if ((K && Other.DeltaLinkId == K) ||
                   (L && (Other.Id == L || Other.DeltaLinkId == L)))
            Other.Val.Imprecise = true;
        });
      };
      apply(I.Dst, A, VA);
      if (I.usesSrcReg())
        apply(I.Src, B, VB);
      if (!Exact)
        S.Tainted = true;
      S.noteBranch(At, Outcome);
    }
    if (!Feasible[1] && !Feasible[0]) {
      stop("no feasible branch");
      return false;
    }
    if (!Feasible[1]) {
      St = std::move(Out[0]);
      Pc = Fall;
      return true;
    }
    if (!Feasible[0]) {
      St = std::move(Out[1]);
      Pc = Taken;
      return true;
    }
    return fork(Out[1], Out[0]);
  }

  // Pointer compared with NULL.
  const RegState *Ptr = nullptr;
  if (A.isPointer() && B.Type == RegType::Scalar && B.Val.isConst() &&
      B.Val.constValue() == 0 && !B.Val.Imprecise)
    Ptr = &A;
  else if (B.isPointer() && A.Type == RegType::Scalar && A.Val.isConst() &&
           A.Val.constValue() == 0 && !A.Val.Imprecise)
    Ptr = &B;
  if (Ptr && !Is32 && (Op == JmpJeq || Op == JmpJne) && !Ptr->VarOff &&
      Ptr->Type != RegType::Opaque) {
    // reg_not_null: the kernel does not take stack and context pointers
    // for non-NULL; it explores both outcomes, the pointer unchanged
    // (confirmed on 6.18 for a bpf_loop callback's context).
    if (!Ptr->MaybeNull &&
        (Ptr->Type == RegType::Stack || Ptr->Type == RegType::Ctx)) {
      VerifierState Other = St;
      Other.noteBranch(At, true);
      St.noteBranch(At, false);
      queue(Taken, std::move(Other));
      Pc = Fall;
      return true;
    }
    if (!Ptr->MaybeNull) {
      // A pointer the verifier knows to be non-NULL.
      Pc = Op == JmpJne ? Taken : Fall;
      return true;
    }
    VerifierState NullSt = St, NonNullSt = std::move(St);
    if (Ptr->NullUncertain)
      NullSt.Tainted = true;
    markPtrOrNull(NullSt, Ptr->Id, /*IsNull=*/true);
    markPtrOrNull(NonNullSt, Ptr->Id, /*IsNull=*/false);
    bool NullTaken = Op == JmpJeq;
    NullSt.noteBranch(At, NullTaken);
    NonNullSt.noteBranch(At, !NullTaken);
    return NullTaken ? fork(NullSt, NonNullSt) : fork(NonNullSt, NullSt);
  }
  // Other pointer comparisons: the kernel may decide some of them (packet
  // ranges, same-id pointers); explore both, tainted.
  if (Is32) {
    stop("32-bit comparison of a pointer");
    return false;
  }
  VerifierState Other = St;
  Other.Tainted = St.Tainted = true;
  Other.noteBranch(At, true);
  St.noteBranch(At, false);
  queue(Taken, std::move(Other));
  Pc = Fall;
  return true;
}

//===-- Calls -------------------------------------------------------------===//

bool Interp::doExit(CodeAddr &Pc, VerifierState &St) {
  bool MainExit = St.Frames.size() == 1;
  if (exitUnderResLock(Pc, MainExit, St))
    return false;
  // Kernels up to 6.8 reject any exit inside a critical section; newer ones
  // only the main program's (subprograms may return holding the lock).
  if (St.Lock.Held && (MainExit || Opts.Kernel < KernelVersion(6, 9))) {
    std::vector<FindingNote> Notes;
    Notes.push_back({St.Lock.At, lockDescription(St.Lock) + " is taken here"});
    report(Rule::LockHeldAtExit, Pc,
           "bpf_spin_lock is still held when the program returns",
           std::move(Notes), St);
    return false;
  }
  if (!MainExit && St.cur().CallbackOf >= 0)
    return callbackExit(Pc, St);
  auto &Regs = St.cur().Regs;
  // A subprogram whose result is unused may leave R0 unset (clang does);
  // the kernel only checks R0 at the main exit, after the leak checks.
  if (!MainExit) {
    RegState R0 = Regs[0];
    CodeAddr Ret = St.cur().ReturnTo;
    St.Frames.pop_back();
    // Pointers into the popped frame's stack are dangling: the kernel
    // rejects returning one; we stop if any register still holds one.
    if (R0.Type == RegType::Stack && R0.Frame >= St.Frames.size()) {
      stop("returning a pointer to the callee's stack");
      return false;
    }
    clobberCallerSaved(St);
    St.cur().Regs[0] = R0;
    Pc = Ret;
    return true;
  }
  if (hasAllocRef(St)) {
    // check_reference_leak: the first reference still held. Only objects
    // from bpf_obj_new or kernel objects on this path; anything else stops.
    if (!llvm::all_of(St.Refs,
                      [](const RefState &R) { return R.Alloc || R.Kernel; })) {
      stop("exit holding a ring buffer record and an allocated object");
      return false;
    }
    std::vector<FindingNote> Notes = heldNotes(St, false, true);
    if (St.Refs.front().Kernel)
      report(Rule::KptrLeak, Pc,
             "reference is neither released nor stored in a kptr on this path",
             std::move(Notes), St);
    else
      report(Rule::GraphLeak, Pc,
             "object from bpf_obj_new is neither dropped, inserted nor "
             "stashed on this path",
             std::move(Notes), St);
    return false;
  }
  if (!St.Refs.empty() && St.Refs.front().Dynptr) {
    reportDynptrLeak(Pc, St);
    return false;
  }
  if (!St.Refs.empty()) {
    std::vector<FindingNote> Notes;
    for (const RefState &Ref : St.Refs) {
      Notes.push_back({Ref.AllocAt, "ring buffer record reserved here (insn " +
                                        where(Ref.AllocAt) + ", reference id=" +
                                        std::to_string(Ref.Id) + ")"});
      std::string Holders;
      for (unsigned R = 0; R <= 9; ++R)
        if (Regs[R].RefObjId == Ref.Id)
          Holders += (Holders.empty() ? "R" : ", R") + std::to_string(R) +
                     " = " + Regs[R].str(Obj);
      Notes.push_back({Pc, Holders.empty()
                               ? "at exit no register holds the record"
                               : "at exit " + Holders});
    }
    report(Rule::RingbufLeak, Pc,
           "ring buffer record is neither submitted nor discarded on this "
           "path",
           std::move(Notes), St);
    return false;
  }
  if (Regs[0].Type == RegType::NotInit)
    stop("exit with R0 not initialized");
  return false; // The path is done.
}

//===-- Findings ----------------------------------------------------------===//

void Interp::addPathNotes(std::vector<FindingNote> &Notes,
                          const VerifierState &St) const {
  for (const BranchNote &B : St.Branches) {
    const Insn &I = section(B.At).Insns[B.At.Insn];
    Notes.push_back({B.At, std::string(B.Taken ? "taking" : "not taking") +
                               " the jump at insn " + where(B.At) + " ('" +
                               formatInsn(I) + "')"});
  }
}

std::vector<FindingNote> Interp::heldNotes(const VerifierState &St, bool Lock,
                                           bool Refs) const {
  std::vector<FindingNote> Notes;
  if (Lock && St.Lock.Held)
    Notes.push_back({St.Lock.At, lockDescription(St.Lock) + " is taken here"});
  if (Refs)
    for (const RefState &Ref : St.Refs)
      Notes.push_back(
          {Ref.AllocAt, std::string(Ref.Kernel   ? "reference acquired"
                                    : Ref.Alloc  ? "object allocated"
                                    : Ref.Dynptr ? "ring buffer dynptr "
                                                   "reserved"
                                                 : "ring buffer record "
                                                   "reserved") +
                            " here (insn " + where(Ref.AllocAt) +
                            ", reference id=" + std::to_string(Ref.Id) + ")"});
  return Notes;
}

void Interp::report(Rule Kind, CodeAddr At, std::string What,
                    std::vector<FindingNote> Notes, const VerifierState &St,
                    StringRef Variant, std::vector<std::string> Args) {
  if (St.Tainted) {
    stop("finding on a path the kernel may not take (suppressed)");
    return;
  }
  // A rule the selected kernel does not have (e.g. a rejection that later
  // kernels lifted) is no finding there.
  if (!getRule(Kind).appliesTo(Opts.Kernel)) {
    stop("rejection that kernel " + Opts.Kernel.str() + " does not make");
    return;
  }
  if (!Reported.insert({unsigned(Kind), addrKey(At)}).second)
    return;
  Finding F;
  F.Kind = Kind;
  F.Variant = Variant.str();
  F.At = At;
  F.What = std::move(What);
  F.Args = std::move(Args);
  // Path notes first (chronological), then the facts about the state.
  addPathNotes(F.Notes, St);
  for (FindingNote &N : Notes)
    F.Notes.push_back(std::move(N));
  Res.Findings.push_back(std::move(F));
}

} // namespace detail

ProgramResult verifyProgram(const BpfObject &Obj, const Function &Prog,
                            const InterpreterOptions &Opts) {
  auto Start = std::chrono::steady_clock::now();
  ProgramResult Res;
  Res.Program = &Prog;
  ProgramCfg Cfg = ProgramCfg::build(Obj, Prog);
  detail::Interp I(Obj, Opts, Res, Cfg);
  I.verifyEntry(Prog, /*IsProgram=*/true);
  // Global subprograms are verified on their own, as the kernel does.
  for (const FunctionCfg &FC : Cfg.Funcs)
    if (FC.Func != &Prog && FC.Func->Global)
      I.verifyEntry(*FC.Func, /*IsProgram=*/false);
  Res.TimeUs = uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - Start)
                            .count());
  return Res;
}

} // namespace bpflint::bc
