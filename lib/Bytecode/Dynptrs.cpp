//===- Dynptrs.cpp - Ring buffer and local dynptrs ------------------------===//
//
// The kernel's dynptr stack slots (STACK_DYNPTR; mark_stack_slots_dynptr,
// process_dynptr_func, destroy_if_dynptr_stack_slot): a struct bpf_dynptr is
// two 8-byte stack slots that only the dynptr helpers may touch. A ring
// buffer dynptr holds a reference from bpf_ringbuf_reserve_dynptr on, even
// when the reservation failed, until bpf_ringbuf_submit/discard_dynptr.
// Slices (bpf_dynptr_data, the bpf_dynptr_slice kfuncs) are PTR_TO_MEM of
// the length asked for (DynptrMem).
//
//===----------------------------------------------------------------------===//

#include "HelperIds.h"
#include "InterpreterImpl.h"
#include "bpflint/Model/Helpers.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {

/// The stack slot index of the dynptr Ptr points to (its lower slot; the
/// kernel's dynptr_get_spi), or -1 when the offset is not a constant,
/// 8-byte aligned one with room for both slots.
int dynptrSpi(const VerifierState &St, const RegState &Ptr) {
  if (Ptr.Type != RegType::Stack || Ptr.VarOff ||
      Ptr.Frame >= St.Frames.size() || Ptr.Off >= 0 ||
      Ptr.Off < -int64_t(StackSlots) * 8 || Ptr.Off % 8 != 0)
    return -1;
  int Spi = int((-Ptr.Off - 1) / 8);
  return Spi >= 1 ? Spi : -1;
}

bool isInitDynptr(const FrameState &Fr, int Spi) {
  if (size_t(Spi) >= Fr.Stack.size())
    return false;
  const StackSlot &Lo = Fr.Stack[Spi], &Hi = Fr.Stack[Spi - 1];
  return Lo.K == StackSlot::Dynptr && Lo.DynFirst &&
         Hi.K == StackSlot::Dynptr && !Hi.DynFirst && Lo.DynId == Hi.DynId;
}

/// Invalidates every slot of the dynptr with id DynId in Fr, and the
/// slices of it (destroy_if_dynptr_stack_slot: to a privileged program
/// they become unknown scalars).
void destroyDynptr(VerifierState &St, FrameState &Fr, uint32_t DynId) {
  for (StackSlot &S : Fr.Stack)
    if (S.K == StackSlot::Dynptr && S.DynId == DynId)
      S = StackSlot();
  St.forEachReg([&](RegState &R) {
    if (R.Type != RegType::DynptrMem || R.DynptrId != DynId)
      return;
    R = RegState();
    R.Type = RegType::Released;
    R.DynptrId = DynId;
  });
}

/// Slots only special kfuncs and helpers may touch: a dynptr's, or an IRQ
/// flag (ResLocks.cpp).
bool isSpecialSlot(const StackSlot &S) {
  return S.K == StackSlot::Dynptr || S.K == StackSlot::IrqFlag;
}

std::string argNo(unsigned RegNo) { return "R" + std::to_string(RegNo); }

} // namespace

std::string Interp::heldRefKind(const VerifierState &St) {
  return !St.Refs.empty() && St.Refs.front().Dynptr ? "a ring buffer dynptr"
                                                    : "a ring buffer record";
}

void Interp::releaseDynptr(VerifierState &St, uint32_t RefId) {
  releaseRef(St, RefId);
  for (FrameState &Fr : St.Frames)
    for (StackSlot &S : Fr.Stack)
      if (S.K == StackSlot::Dynptr && S.DynRef == RefId)
        S = StackSlot();
}

void Interp::reportDynptrLeak(CodeAddr Pc, const VerifierState &St) {
  std::vector<FindingNote> Notes;
  for (const RefState &Ref : St.Refs)
    if (Ref.Dynptr)
      Notes.push_back(
          {Ref.AllocAt, "ring buffer dynptr reserved here (insn " +
                            where(Ref.AllocAt) +
                            ", reference id=" + std::to_string(Ref.Id) +
                            "); it must be submitted or discarded even if the "
                            "reservation failed"});
  report(Rule::RingbufDynptrLeak, Pc,
         "ring buffer dynptr is neither submitted nor discarded on this path",
         std::move(Notes), St);
}

bool Interp::helperMemTouchesDynptr(unsigned RegNo, const RegState &Ptr,
                                    unsigned Size, int Dir, CodeAddr Pc,
                                    VerifierState &St) {
  if (Ptr.Type != RegType::Stack || Ptr.Frame >= St.Frames.size())
    return false;
  FrameState &Fr = St.Frames[Ptr.Frame];
  if (!llvm::any_of(Fr.Stack, isSpecialSlot))
    return false;
  unsigned First, Count;
  StackSlot *Slots =
      Size ? stackSlots(St, Ptr, 0, Size, First, Count) : nullptr;
  if (!Slots) {
    stop("helper memory argument of unknown extent next to a dynptr");
    return true;
  }
  for (unsigned K = First; K < First + Count; ++K) {
    if (Slots[K].K == StackSlot::IrqFlag) {
      stop("helper memory argument over an IRQ flag");
      return true;
    }
    if (Slots[K].K != StackSlot::Dynptr)
      continue;
    std::string What = "helper argument " + argNo(RegNo) + " (" +
                       std::to_string(Size) + " bytes at " + Ptr.str(Obj) +
                       ") covers the stack slots of a dynptr";
    if (Dir < 0) {
      stop("helper memory argument over a dynptr");
    } else if (Dir == 0) {
      report(Rule::RingbufDynptrOpaque, Pc, What + ", which it would read",
             {regNote(Pc, RegNo, Ptr)}, St, "helper_read");
    } else if (Opts.Kernel < KernelVersion(6, 3)) {
      stop("helper writes over a dynptr before 6.3");
    } else {
      report(Rule::RingbufDynptrOpaque, Pc, What + ", which it would write",
             {regNote(Pc, RegNo, Ptr)}, St, "helper_write");
    }
    return true;
  }
  return false;
}

bool Interp::dynptrAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                          unsigned RegNo, bool IsStore, VerifierState &St) {
  if (Base.Type == RegType::ConstDynptr) {
    report(Rule::RingbufDrainDynptrConst, Pc,
           std::string(IsStore ? "store" : "load") +
               " through the const dynptr of a bpf_user_ringbuf_drain "
               "callback",
           {regNote(Pc, RegNo, Base)}, St, "access");
    return true;
  }
  // A NULL context of bpf_user_ringbuf_drain is a known 0 in the callback
  // (confirmed on 6.18).
  if (Base.Type == RegType::Scalar && Base.Val.isConst() &&
      Base.Val.constValue() == 0 && !Base.Val.Imprecise &&
      llvm::any_of(St.Frames,
                   [](const FrameState &F) { return F.CallbackOf == 209; })) {
    report(Rule::RingbufDrainNullContext, Pc,
           std::string(IsStore ? "store" : "load") + " through R" +
               std::to_string(RegNo) +
               ", which is NULL: the bpf_user_ringbuf_drain call passes no "
               "context to its callback",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (Base.Type == RegType::DynptrMem) {
    std::string R = "R" + std::to_string(RegNo);
    std::string From = Base.SliceOf == 1   ? "bpf_dynptr_slice"
                       : Base.SliceOf == 2 ? "bpf_dynptr_slice_rdwr"
                                           : "bpf_dynptr_data";
    // check_mem_access on PTR_TO_MEM: NULL, then read-only, then bounds.
    if (Base.MaybeNull) {
      report(Rule::RingbufDynptrSlice, Pc,
             "slice from " + From + " in " + R +
                 " is accessed before it is checked for NULL",
             {regNote(Pc, RegNo, Base)}, St, Base.SliceOf == 1 ? "rdonly" : "");
      return true;
    }
    if (IsStore && Base.SliceOf == 1) {
      report(Rule::RingbufDynptrSlice, Pc,
             "store through the read-only slice from bpf_dynptr_slice in " + R +
                 "; use bpf_dynptr_slice_rdwr to write",
             {regNote(Pc, RegNo, Base)}, St, "rdonly_write");
      return true;
    }
    if (Base.VarOff) {
      stop("access to a dynptr slice at a variable offset");
      return true;
    }
    int64_t Lo = Base.Off + I.Off, Hi = Lo + int64_t(I.accessSize());
    if (Lo < 0 || Hi > int64_t(Base.MemSize)) {
      report(Rule::RingbufDynptrSlice, Pc,
             std::string(IsStore ? "store to" : "load from") + " bytes [" +
                 std::to_string(Lo) + ", " + std::to_string(Hi) + ") of a " +
                 std::to_string(Base.MemSize) + "-byte slice from " + From +
                 " in " + R,
             {regNote(Pc, RegNo, Base)}, St, "bounds");
      return true;
    }
    return false;
  }
  if (Base.Type != RegType::Stack || Base.Frame >= St.Frames.size())
    return false;
  FrameState &Fr = St.Frames[Base.Frame];
  if (!llvm::any_of(Fr.Stack, isSpecialSlot))
    return false;
  if (Base.VarOff) {
    stop("stack access at a variable offset next to a dynptr");
    return true;
  }
  unsigned First, Count;
  StackSlot *Slots = stackSlots(St, Base, I.Off, I.accessSize(), First, Count);
  if (!Slots)
    return false; // The caller stops.
  for (unsigned K = First; K < First + Count; ++K) {
    StackSlot &S = Slots[K];
    if (S.K == StackSlot::IrqFlag) {
      stop("load or store of an IRQ flag");
      return true;
    }
    if (S.K != StackSlot::Dynptr)
      continue;
    if (!IsStore) {
      report(Rule::RingbufDynptrOpaque, Pc,
             "load of " + std::to_string(I.accessSize()) +
                 " bytes from the stack slots of a dynptr",
             {regNote(Pc, RegNo, Base)}, St);
      return true;
    }
    if (S.DynRef) {
      if (Opts.Kernel < KernelVersion(6, 3)) {
        stop("store into a ring buffer dynptr before 6.3");
        return true;
      }
      report(Rule::RingbufDynptrReinit, Pc,
             "store into the stack slots of a ring buffer dynptr that holds "
             "a reservation",
             withNote(heldNotes(St, false, true), regNote(Pc, RegNo, Base)), St,
             "write");
      return true;
    }
    if (Opts.Kernel < KernelVersion(6, 3)) {
      stop("store into a dynptr before 6.3");
      return true;
    }
    // An unreferenced dynptr is destroyed by the store (both slots).
    destroyDynptr(St, St.Frames[Base.Frame], S.DynId);
  }
  return false;
}

std::optional<bool> Interp::doDynptrSliceKfunc(const std::string &Name,
                                               CodeAddr Pc, VerifierState &St) {
  bool RdWr = Name == "bpf_dynptr_slice_rdwr";
  if (Name != "bpf_dynptr_slice" && !RdWr)
    return std::nullopt;
  auto &Regs = St.cur().Regs;
  // bpf_dynptr_slice(p, offset, buffer__opt, buffer__szk): an initialised
  // dynptr, no buffer here, a constant size. The slice is PTR_TO_MEM of
  // that size (MEM_RDONLY for bpf_dynptr_slice), NULL-able, and holds no
  // reference: it stays valid after a ring buffer dynptr's release
  // (confirmed on 6.18).
  const RegState &P = Regs[1], &Buf = Regs[3], &Size = Regs[4];
  bool DynptrOk = false;
  uint32_t DynId = 0;
  if (P.Type == RegType::ConstDynptr) {
    DynptrOk = !RdWr && !P.VarOff && P.Off == 0;
  } else if (int Spi = dynptrSpi(St, P); Spi >= 0) {
    St.Frames[P.Frame].useSlots(Spi + 1);
    DynptrOk = isInitDynptr(St.Frames[P.Frame], Spi);
    DynId = St.Frames[P.Frame].Stack[Spi].DynId;
  }
  // rdwr needs a program type that may write packet data.
  StringRef Section =
      Res.Program ? StringRef(Obj.codeSections()[Res.Program->Section].Name)
                  : StringRef();
  Section.consume_front("?");
  bool Writable = !Section.starts_with("syscall");
  if (Opts.Kernel < KernelVersion(6, 4) || !DynptrOk ||
      Buf.Type != RegType::Scalar || !Buf.Val.isConst() ||
      Buf.Val.constValue() != 0 || Buf.Val.Imprecise ||
      Size.Type != RegType::Scalar || !Size.Val.isConst() ||
      Size.Val.Imprecise || Size.Val.constValue() > UINT32_MAX ||
      (RdWr && !Writable)) {
    stop(Name + " with arguments we cannot follow");
    return false;
  }
  RegState R0;
  R0.Type = RegType::DynptrMem;
  R0.MaybeNull = true;
  R0.MemSize = uint32_t(Size.Val.constValue());
  R0.SliceOf = RdWr ? 2 : 1;
  R0.Id = St.freshId();
  R0.DynptrId = DynId;
  clobberCallerSaved(St);
  Regs[0] = R0;
  return true;
}

bool Interp::doDynptrHelper(unsigned Id, CodeAddr Pc, VerifierState &St,
                            bool &Handled) {
  Handled = Id >= FnDynptrFromMem && Id <= FnDynptrData;
  if (!Handled)
    return true;
  auto &Regs = St.cur().Regs;
  std::string Fn = helperName(Id).str();

  // An initialised dynptr argument (ARG_PTR_TO_DYNPTR without MEM_UNINIT):
  // process_dynptr_func. False when the path ended.
  auto checkInit = [&](unsigned RegNo, bool AllowConst) {
    const RegState &A = Regs[RegNo];
    if (A.Type == RegType::ConstDynptr) {
      if (!AllowConst || A.VarOff) {
        stop(Fn + " with the const dynptr of a drain callback");
        return false;
      }
      if (A.Off < 0) {
        report(Rule::RingbufDrainDynptrConst, Pc,
               Fn + " is given a pointer " + std::to_string(-A.Off) +
                   " bytes before the const dynptr of a drain callback",
               {regNote(Pc, RegNo, A)}, St, "negative_offset");
        return false;
      }
      if (A.Off > 0) {
        report(Rule::RingbufDrainDynptrConst, Pc,
               Fn + " is given a pointer " + std::to_string(A.Off) +
                   " bytes into the const dynptr of a drain callback",
               {regNote(Pc, RegNo, A)}, St, "offset");
        return false;
      }
      return true;
    }
    int Spi = dynptrSpi(St, A);
    if (Spi < 0) {
      stop(Fn + " with a dynptr argument we cannot follow");
      return false;
    }
    FrameState &Fr = St.Frames[A.Frame];
    Fr.useSlots(Spi + 1);
    if (!isInitDynptr(Fr, Spi)) {
      report(Rule::RingbufDynptrUseAfterRelease, Pc,
             Fn + " is given " + A.str(Obj) +
                 ", which does not hold an initialised dynptr (never "
                 "initialised, or already submitted or discarded)",
             {regNote(Pc, RegNo, A)}, St);
      return false;
    }
    return true;
  };

  // A dynptr argument to initialise (MEM_UNINIT): the slots must not hold
  // a referenced dynptr; an unreferenced one is overwritten (6.3+). Returns
  // the slot index, or -1 when the path ended.
  auto checkUninit = [&](unsigned RegNo) -> int {
    const RegState &A = Regs[RegNo];
    if (A.Type == RegType::ConstDynptr) {
      report(Rule::RingbufDrainDynptrConst, Pc,
             Fn + " would initialise the const dynptr of a drain callback",
             {regNote(Pc, RegNo, A)}, St, "reinit");
      return -1;
    }
    int Spi = dynptrSpi(St, A);
    if (Spi < 0) {
      stop(Fn + " with a dynptr argument we cannot follow");
      return -1;
    }
    FrameState &Fr = St.Frames[A.Frame];
    Fr.useSlots(Spi + 1);
    for (int K : {Spi, Spi - 1}) {
      StackSlot &S = Fr.Stack[K];
      if (S.K != StackSlot::Dynptr)
        continue;
      if (S.DynRef || Opts.Kernel < KernelVersion(6, 3)) {
        report(Rule::RingbufDynptrReinit, Pc,
               Fn + " into " + A.str(Obj) +
                   ", which holds a ring buffer dynptr not yet submitted or "
                   "discarded",
               withNote(heldNotes(St, false, true), regNote(Pc, RegNo, A)), St);
        return -1;
      }
      destroyDynptr(St, Fr, S.DynId);
    }
    return Spi;
  };

  // Stack memory a helper fills (ARG_PTR_TO_UNINIT_MEM) or reads, with its
  // size in register SizeReg. False when the path ended.
  auto memArg = [&](unsigned RegNo, unsigned SizeReg, bool IsWrite) {
    const RegState &A = Regs[RegNo];
    if (A.Type == RegType::MapValue && !A.MaybeNull)
      return true;
    const RegState &Size = Regs[SizeReg];
    if (A.Type != RegType::Stack || Size.Type != RegType::Scalar ||
        !Size.Val.isConst() || Size.Val.constValue() > 512) {
      stop(Fn + " with a memory argument we cannot follow");
      return false;
    }
    unsigned N = unsigned(Size.Val.constValue());
    if (N == 0)
      return true;
    if (helperMemTouchesDynptr(RegNo, A, N, IsWrite ? 1 : 0, Pc, St))
      return false;
    unsigned First, Count;
    StackSlot *Slots = stackSlots(St, A, 0, N, First, Count);
    if (!Slots) {
      stop(Fn + " with stack memory out of bounds");
      return false;
    }
    if (IsWrite)
      helperFilledStack(Slots, First, Count, A.Off, A.Off + N);
    return true;
  };

  auto markDynptr = [&](unsigned RegNo, int Spi, DynptrKind Kind,
                        uint32_t Ref) {
    FrameState &Fr = St.Frames[Regs[RegNo].Frame];
    uint32_t DynId = St.freshId();
    for (int K : {Spi, Spi - 1}) {
      StackSlot S;
      S.K = StackSlot::Dynptr;
      S.DynKind = Kind;
      S.DynFirst = K == Spi;
      S.DynId = DynId;
      S.DynRef = Ref;
      Fr.Stack[K] = S;
    }
  };

  auto returnScalar = [&]() {
    clobberCallerSaved(St);
    Regs[0] = RegState::scalar(Scalar::unknown());
    return true;
  };

  switch (Id) {
  case FnRingbufReserveDynptr: {
    const RegState &Map = Regs[1];
    if (Map.Type != RegType::ConstMap || Map.MapIndex < 0 ||
        Obj.maps()[Map.MapIndex].Btf.MapType != 27) {
      stop(Fn + " without a ring buffer map");
      return false;
    }
    const RegState &Ptr = Regs[4];
    if (Ptr.Type == RegType::MapValue && !Ptr.MaybeNull) {
      report(Rule::RingbufDynptrNotOnStack, Pc,
             Fn + " is given a dynptr in " + Ptr.str(Obj) +
                 ", not on the stack",
             {regNote(Pc, 4, Ptr)}, St);
      return false;
    }
    int Spi = checkUninit(4);
    if (Spi < 0)
      return false;
    uint32_t Ref = St.freshId();
    markDynptr(4, Spi, DynptrKind::Ringbuf, Ref);
    RefState R;
    R.Id = Ref;
    R.AllocAt = Pc;
    R.Dynptr = true;
    St.Refs.push_back(R);
    return returnScalar();
  }
  case FnRingbufSubmitDynptr:
  case FnRingbufDiscardDynptr: {
    const RegState &A = Regs[1];
    // check_func_arg's release check comes before process_dynptr_func.
    if (A.Type == RegType::ConstDynptr) {
      report(Rule::RingbufDrainDynptrConst, Pc,
             Fn + " is given the const dynptr of a drain callback, which "
                  "the program does not own",
             {regNote(Pc, 1, A)}, St);
      return false;
    }
    int Spi = dynptrSpi(St, A);
    if (Spi < 0) {
      stop(Fn + " with a dynptr argument we cannot follow");
      return false;
    }
    FrameState &Fr = St.Frames[A.Frame];
    Fr.useSlots(Spi + 1);
    const StackSlot &S = Fr.Stack[Spi];
    if (S.K == StackSlot::Dynptr && S.DynRef) {
      if (!isInitDynptr(Fr, Spi)) {
        stop(Fn + " with a pointer into the middle of a dynptr");
        return false;
      }
      for (const RefState &R : St.Refs)
        if (R.Id == S.DynRef && R.Id < St.cur().CallbackIdsFrom &&
            St.cur().CallbackOf >= 0) {
          stop(Fn + " in a callback of a dynptr reserved outside it");
          return false;
        }
      releaseDynptr(St, S.DynRef);
      clobberCallerSaved(St);
      Regs[0] = RegState();
      return true;
    }
    if (S.K == StackSlot::Dynptr) {
      report(Rule::RingbufDynptrKindMismatch, Pc,
             Fn + " is given " + A.str(Obj) +
                 ", a local dynptr (bpf_dynptr_from_mem), not a ring buffer "
                 "dynptr",
             {regNote(Pc, 1, A)}, St);
      return false;
    }
    if (S.K == StackSlot::Invalid ||
        (S.K == StackSlot::Spill && !S.Spilled.RefObjId)) {
      report(Rule::RingbufDynptrDoubleRelease, Pc,
             Fn + " is given " + A.str(Obj) +
                 ", which holds no reserved dynptr (already submitted or "
                 "discarded, or never initialised)",
             {regNote(Pc, 1, A)}, St);
      return false;
    }
    stop(Fn + " with stack slots we cannot follow");
    return false;
  }
  case FnDynptrFromMem: {
    // The data must be a map value ("Unsupported reg type fp for
    // bpf_dynptr_from_mem data" for the stack, confirmed on 6.18).
    if (Regs[1].Type != RegType::MapValue || Regs[1].MaybeNull) {
      stop(Fn + " with data that is not a map value");
      return false;
    }
    int Spi = checkUninit(4);
    if (Spi < 0)
      return false;
    markDynptr(4, Spi, DynptrKind::Local, 0);
    return returnScalar();
  }
  case FnDynptrRead:
    if (!memArg(1, 2, /*IsWrite=*/true) || !checkInit(3, true))
      return false;
    return returnScalar();
  case FnDynptrData: {
    // The slice (RET_PTR_TO_DYNPTR_MEM_OR_NULL) of a ring buffer dynptr
    // holds its reference and dies with it.
    if (!checkInit(1, true))
      return false;
    const RegState &Len = Regs[3];
    if (Len.Type != RegType::Scalar || !Len.Val.isConst() ||
        Len.Val.Imprecise || Len.Val.constValue() > UINT32_MAX) {
      stop(Fn + " with a length that is not a known constant");
      return false;
    }
    uint32_t Ref = 0, DynId = 0;
    if (Regs[1].Type == RegType::Stack) {
      const FrameState &Fr = St.Frames[Regs[1].Frame];
      Ref = Fr.Stack[dynptrSpi(St, Regs[1])].DynRef;
      DynId = Fr.Stack[dynptrSpi(St, Regs[1])].DynId;
    }
    RegState R0;
    R0.Type = RegType::DynptrMem;
    R0.MaybeNull = true;
    R0.MemSize = uint32_t(Len.Val.constValue());
    R0.Id = St.freshId();
    R0.RefObjId = Ref;
    R0.DynptrId = DynId;
    clobberCallerSaved(St);
    Regs[0] = R0;
    return true;
  }
  case FnDynptrWrite:
    if (!checkInit(1, false) || !memArg(3, 4, /*IsWrite=*/false))
      return false;
    return returnScalar();
  default:
    stop("unmodelled helper " + Fn);
    return false;
  }
}

} // namespace bpflint::bc::detail
