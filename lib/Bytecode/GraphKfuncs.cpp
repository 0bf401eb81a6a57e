//===- GraphKfuncs.cpp - Graph kfuncs past the lock check -----------------===//
//
// The kernel's ownership model for objects from bpf_obj_new in lists and
// rbtrees (6.4+): bpf_list_push_*_impl and bpf_rbtree_add_impl take the
// owning reference and leave a non-owning one, valid until the unlock;
// bpf_list_pop_* and bpf_rbtree_remove return an owning NULL-able node,
// bpf_rbtree_first and bpf_list_front/back a non-owning one. Also plain
// loads and stores through such objects (check_ptr_to_btf_access on
// MEM_ALLOC types of the program's BTF).
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

int Interp::accessAllocObj(const Insn &I, const RegState &Base,
                           const RegState *Value, RegState &Result) {
  if (Base.Type != RegType::AllocObj)
    return 0;
  const SpecialFields *F = fieldsOf(Base);
  uint32_t Size = Obj.btf().sizeOf(Base.BtfId);
  if (Base.MaybeNull || Base.VarOff || !F || !Size || Base.Percpu ||
      !Obj.btf().kernelAcceptsBtf()) {
    stop("access to an allocated object we cannot follow");
    return 2;
  }
  int64_t Lo = Base.Off + I.Off, Hi = Lo + I.accessSize();
  auto overlaps = [&](int64_t Off, int64_t Len) {
    return Lo < Off + Len && Off < Hi;
  };
  bool Special =
      (F->SpinLock && overlaps(*F->SpinLock, 4)) ||
      any_of(F->Roots,
             [&](const GraphRootField &R) { return overlaps(R.Off, 16); }) ||
      any_of(F->Nodes,
             [&](const GraphNodeField &N) {
               return overlaps(N.Off, N.Size ? N.Size : 32);
             }) ||
      any_of(F->Kptrs, [&](const SpecialFields::KptrField &K) {
        return overlaps(K.Off, 8);
      });
  if (Lo < 0 || Hi > int64_t(Size) || Special) {
    stop("access to a special field of an allocated object");
    return 2;
  }
  if (Value) {
    if (Value->Type != RegType::Scalar) {
      stop("store of a pointer into an allocated object");
      return 2;
    }
    return 1;
  }
  Scalar V = Scalar::unknownOfSize(I.accessSize());
  if (!Obj.btf().scalarMemberAt(Base.BtfId, uint64_t(Lo), I.accessSize()) ||
      I.mode() == ModeMemSX)
    V = Scalar::imprecise();
  Result = RegState::scalar(V);
  return 1;
}

void Interp::invalidateNonOwning(VerifierState &St) {
  // invalidate_non_owning_refs: mark_reg_invalid (an unknown scalar for
  // privileged programs).
  St.forEachReg([&](RegState &R) {
    if (R.Type != RegType::AllocObj || !R.NonOwning)
      return;
    uint32_t BtfId = R.BtfId;
    R = RegState();
    R.Type = RegType::Released;
    R.NonOwning = true;
    R.BtfId = BtfId;
  });
}

bool Interp::dropNonOwning(CodeAddr Pc, const VerifierState &St) {
  const RegState &Ptr = St.cur().Regs[1];
  if (Ptr.Type == RegType::AllocObj && Ptr.Percpu && !Ptr.MaybeNull &&
      !Ptr.VarOff && Ptr.Off == 0 && Ptr.RefObjId) {
    report(Rule::GraphDropNonOwning, Pc,
           "bpf_obj_drop is given in R1 an object from bpf_percpu_obj_new",
           {regNote(Pc, 1, Ptr)}, St, "kind");
    return true;
  }
  // check_func_arg_reg_off: a released pointer must point at the object.
  if (Ptr.Type == RegType::AllocObj && !Ptr.NonOwning && !Ptr.MaybeNull &&
      !Ptr.VarOff && Ptr.Off != 0 && Ptr.RefObjId) {
    report(Rule::GraphDropOffsetPointer, Pc,
           "bpf_obj_drop is given a pointer " + std::to_string(Ptr.Off) +
               " bytes into the object (e.g. to its node), not the object",
           {regNote(Pc, 1, Ptr)}, St);
    return true;
  }
  // A released or invalidated object is a scalar to the kernel: "R1 must
  // be referenced or trusted" (confirmed on 6.18 for both).
  if (Ptr.Type == RegType::Released && Ptr.BtfId &&
      Ptr.Trust == PtrTrust::None && Opts.Kernel >= KernelVersion(6, 4)) {
    if (Ptr.NonOwning)
      report(Rule::GraphDropNonOwning, Pc,
             "bpf_obj_drop is given in R1 a non-owning reference (a node in a "
             "list or tree) that the unlock invalidated",
             {regNote(Pc, 1, Ptr)}, St);
    else
      report(Rule::GraphDoubleDrop, Pc,
             "bpf_obj_drop is given in R1 an object that was already dropped",
             {regNote(Pc, 1, Ptr)}, St);
    return true;
  }
  if (Ptr.Type != RegType::AllocObj || !Ptr.NonOwning || Ptr.MaybeNull ||
      Ptr.VarOff || Ptr.Off != 0 || Opts.Kernel < KernelVersion(6, 4))
    return false;
  report(Rule::GraphDropNonOwning, Pc,
         "bpf_obj_drop is given in R1 a non-owning reference (a node in a "
         "list or tree)",
         {regNote(Pc, 1, Ptr)}, St);
  return true;
}

bool Interp::badGraphRoot(const std::string &Name, bool Rbtree, CodeAddr Pc,
                          const VerifierState &St) {
  // check_kfunc_args (KF_ARG_PTR_TO_LIST_HEAD / RB_ROOT): first the
  // register type, then __process_kf_arg_ptr_to_graph_root's field lookup.
  const RegState &Root = St.cur().Regs[1];
  const char *Kind = Rbtree ? "bpf_rb_root" : "bpf_list_head";
  if (Root.Type == RegType::Stack) {
    report(Rule::GraphRootInvalid, Pc,
           Name + " is given a pointer to the stack as its " + Kind,
           {regNote(Pc, 1, Root)}, St, "not-allocation", {"0"});
    return true;
  }
  // A non-owning reference (NON_OWN_REF) is not exactly an allocated
  // object to the type check.
  if (Root.Type == RegType::AllocObj && Root.NonOwning && !Root.MaybeNull) {
    report(Rule::GraphRootInvalid, Pc,
           Name + " is given as its " + Kind +
               " a field of a non-owning reference (a node in a list or "
               "tree), not of an owned object",
           {regNote(Pc, 1, Root)}, St, "not-allocation", {"0"});
    return true;
  }
  bool IsAlloc = Root.Type == RegType::AllocObj;
  if ((Root.Type != RegType::MapValue && !IsAlloc) || Root.MaybeNull ||
      Root.VarOff || (IsAlloc && (!Root.RefObjId || Root.NonOwning)) ||
      !Obj.btf().kernelAcceptsBtf())
    return false;
  const SpecialFields *F = fieldsOf(Root);
  if (!F || !F->SpinLock || !F->kptrTagsValid() || Root.Off < 0)
    return false;
  // Roots in arrays (6.14+) are not in F: only an offset that holds
  // another special field we know of surely has no root of this kind.
  bool OtherField = (F->SpinLock && int64_t(*F->SpinLock) == Root.Off) ||
                    any_of(F->Roots, [&](const GraphRootField &R) {
                      return int64_t(R.Off) == Root.Off && R.Rbtree != Rbtree;
                    });
  if (!OtherField)
    return false;
  report(Rule::GraphRootInvalid, Pc,
         Name + " is given offset " + std::to_string(Root.Off) +
             " of an allocation, which holds another special field, not a " +
             Kind,
         {regNote(Pc, 1, Root)}, St);
  return true;
}

bool Interp::doPercpuObjNew(CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  std::optional<uint32_t> Local = localStructArg(Regs[1]);
  if (Opts.Kernel < KernelVersion(6, 7) || !Obj.btf().kernelAcceptsBtf() ||
      !Local) {
    stop("bpf_percpu_obj_new_impl with a type we cannot follow");
    return false;
  }
  uint32_t BtfId = *Local;
  std::string Type = Obj.btf().typeName(BtfId);
  // check_kfunc_call, in this order: size, special fields, scalars only.
  uint32_t Size = Obj.btf().sizeOf(BtfId);
  if (Size > 512) {
    report(Rule::GraphPercpuObjNewType, Pc,
           "bpf_percpu_obj_new of " + Type + ", which is " +
               std::to_string(Size) + " bytes (at most 512)",
           {}, St);
    return false;
  }
  RegState Probe;
  Probe.Type = RegType::AllocObj;
  Probe.BtfId = BtfId;
  const SpecialFields *F = fieldsOf(Probe);
  if (F && (F->SpinLock || !F->Roots.empty() || !F->Nodes.empty() ||
            !F->Kptrs.empty())) {
    report(Rule::GraphPercpuObjNewType, Pc,
           "bpf_percpu_obj_new of " + Type + ", which has special fields", {},
           St, "special");
    return false;
  }
  if (!Obj.btf().isScalarStruct(BtfId)) {
    report(Rule::GraphPercpuObjNewType, Pc,
           "bpf_percpu_obj_new of " + Type +
               ", which is not a struct of scalars",
           {}, St, "scalars");
    return false;
  }
  acquireAllocObj(St, Pc, BtfId, /*MaybeNull=*/true, /*Percpu=*/true);
  return true;
}

bool Interp::doPercpuObjDrop(CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  const RegState &Ptr = Regs[1];
  if (Opts.Kernel < KernelVersion(6, 7) || Ptr.Type != RegType::AllocObj ||
      Ptr.MaybeNull || Ptr.VarOff || Ptr.Off != 0 || !Ptr.RefObjId ||
      Ptr.NonOwning) {
    stop("bpf_percpu_obj_drop_impl with an argument we cannot follow");
    return false;
  }
  if (!Ptr.Percpu) {
    report(Rule::GraphDropNonOwning, Pc,
           "bpf_percpu_obj_drop is given in R1 an object from bpf_obj_new",
           {regNote(Pc, 1, Ptr)}, St, "kind");
    return false;
  }
  releaseRef(St, Ptr.RefObjId);
  clobberCallerSaved(St);
  Regs[0] = RegState();
  return true;
}

bool Interp::doRefcountAcquire(CodeAddr Pc, VerifierState &St) {
  auto &Regs = St.cur().Regs;
  RegState Obj0 = Regs[1];
  // A refcounted object loaded from a local kptr field (KptrAccess.cpp):
  // MEM_ALLOC | MEM_RCU | NON_OWN_REF to the kernel.
  if (Obj0.Type == RegType::KernelObj && Obj0.Trust == PtrTrust::Rcu &&
      Obj0.KptrOff >= 0 && isLocalType(Obj0.BtfId)) {
    Obj0.Type = RegType::AllocObj;
    Obj0.NonOwning = true;
  }
  // KF_ARG_PTR_TO_REFCOUNTED_KPTR: an owning or non-owning reference to a
  // type whose record has a bpf_refcount.
  if (Opts.Kernel < KernelVersion(6, 4) || Obj0.Type != RegType::AllocObj ||
      Obj0.MaybeNull || Obj0.VarOff || Obj0.Off != 0 ||
      (!Obj0.RefObjId && !Obj0.NonOwning) || !Obj.btf().kernelAcceptsBtf()) {
    stop("bpf_refcount_acquire_impl with an argument we cannot follow");
    return false;
  }
  const SpecialFields *F = fieldsOf(Obj0);
  if (!F) {
    stop("bpf_refcount_acquire_impl with an argument we cannot follow");
    return false;
  }
  bool HasRefcount = any_of(F->Nodes, [](const GraphNodeField &N) {
    return N.Kind == GraphNodeField::Refcount;
  });
  if (!HasRefcount) {
    // No special field at all: the kernel has no btf_record for the type
    // (6.18: a verifier_bug message). Fields bpflint does not collect
    // (timers, workqueues) would give it one: then we cannot tell.
    bool NoRecord = !F->SpinLock && F->Roots.empty() && F->Nodes.empty() &&
                    F->Kptrs.empty();
    if (NoRecord && Opts.Kernel < KernelVersion(6, 18)) {
      stop("bpf_refcount_acquire_impl on a type without special fields");
      return false;
    }
    report(Rule::GraphRefcountNoField, Pc,
           "bpf_refcount_acquire of " + Obj.btf().typeName(Obj0.BtfId) +
               ", which has no struct bpf_refcount field",
           {regNote(Pc, 1, Obj0)}, St, NoRecord ? "no-record" : "");
    return false;
  }
  // The result is NULL-able unless the argument is an owning reference
  // (confirmed on 6.18: dropping it unchecked is accepted).
  bool MaybeNull = !Obj0.RefObjId;
  uint32_t BtfId = Obj0.BtfId;
  acquireAllocObj(St, Pc, BtfId, MaybeNull);
  return true;
}

bool Interp::doGraphKfunc(const std::string &Name, CodeAddr Pc,
                          VerifierState &St, const GraphRootField &Root) {
  auto &Regs = St.cur().Regs;
  if (Opts.Kernel < KernelVersion(6, 4) || !Root.ValueType) {
    stop("graph kfunc " + Name + " on a root we cannot follow further");
    return false;
  }
  RegState Probe;
  Probe.Type = RegType::AllocObj;
  Probe.BtfId = Root.ValueType;
  const SpecialFields *VF = fieldsOf(Probe);
  const GraphNodeField *NF = VF ? VF->nodeAt(Root.NodeOff) : nullptr;
  if (!NF || NF->Kind != (Root.Rbtree ? GraphNodeField::Rbtree
                                      : GraphNodeField::List)) {
    stop("graph kfunc " + Name + " on a root whose node we cannot follow");
    return false;
  }
  std::string ValueName = Obj.btf().typeName(Root.ValueType);
  auto isNodeOfRoot = [&](const RegState &N) {
    return N.Type == RegType::AllocObj && !N.MaybeNull && !N.VarOff &&
           N.Off == int64_t(Root.NodeOff) &&
           Obj.btf().typeName(N.BtfId) == ValueName;
  };
  StringRef N(Name);
  if (N == "bpf_list_push_front_impl" || N == "bpf_list_push_back_impl" ||
      N == "bpf_rbtree_add_impl") {
    const RegState &Node = Regs[2];
    if (isNodeOfRoot(Node) && Node.NonOwning) {
      report(Rule::GraphInsertNonOwning, Pc,
             Name + " is given in R2 a non-owning reference: the node is "
                    "already in a list or tree",
             {regNote(Pc, 2, Node)}, St);
      return false;
    }
    if (Node.Type == RegType::Released && Node.BtfId && !Node.NonOwning &&
        Node.Trust == PtrTrust::None) {
      report(Rule::GraphUseAfterDrop, Pc,
             Name + " is given in R2 an object that was already dropped or "
                    "inserted",
             {regNote(Pc, 2, Node)}, St, "insert");
      return false;
    }
    // __process_kf_arg_ptr_to_graph_node: an owning reference at a node
    // field of the right kind, of the root's type, at the root's node.
    const SpecialFields *NodeFields =
        Node.Type == RegType::AllocObj ? fieldsOf(Node) : nullptr;
    const GraphNodeField *At =
        NodeFields && !Node.VarOff ? NodeFields->nodeAt(Node.Off) : nullptr;
    if (At && At->Kind == NF->Kind && !Node.MaybeNull && Node.RefObjId &&
        !Node.NonOwning) {
      const char *RootKind = Root.Rbtree ? "bpf_rb_root" : "bpf_list_head";
      const char *NodeKind = Root.Rbtree ? "bpf_rb_node" : "bpf_list_node";
      std::string NodeType = Obj.btf().typeName(Node.BtfId);
      if (NodeType != ValueName) {
        report(Rule::GraphWrongNodeType, Pc,
               Name + " on a " + RootKind + " of " + ValueName +
                   " is given in R2 the " + NodeKind + " at offset " +
                   std::to_string(Node.Off) + " of " + NodeType,
               {regNote(Pc, 2, Node)}, St);
        return false;
      }
      if (Node.Off != int64_t(Root.NodeOff)) {
        report(Rule::GraphWrongNodeType, Pc,
               Name + " is given in R2 the " + NodeKind + " at offset " +
                   std::to_string(Node.Off) + " of " + NodeType +
                   ", but the root holds its " + NodeKind + " at offset " +
                   std::to_string(Root.NodeOff),
               {regNote(Pc, 2, Node)}, St, "field");
        return false;
      }
    }
    if (!isNodeOfRoot(Node) || !Node.RefObjId ||
        none_of(St.Refs,
                [&](const RefState &R) { return R.Id == Node.RefObjId; })) {
      stop(Name + " with a node we cannot follow");
      return false;
    }
    // ref_convert_owning_non_owning, then the reference is released.
    uint32_t Ref = Node.RefObjId;
    erase_if(St.Refs, [&](const RefState &R) { return R.Id == Ref; });
    St.forEachReg([&](RegState &R) {
      if (R.Type == RegType::AllocObj && R.RefObjId == Ref) {
        R.RefObjId = 0;
        R.NonOwning = true;
      }
    });
    clobberCallerSaved(St);
    Regs[0] = RegState::scalar(Scalar::unknown());
    return true;
  }
  bool Owning;
  if (N == "bpf_list_pop_front" || N == "bpf_list_pop_back") {
    Owning = true;
  } else if (N == "bpf_rbtree_remove") {
    // The node must be a non-owning reference of the root's type.
    if (!isNodeOfRoot(Regs[2]) || !Regs[2].NonOwning) {
      stop(Name + " with a node we cannot follow");
      return false;
    }
    Owning = true;
  } else if (N == "bpf_rbtree_first" || N == "bpf_list_front" ||
             N == "bpf_list_back") {
    Owning = false;
  } else {
    stop("graph kfunc " + Name + " (not modelled past the lock check)");
    return false;
  }
  clobberCallerSaved(St);
  RegState R0;
  R0.Type = RegType::AllocObj;
  R0.MaybeNull = true;
  R0.BtfId = Root.ValueType;
  R0.Off = Root.NodeOff;
  R0.Id = St.freshId();
  if (Owning) {
    R0.RefObjId = R0.Id;
    RefState Ref;
    Ref.Id = R0.Id;
    Ref.AllocAt = Pc;
    Ref.Alloc = true;
    St.Refs.push_back(Ref);
  } else {
    R0.NonOwning = true;
  }
  Regs[0] = R0;
  return true;
}

} // namespace bpflint::bc::detail
