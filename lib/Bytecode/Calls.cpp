//===- Calls.cpp - Helper, kfunc and bpf-to-bpf calls ---------------------===//
//
// The kernel's check_helper_call / check_func_call for the helpers bpflint
// models: map lookups, ring buffer reserve/submit/discard (references),
// bpf_spin_lock/unlock (the lock state), tail calls, and "returns a scalar"
// for the rest. Everything else stops the path (Interpreter.h).
//
//===----------------------------------------------------------------------===//

#include "HelperIds.h"
#include "InterpreterImpl.h"
#include "bpflint/Model/Helpers.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {

enum : uint32_t { MapTypeRingbuf = 27, MapTypeUserRingbuf = 31 };

// Helpers we cannot treat as "returns an unknown scalar, clobbers R1-R5":
// they return pointers, acquire or release references, or call back into
// the program. Reaching one stops the path (incomplete).
bool isUnmodelledHelper(unsigned Id) {
  switch (Id) {
  case 1:   // map_lookup_elem (modelled separately)
  case 12:  // tail_call (modelled separately)
  case 81:  // get_local_storage
  case 84:  // sk_lookup_tcp
  case 85:  // sk_lookup_udp
  case 86:  // sk_release
  case 95:  // sk_fullsock
  case 96:  // tcp_sock
  case 98:  // get_listener_sock
  case 99:  // skc_lookup_tcp
  case 107: // sk_storage_get
  case 136: // skc_to_tcp6_sock
  case 137: // skc_to_tcp_sock
  case 138: // skc_to_tcp_timewait_sock
  case 139: // skc_to_tcp_request_sock
  case 140: // skc_to_udp6_sock
  case 145: // inode_storage_get
  case 153: // per_cpu_ptr
  case 154: // this_cpu_ptr
  case 156: // task_storage_get
  case 158: // get_current_task_btf
  case 162: // sock_from_file
  case 164: // for_each_map_elem (callback)
  case 170: // timer_set_callback (callback)
  case 175: // task_pt_regs
  case 178: // skc_to_unix_sock
  case 180: // find_vma (callback)
  case 181: // loop (callback)
  case 194: // kptr_xchg
  case 195: // map_lookup_percpu_elem
  case 196: // skc_to_mptcp_sock
  case 198: // ringbuf_reserve_dynptr
  case 199: // ringbuf_submit_dynptr
  case 200: // ringbuf_discard_dynptr
  case 203: // dynptr_data
  case 209: // user_ringbuf_drain (callback)
  case 210: // cgrp_storage_get
    return true;
  default:
    return false;
  }
}

/// Whether helper Id writes (1) or reads (0) the stack memory of argument
/// RegNo, for helpers that programs hand dynptrs to by mistake; -1 for the
/// others.
int helperWritesArg(unsigned Id, unsigned RegNo) {
  switch (Id) {
  case 2:   // map_update_elem(map, key, value, flags)
  case 3:   // map_delete_elem(map, key)
  case 130: // ringbuf_output(ringbuf, data, size, flags)
    return RegNo >= 2 ? 0 : -1;
  case 4:   // probe_read
  case 16:  // get_current_comm
  case 45:  // probe_read_str
  case 112: // probe_read_user
  case 113: // probe_read_kernel
  case 114: // probe_read_user_str
  case 115: // probe_read_kernel_str
    return RegNo == 1 ? 1 : -1;
  default:
    return -1;
  }
}

} // namespace

void Interp::clobberCallerSaved(VerifierState &St) {
  for (unsigned R = 1; R <= 5; ++R)
    St.cur().Regs[R] = RegState();
}

void Interp::releaseRef(VerifierState &St, uint32_t RefId) {
  erase_if(St.Refs, [&](const RefState &R) { return R.Id == RefId; });
  St.forEachReg([&](RegState &R) {
    if (R.RefObjId == RefId) {
      // Released keeps BtfId and Trust: which kind of reference it was.
      uint32_t BtfId = R.Type == RegType::AllocObj ? R.BtfId : 0;
      PtrTrust Trust =
          R.Type == RegType::KernelObj ? PtrTrust::Trusted : PtrTrust::None;
      R = RegState();
      R.Type = RegType::Released;
      R.BtfId = BtfId;
      R.Trust = Trust;
    }
  });
}

const SpecialFields *Interp::fieldsOf(const RegState &R) const {
  if (R.Type == RegType::MapValue && R.MapIndex >= 0 &&
      size_t(R.MapIndex) < Obj.maps().size()) {
    const MapDef &M = Obj.maps()[R.MapIndex];
    return M.Btf.HasBtf ? &M.Btf.Fields : nullptr;
  }
  if (R.Type == RegType::AllocObj && R.BtfId) {
    auto It = AllocFields.find(R.BtfId);
    if (It == AllocFields.end())
      It = AllocFields.emplace(R.BtfId, Obj.btf().specialFields(R.BtfId)).first;
    return &It->second;
  }
  return nullptr;
}

bool Interp::validLockArg(const RegState &R) const {
  if (R.Type == RegType::AllocObj) {
    const SpecialFields *F = fieldsOf(R);
    return !R.MaybeNull && !R.VarOff && F && F->SpinLock &&
           int64_t(*F->SpinLock) == R.Off;
  }
  if (R.Type != RegType::MapValue || R.MaybeNull || R.VarOff ||
      R.MapIndex < 0 || size_t(R.MapIndex) >= Obj.maps().size())
    return false;
  const MapDef &M = Obj.maps()[R.MapIndex];
  return M.Btf.SpinLockOffset && int64_t(*M.Btf.SpinLockOffset) == R.Off;
}

std::string Interp::lockDescription(const LockState &L) const {
  if (L.MapIndex == AllocLockMap)
    return "the lock in an object from bpf_obj_new (id=" +
           std::to_string(L.Id) + ")";
  if (L.MapIndex < 0 || size_t(L.MapIndex) >= Obj.maps().size())
    return "a lock";
  const MapDef &M = Obj.maps()[L.MapIndex];
  if (M.IsDataSection)
    return "the lock in global data section '" + M.Name + "'";
  return "the lock in a value of map '" + M.Name +
         "' (id=" + std::to_string(L.Id) + ")";
}

bool Interp::doHelper(const Insn &I, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  unsigned Id = unsigned(I.Imm);
  StringRef Name = helperName(Id);
  if (I.Imm < 0 || Name.empty()) {
    stop("unknown helper " + std::to_string(I.Imm));
    return false;
  }
  // Inside a critical section only bpf_spin_unlock (and, in newer kernels,
  // kptr_xchg) may be called (do_check_insn, before any argument check).
  // Kernels after 6.18 allow bpf_kptr_xchg in a critical section.
  if (St.Lock.Held && Id != FnSpinUnlock &&
      !(Id == FnKptrXchg && Opts.Kernel > KernelVersion(6, 18))) {
    std::string Held = lockDescription(St.Lock) + " is held";
    if (Id == FnSpinLock)
      report(Rule::LockNested, Pc, "bpf_spin_lock while " + Held,
             heldNotes(St, true, false), St);
    else if (Id == FnTailCall)
      report(Rule::LockTailCall, Pc, "bpf_tail_call while " + Held,
             heldNotes(St, true, false), St);
    else
      report(Rule::LockCallInCriticalSection, Pc,
             "call to helper " + Name.str() + " while " + Held,
             heldNotes(St, true, false), St);
    return false;
  }

  // The ring buffer helpers take a BPF_MAP_TYPE_RINGBUF map (and the drain
  // helper a USER_RINGBUF one): check_map_func_compatibility. A map of
  // another type is rejected whatever the other arguments are.
  if (Id == FnRingbufOutput || Id == FnRingbufReserve || Id == FnRingbufQuery ||
      Id == FnRingbufReserveDynptr || Id == FnUserRingbufDrain) {
    const RegState &Map = Regs[1];
    uint32_t Want =
        Id == FnUserRingbufDrain ? MapTypeUserRingbuf : MapTypeRingbuf;
    if (Map.Type == RegType::ConstMap && Map.MapIndex >= 0 &&
        size_t(Map.MapIndex) < Obj.maps().size()) {
      const MapDef &M = Obj.maps()[Map.MapIndex];
      if (M.Btf.MapType != 0 && M.Btf.MapType != Want && !M.IsDataSection) {
        report(Id == FnUserRingbufDrain ? Rule::RingbufUserRingbufMapType
                                        : Rule::RingbufMapType,
               Pc,
               Name.str() + " is given map '" + M.Name + "' of type " +
                   std::to_string(M.Btf.MapType) + ", not " +
                   (Id == FnUserRingbufDrain ? "BPF_MAP_TYPE_USER_RINGBUF"
                                             : "BPF_MAP_TYPE_RINGBUF"),
               {}, St);
        return false;
      }
    }
  }

  if (std::optional<bool> Done = doKptrHelper(Id, Pc, St))
    return *Done;
  bool Handled = false;
  bool Continue = doDynptrHelper(Id, Pc, St, Handled);
  if (Handled)
    return Continue;
  if (isCallbackHelper(Id))
    return doCallbackHelper(Id, Pc, St);

  switch (Id) {
  case FnKptrXchg:
    return doKptrXchg(Pc, St);
  case FnMapLookupElem: {
    const RegState &Map = Regs[1];
    if (Map.Type != RegType::ConstMap || Map.MapIndex < 0) {
      stop("bpf_map_lookup_elem without a map");
      return false;
    }
    if (Map.MaybeNull) {
      stop("bpf_map_lookup_elem with a map pointer that may be NULL");
      return false;
    }
    uint32_t Type = Obj.maps()[Map.MapIndex].Btf.MapType;
    // ARRAY_OF_MAPS, HASH_OF_MAPS: the inner map (map_ptr_or_null; each
    // lookup's id names the inner map it found).
    int Inner = Obj.maps()[Map.MapIndex].InnerIndex;
    if ((Type == 12 || Type == 13) && Inner >= 0) {
      clobberCallerSaved(St);
      RegState R0;
      R0.Type = RegType::ConstMap;
      R0.MaybeNull = true;
      R0.NullUncertain = Type == 12;
      R0.MapIndex = Inner;
      R0.Id = St.freshId();
      Regs[0] = R0;
      return true;
    }
    // Maps whose lookup returns a plain value pointer.
    static const uint32_t ValueMaps[] = {1, 2, 5, 6, 9, 10, 11};
    if (!is_contained(ValueMaps, Type)) {
      stop("bpf_map_lookup_elem on an unmodelled map type");
      return false;
    }
    int MapIndex = Map.MapIndex;
    clobberCallerSaved(St);
    RegState R0;
    R0.Type = RegType::MapValue;
    R0.MaybeNull = true;
    // BPF_MAP_TYPE_ARRAY, PERCPU_ARRAY: see RegState::NullUncertain.
    R0.NullUncertain = Type == 2 || Type == 6;
    R0.MapIndex = MapIndex;
    R0.Id = St.freshId();
    Regs[0] = R0;
    return true;
  }
  case FnRingbufReserve: {
    const RegState &Map = Regs[1];
    if (Map.Type != RegType::ConstMap || Map.MapIndex < 0 ||
        Obj.maps()[Map.MapIndex].Btf.MapType != 27) {
      stop("bpf_ringbuf_reserve without a ring buffer map");
      return false;
    }
    const RegState &Size = Regs[2];
    // A size whose bounds we know exactly and that is not a constant is
    // not one to the kernel either.
    if (Size.Type == RegType::Scalar && !Size.Val.isConst() &&
        !Size.Val.Imprecise && !Size.Val.FromCtx) {
      report(Rule::RingbufNonConstantSize, Pc,
             "the size passed to bpf_ringbuf_reserve in R2 is not a constant "
             "the verifier knows",
             {regNote(Pc, 2, Size)}, St);
      return false;
    }
    if (Size.Type != RegType::Scalar || !Size.Val.isConst() ||
        Size.Val.Imprecise) {
      stop("bpf_ringbuf_reserve with a size that is not a known constant");
      return false;
    }
    uint64_t Reserved = Size.Val.constValue();
    clobberCallerSaved(St);
    RegState R0;
    R0.Type = RegType::RingbufMem;
    R0.MaybeNull = true;
    R0.MemSize = uint32_t(std::min<uint64_t>(Reserved, UINT32_MAX));
    R0.Id = R0.RefObjId = St.freshId();
    Regs[0] = R0;
    St.Refs.push_back({R0.Id, Pc});
    return true;
  }
  case FnRingbufSubmit:
  case FnRingbufDiscard: {
    const RegState &Rec = Regs[1];
    // check_func_arg on R1 (ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE).
    std::string Fn = Name.str();
    if (Rec.Type == RegType::RingbufMem && Rec.MaybeNull) {
      report(Rule::RingbufReleaseInvalidPointer, Pc,
             Fn + " is given a ring buffer record that may be NULL",
             withNote(heldNotes(St, false, true), regNote(Pc, 1, Rec)), St);
      return false;
    }
    if (Rec.Type == RegType::RingbufMem && !Rec.VarOff && Rec.Off != 0) {
      report(Rule::RingbufReleaseOffsetPointer, Pc,
             Fn + " is given a pointer " + std::to_string(Rec.Off) +
                 " bytes into the ring buffer record, not the record itself",
             withNote(heldNotes(St, false, true), regNote(Pc, 1, Rec)), St);
      return false;
    }
    if (Rec.Type == RegType::Released) {
      report(Rule::RingbufUseAfterRelease, Pc,
             Fn + " is given a ring buffer record that was already "
                  "submitted or discarded",
             {regNote(Pc, 1, Rec)}, St, "release");
      return false;
    }
    if (Rec.Type == RegType::Stack) {
      report(Rule::RingbufReleaseInvalidPointer, Pc,
             Fn + " is given a pointer to the stack, not a ring buffer record",
             {regNote(Pc, 1, Rec)}, St, "stack");
      return false;
    }
    if (Rec.Type == RegType::DynptrMem && !Rec.MaybeNull && Rec.SliceOf == 0) {
      report(Rule::RingbufReleaseInvalidPointer, Pc,
             Fn +
                 " is given a slice from bpf_dynptr_data, not a ring buffer "
                 "record (a ring buffer dynptr is released with " +
                 Fn + "_dynptr)",
             {regNote(Pc, 1, Rec)}, St, "mem");
      return false;
    }
    if (Rec.Type == RegType::MapValue && !Rec.MaybeNull) {
      report(Rule::RingbufReleaseInvalidPointer, Pc,
             Fn + " is given a map value, not a ring buffer record",
             {regNote(Pc, 1, Rec)}, St, "map_value");
      return false;
    }
    if (Rec.Type == RegType::Scalar && Rec.Val.isConst() &&
        Rec.Val.constValue() == 0 && !Rec.Val.Imprecise) {
      report(Rule::RingbufReleaseInvalidPointer, Pc, Fn + " is given NULL", {},
             St, "null");
      return false;
    }
    if (Rec.Type != RegType::RingbufMem || Rec.MaybeNull || !Rec.RefObjId ||
        Rec.VarOff || Rec.Off != 0) {
      stop(Name.str() + " with an argument we cannot follow");
      return false;
    }
    uint32_t RefId = Rec.RefObjId;
    releaseRef(St, RefId);
    clobberCallerSaved(St);
    Regs[0] = RegState();
    return true;
  }
  case FnSpinLock:
  case FnSpinUnlock: {
    const RegState &Arg = Regs[1];
    // check_func_arg on R1 (ARG_PTR_TO_SPIN_LOCK): the type comes first.
    if (Arg.Type == RegType::MapValue && Arg.MaybeNull && !Arg.NullUncertain) {
      report(Rule::LockBadPointer, Pc,
             Name.str() + " is given a map value that may be NULL",
             {regNote(Pc, 1, Arg)}, St);
      return false;
    }
    if (Arg.Type == RegType::Stack) {
      report(Rule::LockBadPointer, Pc,
             Name.str() + " is given a pointer to the stack",
             {regNote(Pc, 1, Arg)}, St, "stack");
      return false;
    }
    if (lockArgWithoutLock(Arg, Pc, Name, St) ||
        lockArgRejected(Arg, /*Res=*/false, Pc, Name, St))
      return false;
    if (!validLockArg(Arg)) {
      stop(Name.str() + " with an argument that is not a map value's lock");
      return false;
    }
    if (Arg.Type == RegType::AllocObj && !Obj.btf().kernelAcceptsBtf()) {
      stop(Name.str() + " on an object without kernel BTF");
      return false;
    }
    // A map created without BTF: lockArgWithoutLock.
    if (Arg.Type == RegType::MapValue && !Obj.btf().kernelAcceptsBtf()) {
      stop(Name.str() + " on a map created without BTF");
      return false;
    }
    LockState Want{true,
                   Arg.Type == RegType::AllocObj ? AllocLockMap : Arg.MapIndex,
                   Arg.Id, Pc};
    if (Id == FnSpinLock) {
      St.Lock = Want;
    } else if (!St.Lock.Held) {
      report(Rule::LockUnlockWithoutLock, Pc,
             "bpf_spin_unlock of " + lockDescription(Want) +
                 " but no lock is held on this path",
             {}, St);
      return false;
    } else if (St.Lock.MapIndex != Want.MapIndex || St.Lock.Id != Want.Id) {
      report(Rule::LockUnlockDifferent, Pc,
             "bpf_spin_unlock of " + lockDescription(Want) +
                 " while the lock held is " + lockDescription(St.Lock),
             heldNotes(St, true, false), St);
      return false;
    } else {
      St.Lock = LockState();
      invalidateNonOwning(St);
    }
    clobberCallerSaved(St);
    Regs[0] = RegState::scalar(Scalar::constant(0));
    return true;
  }
  case FnTailCall:
    if (hasAllocRef(St)) {
      stop("bpf_tail_call while an allocated object is held");
      return false;
    }
    // check_resource_leak: a tail call that succeeds ends the program.
    if (!St.Refs.empty()) {
      report(Rule::RingbufHeldAcrossEarlyExit, Pc,
             "bpf_tail_call, which ends the program if it succeeds, while " +
                 heldRefKind(St) + " is held",
             heldNotes(St, false, true), St);
      return false;
    }
    // Falls through when the tail call fails.
    clobberCallerSaved(St);
    Regs[0] = RegState::scalar(Scalar::unknown());
    return true;
  default:
    break;
  }
  if (isUnmodelledHelper(Id)) {
    stop("unmodelled helper " + Name.str());
    return false;
  }
  if (!helperMemArgs(Id, Pc, St))
    return false;
  // A helper returning a scalar. It may write through stack pointer
  // arguments: such memory becomes unknown bytes. The size is usually the
  // next argument; without a known one, the whole frame is unknown.
  for (unsigned R = 1; R <= 5; ++R) {
    const RegState &Arg = Regs[R];
    if (Arg.Type != RegType::Stack || Arg.Frame >= St.Frames.size())
      continue;
    const RegState &Next = Regs[R < 5 ? R + 1 : R];
    unsigned First, Count;
    StackSlot *Slots = nullptr;
    unsigned Bytes = 0;
    if (R < 5 && Next.Type == RegType::Scalar && Next.Val.isConst() &&
        Next.Val.constValue() > 0 && Next.Val.constValue() <= 512) {
      Bytes = unsigned(Next.Val.constValue());
      Slots = stackSlots(St, Arg, 0, Bytes, First, Count);
    } else if ((Id == 2 || Id == 3) && (R == 2 || (Id == 2 && R == 3)) &&
               Regs[1].Type == RegType::ConstMap && Regs[1].MapIndex >= 0 &&
               size_t(Regs[1].MapIndex) < Obj.maps().size()) {
      // bpf_map_update_elem/delete_elem: the key and value sizes.
      const BtfMapInfo &M = Obj.maps()[Regs[1].MapIndex].Btf;
      Bytes = R == 2 ? M.KeySize : M.ValueSize;
      if (Bytes > 0 && Bytes <= 512)
        Slots = stackSlots(St, Arg, 0, Bytes, First, Count);
    }
    int Writes = helperWritesArg(Id, R);
    if (helperMemTouchesDynptr(R, Arg, Slots ? Bytes : 0, Writes, Pc, St))
      return false;
    // Memory the helper only reads keeps what the kernel knows of it.
    if (Writes == 0 && Slots)
      continue;
    if (Writes == 1 && Slots) {
      int64_t Lo = Arg.Off;
      helperFilledStack(Slots, First, Count, Lo, Lo + Bytes);
      continue;
    }
    if (!Slots) {
      First = 0;
      Count = StackSlots;
      St.Frames[Arg.Frame].useSlots(StackSlots);
      Slots = &St.Frames[Arg.Frame].Stack[0];
    }
    // Helpers may fill uninitialized memory (ARG_PTR_TO_UNINIT_MEM, e.g.
    // bpf_probe_read_kernel into a stack buffer). Spilled references
    // survive in the reference table; registers holding them are unaffected.
    for (unsigned K = First; K < First + Count; ++K)
      Slots[K] = StackSlot{StackSlot::Misc, {}};
  }
  clobberCallerSaved(St);
  Regs[0] = RegState::scalar(refinedRetval(Id) ? Scalar::imprecise()
                                               : Scalar::unknown());
  return true;
}

// kfunc_spin_allowed() (do_check_insn): the kfuncs a critical section may
// call, as of the newest kernel profile. Older kernels allow fewer, which
// only makes us miss a rejection there.
static bool kfuncAllowedUnderLock(StringRef Name) {
  static const char *const Allowed[] = {
      "bpf_list_push_front_impl",
      "bpf_list_push_back_impl",
      "bpf_list_pop_front",
      "bpf_list_pop_back",
      "bpf_list_front",
      "bpf_list_back",
      "bpf_rbtree_add_impl",
      "bpf_rbtree_remove",
      "bpf_rbtree_first",
      "bpf_rbtree_root",
      "bpf_rbtree_left",
      "bpf_rbtree_right",
      "bpf_refcount_acquire_impl",
      "bpf_iter_num_new",
      "bpf_iter_num_next",
      "bpf_iter_num_destroy",
      "bpf_res_spin_lock",
      "bpf_res_spin_unlock",
      "bpf_res_spin_lock_irqsave",
      "bpf_res_spin_unlock_irqrestore",
      "bpf_arena_alloc_pages",
      "bpf_arena_free_pages",
      "bpf_arena_reserve_pages",
      "bpf_stream_vprintk",
      "bpf_stream_print_stack",
  };
  return is_contained(Allowed, Name);
}

namespace {
// The graph kfuncs whose first argument is the root (check_kfunc_args
// checks the arguments in order, so the root's lock check comes first),
// and the kernel that has them.
struct GraphKfunc {
  const char *Name;
  bool Rbtree;
  unsigned SinceMaj, SinceMin;
};
const GraphKfunc GraphKfuncs[] = {
    {"bpf_list_push_front_impl", false, 6, 2},
    {"bpf_list_push_back_impl", false, 6, 2},
    {"bpf_list_pop_front", false, 6, 2},
    {"bpf_list_pop_back", false, 6, 2},
    {"bpf_list_front", false, 6, 18},
    {"bpf_list_back", false, 6, 18},
    {"bpf_rbtree_add_impl", true, 6, 3},
    {"bpf_rbtree_remove", true, 6, 3},
    {"bpf_rbtree_first", true, 6, 3},
    {"bpf_rbtree_root", true, 6, 18},
    {"bpf_rbtree_left", true, 6, 18},
    {"bpf_rbtree_right", true, 6, 18},
};
} // namespace

// Program types (by libbpf section name) that surely have bpf_obj_new and
// the graph kfuncs (the kernel's generic kfunc set) and may take a
// bpf_spin_lock. Elsewhere the kfunc call itself may be refused.
static bool graphKfuncsAllowed(StringRef Section) {
  Section.consume_front("?");
  for (StringRef P : {"tc", "classifier", "xdp", "syscall", "tcx/", "netkit/"})
    if (Section == P || Section.starts_with(P.str() + "/") ||
        (P.ends_with("/") && Section.starts_with(P)))
      return true;
  return false;
}

std::optional<uint32_t> Interp::localStructArg(const RegState &R) const {
  if (R.Type != RegType::Scalar || !R.Val.isConst() || R.Val.Imprecise ||
      R.Val.constValue() > UINT32_MAX ||
      !Obj.btf().isStruct(uint32_t(R.Val.constValue())))
    return std::nullopt;
  return uint32_t(R.Val.constValue());
}

RegState &Interp::acquireAllocObj(VerifierState &St, CodeAddr Pc,
                                  uint32_t BtfId, bool MaybeNull, bool Percpu) {
  clobberCallerSaved(St);
  RegState R0;
  R0.Type = RegType::AllocObj;
  R0.MaybeNull = MaybeNull;
  R0.Percpu = Percpu;
  R0.BtfId = BtfId;
  R0.Id = R0.RefObjId = St.freshId();
  RefState Ref;
  Ref.Id = R0.Id;
  Ref.AllocAt = Pc;
  Ref.Alloc = true;
  St.Refs.push_back(Ref);
  return St.cur().Regs[0] = R0;
}

bool Interp::doKfunc(const std::string &Name, CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  // BTF tracepoints (BPF_PROG_TYPE_TRACING) have the kfuncs on kernel
  // objects (RefKfuncs.cpp); the others are not modelled there.
  if (Res.Program && StringRef(Obj.codeSections()[Res.Program->Section].Name)
                         .starts_with("tp_btf/"))
    if (std::optional<bool> Done = doRefKfunc(Name, Pc, St))
      return *Done;
  if (!Res.Program ||
      !graphKfuncsAllowed(Obj.codeSections()[Res.Program->Section].Name)) {
    if (graphKfuncNotAllowed(Name, Pc, St))
      return false;
    stop("kfunc " + Name + " in a program type not modelled for kfuncs");
    return false;
  }
  if (isResLockKfunc(Name))
    return doResLockKfunc(Name, Pc, St);
  bool ProgBtf = Obj.btf().kernelAcceptsBtf();
  if (Name == "bpf_obj_new_impl") {
    // bpf_obj_new_impl(local_type_id__k, meta__ign): KF_ACQUIRE |
    // KF_RET_NULL, an object of a struct type of the program's BTF.
    std::optional<uint32_t> BtfId = localStructArg(Regs[1]);
    if ((!ProgBtf && objNewWithoutBtf(Pc, St)) || objNewNotStruct(Pc, St))
      return false;
    if (Opts.Kernel < KernelVersion(6, 2) || !ProgBtf || !BtfId) {
      stop("bpf_obj_new_impl with a type we cannot follow");
      return false;
    }
    acquireAllocObj(St, Pc, *BtfId, /*MaybeNull=*/true);
    return true;
  }
  if (std::optional<bool> Done = doRefKfunc(Name, Pc, St))
    return *Done;
  if (std::optional<bool> Done = doDynptrSliceKfunc(Name, Pc, St))
    return *Done;
  if (Name == "bpf_obj_drop_impl") {
    if (dropNotOwned(Pc, St) || dropNonOwning(Pc, St))
      return false;
    const RegState &Ptr = Regs[1];
    if (Ptr.Type == RegType::AllocObj && Ptr.MaybeNull) {
      report(Rule::GraphUseBeforeNullCheck, Pc,
             "bpf_obj_drop is given an object from bpf_obj_new that may be "
             "NULL",
             {regNote(Pc, 1, Ptr)}, St, "arg");
      return false;
    }
    if (Ptr.Type != RegType::AllocObj || Ptr.MaybeNull || Ptr.VarOff ||
        Ptr.Off != 0 || !Ptr.RefObjId) {
      stop("bpf_obj_drop_impl with an argument we cannot follow");
      return false;
    }
    releaseRef(St, Ptr.RefObjId);
    clobberCallerSaved(St);
    Regs[0] = RegState();
    return true;
  }
  if (Name == "bpf_refcount_acquire_impl")
    return doRefcountAcquire(Pc, St);
  if (Name == "bpf_percpu_obj_new_impl")
    return doPercpuObjNew(Pc, St);
  if (Name == "bpf_percpu_obj_drop_impl")
    return doPercpuObjDrop(Pc, St);
  const GraphKfunc *G = nullptr;
  for (const GraphKfunc &K : GraphKfuncs)
    if (Name == K.Name)
      G = &K;
  if (!G || Opts.Kernel < KernelVersion(G->SinceMaj, G->SinceMin)) {
    stop("unmodelled kfunc " + Name);
    return false;
  }
  // __process_kf_arg_ptr_to_graph_root: a map value or an owned object,
  // at a constant offset where the type has a root of the kfunc's kind,
  // and the lock of that same allocation held.
  const RegState &Root = Regs[1];
  bool IsAlloc = Root.Type == RegType::AllocObj;
  const SpecialFields *F = fieldsOf(Root);
  const GraphRootField *Field = F ? F->rootAt(Root.Off) : nullptr;
  if ((Root.Type != RegType::MapValue && !IsAlloc) || Root.MaybeNull ||
      Root.VarOff || (IsAlloc && !Root.RefObjId) || !ProgBtf || !Field ||
      Field->Rbtree != G->Rbtree || !F->SpinLock || !F->kptrTagsValid()) {
    if (badGraphRoot(Name, G->Rbtree, Pc, St) ||
        rootNotFound(Name, G->Rbtree, Pc, St))
      return false;
    stop(Name + " with a root we cannot follow");
    return false;
  }
  const char *RootType = G->Rbtree ? "bpf_rb_root" : "bpf_list_head";
  std::string Where =
      IsAlloc ? "an object from bpf_obj_new"
              : "a value of map '" + Obj.maps()[Root.MapIndex].Name + "'";
  if (Obj.maps().size() > size_t(std::max(Root.MapIndex, 0)) && !IsAlloc &&
      Obj.maps()[Root.MapIndex].IsDataSection)
    Where = "global data section '" + Obj.maps()[Root.MapIndex].Name + "'";
  std::string What = Name + " on the " + RootType + " at offset " +
                     std::to_string(Root.Off) + " of " + Where;
  std::string LockAt =
      "bpf_spin_lock (at offset " + std::to_string(*F->SpinLock) + ")";
  if (!St.Lock.Held) {
    report(Rule::GraphLockNotHeld, Pc, What + " without holding its " + LockAt,
           {regNote(Pc, 1, Root)}, St);
    return false;
  }
  int Map = IsAlloc ? AllocLockMap : Root.MapIndex;
  if (St.Lock.MapIndex != Map || St.Lock.Id != Root.Id) {
    report(Rule::GraphLockWrongAllocation, Pc,
           What + " whose " + LockAt + " is not the lock held, " +
               lockDescription(St.Lock),
           withNote(heldNotes(St, true, false), regNote(Pc, 1, Root)), St);
    return false;
  }
  RegState Less = Regs[3];
  return doGraphKfunc(Name, Pc, St, *Field) &&
         !(Name == "bpf_rbtree_add_impl" &&
           rbtreeCallbackRejected(Less, Pc, St));
}

bool Interp::doCall(const Insn &I, CodeAddr &Pc, VerifierState &St) {
  const Reloc *R = section(Pc).relocAt(Pc.Insn);
  if (callUnderResLock(Pc,
                       R && R->Kind == RelocKind::Kfunc ? R->SymbolName : "",
                       I.isHelperCall(), St))
    return false;
  if ((R && R->Kind == RelocKind::Kfunc) || I.isKfuncCall()) {
    // Under a lock, a kfunc off the allowlist is rejected before anything
    // else is looked at (LOCK-018); a kfunc we cannot name, we do not judge.
    if (St.Lock.Held && R && R->Kind == RelocKind::Kfunc &&
        !R->SymbolName.empty() && !kfuncAllowedUnderLock(R->SymbolName)) {
      report(Rule::LockCallInCriticalSection, Pc,
             "call to kfunc " + R->SymbolName + " while " +
                 lockDescription(St.Lock) + " is held",
             heldNotes(St, true, false), St);
      return false;
    }
    if (!R || R->Kind != RelocKind::Kfunc) {
      stop("unmodelled kfunc");
      return false;
    }
    if (!doKfunc(R->SymbolName, Pc, St))
      return false;
    ++Pc.Insn;
    return true;
  }
  if (I.isHelperCall()) {
    NextPc.reset();
    if (!doHelper(I, Pc, St))
      return false;
    if (NextPc) { // A callback.
      Pc = *NextPc;
      NextPc.reset();
      return true;
    }
    ++Pc.Insn;
    return true;
  }
  std::optional<CodeAddr> Target = callTarget(Obj, Pc);
  const Function *Callee = Target ? function(*Target) : nullptr;
  if (!Callee || Callee->FirstInsn != Target->Insn) {
    stop("call to an unknown function");
    return false;
  }
  if (Callee->Global) {
    // Verified separately (verifyProgram queues it); here the call only
    // returns an unknown scalar. Not allowed under a lock (LOCK-019).
    if (hasAllocRef(St) && !St.Lock.Held) {
      stop("call to a global function while an allocated object is held");
      return false;
    }
    if (St.Lock.Held) {
      report(Rule::LockGlobalCallInCriticalSection, Pc,
             "call to global function '" + Callee->Name + "' while " +
                 lockDescription(St.Lock) + " is held",
             heldNotes(St, true, false), St);
      return false;
    }
    clobberCallerSaved(St);
    St.cur().Regs[0] = RegState::scalar(Scalar::unknown());
    ++Pc.Insn;
    return true;
  }
  // Before 6.9, any bpf-to-bpf call inside a critical section was rejected.
  if (St.Lock.Held && Opts.Kernel < KernelVersion(6, 9)) {
    report(Rule::LockCallInCriticalSection, Pc,
           "call to function '" + Callee->Name + "' while " +
               lockDescription(St.Lock) + " is held",
           heldNotes(St, true, false), St);
    return false;
  }
  if (St.Frames.size() >= MaxCallFrames) {
    stop("call stack too deep");
    return false;
  }
  for (const FrameState &F : St.Frames)
    if (F.Entry == *Target) {
      stop("recursive call");
      return false;
    }
  FrameState Callee2;
  Callee2.Entry = *Target;
  Callee2.ReturnTo = {Pc.Section, Pc.Insn + 1};
  for (unsigned Reg = 1; Reg <= 5; ++Reg)
    Callee2.Regs[Reg] = St.cur().Regs[Reg];
  Callee2.Regs[10].Type = RegType::Stack;
  Callee2.Regs[10].Frame = St.Frames.size();
  St.Frames.push_back(std::move(Callee2));
  Pc = *Target;
  return true;
}

} // namespace bpflint::bc::detail
