//===- RefKfuncs.cpp - References to kernel objects -----------------------===//
//
// The kernel's check_kfunc_call for kfuncs on kernel objects (task_struct,
// cgroup, bpf_cpumask, ...): acquire kfuncs return an owned reference
// (PTR_TO_BTF_ID | PTR_TRUSTED, NULL-able with KF_RET_NULL), release kfuncs
// end it, trusted-argument kfuncs refuse NULL-able and released pointers.
// The facts come from Kfuncs.def (flags) and the program's BTF (each
// kfunc's extern declaration gives its prototype). Also the loads of kptr
// fields (check_map_kptr_access: PTR_MAYBE_NULL | MEM_RCU or PTR_UNTRUSTED)
// and the dereference of such pointers.
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "bpflint/Model/Kfuncs.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {

// rcu_protected_types (kernel/bpf/verifier.c): kernel types whose kptrs
// load as MEM_RCU inside an RCU read section.
bool rcuProtectedKernelType(StringRef StructName) {
  StructName.consume_front("struct ");
  return StructName == "task_struct" || StructName == "cgroup" ||
         StructName == "bpf_cpumask" || StructName == "css_set";
}

// The graph and allocation kfuncs: Calls.cpp (doKfunc) handles them.
bool isGraphOrAllocKfunc(StringRef Name) {
  return Name.starts_with("bpf_obj_") || Name.starts_with("bpf_percpu_obj_") ||
         Name.starts_with("bpf_list_") || Name.starts_with("bpf_rbtree_") ||
         Name.starts_with("bpf_refcount_");
}

std::string argName(unsigned Param) { return "arg" + std::to_string(Param); }

} // namespace

bool Interp::sleepable() const {
  if (!Res.Program)
    return true;
  StringRef Sec = Obj.codeSections()[Res.Program->Section].Name;
  Sec.consume_front("?");
  // libbpf: SEC_SLEEPABLE for "syscall" and every ".s" section form.
  StringRef Kind = Sec.split('/').first;
  return Kind == "syscall" || Kind.ends_with(".s");
}

bool Interp::isLocalType(uint32_t Id) const {
  if (!LocalTypes) {
    // bpf_obj_new(T) loads bpf_core_type_id_local(T): a CO-RE relocation
    // of kind BPF_CORE_TYPE_ID_LOCAL whose immediate is T's id.
    LocalTypes.emplace();
    for (const CodeSection &S : Obj.codeSections())
      for (unsigned K = 0; K < S.Insns.size(); ++K) {
        const Insn &I = S.Insns[K];
        if (I.Kind != InsnKind::LoadImm64 && I.Kind != InsnKind::Alu)
          continue;
        if (Obj.btf().coreRelocKind(S.ElfIndex, uint64_t(K) * 8) ==
            CoreTypeIdLocal)
          LocalTypes->insert(I.Kind == InsnKind::LoadImm64 ? uint32_t(I.Imm64)
                                                           : uint32_t(I.Imm));
      }
  }
  return LocalTypes->count(Id) != 0;
}

std::optional<bool> Interp::doRefKfunc(const std::string &Name, CodeAddr Pc,
                                       VerifierState &St) {
  const KfuncInfo *K = lookupKfunc(Name);
  if (!K || isGraphOrAllocKfunc(K->Name) ||
      !(K->Flags & (KfAcquire | KfRelease | KfTrustedArgs)))
    return std::nullopt;
  auto &Regs = St.cur().Regs;
  if (Opts.Kernel < KernelVersion(6, 4) || Opts.Kernel < K->Since) {
    stop("kfunc " + Name + " on an older kernel profile");
    return false;
  }
  // The cpumask kfuncs are registered for tracing, struct_ops and syscall
  // programs only (kernel/bpf/cpumask.c).
  StringRef Sec = Obj.codeSections()[Res.Program->Section].Name;
  Sec.consume_front("?");
  if (K->Name.starts_with("bpf_cpumask_") && Sec != "syscall" &&
      !Sec.starts_with("tp_btf/")) {
    stop("kfunc " + Name + " in a program type not modelled for it");
    return false;
  }
  std::optional<BtfFuncProto> Proto = Obj.btf().funcProto(Name);
  if (!Obj.btf().kernelAcceptsBtf() || !Proto || Proto->Params.size() > 5) {
    stop("kfunc " + Name + " without a prototype we can follow");
    return false;
  }
  bool Release = K->has(KfRelease);
  // Release kfuncs take a trusted argument too ("Possibly NULL pointer
  // passed to trusted arg0" for bpf_cpumask_release, confirmed on 6.18).
  bool Trusted = K->has(KfTrustedArgs) || Release;
  uint32_t ReleaseRef = 0;
  for (unsigned P = 0; P < Proto->Params.size(); ++P) {
    const BtfFuncProto::Value &Param = Proto->Params[P];
    unsigned RegNo = P + 1;
    const RegState &A = Regs[RegNo];
    if (!Param.IsPtr) {
      if (A.Type != RegType::Scalar) {
        stop(Name + " with a non-scalar in a scalar argument");
        return false;
      }
      continue;
    }
    if (A.Type == RegType::Scalar && Trusted && A.Val.isConst() &&
        A.Val.constValue() == 0 && !A.Val.Imprecise) {
      report(Rule::KptrUseBeforeNullCheck, Pc,
             Name + "() is given NULL as its trusted " + argName(P),
             {regNote(Pc, RegNo, A)}, St, "trusted");
      return false;
    }
    if (A.Type == RegType::Released && A.Trust != PtrTrust::None) {
      report(Rule::KptrUseAfterRelease, Pc,
             Name + "() is given in R" + std::to_string(RegNo) +
                 " a kernel object reference that was already released or "
                 "stored with bpf_kptr_xchg()",
             {regNote(Pc, RegNo, A)}, St, "kfunc");
      return false;
    }
    if (A.Type != RegType::KernelObj || !Param.Struct ||
        Obj.btf().typeName(Param.Struct) != Obj.btf().typeName(A.BtfId)) {
      stop(Name + " with an argument we cannot follow");
      return false;
    }
    if (A.MaybeNull) {
      if (!Trusted) {
        stop(Name + " with a NULL-able argument");
        return false;
      }
      report(Rule::KptrUseBeforeNullCheck, Pc,
             Name + "() is given in R" + std::to_string(RegNo) +
                 " a pointer that may be NULL as its trusted " + argName(P),
             {regNote(Pc, RegNo, A)}, St, "trusted");
      return false;
    }
    if (A.VarOff || A.Off != 0) {
      stop(Name + " with a pointer into an object");
      return false;
    }
    if (A.Trust != PtrTrust::Trusted) {
      if (Release) {
        report(Rule::KptrLoadedNotOwned, Pc,
               Name + "() releases in R" + std::to_string(RegNo) +
                   " a pointer loaded from a kptr field, which the program "
                   "does not own",
               {regNote(Pc, RegNo, A)}, St);
        return false;
      }
      // KF_RCU acquire kfuncs (bpf_task_acquire, ...) take RCU pointers.
      if (!(K->has(KfAcquire) && A.Trust == PtrTrust::Rcu)) {
        stop(Name + " with an untrusted argument");
        return false;
      }
    }
    if (Release && !ReleaseRef) {
      if (!A.RefObjId) {
        stop(Name + " releasing a pointer we do not follow");
        return false;
      }
      ReleaseRef = A.RefObjId;
    }
  }
  if (Release && !ReleaseRef) {
    stop(Name + " without a reference to release");
    return false;
  }
  if (Proto->Ret.IsPtr && (!K->has(KfAcquire) || !Proto->Ret.Struct)) {
    stop(Name + " returning a pointer we do not model");
    return false;
  }
  if (ReleaseRef)
    releaseRef(St, ReleaseRef);
  clobberCallerSaved(St);
  RegState R0;
  if (Proto->Ret.IsPtr) {
    R0.Type = RegType::KernelObj;
    R0.Trust = PtrTrust::Trusted;
    R0.MaybeNull = K->has(KfRetNull);
    R0.BtfId = Proto->Ret.Struct;
    R0.Id = R0.RefObjId = St.freshId();
    RefState Ref;
    Ref.Id = R0.Id;
    Ref.AllocAt = Pc;
    Ref.Kernel = true;
    St.Refs.push_back(Ref);
  } else {
    R0 = RegState::scalar(Scalar::imprecise());
  }
  Regs[0] = R0;
  return true;
}

int Interp::loadKptr(const Insn &I, const RegState &Base, VerifierState &St,
                     RegState &Result) {
  if (Base.Type != RegType::MapValue || Base.MaybeNull || Base.VarOff ||
      Base.MapIndex < 0 || size_t(Base.MapIndex) >= Obj.maps().size() ||
      !Obj.btf().kernelAcceptsBtf())
    return 0;
  const MapDef &M = Obj.maps()[Base.MapIndex];
  uint32_t Type = M.Btf.MapType;
  if (M.IsDataSection || !M.Btf.HasBtf ||
      !(Type == 1 || Type == 2 || Type == 9)) {
    // A kptr field of a map (or global) we do not model may hold a pointer
    // to the kernel: what we load is not a scalar it knows.
    if (M.Btf.HasBtf &&
        M.Btf.Fields.overlappingKptr(Base.Off + I.Off, I.accessSize())) {
      Result = RegState::scalar(Scalar::imprecise());
      return 1;
    }
    return 0;
  }
  // A record with a tag the kernel does not know is invalid: plain memory.
  if (!M.Btf.Fields.kptrTagsValid())
    return 0;
  int64_t Lo = Base.Off + I.Off;
  const SpecialFields::KptrField *F =
      M.Btf.Fields.overlappingKptr(Lo, I.accessSize());
  if (!F)
    return 0;
  // badKptrAccess judged misaligned and narrow accesses already.
  if (Lo != int64_t(F->Off) || I.accessSize() != 8 ||
      Opts.Kernel < KernelVersion(6, 4) || !F->PointeeId) {
    stop("load of a kptr field we do not model");
    return 2;
  }
  // btf_ld_kptr_type: MAYBE_NULL, and MEM_RCU for a referenced kptr to an
  // RCU-protected kernel type or a program type inside an RCU read section
  // (any non-sleepable program), else PTR_UNTRUSTED.
  PtrTrust Trust;
  if (F->Tag == "kptr_untrusted") {
    Trust = PtrTrust::Untrusted;
  } else if (F->Tag == "kptr") {
    bool Local = isLocalType(F->PointeeId);
    bool RcuSafe =
        Local || rcuProtectedKernelType(Obj.btf().typeName(F->PointeeId));
    if (!Local && !RcuSafe) {
      // A kernel type not RCU-protected, or a program type we did not see
      // allocated: we cannot tell which.
      stop("load of a kptr to a type we cannot classify");
      return 2;
    }
    Trust = !sleepable() ? PtrTrust::Rcu : PtrTrust::Untrusted;
  } else if (F->Tag == "percpu_kptr" && Opts.Kernel >= KernelVersion(6, 7) &&
             isLocalType(F->PointeeId) && !sleepable()) {
    // MEM_RCU | MEM_PERCPU | MEM_ALLOC (in an RCU section): the percpu
    // object, to be reached through bpf_this_cpu_ptr/bpf_per_cpu_ptr.
    Result = RegState();
    Result.Type = RegType::AllocObj;
    Result.Percpu = true;
    Result.MaybeNull = true;
    Result.BtfId = F->PointeeId;
    Result.Id = St.freshId();
    return 1;
  } else {
    stop("load of a " + F->Tag + " field");
    return 2;
  }
  Result = RegState();
  Result.Type = RegType::KernelObj;
  Result.Trust = Trust;
  Result.MaybeNull = true;
  Result.BtfId = F->PointeeId;
  Result.KptrOff = int32_t(F->Off);
  Result.Id = St.freshId();
  return 1;
}

int Interp::loadThroughKernelObj(const Insn &I, const RegState &Base,
                                 RegState &Result) {
  if (Base.Type != RegType::KernelObj || Base.MaybeNull)
    return 0;
  // btf_struct_access: an integer member is an unknown scalar; anything
  // else (a pointer member) is a pointer to the kernel, which may decide
  // comparisons we cannot: imprecise.
  Scalar V = Scalar::unknownOfSize(I.accessSize());
  if (Base.VarOff || Base.Off + I.Off < 0 ||
      !Obj.btf().scalarMemberAt(Base.BtfId, uint64_t(Base.Off + I.Off),
                                I.accessSize()) ||
      I.mode() == ModeMemSX)
    V = Scalar::imprecise();
  Result = RegState::scalar(V);
  return 1;
}

bool Interp::badKernelDeref(CodeAddr Pc, const RegState &Base, unsigned RegNo,
                            const VerifierState &St) {
  std::string R = "R" + std::to_string(RegNo);
  if (Base.Type == RegType::KernelObj && Base.MaybeNull) {
    StringRef Variant = Base.KptrOff < 0              ? ""
                        : Base.Trust == PtrTrust::Rcu ? "rcu"
                                                      : "untrusted";
    std::string What =
        Base.KptrOff >= 0
            ? "pointer loaded from the kptr field at offset " +
                  std::to_string(Base.KptrOff) + " in " + R +
                  " is dereferenced before it is checked for NULL"
            : "kernel object reference in " + R +
                  " is dereferenced before it is checked for NULL";
    report(Rule::KptrUseBeforeNullCheck, Pc, What, {regNote(Pc, RegNo, Base)},
           St, Variant);
    return true;
  }
  if (Base.Type == RegType::Released && Base.NonOwning) {
    report(Rule::GraphUseAfterUnlock, Pc,
           "non-owning reference in " + R +
               " is accessed after bpf_spin_unlock invalidated it",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (Base.Type == RegType::Released && Base.Trust != PtrTrust::None) {
    report(Rule::KptrUseAfterRelease, Pc,
           "kernel object in " + R +
               " is accessed after it was released or stored with "
               "bpf_kptr_xchg()",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  return false;
}

bool Interp::jumpOnReleased(const Insn &I, CodeAddr &Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  uint8_t Op = I.op();
  bool DstReleased = Regs[I.Dst].Type == RegType::Released;
  unsigned RegNo = DstReleased ? I.Dst : I.Src;
  const RegState Other =
      !DstReleased ? Regs[I.Dst]
      : I.usesSrcReg()
          ? Regs[I.Src]
          : RegState::scalar(Scalar::constant(uint64_t(int64_t(I.Imm))));
  if (I.isJmp32() || (Op != JmpJeq && Op != JmpJne) ||
      (!DstReleased && !I.usesSrcReg()) || Other.Type != RegType::Scalar ||
      !Other.Val.isConst() || Other.Val.constValue() != 0 ||
      Other.Val.Imprecise) {
    stop("use of a released reference");
    return false;
  }
  CodeAddr Taken{Pc.Section, unsigned(int64_t(Pc.Insn) + 1 + I.Off)};
  CodeAddr Fall{Pc.Section, Pc.Insn + 1};
  if (!inFunction(St, int64_t(Taken.Insn))) {
    stop("jump out of the function");
    return false;
  }
  bool ZeroTaken = Op == JmpJeq;
  // Already found non-zero (the kernel's umin is 1 after the first test).
  if (Regs[RegNo].NullUncertain) {
    Pc = ZeroTaken ? Fall : Taken;
    return true;
  }
  VerifierState Zero = St;
  Zero.cur().Regs[RegNo] = RegState::scalar(Scalar::constant(0));
  Zero.noteBranch(Pc, ZeroTaken);
  St.cur().Regs[RegNo].NullUncertain = true;
  St.noteBranch(Pc, !ZeroTaken);
  if (ZeroTaken) {
    queue(Taken, std::move(Zero));
    Pc = Fall;
  } else {
    queue(Taken, std::move(St));
    St = std::move(Zero);
    Pc = Fall;
  }
  return true;
}

bool Interp::dropNotOwned(CodeAddr Pc, const VerifierState &St) {
  const RegState &Ptr = St.cur().Regs[1];
  if (Ptr.Type != RegType::KernelObj || Ptr.MaybeNull ||
      Ptr.Trust == PtrTrust::Trusted || Ptr.KptrOff < 0 || Ptr.VarOff ||
      Ptr.Off != 0 || !isLocalType(Ptr.BtfId))
    return false;
  report(Rule::KptrLoadedNotOwned, Pc,
         "bpf_obj_drop() releases in R1 a pointer loaded from a kptr field, "
         "which the program does not own",
         {regNote(Pc, 1, Ptr)}, St);
  return true;
}

} // namespace bpflint::bc::detail
