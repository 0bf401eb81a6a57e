//===- MapModel.cpp - Maps and special fields from the clang AST ----------===//

#include "bpflint/Model/MapModel.h"
#include "bpflint/Model/BpfCallee.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace llvm;

namespace bpflint {

StringRef mapTypeName(MapType T) {
  switch (T) {
  case MapType::Unspec:
    return "BPF_MAP_TYPE_UNSPEC";
  case MapType::Hash:
    return "BPF_MAP_TYPE_HASH";
  case MapType::Array:
    return "BPF_MAP_TYPE_ARRAY";
  case MapType::ProgArray:
    return "BPF_MAP_TYPE_PROG_ARRAY";
  case MapType::PerfEventArray:
    return "BPF_MAP_TYPE_PERF_EVENT_ARRAY";
  case MapType::PercpuHash:
    return "BPF_MAP_TYPE_PERCPU_HASH";
  case MapType::PercpuArray:
    return "BPF_MAP_TYPE_PERCPU_ARRAY";
  case MapType::StackTrace:
    return "BPF_MAP_TYPE_STACK_TRACE";
  case MapType::CgroupArray:
    return "BPF_MAP_TYPE_CGROUP_ARRAY";
  case MapType::LruHash:
    return "BPF_MAP_TYPE_LRU_HASH";
  case MapType::LruPercpuHash:
    return "BPF_MAP_TYPE_LRU_PERCPU_HASH";
  case MapType::LpmTrie:
    return "BPF_MAP_TYPE_LPM_TRIE";
  case MapType::ArrayOfMaps:
    return "BPF_MAP_TYPE_ARRAY_OF_MAPS";
  case MapType::HashOfMaps:
    return "BPF_MAP_TYPE_HASH_OF_MAPS";
  case MapType::Devmap:
    return "BPF_MAP_TYPE_DEVMAP";
  case MapType::Sockmap:
    return "BPF_MAP_TYPE_SOCKMAP";
  case MapType::Cpumap:
    return "BPF_MAP_TYPE_CPUMAP";
  case MapType::Xskmap:
    return "BPF_MAP_TYPE_XSKMAP";
  case MapType::Sockhash:
    return "BPF_MAP_TYPE_SOCKHASH";
  case MapType::CgroupStorage:
    return "BPF_MAP_TYPE_CGROUP_STORAGE";
  case MapType::ReuseportSockarray:
    return "BPF_MAP_TYPE_REUSEPORT_SOCKARRAY";
  case MapType::PercpuCgroupStorage:
    return "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE";
  case MapType::Queue:
    return "BPF_MAP_TYPE_QUEUE";
  case MapType::Stack:
    return "BPF_MAP_TYPE_STACK";
  case MapType::SkStorage:
    return "BPF_MAP_TYPE_SK_STORAGE";
  case MapType::DevmapHash:
    return "BPF_MAP_TYPE_DEVMAP_HASH";
  case MapType::StructOps:
    return "BPF_MAP_TYPE_STRUCT_OPS";
  case MapType::Ringbuf:
    return "BPF_MAP_TYPE_RINGBUF";
  case MapType::InodeStorage:
    return "BPF_MAP_TYPE_INODE_STORAGE";
  case MapType::TaskStorage:
    return "BPF_MAP_TYPE_TASK_STORAGE";
  case MapType::BloomFilter:
    return "BPF_MAP_TYPE_BLOOM_FILTER";
  case MapType::UserRingbuf:
    return "BPF_MAP_TYPE_USER_RINGBUF";
  case MapType::CgrpStorage:
    return "BPF_MAP_TYPE_CGRP_STORAGE";
  case MapType::Arena:
    return "BPF_MAP_TYPE_ARENA";
  }
  return "BPF_MAP_TYPE_<unknown>";
}

bool lookupCannotFail(MapType T, uint64_t Key, uint64_t MaxEntries,
                      KernelVersion V) {
  return V >= KernelVersion(6, 14) &&
         (T == MapType::Array || T == MapType::PercpuArray) && Key < MaxEntries;
}

static StringRef sectionOf(const VarDecl *VD) {
  if (const auto *SA = VD->getAttr<SectionAttr>())
    return SA->getName();
  return "";
}

/// `__uint(name, N)` declares `int (*name)[N]`: the value is the array size.
static std::optional<uint64_t> uintFieldValue(QualType T) {
  const auto *PT = T->getAs<PointerType>();
  if (!PT)
    return std::nullopt;
  const ArrayType *AT = PT->getPointeeType()->getAsArrayTypeUnsafe();
  if (const auto *CAT = dyn_cast_or_null<ConstantArrayType>(AT))
    return CAT->getSize().getZExtValue();
  return std::nullopt;
}

static std::optional<MapDefinition> parseBtfMap(const VarDecl *VD) {
  const RecordDecl *RD = VD->getType()->getAsRecordDecl();
  if (!RD || !RD->getDefinition())
    return std::nullopt;
  MapDefinition Def;
  Def.Var = VD;
  Def.Name = VD->getName();
  for (const FieldDecl *FD : RD->getDefinition()->fields()) {
    StringRef Name = FD->getName();
    QualType T = FD->getType();
    if (Name == "key" || Name == "value") {
      const auto *PT = T->getAs<PointerType>();
      if (!PT)
        continue;
      // `__type(key, T)` declares `typeof(T) *key`; drop the typeof sugar
      // but keep typedef names.
      QualType Pointee = PT->getPointeeType();
      while (const auto *TO = dyn_cast<TypeOfType>(Pointee.getTypePtr()))
        Pointee = TO->getUnmodifiedType();
      (Name == "key" ? Def.KeyType : Def.ValueType) = Pointee;
      continue;
    }
    std::optional<uint64_t> V = uintFieldValue(T);
    if (Name == "type")
      Def.Type = V;
    else if (Name == "max_entries")
      Def.MaxEntries = V;
    else if (Name == "map_flags")
      Def.MapFlags = V;
    else if (Name == "key_size")
      Def.KeySize = V;
    else if (Name == "value_size")
      Def.ValueSize = V;
  }
  return Def;
}

/// `struct bpf_map_def SEC("maps") m = { .type = ..., .key_size = ... }`.
static std::optional<MapDefinition> parseLegacyMap(const VarDecl *VD) {
  const RecordDecl *RD = VD->getType()->getAsRecordDecl();
  const auto *Init = dyn_cast_or_null<InitListExpr>(VD->getInit());
  if (!RD || !Init)
    return std::nullopt;
  if (Init->isSyntacticForm() && Init->getSemanticForm())
    Init = Init->getSemanticForm();
  MapDefinition Def;
  Def.Var = VD;
  Def.Name = VD->getName();
  Def.Legacy = true;
  ASTContext &Ctx = VD->getASTContext();
  unsigned Index = 0;
  for (const FieldDecl *FD : RD->fields()) {
    if (Index >= Init->getNumInits())
      break;
    const Expr *E = Init->getInit(Index++);
    Expr::EvalResult R;
    if (!E || !E->EvaluateAsInt(R, Ctx))
      continue;
    uint64_t V = R.Val.getInt().getZExtValue();
    if (FD->getName() == "type")
      Def.Type = V;
    else if (FD->getName() == "key_size")
      Def.KeySize = V;
    else if (FD->getName() == "value_size")
      Def.ValueSize = V;
    else if (FD->getName() == "max_entries")
      Def.MaxEntries = V;
    else if (FD->getName() == "map_flags" || FD->getName() == "flags")
      Def.MapFlags = V;
  }
  return Def;
}

std::optional<MapDefinition> parseMapDefinition(const VarDecl *VD) {
  if (!VD || !VD->hasGlobalStorage())
    return std::nullopt;
  StringRef Section = sectionOf(VD);
  if (Section == ".maps")
    return parseBtfMap(VD);
  if (Section == "maps" || Section.starts_with("maps/"))
    return parseLegacyMap(VD);
  if (StringRef GD = globalDataSection(VD); !GD.empty()) {
    MapDefinition Def;
    Def.Var = VD;
    Def.Name = VD->getName();
    Def.GlobalData = true;
    Def.Type = static_cast<uint64_t>(MapType::Array);
    Def.MaxEntries = 1;
    Def.ValueType = VD->getType();
    return Def;
  }
  return std::nullopt;
}

StringRef globalDataSection(const VarDecl *VD) {
  if (!VD || !VD->hasGlobalStorage() || VD->isStaticLocal() ||
      VD->hasExternalStorage() || !VD->getDeclContext()->isFileContext())
    return "";
  StringRef Section = sectionOf(VD);
  if (!Section.empty()) {
    if (Section.starts_with(".data") || Section.starts_with(".bss") ||
        Section.starts_with(".rodata"))
      return Section;
    return "";
  }
  if (VD->getType().isConstQualified())
    return ".rodata";
  return VD->hasInit() ? ".data" : ".bss";
}

StringRef specialFieldName(SpecialFieldKind K) {
  switch (K) {
  case SpecialFieldKind::SpinLock:
    return "bpf_spin_lock";
  case SpecialFieldKind::ResSpinLock:
    return "bpf_res_spin_lock";
  case SpecialFieldKind::ListHead:
    return "bpf_list_head";
  case SpecialFieldKind::ListNode:
    return "bpf_list_node";
  case SpecialFieldKind::RbRoot:
    return "bpf_rb_root";
  case SpecialFieldKind::RbNode:
    return "bpf_rb_node";
  case SpecialFieldKind::Refcount:
    return "bpf_refcount";
  case SpecialFieldKind::Kptr:
    return "kptr";
  case SpecialFieldKind::KptrUntrusted:
    return "kptr_untrusted";
  case SpecialFieldKind::KptrRef:
    return "kptr_ref";
  case SpecialFieldKind::PercpuKptr:
    return "percpu_kptr";
  case SpecialFieldKind::Uptr:
    return "uptr";
  case SpecialFieldKind::Timer:
    return "bpf_timer";
  case SpecialFieldKind::Workqueue:
    return "bpf_wq";
  }
  return "";
}

std::optional<SpecialFieldKind> specialStructKind(QualType T) {
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD || !RD->getIdentifier())
    return std::nullopt;
  return StringSwitch<std::optional<SpecialFieldKind>>(RD->getName())
      .Case("bpf_spin_lock", SpecialFieldKind::SpinLock)
      .Case("bpf_res_spin_lock", SpecialFieldKind::ResSpinLock)
      .Case("bpf_list_head", SpecialFieldKind::ListHead)
      .Case("bpf_list_node", SpecialFieldKind::ListNode)
      .Case("bpf_rb_root", SpecialFieldKind::RbRoot)
      .Case("bpf_rb_node", SpecialFieldKind::RbNode)
      .Case("bpf_refcount", SpecialFieldKind::Refcount)
      .Case("bpf_timer", SpecialFieldKind::Timer)
      .Case("bpf_wq", SpecialFieldKind::Workqueue)
      .Default(std::nullopt);
}

/// The kptr kind of a pointer whose pointee carries btf_type_tag("kptr") etc.
/// The tag lives in type sugar, so walk the pointee without canonicalising.
static std::optional<SpecialFieldKind> kptrKind(QualType T, QualType &Pointee) {
  const auto *PT = T->getAs<PointerType>();
  if (!PT)
    return std::nullopt;
  QualType Cur = PT->getPointeeType();
  while (!Cur.isNull()) {
    if (const auto *Tagged = dyn_cast<BTFTagAttributedType>(Cur.getTypePtr())) {
      Pointee = Tagged->getWrappedType();
      return StringSwitch<std::optional<SpecialFieldKind>>(
                 Tagged->getAttr()->getBTFTypeTag())
          .Case("kptr", SpecialFieldKind::Kptr)
          .Case("kptr_untrusted", SpecialFieldKind::KptrUntrusted)
          .Case("kptr_ref", SpecialFieldKind::KptrRef)
          .Case("percpu_kptr", SpecialFieldKind::PercpuKptr)
          .Case("uptr", SpecialFieldKind::Uptr)
          .Default(std::nullopt);
    }
    QualType Next = Cur->getLocallyUnqualifiedSingleStepDesugaredType();
    if (Next == Cur)
      break;
    Cur = Next;
  }
  return std::nullopt;
}

static void collectSpecialFields(QualType T, ASTContext &Ctx, uint64_t Base,
                                 uint64_t Count, unsigned Depth,
                                 SmallVectorImpl<SpecialField> &Out) {
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD || !(RD = RD->getDefinition()) || Depth > 8)
    return;
  for (const FieldDecl *FD : RD->fields()) {
    if (FD->isBitField())
      continue;
    uint64_t Offset = Base + Ctx.getFieldOffset(FD) / 8;
    QualType FT = FD->getType();
    uint64_t ElemCount = Count;
    bool InArray = Count != 1;
    while (const ArrayType *AT = Ctx.getAsArrayType(FT)) {
      FT = AT->getElementType();
      InArray = true;
      if (const auto *CAT = dyn_cast<ConstantArrayType>(AT))
        ElemCount *= CAT->getSize().getZExtValue();
    }
    QualType Pointee;
    if (std::optional<SpecialFieldKind> K = kptrKind(FD->getType(), Pointee)) {
      Out.push_back({*K, FD, Offset, InArray, "", Pointee, ElemCount});
      continue;
    }
    if (std::optional<SpecialFieldKind> K = specialStructKind(FT)) {
      SpecialField F{*K, FD, Offset, InArray, "", QualType(), ElemCount};
      for (const auto *Tag : FD->specific_attrs<BTFDeclTagAttr>())
        if (Tag->getBTFDeclTag().starts_with("contains:"))
          F.ContainsTag = Tag->getBTFDeclTag();
      Out.push_back(F);
      continue;
    }
    if (FT->isRecordType())
      collectSpecialFields(FT, Ctx, Offset, ElemCount, Depth + 1, Out);
  }
}

SmallVector<SpecialField, 4> findSpecialFields(QualType T, ASTContext &Ctx) {
  SmallVector<SpecialField, 4> Fields;
  collectSpecialFields(T, Ctx, 0, 1, 0, Fields);
  return Fields;
}

bool isLocalStorage(MapType T) {
  return T == MapType::SkStorage || T == MapType::InodeStorage ||
         T == MapType::TaskStorage || T == MapType::CgrpStorage;
}

std::string ringbufMapProblem(MapType T, uint64_t MaxEntries, bool HasKey,
                              bool HasValue, uint64_t Flags, KernelVersion K) {
  constexpr uint64_t NumaNode = 4;
  if (!MaxEntries)
    return "its max_entries (the ring size in bytes) is missing or 0";
  if (HasKey)
    return "it has a key; ring buffers take no key";
  if (HasValue)
    return "it has a value type; ring buffers take no value";
  // BPF_F_NUMA_NODE only. 6.19 adds BPF_F_RB_OVERWRITE for RINGBUF: its
  // flags are not judged on newer kernels.
  if ((Flags & ~NumaNode) &&
      (T == MapType::UserRingbuf || K <= KernelVersion(6, 18)))
    return "map_flags " + std::to_string(Flags) +
           " has flags other than BPF_F_NUMA_NODE";
  return "";
}

} // namespace bpflint
