//===- AbstractState.h - Verifier state on one path -------------*- C++ -*-===//
//
// What the interpreter knows at an instruction on one path: registers and
// stack slots of each call frame, acquired references, the held lock and a
// few recent branch decisions (for the diagnostic's path notes). Modelled on
// the kernel's bpf_verifier_state, reduced to what bpflint's rules need.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_ABSTRACTSTATE_H
#define BPFLINT_BYTECODE_ABSTRACTSTATE_H

#include "bpflint/Bytecode/Cfg.h"
#include "bpflint/Bytecode/Scalar.h"
#include <array>
#include <string>
#include <vector>

namespace bpflint::bc {

class BpfObject;

enum class RegType : uint8_t {
  NotInit,
  Scalar,
  Ctx,        ///< PTR_TO_CTX.
  Stack,      ///< PTR_TO_STACK of frame Frame, offset Off.
  ConstMap,   ///< CONST_PTR_TO_MAP.
  MapValue,   ///< PTR_TO_MAP_VALUE (MaybeNull: map_value_or_null).
  RingbufMem, ///< MEM | MEM_RINGBUF (MaybeNull: ringbuf_mem_or_null).
  Released,   ///< Held a reference that was released: any use is an error.
  Opaque,     ///< A pointer we do not model (ksym, function address).
  /// PTR_TO_BTF_ID | MEM_ALLOC: an object of the program's BTF type BtfId
  /// from bpf_obj_new (MaybeNull until checked; RefObjId while owned).
  AllocObj,
  /// PTR_TO_BTF_ID of a kernel object (an acquire kfunc's result, the old
  /// value bpf_kptr_xchg returns) or a pointer loaded from a kptr field
  /// (RefKfuncs.cpp); BtfId is the pointee struct in the program's BTF.
  KernelObj,
  /// CONST_PTR_TO_DYNPTR: the read-only dynptr a bpf_user_ringbuf_drain
  /// callback gets (Dynptrs.cpp).
  ConstDynptr,
  /// PTR_TO_MEM from bpf_dynptr_data: MemSize bytes (MaybeNull:
  /// mem_or_null), holding the ring buffer dynptr's reference if any.
  DynptrMem,
};

/// KernelObj: what the kernel's type flags say about the pointer.
enum class PtrTrust : uint8_t {
  None,      ///< Not a KernelObj (or Released: not a kernel object).
  Trusted,   ///< Owned (ref_obj_id) or PTR_TRUSTED.
  Rcu,       ///< MEM_RCU: loaded from a kptr field in an RCU section.
  Untrusted, ///< PTR_UNTRUSTED.
};

struct RegState {
  RegType Type = RegType::NotInit;
  bool MaybeNull = false;
  /// MaybeNull, but the kernel may know better: since 6.14 it elides the
  /// NULL case of an array map lookup with a constant, in-range key. The
  /// NULL branch of a check is then a path the kernel may not take.
  bool NullUncertain = false;
  /// The pointer's offset is not a known constant.
  bool VarOff = false;
  /// VarOff pointers: the variable part of the offset (the kernel's
  /// var_off and ranges of a pointer register; MemBounds.cpp). Off is the
  /// fixed part.
  Scalar VarRange;
  /// VarOff, and the kernel surely does not know it as a constant either
  /// (a scalar with exact, non-constant bounds was added).
  bool VarOffSure = false;
  Scalar Val;         ///< Scalars only.
  int64_t Off = 0;    ///< Pointers: fixed offset.
  int MapIndex = -1;  ///< ConstMap / MapValue: index into BpfObject::maps().
  unsigned Frame = 0; ///< Stack: owning frame.
  /// AllocObj: the object's type in the program BTF (kept by Released).
  uint32_t BtfId = 0;
  /// Pointers: id shared by copies, for NULL-check propagation and lock
  /// identity. Scalars: id linking copies for branch refinement.
  uint32_t Id = 0;
  uint32_t RefObjId = 0; ///< Non-zero when this holds an acquired reference.
  /// KernelObj: trust flags; Released: non-None for a kernel object.
  PtrTrust Trust = PtrTrust::None;
  /// KernelObj loaded from a kptr field: the field's offset (for notes).
  int32_t KptrOff = -1;
  /// AllocObj: a non-owning reference (a node inserted into or found in a
  /// list or tree), valid until the unlock. Released: such a reference
  /// that the unlock invalidated.
  bool NonOwning = false;
  /// AllocObj: from bpf_percpu_obj_new (MEM_PERCPU).
  bool Percpu = false;
  /// Scalars: "r1 = r2; r1 += 4" leaves r1 linked to r2's id with a delta
  /// in current kernels, which then refine one when the other is compared.
  /// We do not; this remembers the link so that such a refinement marks the
  /// partner Imprecise instead.
  uint32_t DeltaLinkId = 0;
  /// Opaque from ld_imm64 of a function's address: its code section (else
  /// -1) and first instruction (in Off), for callback helpers.
  int FuncSection = -1;
  /// DynptrMem: the size of the slice. RingbufMem: the size reserved.
  uint32_t MemSize = 0;
  /// DynptrMem: from bpf_dynptr_data (0), the bpf_dynptr_slice kfunc (1,
  /// read-only: MEM_RDONLY) or bpf_dynptr_slice_rdwr (2).
  uint8_t SliceOf = 0;
  /// DynptrMem: the DynId of the dynptr sliced (0: none we track).
  /// Released: non-zero for a slice that the destruction of its
  /// (unreferenced) dynptr invalidated.
  uint32_t DynptrId = 0;

  static RegState scalar(Scalar S) {
    RegState R;
    R.Type = RegType::Scalar;
    R.Val = S;
    return R;
  }
  bool isPointer() const {
    return Type != RegType::NotInit && Type != RegType::Scalar &&
           Type != RegType::Released;
  }
  /// "ringbuf_mem_or_null(id=2,ref_obj_id=2)", "scalar(0)", "fp-8", ...
  std::string str(const BpfObject &Obj) const;
};

/// The kinds of dynptr the interpreter tells apart (Dynptrs.cpp).
enum class DynptrKind : uint8_t { None, Ringbuf, Local };

struct StackSlot {
  /// Dynptr: STACK_DYNPTR, one of the two slots of an initialised dynptr.
  /// IrqFlag: STACK_IRQ_FLAG, the flag saved by bpf_local_irq_save or
  /// bpf_res_spin_lock_irqsave (DynId: the IrqState's id).
  enum Kind : uint8_t { Invalid, Spill, Misc, Zero, Dynptr, IrqFlag };
  Kind K = Invalid;
  RegState Spilled; ///< Spill only: the register stored with 8 bytes.
  /// Misc only: every byte was written by a helper (or never written), so
  /// the kernel has STACK_MISC (or STACK_INVALID) for all of them and
  /// knows nothing of their value either. Other Misc slots may hold a
  /// narrow spill the kernel still tracks.
  bool Unknown = false;
  /// Dynptr only: its kind, whether this is the slot at its start (the
  /// lower address), its id and the reference it holds (ring buffer).
  DynptrKind DynKind = DynptrKind::None;
  bool DynFirst = false;
  uint32_t DynId = 0, DynRef = 0;
};

constexpr unsigned StackSlots = 64; // 512 bytes.
constexpr unsigned MaxCallFrames = 8;

struct FrameState {
  std::array<RegState, 11> Regs;
  /// Slot k holds bytes [-8(k+1), -8k). Only the slots accessed so far are
  /// stored; the others are Invalid. States are copied at every branch
  /// and remembered for pruning: most programs use a few slots of 64.
  std::vector<StackSlot> Stack;
  /// Makes slots [0, N) addressable.
  void useSlots(unsigned N) {
    if (Stack.size() < N)
      Stack.resize(N);
  }
  CodeAddr ReturnTo; ///< Caller's next instruction (frames > 0).
  CodeAddr Entry;    ///< This frame's function entry.
  /// A callback frame: the helper that calls it (else -1); ReturnTo is
  /// then the helper call itself, which the kernel verifies again with the
  /// state after the callback (Callbacks.cpp).
  int CallbackOf = -1;
  /// Callback frames: references with ids from here on were acquired in
  /// the callback.
  uint32_t CallbackIdsFrom = 0;
  /// Caller frames: how often the callback of the pending helper call has
  /// returned to it on this path.
  uint8_t CallbackRounds = 0;
};

struct RefState {
  uint32_t Id = 0;
  CodeAddr AllocAt;
  /// An object from bpf_obj_new (else a ring buffer record).
  bool Alloc = false;
  /// A kernel object from an acquire kfunc or bpf_kptr_xchg.
  bool Kernel = false;
  /// A ring buffer dynptr from bpf_ringbuf_reserve_dynptr.
  bool Dynptr = false;
};

/// LockState::MapIndex of a lock inside an object from bpf_obj_new: the
/// kernel identifies it by the program's BTF and the register id.
constexpr int AllocLockMap = -2;

struct LockState {
  bool Held = false;
  int MapIndex = -1;
  uint32_t Id = 0;
  CodeAddr At;
};

/// A held bpf_res_spin_lock (the kernel's REF_TYPE_RES_LOCK[_IRQ]).
struct ResLockState {
  int MapIndex = -1;
  uint32_t Id = 0;
  CodeAddr At;
  bool Irq = false; ///< Taken by bpf_res_spin_lock_irqsave.
};

/// A saved IRQ flag (REF_TYPE_IRQ): restored in LIFO order.
struct IrqState {
  uint32_t Id = 0;
  CodeAddr At;
  bool LockClass = false; ///< Saved by bpf_res_spin_lock_irqsave.
};

struct BranchNote {
  CodeAddr At;
  bool Taken = false;
};

struct VerifierState {
  std::vector<FrameState> Frames;
  std::vector<RefState> Refs;
  LockState Lock;
  /// Held res locks and saved IRQ flags, oldest first (ResLocks.cpp).
  std::vector<ResLockState> ResLocks;
  std::vector<IrqState> Irqs;
  /// The path went through a failed bpf_res_spin_lock (LOCK-016).
  bool ResLockFailed = false;
  /// The path went through a branch the kernel may decide differently; a
  /// finding on it is not reported (see Scalar.h).
  bool Tainted = false;
  uint32_t NextId = 1;
  /// The most recent undecided branches on this path, oldest first.
  std::vector<BranchNote> Branches;

  FrameState &cur() { return Frames.back(); }
  const FrameState &cur() const { return Frames.back(); }
  uint32_t freshId() { return NextId++; }
  void noteBranch(CodeAddr At, bool Taken);

  /// Calls F on every register and spilled register of every frame.
  template <typename Fn> void forEachReg(Fn F) {
    for (FrameState &Fr : Frames) {
      for (RegState &R : Fr.Regs)
        F(R);
      for (StackSlot &S : Fr.Stack)
        if (S.K == StackSlot::Spill)
          F(S.Spilled);
    }
  }

  /// True if every path from *this is also a path from Old's exploration,
  /// i.e. Old (already explored) covers this state and it can be pruned.
  ///
  /// Live, if given, has a mask per frame of the registers that may still
  /// be read there (bit R for register R): the others are not compared.
  bool coveredBy(const VerifierState &Old,
                 const uint16_t *Live = nullptr) const;
};

} // namespace bpflint::bc

#endif
