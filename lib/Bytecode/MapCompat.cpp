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
#include "bpflint/Model/LockRules.h"
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
  if (isTracingProgType(Prog->Type) && graphRootInTracing(M, Pc, St))
    return false;
  const SpecialFields &F = M.Btf.Fields;
  if (M.IsDataSection || M.IsInnerMeta || !M.Btf.HasBtf ||
      !Obj.btf().kernelAcceptsBtf() || !keepsSpinLock(M.Btf.MapType) ||
      !F.SpinLock || F.SpinLocks != 1 || F.ResSpinLocks || !F.Roots.empty())
    return true;
  report(Rule::LockProgramType, Pc,
         ("a " + progTypeName(Prog->Type) + " program uses map '" + M.Name +
          "', whose value holds a bpf_spin_lock")
             .str(),
         {}, St, "", {lockForbiddenProgramKind(Prog->Type).str()});
  return false;
}

bool Interp::mapsCreatable(CodeAddr Entry, const VerifierState &St) {
  constexpr uint32_t Ringbuf = 27, UserRingbuf = 31;
  for (const MapDef &M : Obj.maps()) {
    const BtfMapInfo &B = M.Btf;
    if (graphRootInStorageMap(M, Entry, St))
      return false;
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
        {}, St, "", {M.Name});
    return false;
  }
  return true;
}

bool Interp::graphRootInTracing(const MapDef &M, CodeAddr Pc,
                                const VerifierState &St) {
  // The map's record as the kernel has it: created with BTF, in a map
  // type that may hold a root.
  const BtfMapInfo &B = M.Btf;
  const BtfKernelRecord &R = B.Record;
  if (M.IsInnerMeta || !B.HasBtf || !Obj.btf().kernelAcceptsBtf() ||
      (!M.IsDataSection && !B.ValueTypeId) ||
      (!M.IsDataSection && B.MapType != 1 && B.MapType != 2 &&
       B.MapType != 9) ||
      StringRef(M.Name).starts_with(".rodata") ||
      R.Problem.Kind != BtfRecordProblem::None ||
      Opts.Kernel < KernelVersion(R.Problem.SinceMaj, R.Problem.SinceMin) ||
      (R.ListHeads.empty() && R.RbRoots.empty()))
    return false;
  report(Rule::GraphTracingProgram, Pc,
         "a tracing program uses " +
             (M.IsDataSection ? "global data section '" + M.Name + "'"
                              : "map '" + M.Name + "'") +
             ", which holds a " +
             (R.ListHeads.empty() ? "bpf_rb_root" : "bpf_list_head"),
         {}, St);
  return true;
}

bool Interp::graphRootInStorageMap(const MapDef &M, CodeAddr Entry,
                                   const VerifierState &St) {
  // map_check_btf: a graph root only in HASH, LRU_HASH and ARRAY values
  // (-EOPNOTSUPP); local storage maps need BTF, so libbpf's retry without
  // it fails too and the object does not load (GRAPH-006).
  const BtfMapInfo &B = M.Btf;
  bool Storage = isLocalStorage(MapType(B.MapType));
  const BtfKernelRecord &R = B.Record;
  if (M.IsDataSection || M.IsInnerMeta || !B.HasBtf || !Storage ||
      !B.ValueTypeId || !Obj.btf().kernelAcceptsBtf() ||
      R.Problem.Kind != BtfRecordProblem::None ||
      Opts.Kernel < KernelVersion(R.Problem.SinceMaj, R.Problem.SinceMin) ||
      (R.ListHeads.empty() && R.RbRoots.empty()))
    return false;
  report(Rule::GraphMapType, Entry,
         "map '" + M.Name + "' cannot be created: a " +
             mapTypeName(MapType(B.MapType)).str() + " value holds a " +
             (R.ListHeads.empty() ? "bpf_rb_root" : "bpf_list_head") +
             "; libbpf then fails to load the whole object",
         {}, St, "", {M.Name});
  return true;
}

} // namespace bpflint::bc::detail
