//===- KptrAccess.cpp - Kptr fields, task objects, storage helpers --------===//
//
// What the kernel checks about kptr fields beyond bpf_kptr_xchg
// (KptrXchg.cpp) and the loads of kptr fields (RefKfuncs.cpp):
//  - check_map_access on accesses at a variable offset (KPTR-005) and on
//    helper memory arguments that cover a kptr field (KPTR-008);
//  - map_kptr_match_type on register stores into an unreferenced kptr
//    field (KPTR-011 "register", KPTR-012);
//  - check_ptr_to_btf_access on kernel objects: the GPL license (KPTR-024)
//    and writes (GRAPH-026 "kernel");
//  - bpf_get_current_task_btf, bpf_task_storage_get/delete and
//    check_map_func_compatibility for local-storage maps (KPTR-023).
//
//===----------------------------------------------------------------------===//

#include "HelperIds.h"
#include "InterpreterImpl.h"
#include "bpflint/Model/Helpers.h"
#include "bpflint/Model/MapModel.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {

// license_is_gpl_compatible (include/linux/license.h).
bool gplCompatible(StringRef L) {
  return L == "GPL" || L == "GPL v2" || L == "GPL and additional rights" ||
         L == "Dual BSD/GPL" || L == "Dual MIT/GPL" || L == "Dual MPL/GPL";
}

// Kernel structs the interpreter knows vmlinux has (the kptr types of
// KptrXchg.cpp and RefKfuncs.cpp): a program type of that name is the
// kernel's to the verifier.
bool knownKernelStruct(StringRef Name) {
  Name.consume_front("struct ");
  return Name == "task_struct" || Name == "cgroup" || Name == "bpf_cpumask" ||
         Name == "css_set" || Name == "bpf_crypto_ctx";
}

bool isTaskStruct(StringRef Name) {
  Name.consume_front("struct ");
  return Name == "task_struct";
}

} // namespace

bool Interp::gplProgram() const {
  return Obj.license() && gplCompatible(*Obj.license());
}

const SpecialFields *Interp::kptrRecord(const RegState &Base) const {
  if (Base.Type != RegType::MapValue || Base.MaybeNull || Base.MapIndex < 0 ||
      size_t(Base.MapIndex) >= Obj.maps().size() ||
      !Obj.btf().kernelAcceptsBtf() || Opts.Kernel < KernelVersion(6, 4))
    return nullptr;
  const MapDef &M = Obj.maps()[Base.MapIndex];
  uint32_t Type = M.Btf.MapType;
  if (M.IsDataSection || !M.Btf.HasBtf || !M.Btf.ValueSize ||
      !(Type == 1 || Type == 2 || Type == 9))
    return nullptr;
  // A tag the profile does not know invalidates the record.
  for (const SpecialFields::KptrField &K : M.Btf.Fields.Kptrs)
    if (!(K.Tag == "kptr" || K.Tag == "kptr_untrusted" ||
          (K.Tag == "percpu_kptr" && Opts.Kernel >= KernelVersion(6, 7))))
      return nullptr;
  return M.Btf.Fields.Kptrs.empty() ? nullptr : &M.Btf.Fields;
}

const SpecialFields::KptrField *
Interp::firstFieldIsKptr(const SpecialFields &F, int64_t Lo, int64_t Hi) {
  const SpecialFields::KptrField *K = F.overlappingKptr(Lo, Hi - Lo);
  if (!K)
    return nullptr;
  auto before = [&](int64_t Off, int64_t Len) {
    return Lo < Off + Len && Off < Hi && Off < int64_t(K->Off);
  };
  if ((F.SpinLock && before(*F.SpinLock, 4)) ||
      (F.ResSpinLock && before(*F.ResSpinLock, 8)) ||
      any_of(F.Roots,
             [&](const GraphRootField &R) { return before(R.Off, 16); }) ||
      any_of(F.Nodes, [&](const GraphNodeField &N) {
        return before(N.Off, N.Size ? N.Size : 32);
      }))
    return nullptr;
  return K;
}

bool Interp::kptrVarOffAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                              unsigned Size, const VerifierState &St) {
  const SpecialFields *F = kptrRecord(Base);
  // The variable part's smin and umax, as adjust_ptr_min_max_vals keeps
  // them; only exact, non-negative and bounded ranges are judged.
  const Scalar &V = Base.VarRange;
  if (!F || !Base.VarOff || V.Imprecise || V.SMin < 0 || V.UMax > (1u << 29) ||
      uint64_t(V.SMin) >= V.UMax)
    return false;
  const MapDef &M = Obj.maps()[Base.MapIndex];
  int64_t Lo = V.SMin + Base.Off + I.Off;
  int64_t Hi = int64_t(V.UMax) + Base.Off + I.Off + Size;
  // check_mem_region_access comes first: the whole range in the value.
  if (Lo < 0 || Hi > int64_t(M.Btf.ValueSize))
    return false;
  const SpecialFields::KptrField *K = firstFieldIsKptr(*F, Lo, Hi);
  if (!K)
    return false;
  unsigned RegNo = I.Kind == InsnKind::Load ? I.Src : I.Dst;
  report(Rule::KptrAccessVariableOffset, Pc,
         "an access of " + std::to_string(Size) + " bytes at offsets " +
             std::to_string(Lo) + ".." + std::to_string(Hi - 1) +
             " (a variable offset) of a value of map '" + M.Name +
             "' may touch its kptr field at offset " + std::to_string(K->Off),
         {regNote(Pc, RegNo, Base)}, St);
  return true;
}

bool Interp::kptrStoreValue(const Insn &I, CodeAddr Pc, const RegState &Base,
                            const SpecialFields::KptrField &K,
                            const std::string &Field, const VerifierState &St) {
  (void)Base;
  // Only unreferenced fields get here (badKptrAccess): map_kptr_match_type.
  const RegState &V = St.cur().Regs[I.Src];
  std::string Target = Obj.btf().typeName(K.PointeeId);
  bool FieldLocal = isLocalType(K.PointeeId);
  bool FieldKernel = !FieldLocal && knownKernelStruct(Target);
  std::string What = "store of R" + std::to_string(I.Src) + " (" + V.str(Obj) +
                     ") into the unreferenced " + Field +
                     ", which holds NULL or a pointer to " + Target;
  std::vector<FindingNote> Notes = {regNote(Pc, I.Src, V)};
  switch (V.Type) {
  case RegType::Scalar: {
    // register_is_null: a scalar the kernel knows to be 0 is NULL. An
    // imprecise value may be one the kernel knows better, or a pointer to
    // it (a kptr loaded from a map we do not model): not judged.
    const Scalar &S = V.Val;
    if (S.FromCtx || S.Imprecise || (S.isConst() && S.constValue() == 0))
      return false;
    report(Rule::KptrStoreInteger, Pc, What, std::move(Notes), St, "register");
    return true;
  }
  case RegType::MapValue:
  case RegType::Stack:
  case RegType::Ctx:
  case RegType::ConstMap:
  case RegType::RingbufMem:
  case RegType::DynptrMem:
  case RegType::ConstDynptr:
    // Not a PTR_TO_BTF_ID at all.
    report(Rule::KptrUntrustedStoreType, Pc, What, std::move(Notes), St);
    return true;
  case RegType::AllocObj:
    // A program-allocated object (program BTF) into a field the kernel
    // resolved to vmlinux; a percpu or non-owning one has a flag the
    // field refuses. Local into local is a type match we do not judge.
    if (!FieldKernel && !V.Percpu && !V.NonOwning)
      return false;
    report(Rule::KptrUntrustedStoreType, Pc, What, std::move(Notes), St);
    return true;
  case RegType::KernelObj:
    // A kernel object into a field for a program-allocated type.
    if (isLocalType(V.BtfId) ||
        !knownKernelStruct(Obj.btf().typeName(V.BtfId)) || !FieldLocal)
      return false;
    report(Rule::KptrUntrustedStoreType, Pc, What, std::move(Notes), St);
    return true;
  default:
    return false;
  }
}

bool Interp::kernelObjAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                             unsigned RegNo, bool IsStore,
                             const VerifierState &St) {
  // A percpu object (MEM_PERCPU): check_ptr_to_btf_access refuses any
  // direct access (KPTR-020), after the offset checks.
  if (Base.Type == RegType::AllocObj && Base.Percpu && !Base.MaybeNull &&
      !Base.VarOff && Base.Off == 0 && I.Off >= 0 &&
      Obj.btf().kernelAcceptsBtf()) {
    std::string Name = Obj.btf().typeName(Base.BtfId);
    report(Rule::KptrPercpuDirectAccess, Pc,
           std::string(IsStore ? "store" : "load") + " at offset " +
               std::to_string(I.Off) + " of the percpu object (" + Name +
               ") in R" + std::to_string(RegNo) +
               ": only bpf_this_cpu_ptr/bpf_per_cpu_ptr give a CPU's copy",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (Base.Type != RegType::KernelObj || Base.MaybeNull ||
      isLocalType(Base.BtfId) ||
      !knownKernelStruct(Obj.btf().typeName(Base.BtfId)))
    return false;
  std::string Name = Obj.btf().typeName(Base.BtfId);
  std::string R = "R" + std::to_string(RegNo);
  // check_ptr_to_btf_access: the license first.
  if (Obj.license() && !gplProgram()) {
    report(Rule::KptrNonGplAccess, Pc,
           std::string(IsStore ? "store through" : "load through") + " " + R +
               ", a kernel object (" + Name +
               "), in a program whose license '" + *Obj.license() +
               "' is not GPL-compatible",
           {regNote(Pc, RegNo, Base)}, St);
    return true;
  }
  if (!IsStore || Base.VarOff || Base.Off + I.Off < 0 || !Res.Program)
    return false;
  // Writes: only program-allocated objects; tc, xdp and syscall programs
  // have no writable kernel type here (confirmed on 6.18).
  StringRef Sec = Obj.codeSections()[Res.Program->Section].Name;
  Sec.consume_front("?");
  StringRef Kind = Sec.split('/').first;
  if (Base.Trust != PtrTrust::Untrusted &&
      !(Kind == "tc" || Kind == "classifier" || Kind == "xdp" ||
        Kind == "syscall"))
    return false;
  report(Rule::GraphPointerFieldDeref, Pc,
         "store through " + R + ", a kernel object (" + Name +
             "): programs may only read kernel objects",
         {regNote(Pc, RegNo, Base)}, St, "kernel");
  return true;
}

bool Interp::taskHelpersAvailable(bool Storage) const {
  if (!Res.Program)
    return false;
  StringRef Sec = Obj.codeSections()[Res.Program->Section].Name;
  Sec.consume_front("?");
  // Tracing-style programs (syscall) have them on every profile; the base
  // set of other program types has them on 6.18 (confirmed in tc), and
  // bpf_get_current_task_btf since 6.12 (bpf_base_func_proto).
  if (Sec == "syscall")
    return true;
  if (Opts.Kernel >= KernelVersion(6, 18))
    return true;
  return !Storage && Opts.Kernel >= KernelVersion(6, 12);
}

/// Whether Size bytes at stack pointer P are initialized (helper reads).
static bool stackInitialized(VerifierState &St, const RegState &P,
                             unsigned Size) {
  if (P.Type != RegType::Stack || P.VarOff || P.Frame >= St.Frames.size() ||
      Size == 0 || Size > 512)
    return false;
  int64_t Lo = P.Off, Hi = Lo + Size;
  if (Lo < -512 || Hi > 0)
    return false;
  FrameState &Fr = St.Frames[P.Frame];
  for (int64_t B = Lo; B < Hi; B += 1) {
    unsigned K = unsigned((-B - 1) / 8);
    if (K >= Fr.Stack.size())
      return false;
    StackSlot::Kind Kd = Fr.Stack[K].K;
    if (!(Kd == StackSlot::Spill || Kd == StackSlot::Misc ||
          Kd == StackSlot::Zero))
      return false;
  }
  return true;
}

bool Interp::helperKptrMemArg(unsigned Id, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  // (memory argument, its size): the size register's exact constant, or
  // the map's key/value size.
  struct MemArg {
    unsigned Reg;
    unsigned SizeReg; // 0: map key (KeySize), 9: map value (ValueSize).
  };
  SmallVector<MemArg, 2> Args;
  switch (Id) {
  case 4:   // probe_read
  case 16:  // get_current_comm
  case 45:  // probe_read_str
  case 112: // probe_read_user
  case 113: // probe_read_kernel
  case 114: // probe_read_user_str
  case 115: // probe_read_kernel_str
    Args.push_back({1, 2});
    break;
  case FnMapLookupElem:
  case FnMapDeleteElem:
    Args.push_back({2, 0});
    break;
  case FnMapUpdateElem:
    Args.push_back({2, 0});
    Args.push_back({3, 9});
    break;
  default:
    return false;
  }
  const BtfMapInfo *Map = nullptr;
  if (Id <= FnMapDeleteElem) {
    const RegState &M = Regs[1];
    if (M.Type != RegType::ConstMap || M.MaybeNull || M.MapIndex < 0 ||
        size_t(M.MapIndex) >= Obj.maps().size() ||
        !Obj.maps()[M.MapIndex].Btf.HasBtf)
      return false;
    Map = &Obj.maps()[M.MapIndex].Btf;
  }
  for (const MemArg &A : Args) {
    const RegState &P = Regs[A.Reg];
    uint64_t Size = 0;
    if (A.SizeReg == 0 || A.SizeReg == 9) {
      Size = A.SizeReg == 0 ? Map->KeySize : Map->ValueSize;
    } else {
      const RegState &SR = Regs[A.SizeReg];
      if (SR.Type != RegType::Scalar || !SR.Val.isConst() || SR.Val.Imprecise)
        return false;
      Size = SR.Val.constValue();
    }
    if (Size == 0 || Size > (1u << 20))
      return false;
    if (P.Type == RegType::Stack) {
      // A key or value the helper reads must be initialized, else the
      // kernel complains about that first.
      if (A.Reg != 1 && !stackInitialized(St, P, Size))
        return false;
      continue;
    }
    const SpecialFields *F = kptrRecord(P);
    if (!F || P.VarOff)
      return false;
    const MapDef &M = Obj.maps()[P.MapIndex];
    int64_t Lo = P.Off, Hi = Lo + int64_t(Size);
    if (Lo < 0 || Hi > int64_t(M.Btf.ValueSize))
      return false;
    const SpecialFields::KptrField *K = firstFieldIsKptr(*F, Lo, Hi);
    if (!K)
      continue;
    report(Rule::KptrHelperAccess, Pc,
           helperName(Id).str() + " reads or writes bytes " +
               std::to_string(Lo) + ".." + std::to_string(Hi - 1) +
               " of a value of map '" + M.Name + "' (argument R" +
               std::to_string(A.Reg) +
               "), which cover its kptr field at "
               "offset " +
               std::to_string(K->Off),
           {regNote(Pc, A.Reg, P)}, St);
    return true;
  }
  return false;
}

std::optional<bool> Interp::doKptrHelper(unsigned Id, CodeAddr Pc,
                                         VerifierState &St) {
  auto &Regs = St.cur().Regs;
  if (helperKptrMemArg(Id, Pc, St))
    return false;
  if (Id == FnGetCurrentTaskBtf) {
    // gpl_only; RET_PTR_TO_BTF_ID_TRUSTED: a trusted, non-NULL task
    // without a reference.
    if (!taskHelpersAvailable(false) || !gplProgram())
      return std::nullopt;
    clobberCallerSaved(St);
    RegState R0;
    R0.Type = RegType::KernelObj;
    R0.Trust = PtrTrust::Trusted;
    // The program's BTF may have no task_struct (the helper is declared
    // through a static function pointer clang emits no BTF for): BtfId 0
    // is then "the current task", which only this helper produces.
    R0.BtfId = Obj.btf().findStruct("task_struct");
    R0.Id = St.freshId();
    Regs[0] = R0;
    return true;
  }

  // check_map_func_compatibility, after the arguments are checked.
  bool StorageHelper = Id == FnTaskStorageGet || Id == FnTaskStorageDelete;
  bool Generic =
      Id == FnMapLookupElem || Id == FnMapUpdateElem || Id == FnMapDeleteElem;
  if (!StorageHelper && !Generic)
    return std::nullopt;
  const RegState &MapReg = Regs[1];
  if (MapReg.Type != RegType::ConstMap || MapReg.MaybeNull ||
      MapReg.MapIndex < 0 || size_t(MapReg.MapIndex) >= Obj.maps().size())
    return std::nullopt;
  const MapDef &M = Obj.maps()[MapReg.MapIndex];
  uint32_t Type = M.Btf.MapType;
  if (!M.Btf.HasBtf || Type == 0 || M.IsDataSection)
    return std::nullopt;
  if (Generic) {
    if (!isLocalStorage(MapType(Type)))
      return std::nullopt;
    // The key (and value) on the stack, initialized.
    if (!stackInitialized(St, Regs[2], M.Btf.KeySize) ||
        (Id == FnMapUpdateElem &&
         !stackInitialized(St, Regs[3], M.Btf.ValueSize)))
      return std::nullopt;
  } else {
    if (!taskHelpersAvailable(true))
      return std::nullopt;
    // ARG_PTR_TO_BTF_ID_OR_NULL of task_struct.
    const RegState &Task = Regs[2];
    bool Null = Task.Type == RegType::Scalar && Task.Val.isConst() &&
                Task.Val.constValue() == 0 && !Task.Val.Imprecise;
    bool TaskOk =
        Task.Type == RegType::KernelObj && !Task.VarOff && Task.Off == 0 &&
        (Task.Trust == PtrTrust::Trusted || Task.Trust == PtrTrust::Rcu) &&
        !isLocalType(Task.BtfId) &&
        (isTaskStruct(Obj.btf().typeName(Task.BtfId)) || Task.BtfId == 0);
    if (!Null && !TaskOk)
      return std::nullopt;
    if (Id == FnTaskStorageGet) {
      // ARG_PTR_TO_MAP_VALUE_OR_NULL: NULL or an initialized value.
      const RegState &Val = Regs[3];
      bool ValNull = Val.Type == RegType::Scalar && Val.Val.isConst() &&
                     Val.Val.constValue() == 0 && !Val.Val.Imprecise;
      if (!ValNull && !stackInitialized(St, Val, M.Btf.ValueSize))
        return std::nullopt;
    }
    if (MapType(Type) == MapType::TaskStorage) {
      int MapIndex = MapReg.MapIndex;
      clobberCallerSaved(St);
      if (Id == FnTaskStorageDelete) {
        Regs[0] = RegState::scalar(Scalar::unknown());
        return true;
      }
      RegState R0;
      R0.Type = RegType::MapValue;
      R0.MaybeNull = true;
      R0.MapIndex = MapIndex;
      R0.Id = St.freshId();
      Regs[0] = R0;
      return true;
    }
  }
  StringRef Name = helperName(Id);
  report(Rule::KptrLocalStorageHelper, Pc,
         Generic ? Name.str() + "() is given local-storage map '" + M.Name +
                       "' (map type " + std::to_string(Type) +
                       "), which only its own storage helpers take"
                 : Name.str() + "() is given map '" + M.Name + "' of type " +
                       std::to_string(Type) + ", not BPF_MAP_TYPE_TASK_STORAGE",
         {}, St);
  return false;
}

} // namespace bpflint::bc::detail
