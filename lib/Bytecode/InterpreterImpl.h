//===- InterpreterImpl.h - The interpreter's internals -------- -*- C++ -*-===//
//
// Private to lib/Bytecode: the interpreter class, split over Interpreter.cpp
// (driver, ALU, memory, jumps, exit, findings) and Calls.cpp (helpers,
// bpf-to-bpf calls, references and locks).
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_LIB_BYTECODE_INTERPRETERIMPL_H
#define BPFLINT_LIB_BYTECODE_INTERPRETERIMPL_H

#include "Liveness.h"
#include "bpflint/Bytecode/Interpreter.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace bpflint::bc::detail {

/// BPF_CORE_TYPE_ID_LOCAL (enum bpf_core_relo_kind).
constexpr uint32_t CoreTypeIdLocal = 6;

inline uint64_t addrKey(CodeAddr A) {
  return uint64_t(A.Section) << 32 | A.Insn;
}

class Interp {
public:
  Interp(const BpfObject &Obj, const InterpreterOptions &Opts,
         ProgramResult &Res, const ProgramCfg &Cfg)
      : Obj(Obj), Opts(Opts), Res(Res), Liveness(Obj, Cfg) {
    // Prune points: block leaders, i.e. jump targets and the instructions
    // after jumps, where the kernel looks for equivalent states too.
    for (const FunctionCfg &FC : Cfg.Funcs)
      for (const BasicBlock &BB : FC.Blocks)
        Leaders.insert(addrKey({FC.Func->Section, BB.First}));
  }

  /// Verifies F as an entry: the program itself, or a global subprogram
  /// (verified on its own with unknown arguments).
  void verifyEntry(const Function &F, bool IsProgram);

private:
  void runPath(CodeAddr Pc, VerifierState St);
  bool pruned(CodeAddr Pc, const VerifierState &St);
  /// Pushes a branch to explore later (the kernel's push_stack).
  void queue(CodeAddr Pc, VerifierState St);
  void stop(const std::string &Reason) { ++Res.Incomplete[Reason]; }

  const CodeSection &section(CodeAddr A) const {
    return Obj.codeSections()[A.Section];
  }
  const Function *function(CodeAddr Entry) const {
    return Obj.functionAt(Entry.Section, Entry.Insn);
  }
  std::string where(CodeAddr A) const {
    return section(A).Name + "+" + std::to_string(A.Insn);
  }

  // Instruction handlers. They return false when the path ends.
  bool doAlu(const Insn &I, CodeAddr Pc, VerifierState &St);
  bool doLoadImm64(const Insn &I, CodeAddr Pc, VerifierState &St);
  /// R0 = an owned object of program BTF type BtfId acquired at Pc (a
  /// KF_ACQUIRE result: bpf_obj_new, bpf_percpu_obj_new,
  /// bpf_refcount_acquire), with the reference it holds. Caller-saved
  /// registers are clobbered first. Returns R0 for further marks.
  /// The program-BTF struct id a `local_type_id__k` argument (bpf_obj_new,
  /// bpf_percpu_obj_new) holds, if it is an exact constant naming a struct.
  std::optional<uint32_t> localStructArg(const RegState &R) const;
  RegState &acquireAllocObj(VerifierState &St, CodeAddr Pc, uint32_t BtfId,
                            bool MaybeNull, bool Percpu = false);
  /// check_map_prog_compatibility for the map an ld_imm64 references
  /// (MapCompat.cpp): false when the program may not use it (reported).
  bool mapUsableByProgram(unsigned MapIndex, CodeAddr Pc,
                          const VerifierState &St);
  /// Whether libbpf can create every map of the object (MapCompat.cpp);
  /// false when one cannot be (reported at the program's entry Entry).
  bool mapsCreatable(CodeAddr Entry, const VerifierState &St);
  /// A tracing program using a map or section whose record holds a graph
  /// root (GRAPH-007); true if reported.
  bool graphRootInTracing(const MapDef &M, CodeAddr Pc,
                          const VerifierState &St);
  /// A local storage map whose value holds a graph root (GRAPH-006);
  /// true if reported.
  bool graphRootInStorageMap(const MapDef &M, CodeAddr Entry,
                             const VerifierState &St);
  bool doLoad(const Insn &I, CodeAddr Pc, VerifierState &St);
  /// A load from a global data section's map value: the value the kernel
  /// reads from a frozen .rodata map (as written in the object), an unknown
  /// value the kernel knows (.kconfig, variable offsets), or nullopt for
  /// maps whose values nobody knows.
  std::optional<Scalar> frozenMapValue(const RegState &Base, int16_t InsnOff,
                                       unsigned Size, bool SignExt) const;
  bool doStore(const Insn &I, CodeAddr Pc, VerifierState &St);
  /// Reports a load/store through a ring buffer record that may be NULL or
  /// was released (the kernel's check_mem_access); true if it did.
  bool badDeref(const Insn &I, CodeAddr Pc, const RegState &Base,
                unsigned RegNo, const VerifierState &St);
  /// Reports a load/store overlapping a map value's bpf_spin_lock
  /// (LOCK-023); true if it did.
  bool touchesLock(const Insn &I, CodeAddr Pc, const RegState &Base,
                   unsigned Size, const VerifierState &St);
  /// Reports a load, store or atomic touching a map value's kptr field
  /// the way the kernel forbids (KPTR-004/006/007/009/011); true if it did.
  bool badKptrAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                     unsigned Size, const VerifierState &St);
  bool doAtomic(const Insn &I, CodeAddr Pc, VerifierState &St);
  bool doLegacyPacket(const Insn &I, CodeAddr Pc, VerifierState &St);
  bool doJump(const Insn &I, CodeAddr &Pc, VerifierState &St);
  bool doCall(const Insn &I, CodeAddr &Pc, VerifierState &St);
  bool doHelper(const Insn &I, CodeAddr Pc, VerifierState &St);
  bool doExit(CodeAddr &Pc, VerifierState &St);

  bool inFunction(const VerifierState &St, int64_t Target) const;
  /// Bytes [Lo, Hi) of slots [First, First + Count) were written by a
  /// helper (ARG_PTR_TO_UNINIT_MEM): they become STACK_MISC.
  static void helperFilledStack(StackSlot *Slots, unsigned First,
                                unsigned Count, int64_t Lo, int64_t Hi);
  StackSlot *stackSlots(VerifierState &St, const RegState &Ptr, int64_t Off,
                        unsigned Size, unsigned &First, unsigned &Count);
  void clobberCallerSaved(VerifierState &St);
  void markPtrOrNull(VerifierState &St, uint32_t Id, bool IsNull);
  void releaseRef(VerifierState &St, uint32_t RefId);
  bool validLockArg(const RegState &R) const;
  /// The special fields of what R points to (a map value or an allocated
  /// object), or null.
  const SpecialFields *fieldsOf(const RegState &R) const;
  /// Whether a reference other than a ring buffer record is held.
  static bool hasAllocRef(const VerifierState &St) {
    for (const RefState &R : St.Refs)
      if (R.Alloc || R.Kernel)
        return true;
    return false;
  }

  // Kernel object references and kptrs (RefKfuncs.cpp, KptrXchg.cpp).
  /// Acquire, release and trusted-argument kfuncs on kernel objects
  /// (Kfuncs.def flags, prototypes from the program's BTF). None if Name
  /// is not one of them; else whether the path goes on.
  std::optional<bool> doRefKfunc(const std::string &Name, CodeAddr Pc,
                                 VerifierState &St);
  /// bpf_kptr_xchg (helper 194).
  bool doKptrXchg(CodeAddr Pc, VerifierState &St);
  /// bpf_kptr_xchg into a kptr field of an owned local object (6.12+).
  bool kptrXchgIntoObject(CodeAddr Pc, VerifierState &St);
  /// bpf_kptr_xchg once the destination field is known; Where names the
  /// value or object it is in.
  bool kptrXchgField(CodeAddr Pc, VerifierState &St,
                     const SpecialFields::KptrField &F,
                     const std::string &Where);
  /// A load of a kptr field of a map value: 0 not a kptr field, 1 Result
  /// is the loaded pointer, 2 the path stops.
  int loadKptr(const Insn &I, const RegState &Base, VerifierState &St,
               RegState &Result);
  /// A load through a kernel object pointer: 0 not one, 1 Result set.
  int loadThroughKernelObj(const Insn &I, const RegState &Base,
                           RegState &Result);
  /// badDeref for kernel object pointers (KPTR-013, KPTR-019).
  bool badKernelDeref(CodeAddr Pc, const RegState &Base, unsigned RegNo,
                      const VerifierState &St);
  /// A released or invalidated reference compared with 0: an unknown
  /// scalar to the kernel (mark_reg_invalid). Both outcomes are explored;
  /// on the non-zero one the register is known non-zero (NullUncertain).
  bool jumpOnReleased(const Insn &I, CodeAddr &Pc, VerifierState &St);
  /// bpf_obj_drop of a pointer loaded from a kptr field (KPTR-016).
  bool dropNotOwned(CodeAddr Pc, const VerifierState &St);
  /// Whether the program's type Id is local to it (bpf_obj_new'd).
  bool isLocalType(uint32_t Id) const;
  /// Whether the program is sleepable (libbpf's SEC_SLEEPABLE).
  bool sleepable() const;
  mutable std::optional<std::set<uint32_t>> LocalTypes;

  // KptrAccess.cpp: kptr field accesses, kernel objects, task helpers.
  /// check_map_access walks the record's fields in offset order: the
  /// first field [Lo, Hi) overlaps decides. The kptr field that is that
  /// first field, or null (another special field, or none).
  static const SpecialFields::KptrField *
  firstFieldIsKptr(const SpecialFields &F, int64_t Lo, int64_t Hi);
  /// The record of the map value Base points to, when its kptr fields are
  /// ones the profile knows in a map type we model (else null).
  const SpecialFields *kptrRecord(const RegState &Base) const;
  /// An access at a variable offset that may touch a kptr (KPTR-005).
  bool kptrVarOffAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                        unsigned Size, const VerifierState &St);
  /// A register stored into the unreferenced kptr field K (KPTR-011/012).
  bool kptrStoreValue(const Insn &I, CodeAddr Pc, const RegState &Base,
                      const SpecialFields::KptrField &K,
                      const std::string &Field, const VerifierState &St);
  /// A load or store through a non-NULL kernel object: the license
  /// (KPTR-024) and writes (GRAPH-026); true if reported.
  bool kernelObjAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                       unsigned RegNo, bool IsStore, const VerifierState &St);
  /// Whether the object's license is GPL-compatible.
  bool gplProgram() const;
  /// Whether the program type has bpf_get_current_task_btf (or, Storage,
  /// the task storage helpers) on the profile.
  bool taskHelpersAvailable(bool Storage) const;
  /// A helper memory argument covering a kptr field (KPTR-008).
  bool helperKptrMemArg(unsigned Id, CodeAddr Pc, VerifierState &St);
  /// bpf_get_current_task_btf, the task storage helpers and the
  /// local-storage map checks; none if not handled here, else whether
  /// the path goes on.
  std::optional<bool> doKptrHelper(unsigned Id, CodeAddr Pc, VerifierState &St);

  // Graph kfuncs past the lock check (GraphKfuncs.cpp).
  /// Loads and stores through an object from bpf_obj_new: 0 not one, 1
  /// done (Result set for loads), 2 the path stops.
  int accessAllocObj(const Insn &I, const RegState &Base, const RegState *Value,
                     RegState &Result);
  /// A graph kfunc whose root passed the lock check.
  bool doGraphKfunc(const std::string &Name, CodeAddr Pc, VerifierState &St,
                    const GraphRootField &Root);
  /// bpf_refcount_acquire_impl: a new owning reference (GRAPH-024).
  bool doRefcountAcquire(CodeAddr Pc, VerifierState &St);
  /// A root argument that is no root of the kfunc's kind (GRAPH-014);
  /// true if reported.
  bool badGraphRoot(const std::string &Name, bool Rbtree, CodeAddr Pc,
                    const VerifierState &St);
  /// bpf_percpu_obj_new_impl (GRAPH-010) and bpf_percpu_obj_drop_impl.
  bool doPercpuObjNew(CodeAddr Pc, VerifierState &St);
  bool doPercpuObjDrop(CodeAddr Pc, VerifierState &St);
  /// bpf_spin_unlock: non-owning references become invalid.
  void invalidateNonOwning(VerifierState &St);
  /// bpf_obj_drop of a non-owning reference (GRAPH-013); true if reported.
  bool dropNonOwning(CodeAddr Pc, const VerifierState &St);
  /// The kfuncs the interpreter models: bpf_obj_new/drop and the lock
  /// check of the graph kfuncs' root argument.
  bool doKfunc(const std::string &Name, CodeAddr Pc, VerifierState &St);

  // Dynptrs.cpp: ring buffer and local dynptrs in stack slots.
  /// The dynptr helpers (reserve/submit/discard_dynptr, dynptr_from_mem,
  /// dynptr_read/write). Sets Handled unless Id is none of them; returns
  /// false when the path ends.
  bool doDynptrHelper(unsigned Id, CodeAddr Pc, VerifierState &St,
                      bool &Handled);
  /// A load or store of the program touching a dynptr's stack slots or
  /// going through a CONST_PTR_TO_DYNPTR; true if the path ended.
  bool dynptrAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                    unsigned RegNo, bool IsStore, VerifierState &St);
  /// A helper reading (Dir 0), writing (1) or using in an unknown way (-1)
  /// Size bytes of stack memory at Ptr (argument RegNo, Size 0: unknown)
  /// that overlap a dynptr; true if the path ended.
  bool helperMemTouchesDynptr(unsigned RegNo, const RegState &Ptr,
                              unsigned Size, int Dir, CodeAddr Pc,
                              VerifierState &St);
  /// The bpf_dynptr_slice(_rdwr) kfuncs: none if Name is neither, else
  /// whether the path goes on.
  std::optional<bool> doDynptrSliceKfunc(const std::string &Name, CodeAddr Pc,
                                         VerifierState &St);
  /// "a ring buffer dynptr" if the first reference held is one, else "a
  /// ring buffer record".
  static std::string heldRefKind(const VerifierState &St);
  /// Releases the ring buffer dynptr holding reference RefId.
  void releaseDynptr(VerifierState &St, uint32_t RefId);
  /// The main program's exit with a ring buffer dynptr held (RB-018).
  void reportDynptrLeak(CodeAddr Pc, const VerifierState &St);

  // ResLocks.cpp: bpf_res_spin_lock[_irqsave], bpf_local_irq_save/restore.
  static bool isResLockKfunc(llvm::StringRef Name);
  /// Returns false when the path ends.
  bool doResLockKfunc(llvm::StringRef Name, CodeAddr Pc, VerifierState &St);
  /// A call (helper, kfunc Kfunc if not empty, or bpf-to-bpf) while a res
  /// lock is held or an IRQ flag saved; true if the path ended.
  bool callUnderResLock(CodeAddr Pc, llvm::StringRef Kfunc, bool Helper,
                        VerifierState &St);
  /// process_spin_lock's verdict on a lock argument in a map value whose
  /// BTF is clear: a lock in .rodata (COM-006), or at another offset than
  /// the value's one lock (LOCK-009); true if it reported.
  bool lockArgRejected(const RegState &Arg, bool Res, CodeAddr Pc,
                       llvm::StringRef Fn, VerifierState &St);
  // LockArgs.cpp: what the kernel's maps and program BTF do not have.
  /// The map's name as the verifier prints it, for Finding::Args (none
  /// for the maps libbpf names after the object).
  static std::vector<std::string> mapNameArg(const MapDef &M);
  /// process_spin_lock before the lock's offset: a variable offset
  /// (LOCK-008), a map without BTF (LOCK-001/002/004/005), a record without
  /// a lock (LOCK-006, GRAPH-001/002 "global"). True if the path ended.
  bool lockArgWithoutLock(const RegState &Arg, CodeAddr Pc, llvm::StringRef Fn,
                          VerifierState &St);
  /// bpf_obj_new when the kernel rejects the program's BTF for a graph
  /// rule (GRAPH-001..005); true if reported.
  bool objNewWithoutBtf(CodeAddr Pc, const VerifierState &St);
  /// A generic (graph) kfunc in a kprobe or socket filter program
  /// (GRAPH-008); true if reported.
  bool graphKfuncNotAllowed(const std::string &Name, CodeAddr Pc,
                            const VerifierState &St);
  // GraphAccess.cpp.
  /// A load or store overlapping a special field of an allocated object
  /// (GRAPH-025); true if reported.
  bool directFieldAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                         const VerifierState &St);
  /// bpf_obj_new of a type id that is not a struct (GRAPH-009).
  bool objNewNotStruct(CodeAddr Pc, const VerifierState &St);
  /// The less() callback Cb of bpf_rbtree_add (called at Pc) unlocking or
  /// calling bpf_rbtree_remove/left/right (LOCK-025, GRAPH-023).
  bool rbtreeCallbackRejected(const RegState &Cb, CodeAddr Pc,
                              const VerifierState &St);
  /// A graph kfunc on a root in a global section whose record has no
  /// lock (GRAPH-003 "global"); true if reported.
  bool rootNotFound(const std::string &Name, bool Rbtree, CodeAddr Pc,
                    const VerifierState &St);
  /// An exit while a res lock is held or an IRQ flag saved; true if the
  /// path ended.
  bool exitUnderResLock(CodeAddr Pc, bool MainExit, VerifierState &St);

  // MemBounds.cpp: pointer offsets and the bounds of memory accesses.
  /// Arithmetic on a ring buffer record that may be NULL (RB-007); true
  /// if reported.
  bool nullablePtrArith(const Insn &I, CodeAddr Pc, const RegState &Ptr,
                        VerifierState &St);
  /// Ptr +/- Delta, Delta not an exact constant: Ptr keeps the variable
  /// offset's range, checked as check_reg_sane_offset does. False when the
  /// path ends.
  bool addVarOff(const Insn &I, CodeAddr Pc, RegState &Ptr, const Scalar &Delta,
                 bool Sub, VerifierState &St);
  /// A load, store or atomic through a ring buffer record outside the
  /// reservation (RB-008); true if the path ended.
  bool memOutOfBounds(const Insn &I, CodeAddr Pc, const RegState &Base,
                      unsigned RegNo, VerifierState &St);
  /// The memory and size arguments of helper Id (RB-008, RB-015); false
  /// when the path ends.
  bool helperMemArgs(unsigned Id, CodeAddr Pc, VerifierState &St);
  /// Whether the kernel bounds helper Id's result (do_refine_retval_range).
  static bool refinedRetval(unsigned Id);

  // Callbacks.cpp: bpf_loop, bpf_for_each_map_elem, bpf_user_ringbuf_drain.
  static bool isCallbackHelper(unsigned Id);
  /// Pushes the callback's frame (NextPc) and queues the path on which
  /// the callback is not called; false when the path ends.
  bool doCallbackHelper(unsigned Id, CodeAddr Pc, VerifierState &St);
  /// The exit of a callback frame: return value range, references
  /// acquired in it, then back to the helper call; false when the path
  /// ends.
  bool callbackExit(CodeAddr &Pc, VerifierState &St);
  /// Set by doCallbackHelper: where the path continues.
  std::optional<CodeAddr> NextPc;

  void report(Rule Kind, CodeAddr At, std::string What,
              std::vector<FindingNote> Notes, const VerifierState &St,
              llvm::StringRef Variant = "", std::vector<std::string> Args = {});
  /// Notes on where the held lock was taken and where each held reference
  /// was acquired.
  std::vector<FindingNote> heldNotes(const VerifierState &St, bool Lock,
                                     bool Refs) const;
  /// "R1 = ringbuf_mem_or_null(id=1,ref_obj_id=1)": the abstract state of
  /// the register the kernel complains about.
  FindingNote regNote(CodeAddr At, unsigned RegNo, const RegState &R) const {
    return {At, "R" + std::to_string(RegNo) + " = " + R.str(Obj)};
  }
  static std::vector<FindingNote> withNote(std::vector<FindingNote> Notes,
                                           FindingNote N) {
    Notes.push_back(std::move(N));
    return Notes;
  }
  void addPathNotes(std::vector<FindingNote> &Notes,
                    const VerifierState &St) const;
  std::string lockDescription(const LockState &L) const;

  const BpfObject &Obj;
  const InterpreterOptions &Opts;
  ProgramResult &Res;
  RegLiveness Liveness;
  llvm::DenseSet<uint64_t> Leaders;
  /// A state remembered at a prune point, with how often it pruned a later
  /// state (Hit) or failed to (Miss).
  struct SeenState {
    VerifierState St;
    unsigned Hit = 0, Miss = 0;
  };
  llvm::DenseMap<uint64_t, std::vector<SeenState>> Seen;
  std::vector<std::pair<CodeAddr, VerifierState>> Work;
  uint64_t Steps = 0;
  bool Exhausted = false;
  bool TooManyBranches = false;
  /// Steps at which a state was last remembered for pruning.
  uint64_t LastStored = 0;
  std::set<std::pair<unsigned, uint64_t>> Reported;
  /// specialFields() of allocated object types, by BTF id.
  mutable std::map<uint32_t, SpecialFields> AllocFields;
};

} // namespace bpflint::bc::detail

#endif
