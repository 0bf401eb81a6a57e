//===- LockArgs.cpp - Locks and roots the kernel's maps do not have ------===//
//
// What the kernel knows of a map's special fields depends on how libbpf
// could create it (BtfRecords.cpp):
//
//  - a program BTF the kernel rejects (a struct with two locks, a graph
//    root without __contains, ...: btf_parse_struct_metas) is dropped by
//    libbpf: every map is created without BTF and bpf_obj_new has no
//    program BTF ("requires prog BTF");
//  - a map defined with key_size/value_size has no BTF value type, and a
//    map type that cannot hold a lock fails with its BTF, so libbpf creates
//    it without: process_spin_lock's "map '%s' has to have BTF";
//  - a value or global section whose record fails to parse has no special
//    fields: "map '%s' has no valid bpf_spin_lock", or "bpf_list_head not
//    found at offset=%u" for a graph kfunc.
//
// process_spin_lock checks the constant offset first (LOCK-008), then the
// map's BTF, then the record's lock, then its offset (ResLocks.cpp).
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Model/ProgramType.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {
using Problem = BtfRecordProblem;

bool appliesTo(const Problem &P, KernelVersion K) {
  return K >= KernelVersion(P.SinceMaj, P.SinceMin);
}

// Map types whose creation with a lock in the value fails (map_check_btf:
// -EOPNOTSUPP) and that libbpf then creates without BTF.
bool lockMapTypeRetriedWithoutBtf(uint32_t Type) {
  return Type == 5 || Type == 6 || Type == 9 || Type == 10;
}
} // namespace

std::vector<std::string> Interp::mapNameArg(const MapDef &M) {
  // libbpf names the maps of .data, .rodata, .bss and .kconfig after the
  // object ("prefix.rodata"); the kernel keeps 15 characters of a name.
  if (M.IsDataSection && (M.Name == ".data" || M.Name == ".rodata" ||
                          M.Name == ".bss" || M.Name == ".kconfig"))
    return {};
  return {M.Name.substr(0, 15)};
}

bool Interp::lockArgWithoutLock(const RegState &Arg, CodeAddr Pc, StringRef Fn,
                                VerifierState &St) {
  if (Arg.Type != RegType::MapValue || Arg.MaybeNull || Arg.MapIndex < 0 ||
      size_t(Arg.MapIndex) >= Obj.maps().size() || !Obj.btf().hasTypes())
    return false;
  const MapDef &M = Obj.maps()[Arg.MapIndex];
  if (Arg.VarOff) {
    if (!Arg.VarOffSure)
      return false;
    report(Rule::LockVariableOffset, Pc,
           Fn.str() + " is given a pointer into a value of map '" + M.Name +
               "' at a variable offset",
           {regNote(Pc, 1, Arg)}, St);
    return true;
  }
  const BtfInfo &Btf = Obj.btf();
  std::string Lock = Fn.str() + " on map '" + M.Name + "', ";

  // The map has no BTF in the kernel.
  if (!Btf.kernelAcceptsBtf()) {
    const Problem &P = Btf.structMetaProblem();
    if (!P) {
      // The BTF itself is refused (GCC's encodings): the lock must be the
      // value's one, as before.
      if (!validLockArg(Arg))
        return false;
      report(Rule::LockMapWithoutBtf, Pc,
             Fn.str() + " on a lock in map '" + M.Name +
                 "', which is created without BTF: the kernel rejects the "
                 "object's BTF (" +
                 Btf.kernelProblem().str() + ")",
             {}, St, "", mapNameArg(M));
      return true;
    }
    if (!appliesTo(P, Opts.Kernel)) {
      stop("lock in a map of an object whose BTF older kernels accept");
      return true;
    }
    Rule R = P.Kind == Problem::MultipleLocks    ? Rule::LockMultipleInValue
             : P.Kind == Problem::LockAndResLock ? Rule::LockAndResLockInValue
                                                 : Rule::LockMapWithoutBtf;
    report(R, Pc,
           Lock +
               "which is created without BTF: the kernel rejects the "
               "object's BTF, since " +
               P.What,
           {}, St, "", mapNameArg(M));
    return true;
  }
  if (!M.Btf.HasBtf || M.IsInnerMeta)
    return false;
  if (!M.IsDataSection && !M.Btf.ValueTypeId) {
    report(Rule::LockMapWithoutBtf, Pc,
           Lock + "which is defined with key_size/value_size: it has no BTF "
                  "value type",
           {}, St, "", mapNameArg(M));
    return true;
  }
  if (M.IsDataSection && StringRef(M.Name).starts_with(".rodata"))
    return false; // COM-006 (lockArgRejected).
  const BtfKernelRecord &Rec = M.Btf.Record;
  if (Rec.Problem.Kind == Problem::Unknown)
    return false;
  if (!M.IsDataSection && Rec.Problem.Kind == Problem::None && Rec.SpinLock &&
      !Rec.Others && lockMapTypeRetriedWithoutBtf(M.Btf.MapType) &&
      appliesTo(Rec.Problem, Opts.Kernel)) {
    report(Rule::LockMapType, Pc,
           Lock + "a " + mapTypeName(MapType(M.Btf.MapType)).str() +
               ", which cannot hold a bpf_spin_lock: creating it with BTF "
               "fails and libbpf creates it without",
           {}, St, "", mapNameArg(M));
    return true;
  }
  // The record has no lock.
  if (Rec.Problem) {
    if (!appliesTo(Rec.Problem, Opts.Kernel) || !M.IsDataSection ||
        (Rec.Problem.Kind != Problem::RootWithoutContains &&
         Rec.Problem.Kind != Problem::ContainsInvalid)) {
      stop(Fn.str() + " on a map whose record the kernel fails to parse");
      return true;
    }
    report(Rec.Problem.Kind == Problem::RootWithoutContains
               ? Rule::GraphRootWithoutContains
               : Rule::GraphContainsInvalid,
           Pc,
           Lock + "whose special fields the kernel drops: " +
               Btf.typeName(Rec.Problem.TypeId) + " " + Rec.Problem.What,
           {}, St, "global", mapNameArg(M));
    return true;
  }
  // Other fields may make the map's creation fail in other map types.
  bool AnyFieldAllowed =
      M.IsDataSection || M.Btf.MapType == 1 || M.Btf.MapType == 2;
  if (Rec.SpinLock || (Rec.Others && !AnyFieldAllowed))
    return false;
  report(Rule::LockNoLockInValue, Pc,
         Lock + "whose value has no bpf_spin_lock field", {regNote(Pc, 1, Arg)},
         St, "", mapNameArg(M));
  return true;
}

bool Interp::objNewWithoutBtf(CodeAddr Pc, const VerifierState &St) {
  const BtfInfo &Btf = Obj.btf();
  const Problem &P = Btf.structMetaProblem();
  const RegState &Type = St.cur().Regs[1];
  if (Btf.kernelAcceptsBtf() || !P || !appliesTo(P, Opts.Kernel) ||
      Type.Type != RegType::Scalar || !Type.Val.isConst() || Type.Val.Imprecise)
    return false;
  Rule R;
  switch (P.Kind) {
  case Problem::RootWithoutContains:
    R = Rule::GraphRootWithoutContains;
    break;
  case Problem::ContainsInvalid:
    R = Rule::GraphContainsInvalid;
    break;
  case Problem::RootWithoutLock:
    R = Rule::GraphRootWithoutLock;
    break;
  case Problem::NodeWithoutRefcount:
    R = Rule::GraphNodeWithoutRefcount;
    break;
  case Problem::OwnershipCycle:
    R = Rule::GraphOwnershipCycle;
    break;
  default:
    return false;
  }
  report(R, Pc,
         "bpf_obj_new without program BTF: the kernel rejects the object's "
         "BTF, since " +
             P.What,
         {}, St);
  return true;
}

bool Interp::rootNotFound(const std::string &Name, bool Rbtree, CodeAddr Pc,
                          const VerifierState &St) {
  const RegState &Root = St.cur().Regs[1];
  if (Root.Type != RegType::MapValue || Root.MaybeNull || Root.VarOff ||
      Root.Off < 0 || Root.MapIndex < 0 ||
      size_t(Root.MapIndex) >= Obj.maps().size() ||
      !Obj.btf().kernelAcceptsBtf())
    return false;
  const MapDef &M = Obj.maps()[Root.MapIndex];
  if (!M.IsDataSection || StringRef(M.Name).starts_with(".rodata"))
    return false;
  const BtfKernelRecord &Rec = M.Btf.Record;
  if (Rec.Problem.Kind != Problem::RootWithoutLock ||
      !appliesTo(Rec.Problem, Opts.Kernel))
    return false;
  report(Rule::GraphRootWithoutLock, Pc,
         Name + " on global data section '" + M.Name +
             "', whose special fields the kernel drops: it " + Rec.Problem.What,
         {regNote(Pc, 1, Root)}, St, "global",
         {Rbtree ? "bpf_rb_root" : "bpf_list_head", std::to_string(Root.Off)});
  return true;
}

} // namespace bpflint::bc::detail

namespace bpflint::bc::detail {

bool Interp::graphKfuncNotAllowed(const std::string &Name, CodeAddr Pc,
                                  const VerifierState &St) {
  // The generic kfunc set (bpf_obj_new, the list and rbtree kfuncs) is
  // registered for tc, xdp, syscall, tracing (fentry...), struct_ops and
  // cgroup_skb programs (6.2-6.12; more later): kprobe and socket filter
  // programs surely have none of them (fetch_kfunc_meta, GRAPH-008).
  static const char *const Generic[] = {
      "bpf_obj_new_impl",          "bpf_percpu_obj_new_impl",
      "bpf_obj_drop_impl",         "bpf_percpu_obj_drop_impl",
      "bpf_refcount_acquire_impl", "bpf_list_push_front_impl",
      "bpf_list_push_back_impl",   "bpf_list_pop_front",
      "bpf_list_pop_back",         "bpf_rbtree_remove",
      "bpf_rbtree_add_impl",       "bpf_rbtree_first",
  };
  if (!Res.Program || !is_contained(Generic, Name))
    return false;
  std::optional<ProgramSection> Prog =
      classifyProgramSection(Obj.codeSections()[Res.Program->Section].Name);
  if (!Prog ||
      (Prog->Type != ProgType::Kprobe && Prog->Type != ProgType::SocketFilter))
    return false;
  report(Rule::GraphKfuncProgramType, Pc,
         "a " + progTypeName(Prog->Type).str() + " program calls kfunc " +
             Name + ", which its program type does not have",
         {}, St, "", {Name});
  return true;
}

} // namespace bpflint::bc::detail
