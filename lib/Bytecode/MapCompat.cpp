//===- MapCompat.cpp - Maps a program type may not use -------------------===//
//
// The kernel's check_map_prog_compatibility runs for every map an
// instruction of the program references (resolve_pseudo_ldimm64), before
// any path is verified. Modelled: a map whose value holds a bpf_spin_lock
// in a socket filter or tracing program (LOCK-024). Only where the facts
// are certain: the map is created with its BTF (a map type that keeps a
// spin lock, BTF the kernel accepts), the value has exactly one lock and
// no graph root (tracing programs are refused for roots first, GRAPH-007),
// and no res lock.
//
// Before that, libbpf creates every map of the object: a ring buffer map
// the kernel refuses to create fails every program of the object (RB-001).
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "bpflint/Model/MapModel.h"
#include "bpflint/Model/ProgramType.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {
// BPF_MAP_TYPE_* that keep a bpf_spin_lock in their value (map_check_btf).
// Any other type fails with its BTF and libbpf creates it without BTF, so
// the kernel sees no lock there.
bool keepsSpinLock(uint32_t MapType) {
  switch (MapType) {
  case 1:  // HASH
  case 2:  // ARRAY
  case 19: // CGROUP_STORAGE
  case 24: // SK_STORAGE
  case 28: // INODE_STORAGE
  case 29: // TASK_STORAGE
  case 32: // CGRP_STORAGE
    return true;
  default:
    return false;
  }
}
} // namespace

bool Interp::mapUsableByProgram(unsigned MapIndex, CodeAddr Pc,
                                const VerifierState &St) {
  if (!Res.Program || MapIndex >= Obj.maps().size())
    return true;
  std::optional<ProgramSection> Prog =
      classifyProgramSection(Obj.codeSections()[Res.Program->Section].Name);
  if (!Prog ||
      (Prog->Type != ProgType::SocketFilter && !isTracingProgType(Prog->Type)))
    return true;
  const MapDef &M = Obj.maps()[MapIndex];
  const SpecialFields &F = M.Btf.Fields;
  if (M.IsDataSection || M.IsInnerMeta || !M.Btf.HasBtf ||
      !Obj.btf().kernelAcceptsBtf() || !keepsSpinLock(M.Btf.MapType) ||
      !F.SpinLock || F.SpinLocks != 1 || F.ResSpinLocks || !F.Roots.empty())
    return true;
  report(Rule::LockProgramType, Pc,
         ("a " + progTypeName(Prog->Type) + " program uses map '" + M.Name +
          "', whose value holds a bpf_spin_lock")
             .str(),
         {}, St);
  return false;
}

bool Interp::mapsCreatable(CodeAddr Entry, const VerifierState &St) {
  constexpr uint32_t Ringbuf = 27, UserRingbuf = 31;
  for (const MapDef &M : Obj.maps()) {
    const BtfMapInfo &B = M.Btf;
    // map_check_btf: a local-storage map (which needs its BTF) whose value
    // holds a list head or rbtree root is refused (GRAPH-006, confirmed on
    // 6.18 for task storage).
    bool LocalStorage = B.MapType == 24 || B.MapType == 28 || B.MapType == 29 ||
                        B.MapType == 32;
    if (!M.IsDataSection && !M.IsInnerMeta && B.HasBtf && LocalStorage &&
        !B.Fields.Roots.empty() && Obj.btf().kernelAcceptsBtf()) {
      report(Rule::GraphMapType, Entry,
             "local-storage map '" + M.Name + "' (map type " +
                 std::to_string(B.MapType) +
                 ") holds a graph root in its value: the kernel refuses to "
                 "create it and libbpf fails to load the whole object",
             {}, St);
      return false;
    }
    if (M.IsDataSection || M.IsInnerMeta || !B.HasBtf ||
        (B.MapType != Ringbuf && B.MapType != UserRingbuf))
      continue;
    std::string Why = ringbufMapProblem(
        MapType(B.MapType), B.MaxEntries, B.KeySize || B.KeyTypeId,
        B.ValueSize || B.ValueTypeId, B.Flags, Opts.Kernel);
    if (Why.empty())
      continue;
    report(
        Rule::RingbufMapDefinition, Entry,
        std::string(B.MapType == Ringbuf ? "ring buffer" : "user ring buffer") +
            " map '" + M.Name + "' cannot be created: " + Why +
            "; libbpf then fails to load the whole object",
        {}, St);
    return false;
  }
  return true;
}

} // namespace bpflint::bc::detail
