//===- MapModel.h - BPF maps and special fields from the AST -- -*- C++ -*-===//
//
// What the kernel learns from .maps definitions and BTF, read from the C
// source instead: map type, key/value types (or only their sizes for legacy
// definitions without BTF) and the special fields (locks, kptrs, graph roots
// and nodes) inside a value type, with their byte offsets.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_MODEL_MAPMODEL_H
#define BPFLINT_MODEL_MAPMODEL_H

#include "bpflint/Model/KernelVersion.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class FieldDecl;
class VarDecl;
} // namespace clang

namespace bpflint {

/// BPF_MAP_TYPE_* (uapi numbering).
enum class MapType : unsigned {
  Unspec = 0,
  Hash = 1,
  Array = 2,
  ProgArray = 3,
  PerfEventArray = 4,
  PercpuHash = 5,
  PercpuArray = 6,
  StackTrace = 7,
  CgroupArray = 8,
  LruHash = 9,
  LruPercpuHash = 10,
  LpmTrie = 11,
  ArrayOfMaps = 12,
  HashOfMaps = 13,
  Devmap = 14,
  Sockmap = 15,
  Cpumap = 16,
  Xskmap = 17,
  Sockhash = 18,
  CgroupStorage = 19,
  ReuseportSockarray = 20,
  PercpuCgroupStorage = 21,
  Queue = 22,
  Stack = 23,
  SkStorage = 24,
  DevmapHash = 25,
  StructOps = 26,
  Ringbuf = 27,
  InodeStorage = 28,
  TaskStorage = 29,
  BloomFilter = 30,
  UserRingbuf = 31,
  CgrpStorage = 32,
  Arena = 33,
};
llvm::StringRef mapTypeName(MapType T);
/// SK_STORAGE, INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE: created only with
/// BTF, used through their own helpers, never with graph roots.
bool isLocalStorage(MapType T);

/// A map as the loader will create it.
struct MapDefinition {
  const clang::VarDecl *Var = nullptr;
  llvm::StringRef Name;
  /// True for `struct bpf_map_def SEC("maps")` style definitions.
  bool Legacy = false;
  /// True for the implicit array maps behind .data/.bss/.rodata globals.
  bool GlobalData = false;
  std::optional<uint64_t> Type, MaxEntries, MapFlags, KeySize, ValueSize;
  /// Set only when the definition gives BTF types (__type(key/value, ...)).
  clang::QualType KeyType, ValueType;

  std::optional<MapType> mapType() const {
    if (!Type)
      return std::nullopt;
    return static_cast<MapType>(*Type);
  }
  bool hasBtfValue() const { return !ValueType.isNull(); }
};

/// Since 6.14 the verifier knows that a lookup in an array map with a
/// constant key (on the stack) below max_entries cannot fail, and gives a
/// non-NULL pointer; code need not check it.
bool lookupCannotFail(MapType T, uint64_t Key, uint64_t MaxEntries,
                      KernelVersion V);

/// Recognises BTF-style (`__uint`/`__type`/`__array` in SEC(".maps")) and
/// legacy (`struct bpf_map_def` in SEC("maps")) map definitions.
/// RB-001 (ringbuf_map_alloc_check): why the kernel refuses to create a
/// RINGBUF or USER_RINGBUF map with these attributes on kernel K, or ""
/// when it creates it. libbpf rounds a non-zero max_entries up itself.
std::string ringbufMapProblem(MapType T, uint64_t MaxEntries, bool HasKey,
                              bool HasValue, uint64_t Flags, KernelVersion K);

std::optional<MapDefinition> parseMapDefinition(const clang::VarDecl *VD);

/// The global-data section a global variable lives in (".bss", ".data",
/// ".rodata", ".data.<name>" ...), or "" for non-globals, maps, externs
/// and other sections.
llvm::StringRef globalDataSection(const clang::VarDecl *VD);

enum class SpecialFieldKind {
  SpinLock,
  ResSpinLock,
  ListHead,
  ListNode,
  RbRoot,
  RbNode,
  Refcount,
  Kptr,          ///< btf_type_tag("kptr")
  KptrUntrusted, ///< btf_type_tag("kptr_untrusted")
  KptrRef,       ///< btf_type_tag("kptr_ref"), the pre-6.4 referenced spelling
  PercpuKptr,    ///< btf_type_tag("percpu_kptr")
  Uptr,          ///< btf_type_tag("uptr")
  Timer,
  Workqueue,
};
llvm::StringRef specialFieldName(SpecialFieldKind K);

struct SpecialField {
  SpecialFieldKind Kind;
  const clang::FieldDecl *Field; ///< The innermost field declaration.
  uint64_t ByteOffset;           ///< From the start of the searched type.
  bool InArray = false;          ///< Element of an array member.
  /// For graph roots: the `__contains(type, field)` decl tag text, if any.
  llvm::StringRef ContainsTag;
  /// For kptrs: the pointee type.
  clang::QualType Pointee;
  /// Number of such fields: the array's element count (1 when not in an
  /// array). The kernel treats an array of N special fields as N fields.
  uint64_t Count = 1;
};

/// Finds special fields in T, looking into nested structs and arrays the way
/// current kernels do (the caller decides, per kernel version, what a nested
/// or array field means).
llvm::SmallVector<SpecialField, 4> findSpecialFields(clang::QualType T,
                                                     clang::ASTContext &Ctx);

/// The special-field kind of a struct type itself (e.g. `struct
/// bpf_spin_lock`), if it is one.
std::optional<SpecialFieldKind> specialStructKind(clang::QualType T);

} // namespace bpflint

#endif
