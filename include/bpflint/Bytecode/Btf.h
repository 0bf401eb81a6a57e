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

#include "llvm/DebugInfo/BTF/BTFParser.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace bpflint::bc {

struct SourceLoc {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
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
};

class BtfInfo {
public:
  /// Loads .BTF and .BTF.ext when present. An object without them is valid
  /// (no line info, no map types); malformed sections are an error.
  llvm::Error load(const llvm::object::ObjectFile &Obj);

  bool hasTypes() const { return HasBtf; }
  bool hasLineInfo() const { return HasBtfExt; }
  /// Whether the kernel accepts this .BTF. When it does not (GCC 12 marks
  /// `signed char` as both SIGNED and CHAR: "Unsupported encoding"),
  /// libbpf loads the programs and creates the maps without BTF.
  bool kernelAcceptsBtf() const { return HasBtf && KernelProblem.empty(); }
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
  /// The line record at exactly this instruction, if any.
  std::optional<SourceLoc> lineAt(unsigned ElfSection, uint64_t Offset) const;

  /// The definition of map VarName in the .maps DATASEC.
  BtfMapInfo mapInfo(llvm::StringRef VarName) const;
  /// A global data section seen as a map: its value is the DATASEC itself,
  /// so special fields are those of the section's variables.
  BtfMapInfo dataSectionInfo(llvm::StringRef SectionName,
                             uint64_t SectionSize) const;

  /// The offset of the single struct bpf_spin_lock in type Id (searched in
  /// nested structs, not in arrays, as current kernels do). None if there
  /// is no lock or more than one (the kernel then has no valid lock).
  std::optional<uint32_t> spinLockOffset(uint32_t TypeId) const;
  /// "struct val", "int", ... for notes.
  std::string typeName(uint32_t TypeId) const;

private:
  const llvm::BTF::CommonType *type(uint32_t Id) const;
  /// Follows typedef/const/volatile/restrict/type_tag.
  uint32_t skipModifiers(uint32_t Id) const;
  const llvm::BTF::CommonType *findDatasec(llvm::StringRef Name) const;
  void countSpinLocks(uint32_t TypeId, uint32_t BaseOff, unsigned Depth,
                      unsigned &Count, uint32_t &Off) const;
  std::optional<uint32_t> typeSize(uint32_t Id, unsigned Depth = 0) const;
  llvm::Error loadCoreRelocs(const llvm::object::ObjectFile &Obj,
                             llvm::StringRef Ext);

  std::unique_ptr<llvm::BTFParser> Parser;
  bool HasBtf = false;
  bool HasBtfExt = false;
  bool HasFuncInfo = false;
  std::string KernelProblem;
  /// (ELF section, byte offset) of every instruction with a CO-RE
  /// relocation.
  std::set<std::pair<unsigned, uint64_t>> CoreRelocs;
};

} // namespace bpflint::bc

#endif
