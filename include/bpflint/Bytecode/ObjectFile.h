//===- ObjectFile.h - A BPF ELF object, read and validated ------*- C++ -*-===//
//
// Reads a relocatable BPF object the way libbpf does before loading it:
// program sections (every executable section but .text), subprograms (.text),
// function symbols, maps (.maps) and global data sections, and relocations
// resolved to what they mean to the verifier: a map reference, a global
// data reference, a kfunc call, a subprogram call or address.
//
// The input is untrusted: every offset and size is checked, and problems are
// reported as llvm::Error with a message fit for the user, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_OBJECTFILE_H
#define BPFLINT_BYTECODE_OBJECTFILE_H

#include "bpflint/Bytecode/Btf.h"
#include "bpflint/Bytecode/Insn.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bpflint::bc {

/// What a relocated instruction refers to, as libbpf resolves it.
enum class RelocKind {
  MapRef,      ///< ld_imm64 of a .maps symbol: CONST_PTR_TO_MAP.
  DataRef,     ///< ld_imm64 into a global data section: PTR_TO_MAP_VALUE.
  ExternVar,   ///< ld_imm64 of an extern (.kconfig / __ksym variable).
  Kfunc,       ///< call of an extern function (__ksym): a kfunc call.
  SubprogCall, ///< call of a function in .text (or another section).
  SubprogAddr, ///< ld_imm64 of a function address (callbacks).
  Unsupported, ///< Anything else (the interpreter stops there).
};

struct Reloc {
  RelocKind Kind = RelocKind::Unsupported;
  std::string SymbolName;
  /// Map/data index into BpfObject::maps() for MapRef and DataRef.
  int MapIndex = -1;
  /// Byte offset into the data section (DataRef) or of the symbol (calls).
  uint64_t SymbolOffset = 0;
  /// Section (ELF index) of the target, for calls and function addresses.
  unsigned TargetSection = 0;
};

/// A section holding code: a program section or .text.
struct CodeSection {
  unsigned ElfIndex = 0;
  std::string Name;
  std::vector<Insn> Insns;
  /// Relocations keyed by instruction index within the section.
  llvm::DenseMap<unsigned, Reloc> Relocs;
  bool isText() const { return Name == ".text"; }
  const Reloc *relocAt(unsigned Idx) const {
    auto It = Relocs.find(Idx);
    return It == Relocs.end() ? nullptr : &It->second;
  }
};

/// A function symbol: a program entry point or a subprogram.
struct Function {
  std::string Name;
  unsigned Section = 0; ///< Index into BpfObject::codeSections().
  unsigned FirstInsn = 0;
  unsigned NumInsns = 0;
  /// STB_GLOBAL and the kernel gets func_info: verified on its own when a
  /// subprogram (BtfInfo::kernelKnowsLinkage).
  bool Global = false;
  bool IsProgram = false;
};

/// A map the loader creates: a .maps definition or a global data section
/// (libbpf makes each .data*/.rodata*/.bss* section a one-entry array map).
struct MapDef {
  std::string Name; ///< Symbol name, or the section name for data.
  bool IsDataSection = false;
  /// The section's bytes as written in the object (empty for .bss): what
  /// libbpf copies into the map before loading. The kernel reads a frozen
  /// read-only map's values at verification time (.rodata*).
  llvm::ArrayRef<uint8_t> InitialData;
  unsigned ElfSection = 0;
  uint64_t Offset = 0; ///< Of the definition inside .maps.
  BtfMapInfo Btf;      ///< From the .maps DATASEC (or the data DATASEC).
  /// Map-in-map: index of the entry describing the inner maps (the
  /// kernel's inner_map_meta), which follows the real maps.
  int InnerIndex = -1;
  /// This entry is such an inner map description, not a map of its own.
  bool IsInnerMeta = false;
};

class BpfObject {
public:
  /// Reads and validates an object. FileName is used in messages only.
  static llvm::Expected<std::unique_ptr<BpfObject>>
  create(std::unique_ptr<llvm::MemoryBuffer> Buffer);
  static llvm::Expected<std::unique_ptr<BpfObject>>
  createFromFile(llvm::StringRef Path);

  llvm::StringRef fileName() const { return FileName; }
  const std::vector<CodeSection> &codeSections() const { return Sections; }
  const std::vector<Function> &functions() const { return Functions; }
  const std::vector<MapDef> &maps() const { return Maps; }
  const BtfInfo &btf() const { return Btf; }
  /// The "license" section's string (what libbpf passes to the kernel);
  /// none if the object has no such section.
  const std::optional<std::string> &license() const { return License; }

  /// Program entry points, in section order.
  std::vector<const Function *> programs() const;
  const Function *findProgram(llvm::StringRef Name) const;
  /// The function containing instruction Idx of code section Sec.
  const Function *functionAt(unsigned Sec, unsigned Idx) const;
  /// Index into codeSections() of the section with ELF index ElfIdx.
  std::optional<unsigned> codeSectionForElf(unsigned ElfIdx) const;

  /// Line info for an instruction (walking back to the nearest record within
  /// the function, as line records are sparse).
  std::optional<SourceLoc> sourceLoc(unsigned Sec, unsigned Idx) const;

private:
  BpfObject() = default;
  llvm::Error load();
  llvm::Error loadSections();
  llvm::Error loadSymbols();
  llvm::Error loadRelocations();

  std::string FileName;
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  std::unique_ptr<llvm::object::ObjectFile> Obj;
  std::vector<CodeSection> Sections;
  std::vector<Function> Functions;
  std::vector<MapDef> Maps;
  BtfInfo Btf;
  std::optional<std::string> License;
};

} // namespace bpflint::bc

#endif
