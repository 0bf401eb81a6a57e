//===- ResLocks.cpp - bpf_res_spin_lock and IRQ flags ---------------------===//
//
// The kernel's process_spin_lock for resilient locks (6.15) and
// process_irq_flag (6.14): bpf_res_spin_lock can fail, so the verifier forks
// at the call, one path with the lock held and R0 = 0, the other without it
// and R0 in [-MAX_ERRNO, -1]. Res locks nest and are released in LIFO
// order; a held one is an active lock as a bpf_spin_lock is (no calls, no
// exit). IRQ flags live in a stack slot (STACK_IRQ_FLAG) from save to
// restore, are restored in LIFO order and by the same class of kfunc. A
// plain bpf_spin_lock held together with a res lock is not modelled.
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "bpflint/Model/Helpers.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {
constexpr int64_t MaxErrno = 4095;
constexpr unsigned FnSpinUnlock = 94;
} // namespace

bool Interp::isResLockKfunc(StringRef Name) {
  return Name == "bpf_res_spin_lock" || Name == "bpf_res_spin_unlock" ||
         Name == "bpf_res_spin_lock_irqsave" ||
         Name == "bpf_res_spin_unlock_irqrestore" ||
         Name == "bpf_local_irq_save" || Name == "bpf_local_irq_restore";
}

bool Interp::callUnderResLock(CodeAddr Pc, StringRef Kfunc, bool Helper,
                              VerifierState &St) {
  if (St.ResLocks.empty() && St.Irqs.empty())
    return false;
  if (!Kfunc.empty() && isResLockKfunc(Kfunc))
    return false;
  const Insn &I = section(Pc).Insns[Pc.Insn];
  // do_check: with an active lock only bpf_spin_unlock may be called
  // among the helpers; that one is not modelled with a res lock.
  if (!St.ResLocks.empty() && !St.Lock.Held && Helper &&
      I.Imm != FnSpinUnlock && I.Imm >= 0) {
    const ResLockState &L = St.ResLocks.back();
    std::string Name = helperName(unsigned(I.Imm)).str();
    if (!Name.empty()) {
      report(Rule::LockCallInCriticalSection, Pc,
             "call to helper " + Name +
                 " while a bpf_res_spin_lock is held (taken at insn " +
                 where(L.At) + ")",
             {{L.At, "bpf_res_spin_lock taken here"}}, St);
      return true;
    }
  }
  // With IRQs disabled (and no lock held), helpers that cannot sleep may
  // be called; programs of the types modelled here cannot sleep. The tail
  // call and callbacks are not modelled there.
  if (St.ResLocks.empty() && Helper && I.Imm >= 0 && I.Imm != 12 &&
      !isCallbackHelper(unsigned(I.Imm)))
    return false;
  stop("call while a bpf_res_spin_lock is held or an IRQ flag saved");
  return true;
}

bool Interp::exitUnderResLock(CodeAddr Pc, bool MainExit, VerifierState &St) {
  if (St.ResLocks.empty() && St.Irqs.empty())
    return false;
  if (!MainExit || St.Lock.Held) {
    stop("subprogram exit while a bpf_res_spin_lock is held or an IRQ flag "
         "saved");
    return true;
  }
  // check_resource_leak: locks first, then IRQ flags.
  if (!St.ResLocks.empty()) {
    const ResLockState &L = St.ResLocks.back();
    report(Rule::LockHeldAtExit, Pc,
           "bpf_res_spin_lock is still held when the program returns",
           {{L.At, "bpf_res_spin_lock taken here"}}, St);
    return true;
  }
  const IrqState &Q = St.Irqs.back();
  report(Rule::LockIrqFlag, Pc,
         "the program returns with IRQs disabled: the flag saved at insn " +
             where(Q.At) + " is never restored",
         {{Q.At, "IRQ flag saved here"}}, St, "exit");
  return true;
}

bool Interp::lockArgRejected(const RegState &Arg, bool Res, CodeAddr Pc,
                             StringRef Fn, VerifierState &St) {
  if (Arg.Type != RegType::MapValue || Arg.MaybeNull || Arg.VarOff ||
      Arg.MapIndex < 0 || size_t(Arg.MapIndex) >= Obj.maps().size() ||
      !Obj.btf().kernelAcceptsBtf())
    return false;
  const MapDef &M = Obj.maps()[Arg.MapIndex];
  const SpecialFields &F = M.Btf.Fields;
  if (!M.Btf.HasBtf)
    return false;
  bool OneLock = Res ? F.ResSpinLocks == 1 && F.SpinLocks == 0
                     : F.SpinLocks == 1 && F.ResSpinLocks == 0;
  // libbpf creates .rodata* read-only (frozen), and the kernel keeps no
  // special fields for such a map (confirmed on 6.18).
  if (M.IsDataSection && StringRef(M.Name).starts_with(".rodata")) {
    if (!OneLock)
      return false;
    report(Rule::LockReadOnlyMap, Pc,
           Fn.str() + " on a lock in read-only global data section '" + M.Name +
               "'",
           {regNote(Pc, 1, Arg)}, St, Res ? "res" : "", mapNameArg(M));
    return true;
  }
  // The one lock at another offset (checked after the record).
  if (Res || !OneLock || !M.Btf.SpinLockOffset ||
      int64_t(*M.Btf.SpinLockOffset) == Arg.Off ||
      !(M.IsDataSection || M.Btf.MapType == 1 || M.Btf.MapType == 2))
    return false;
  report(Rule::LockWrongOffset, Pc,
         Fn.str() + " is given a pointer at offset " + std::to_string(Arg.Off) +
             " of a value of map '" + M.Name +
             "' whose bpf_spin_lock is at offset " +
             std::to_string(*M.Btf.SpinLockOffset),
         {regNote(Pc, 1, Arg)}, St, "",
         {std::to_string(Arg.Off), std::to_string(*M.Btf.SpinLockOffset)});
  return true;
}

bool Interp::doResLockKfunc(StringRef Name, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  bool IsIrq = Name.starts_with("bpf_local_irq_");
  bool IsLock =
      Name == "bpf_res_spin_lock" || Name == "bpf_res_spin_lock_irqsave";
  bool WithFlag =
      IsIrq || Name.ends_with("_irqsave") || Name.ends_with("_irqrestore");
  bool SaveFlag = Name.ends_with("_save") || Name.ends_with("_irqsave");
  if (Opts.Kernel < KernelVersion(6, IsIrq ? 14 : 15)) {
    stop(Name.str() + " before it existed");
    return false;
  }
  if (St.Lock.Held) {
    stop(Name.str() + " while a bpf_spin_lock is held");
    return false;
  }

  // The lock argument (R1): a map value at its one bpf_res_spin_lock.
  int MapIndex = -1;
  uint32_t LockId = 0;
  if (!IsIrq) {
    const RegState &L = Regs[1];
    bool Valid = L.Type == RegType::MapValue && !L.MaybeNull && !L.VarOff &&
                 L.MapIndex >= 0 && size_t(L.MapIndex) < Obj.maps().size() &&
                 Obj.btf().kernelAcceptsBtf();
    if (Valid) {
      const MapDef &M = Obj.maps()[L.MapIndex];
      const SpecialFields &F = M.Btf.Fields;
      Valid = M.Btf.HasBtf && (M.Btf.MapType == 1 || M.Btf.MapType == 2) &&
              F.ResSpinLocks == 1 && F.SpinLocks == 0 && F.ResSpinLock &&
              int64_t(*F.ResSpinLock) == L.Off;
    }
    if (lockArgRejected(L, /*Res=*/true, Pc, Name, St))
      return false;
    if (!Valid) {
      stop(Name.str() + " with an argument that is not a map value's res lock");
      return false;
    }
    MapIndex = L.MapIndex;
    LockId = L.Id;
  }

  // The flag argument: a stack slot at a constant, aligned offset. Returns
  // the slot, or null when the path ended.
  unsigned FlagReg = IsIrq ? 1 : 2;
  auto flagSlot = [&]() -> StackSlot * {
    const RegState &A = Regs[FlagReg];
    std::string Arg = "arg#" + std::to_string(FlagReg - 1);
    if (A.Type == RegType::MapValue && !A.MaybeNull) {
      report(Rule::LockIrqFlag, Pc,
             Name.str() + " is given " + A.str(Obj) +
                 " for its IRQ flag, which must be on the stack",
             {regNote(Pc, FlagReg, A)}, St, "stack");
      return nullptr;
    }
    if (A.Type != RegType::Stack || A.VarOff || A.Off % 8 != 0 ||
        A.Frame >= St.Frames.size()) {
      stop(Name.str() + " with an IRQ flag argument we cannot follow");
      return nullptr;
    }
    unsigned First, Count;
    StackSlot *Slots = stackSlots(St, A, 0, 8, First, Count);
    if (!Slots || Count != 1) {
      stop(Name.str() + " with an IRQ flag argument we cannot follow");
      return nullptr;
    }
    return &Slots[First];
  };

  if (SaveFlag || IsLock) {
    if (IsLock) {
      // The failure path: nothing taken, nothing saved.
      VerifierState Fail = St;
      clobberCallerSaved(Fail);
      Scalar R0;
      R0.SMin = -MaxErrno;
      R0.SMax = -1;
      R0.UMin = uint64_t(-MaxErrno);
      R0.UMax = uint64_t(-1);
      R0.Bits = Tnum::range(R0.UMin, R0.UMax);
      Fail.cur().Regs[0] = RegState::scalar(R0);
      Fail.ResLockFailed = true;
      queue({Pc.Section, Pc.Insn + 1}, std::move(Fail));
      for (const ResLockState &H : St.ResLocks)
        if (H.MapIndex == MapIndex && H.Id == LockId) {
          report(Rule::LockResDeadlock, Pc,
                 Name.str() + " of a lock already held on this path",
                 {{H.At, "the same lock taken here"}, regNote(Pc, 1, Regs[1])},
                 St);
          return false;
        }
    }
    if (WithFlag) {
      StackSlot *Slot = flagSlot();
      if (!Slot)
        return false;
      if (Slot->K == StackSlot::IrqFlag) {
        report(Rule::LockIrqFlag, Pc,
               Name.str() + " saves into " + Regs[FlagReg].str(Obj) +
                   ", which already holds a saved IRQ flag",
               {regNote(Pc, FlagReg, Regs[FlagReg])}, St, "uninit");
        return false;
      }
      if (Slot->K == StackSlot::Dynptr ||
          (Slot->K == StackSlot::Spill && Slot->Spilled.RefObjId)) {
        stop(Name.str() + " over a special stack slot");
        return false;
      }
      IrqState Q;
      Q.Id = St.freshId();
      Q.At = Pc;
      Q.LockClass = !IsIrq;
      StackSlot S;
      S.K = StackSlot::IrqFlag;
      S.DynId = Q.Id;
      *Slot = S;
      St.Irqs.push_back(Q);
    }
    if (IsLock)
      St.ResLocks.push_back({MapIndex, LockId, Pc, WithFlag});
    clobberCallerSaved(St);
    Regs[0] =
        RegState::scalar(IsLock ? Scalar::constant(0) : Scalar::unknown());
    if (!IsLock)
      Regs[0] = RegState();
    return true;
  }

  // Unlock / restore.
  if (!IsIrq) {
    if (St.ResLocks.empty()) {
      if (St.ResLockFailed)
        report(Rule::LockResFailurePath, Pc,
               Name.str() + " on a path where bpf_res_spin_lock failed "
                            "(its result is not checked)",
               {regNote(Pc, 1, Regs[1])}, St);
      else
        report(Rule::LockUnlockWithoutLock, Pc,
               Name.str() + " but no res lock is held on this path",
               {regNote(Pc, 1, Regs[1])}, St, "res");
      return false;
    }
    auto It = find_if(St.ResLocks, [&](const ResLockState &H) {
      return H.MapIndex == MapIndex && H.Id == LockId && H.Irq == WithFlag;
    });
    if (It == St.ResLocks.end()) {
      report(Rule::LockUnlockDifferent, Pc,
             Name.str() + " of a lock not held" +
                 (WithFlag ? " with bpf_res_spin_lock_irqsave"
                           : " with bpf_res_spin_lock"),
             {{St.ResLocks.back().At, "the lock held is taken here"},
              regNote(Pc, 1, Regs[1])},
             St, "res");
      return false;
    }
    if (It + 1 != St.ResLocks.end()) {
      report(Rule::LockResOutOfOrder, Pc,
             Name.str() + " of a lock that is not the last one taken",
             {{It->At, "this lock taken here"},
              {St.ResLocks.back().At, "the last lock taken here"}},
             St);
      return false;
    }
  }
  if (WithFlag) {
    StackSlot *Slot = flagSlot();
    if (!Slot)
      return false;
    const RegState &A = Regs[FlagReg];
    if (Slot->K != StackSlot::IrqFlag) {
      report(Rule::LockIrqFlag, Pc,
             Name.str() + " restores from " + A.str(Obj) +
                 ", which holds no saved IRQ flag on this path",
             {regNote(Pc, FlagReg, A)}, St);
      return false;
    }
    auto Q = find_if(St.Irqs,
                     [&](const IrqState &Q) { return Q.Id == Slot->DynId; });
    if (Q == St.Irqs.end()) {
      stop(Name.str() + " with an IRQ flag we lost track of");
      return false;
    }
    if (Q->LockClass == IsIrq) {
      report(Rule::LockIrqFlag, Pc,
             Name.str() + " restores an IRQ flag saved by " +
                 (Q->LockClass ? "bpf_res_spin_lock_irqsave"
                               : "bpf_local_irq_save"),
             {{Q->At, "IRQ flag saved here"}, regNote(Pc, FlagReg, A)}, St,
             "class");
      return false;
    }
    if (Q + 1 != St.Irqs.end()) {
      report(Rule::LockIrqFlag, Pc,
             Name.str() + " restores an IRQ flag that is not the last one "
                          "saved",
             {{Q->At, "this IRQ flag saved here"},
              {St.Irqs.back().At, "the last IRQ flag saved here"}},
             St, "order");
      return false;
    }
    St.Irqs.erase(Q);
    *Slot = StackSlot();
  }
  if (!IsIrq)
    St.ResLocks.pop_back();
  clobberCallerSaved(St);
  Regs[0] = RegState();
  return true;
}

} // namespace bpflint::bc::detail
