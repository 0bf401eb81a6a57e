//===- Btf.h - .BTF and .BTF.ext of a BPF object ----------------*- C++ -*-===//
//
// A thin layer over llvm::BTFParser (exported by libLLVM.so): line info for
// mapping instructions back to source, and the parts of the type graph the
// verifier consults: map definitions in the .maps DATASEC and the special
// fields (struct bpf_spin_lock) of map value types.
//
// BTFParser validates the type section as it copies it, but it trusts the
// header's offsets; we check the headers ourselves first so that a truncated
// or corrupt section is reported as such instead of half-parsed.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_BTF_H
#define BPFLINT_BYTECODE_BTF_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/DebugInfo/BTF/BTFParser.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bpflint::bc {

struct SourceLoc {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// A struct bpf_list_head or struct bpf_rb_root field of a type.
struct GraphRootField {
  uint32_t Off = 0;
  bool Rbtree = false; ///< bpf_rb_root (else bpf_list_head).
  /// From the root's "contains:T:field" decl tag: T's id and the offset of
  /// its node field (ValueType 0: no tag we could resolve).
  uint32_t ValueType = 0;
  uint32_t NodeOff = 0;
};

/// A struct bpf_list_node, bpf_rb_node or bpf_refcount field of a type.
struct GraphNodeField {
  enum KindTy : uint8_t { List, Rbtree, Refcount };
  uint32_t Off = 0;
  uint32_t Size = 0;
  KindTy Kind = List;
};

/// The special fields of a type the verifier knows of (its btf_record),
/// reduced to what the interpreter checks.
struct SpecialFields {
  /// The single valid struct bpf_spin_lock (none if there are several).
  std::optional<uint32_t> SpinLock;
  /// How many struct bpf_spin_lock and struct bpf_res_spin_lock fields
  /// there are, and the offset of the res lock if there is exactly one.
  unsigned SpinLocks = 0, ResSpinLocks = 0;
  std::optional<uint32_t> ResSpinLock;
  /// Graph roots, searched as the locks are (not in arrays).
  std::vector<GraphRootField> Roots;
  /// Pointers with a type tag (8 bytes each), with the tag: kptr,
  /// kptr_untrusted, ... (whose meaning depends on the kernel), or
  /// "!invalid" where the kernel fails to parse it (the record is then
  /// invalid as a whole), as any tag it does not know.
  struct KptrField {
    uint32_t Off = 0;
    std::string Tag;
    /// The struct the field points to (program BTF id, modifiers skipped).
    uint32_t PointeeId = 0;
  };
  std::vector<KptrField> Kptrs;
  /// The kptr field overlapping [Off, Off+Size) with the lowest offset.
  const KptrField *overlappingKptr(int64_t Off, int64_t Size) const;
  /// Whether every kptr tag is one the newest kernels know.
  bool kptrTagsValid() const {
    for (const KptrField &K : Kptrs)
      if (K.Tag != "kptr" && K.Tag != "kptr_untrusted" &&
          K.Tag != "percpu_kptr" && K.Tag != "uptr")
        return false;
    return true;
  }
  const GraphRootField *rootAt(int64_t Off) const;
  /// Graph nodes and bpf_refcount fields.
  std::vector<GraphNodeField> Nodes;
  const GraphNodeField *nodeAt(int64_t Off) const {
    for (const GraphNodeField &N : Nodes)
      if (int64_t(N.Off) == Off)
        return &N;
    return nullptr;
  }
};

/// A function's prototype as the program's BTF declares it (kfuncs are
/// extern BTF_KIND_FUNCs): pointer-ness and pointee struct of the return
/// value and of each parameter.
struct BtfFuncProto {
  struct Value {
    bool IsPtr = false;
    /// The pointee after modifiers, when it is a struct (else 0).
    uint32_t Struct = 0;
  };
  Value Ret;
  std::vector<Value> Params;
};

/// Why the kernel's btf_parse_fields fails on a type (BtfRecords.cpp):
/// for a struct of the program's BTF with a direct special member, the
/// whole BTF is rejected (btf_parse_struct_metas, 6.2+) and libbpf loads the
/// object without it; for a map value or global section, the map has no
/// special fields. Only failures we are sure of are named; Unknown means
/// the walk met something it does not model.
struct BtfRecordProblem {
  enum KindTy : uint8_t {
    None,
    Unknown,
    MultipleLocks,       ///< LOCK-001
    LockAndResLock,      ///< LOCK-002
    RootWithoutContains, ///< GRAPH-001
    ContainsInvalid,     ///< GRAPH-002
    RootWithoutLock,     ///< GRAPH-003
    NodeWithoutRefcount, ///< GRAPH-004
    OwnershipCycle,      ///< GRAPH-005
  };
  KindTy Kind = None;
  /// The struct (or DATASEC) whose record fails.
  uint32_t TypeId = 0;
  /// The first kernel whose parser fails this way (nested structs 6.10,
  /// arrays 6.12, res locks 6.15).
  unsigned SinceMaj = 6, SinceMin = 2;
  /// "struct stats has 2 bpf_spin_lock fields", for messages.
  std::string What;
  explicit operator bool() const { return Kind != None && Kind != Unknown; }
};

/// The special fields the kernel's record of a type has, as far as the
/// lock and graph kfuncs need them (BtfRecords.cpp).
struct BtfKernelRecord {
  BtfRecordProblem Problem;
  bool SpinLock = false, ResSpinLock = false;
  /// Any field besides the bpf_spin_lock.
  bool Others = false;
  /// Offsets of the bpf_list_head and bpf_rb_root fields.
  std::vector<uint32_t> ListHeads, RbRoots;
};

/// A map definition as libbpf reads it from BTF.
struct BtfMapInfo {
  bool HasBtf = false;
  uint32_t MapType = 0; ///< BPF_MAP_TYPE_*.
  uint32_t MaxEntries = 0;
  uint32_t KeySize = 0, ValueSize = 0;
  uint32_t KeyTypeId = 0, ValueTypeId = 0;
  uint32_t Flags = 0;
  /// Offset of the value's single valid struct bpf_spin_lock, if any.
  std::optional<uint32_t> SpinLockOffset;
  /// Special fields of the value type (SpinLock == SpinLockOffset).
  SpecialFields Fields;
  /// The record the kernel builds for the value (map_check_btf).
  BtfKernelRecord Record;
  /// Map-in-map: the inner map definition (`__array(values, ...)`).
  std::shared_ptr<BtfMapInfo> Inner;
};

class BtfInfo {
public:
  /// Loads .BTF and .BTF.ext when present. An object without them is valid
  /// (no line info, no map types); malformed sections are an error.
  llvm::Error load(const llvm::object::ObjectFile &Obj);

  bool hasTypes() const { return HasBtf; }
  /// Whether Name is declared extern (a VAR or FUNC): libbpf needs that
  /// for every extern symbol (find_extern_btf_id), or it cannot open the
  /// object.
  bool declares(llvm::StringRef Name) const;
  bool hasLineInfo() const { return HasBtfExt; }
  /// Whether the kernel accepts this .BTF. When it does not (GCC 12 marks
  /// `signed char` as both SIGNED and CHAR: "Unsupported encoding"),
  /// libbpf loads the programs and creates the maps without BTF.
  bool kernelAcceptsBtf() const { return HasBtf && KernelProblem.empty(); }
  /// Why the kernel's struct metas reject this .BTF (None when they do
  /// not). Set, kernelProblem() says so too: newer kernels reject the BTF.
  const BtfRecordProblem &structMetaProblem() const { return MetaProblem; }
  /// The record map_check_btf builds for a map value type (modifiers are
  /// skipped) or a global section's DATASEC (by name).
  BtfKernelRecord mapRecord(uint32_t ValueTypeId) const;
  /// Whether the struct metas parse struct Id's record without a problem
  /// we cannot model.
  bool structRecordValid(uint32_t Id) const;
  /// Whether type Id itself is a BTF_KIND_STRUCT (none: no such type).
  std::optional<bool> isStructKind(uint32_t Id) const;
  /// Why the kernel rejects this .BTF ("" when it does not).
  llvm::StringRef kernelProblem() const { return KernelProblem; }
  /// Whether the kernel gets func_info, and so knows which functions are
  /// global (BTF_FUNC_GLOBAL linkage): needs a .BTF.ext with func_info
  /// records and a .BTF the kernel accepts. GCC 12 writes no func_info.
  bool kernelKnowsLinkage() const { return kernelAcceptsBtf() && HasFuncInfo; }

  /// Whether the instruction at Offset has a CO-RE relocation: libbpf
  /// patches its immediate or offset at load time, so the value in the
  /// object is not the one the kernel verifies.
  bool hasCoreReloc(unsigned ElfSection, uint64_t Offset) const;
  /// The kind (enum bpf_core_relo_kind) of that relocation, if any.
  std::optional<uint32_t> coreRelocKind(unsigned ElfSection,
                                        uint64_t Offset) const;
  /// The line record at exactly this instruction, if any.
  std::optional<SourceLoc> lineAt(unsigned ElfSection, uint64_t Offset) const;

  /// The definition of map VarName in the .maps DATASEC.
  BtfMapInfo mapInfo(llvm::StringRef VarName) const;
  /// A global data section seen as a map: its value is the DATASEC itself,
  /// so special fields are those of the section's variables.
  /// SymbolValue gives a variable's offset from the ELF symbol table, for
  /// a DATASEC whose offsets clang left at 0 (libbpf fixes them up).
  BtfMapInfo
  dataSectionInfo(llvm::StringRef SectionName, uint64_t SectionSize,
                  llvm::function_ref<std::optional<uint64_t>(llvm::StringRef)>
                      SymbolValue) const;

  /// The offset of the single struct bpf_spin_lock in type Id (searched in
  /// nested structs, not in arrays, as current kernels do). None if there
  /// is no lock or more than one (the kernel then has no valid lock).
  std::optional<uint32_t> spinLockOffset(uint32_t TypeId) const;
  /// The special fields of type Id (a struct, or a DATASEC seen as one).
  SpecialFields specialFields(uint32_t TypeId) const;
  /// The size of type Id (0 if unknown).
  uint32_t sizeOf(uint32_t TypeId) const {
    return typeSize(TypeId).value_or(0);
  }
  /// __btf_type_is_scalar_struct: a struct whose members are integers,
  /// enums, or arrays and structs of them.
  bool isScalarStruct(uint32_t TypeId, unsigned Depth = 0) const;
  /// Whether Id (after modifiers) is a struct: what bpf_obj_new takes.
  bool isStruct(uint32_t TypeId) const;
  /// The prototype of function Name (a BTF_KIND_FUNC), if declared.
  std::optional<BtfFuncProto> funcProto(llvm::StringRef Name) const;
  /// Whether the member of struct StructId at byte Off is an integer (or
  /// enum) of Size bytes, searched through nested structs and unions.
  bool scalarMemberAt(uint32_t StructId, uint64_t Off, unsigned Size) const;
  /// "struct val", "int", ... for notes.
  std::string typeName(uint32_t TypeId) const;
  /// The id of the complete struct Name (0 if there is none).
  uint32_t findStruct(llvm::StringRef Name) const;

private:
  const llvm::BTF::CommonType *type(uint32_t Id) const;
  /// Follows typedef/const/volatile/restrict/type_tag.
  uint32_t skipModifiers(uint32_t Id) const;
  const llvm::BTF::CommonType *findDatasec(llvm::StringRef Name) const;
  void countSpinLocks(uint32_t TypeId, uint32_t BaseOff, unsigned Depth,
                      unsigned &Count, uint32_t &Off) const;
  /// TagOwner/TagIdx: where a decl tag on this field would be (the
  /// enclosing struct and member index, or a VAR and -1).
  void collectFields(uint32_t TypeId, uint32_t BaseOff, unsigned Depth,
                     unsigned &Locks, SpecialFields &F, uint32_t TagOwner = 0,
                     uint32_t TagIdx = 0) const;
  /// Resolves a root's "contains:T:field" decl tag into R.
  void resolveContains(uint32_t TagOwner, uint32_t TagIdx,
                       GraphRootField &R) const;
  /// The kptr type tag pointer type Id points through ("" if none).
  llvm::StringRef kptrTag(uint32_t PtrTypeId) const;
  BtfMapInfo mapDefInfo(const llvm::BTF::StructType *Def, unsigned Depth) const;
  std::optional<uint32_t> typeSize(uint32_t Id, unsigned Depth = 0) const;
  /// BtfRecords.cpp: btf_parse_fields on struct or DATASEC Id, with the
  /// node fields (struct metas) or without (maps).
  /// SymbolValue: a variable's offset, for a DATASEC libbpf fixes up.
  BtfKernelRecord parseRecord(
      uint32_t Id, bool Nodes,
      llvm::function_ref<std::optional<uint64_t>(llvm::StringRef)> SymbolValue =
          nullptr) const;
  void computeStructMetaProblem();
  llvm::Error loadCoreRelocs(const llvm::object::ObjectFile &Obj,
                             llvm::StringRef Ext);

  std::unique_ptr<llvm::BTFParser> Parser;
  bool HasBtf = false;
  bool HasBtfExt = false;
  bool HasFuncInfo = false;
  std::string KernelProblem;
  BtfRecordProblem MetaProblem;
  /// (ELF section, byte offset) of every instruction with a CO-RE
  /// relocation, and the relocation's kind.
  std::map<std::pair<unsigned, uint64_t>, uint32_t> CoreRelocs;
};

} // namespace bpflint::bc

#endif
