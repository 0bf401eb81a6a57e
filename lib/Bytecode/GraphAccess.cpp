//===- GraphAccess.cpp - Allocated objects the kernel refuses -------------===//
//
// Kernel checks on allocated objects and graph kfuncs that come before the
// lock and ownership logic of GraphKfuncs.cpp:
//
//  - btf_struct_access: a load or store overlapping a field of the
//    object's record (lock, root, node, refcount) is refused, "direct
//    access to %s is disallowed" (GRAPH-025);
//  - check_kfunc_call: bpf_obj_new of a type id that is not a struct
//    (GRAPH-009);
//  - the less() callback of bpf_rbtree_add, verified with the tree's lock
//    held: bpf_spin_unlock there (LOCK-025), bpf_rbtree_remove/left/right
//    there (GRAPH-023 "cb-kfunc").
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

bool Interp::directFieldAccess(const Insn &I, CodeAddr Pc, const RegState &Base,
                               const VerifierState &St) {
  if (Base.Type != RegType::AllocObj || Base.MaybeNull || Base.VarOff ||
      Base.Percpu || !Obj.btf().kernelAcceptsBtf())
    return false;
  const SpecialFields *F = fieldsOf(Base);
  if (!F || !Obj.btf().structRecordValid(Base.BtfId))
    return false;
  int64_t Lo = Base.Off + I.Off, Hi = Lo + I.accessSize();
  if (Lo < 0 || Hi > int64_t(Obj.btf().sizeOf(Base.BtfId)))
    return false;
  // The kernel's sizes; the field with the lowest offset wins.
  std::optional<std::pair<int64_t, const char *>> First;
  auto consider = [&](int64_t Off, int64_t Len, const char *Name) {
    if (Lo < Off + Len && Off < Hi && (!First || Off < First->first))
      First = {Off, Name};
  };
  if (F->SpinLock)
    consider(*F->SpinLock, 4, "bpf_spin_lock");
  if (F->ResSpinLock)
    consider(*F->ResSpinLock, 4, "bpf_res_spin_lock");
  for (const GraphRootField &R : F->Roots)
    consider(R.Off, 16, R.Rbtree ? "bpf_rb_root" : "bpf_list_head");
  for (const GraphNodeField &N : F->Nodes)
    consider(N.Off,
             N.Kind == GraphNodeField::List     ? 24
             : N.Kind == GraphNodeField::Rbtree ? 32
                                                : 4,
             N.Kind == GraphNodeField::List     ? "bpf_list_node"
             : N.Kind == GraphNodeField::Rbtree ? "bpf_rb_node"
                                                : "bpf_refcount");
  // Kptrs: not modelled here.
  for (const SpecialFields::KptrField &K : F->Kptrs)
    consider(K.Off, 8, nullptr);
  if (!First || !First->second)
    return false;
  bool Store = I.Kind == InsnKind::Store;
  report(Rule::GraphDirectFieldAccess, Pc,
         std::string(Store ? "store to" : "load from") + " the " +
             First->second + " at offset " + std::to_string(First->first) +
             " of " + Obj.btf().typeName(Base.BtfId) +
             ", an object from bpf_obj_new",
         {}, St, "", {First->second});
  return true;
}

bool Interp::objNewNotStruct(CodeAddr Pc, const VerifierState &St) {
  const RegState &T = St.cur().Regs[1];
  if (Opts.Kernel < KernelVersion(6, 2) || !Obj.btf().kernelAcceptsBtf() ||
      T.Type != RegType::Scalar || !T.Val.isConst() || T.Val.Imprecise ||
      T.Val.constValue() == 0 || T.Val.constValue() > UINT32_MAX)
    return false;
  uint32_t Id = uint32_t(T.Val.constValue());
  // __btf_type_is_struct on the type itself (no modifiers skipped).
  std::optional<bool> IsStruct = Obj.btf().isStructKind(Id);
  if (!IsStruct || *IsStruct)
    return false;
  report(Rule::GraphObjNewType, Pc,
         "bpf_obj_new of " + Obj.btf().typeName(Id) + ", which is not a struct",
         {}, St);
  return true;
}

bool Interp::rbtreeCallbackRejected(const RegState &Cb, CodeAddr Pc,
                                    const VerifierState &St) {
  if (Cb.Type != RegType::Opaque || Cb.FuncSection < 0 || Cb.Off < 0 ||
      Opts.Kernel < KernelVersion(6, 3))
    return false;
  CodeAddr Target{unsigned(Cb.FuncSection), unsigned(Cb.Off)};
  const Function *F = function(Target);
  if (!F || F->FirstInsn != Target.Insn || F->Global)
    return false;
  // The first call of the callback, in instruction order: one the verifier
  // reaches (clang leaves no code that constants decide away).
  const CodeSection &S = section(Target);
  for (unsigned K = F->FirstInsn; K < F->FirstInsn + F->NumInsns; ++K) {
    const Insn &I = S.Insns[K];
    if (I.Kind != InsnKind::Call)
      continue;
    CodeAddr At{Target.Section, K};
    const Reloc *R = S.relocAt(K);
    if (I.isHelperCall() && I.Imm == 94) {
      report(Rule::LockInRbtreeCallback, At,
             "the less() callback '" + F->Name +
                 "' of bpf_rbtree_add calls bpf_spin_unlock",
             {{Pc, "bpf_rbtree_add is called here"}}, St);
      return true;
    }
    if (R && R->Kind == RelocKind::Kfunc &&
        (R->SymbolName == "bpf_rbtree_remove" ||
         R->SymbolName == "bpf_rbtree_left" ||
         R->SymbolName == "bpf_rbtree_right")) {
      report(Rule::GraphRbtreeCallbackNotStatic, At,
             "the less() callback '" + F->Name + "' of bpf_rbtree_add calls " +
                 R->SymbolName,
             {{Pc, "bpf_rbtree_add is called here"}}, St, "cb-kfunc",
             {R->SymbolName});
      return true;
    }
    return false;
  }
  return false;
}

} // namespace bpflint::bc::detail
