//===- ObjectFile.cpp - Reading BPF ELF objects ---------------------------===//
//
// We use the ELFFile<ELF64LE> layer (every accessor returns Expected) rather
// than the ObjectFile iterators, some of which call report_fatal_error on
// out-of-bounds relocation or symbol tables.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/ObjectFile.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;
using namespace llvm::object;

namespace bpflint::bc {

namespace {

using ELFT = ELF64LE;
using Elf_Shdr = ELFT::Shdr;
using Elf_Sym = ELFT::Sym;

Error badInput(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

// libbpf's notion of a global data section: it becomes an internal array map.
bool isDataSectionName(StringRef Name) {
  for (StringRef Prefix : {".data", ".rodata", ".bss"})
    if (Name == Prefix || Name.starts_with((Prefix + ".").str()))
      return true;
  return Name == ".kconfig";
}

} // namespace

Expected<std::unique_ptr<BpfObject>> BpfObject::createFromFile(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
      MemoryBuffer::getFileOrSTDIN(Path, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!Buf)
    return badInput("cannot read file: " + Buf.getError().message());
  return create(std::move(*Buf));
}

Expected<std::unique_ptr<BpfObject>>
BpfObject::create(std::unique_ptr<MemoryBuffer> Buffer) {
  std::unique_ptr<BpfObject> O(new BpfObject());
  O->FileName = Buffer->getBufferIdentifier().str();
  O->Buffer = std::move(Buffer);
  if (Error E = O->load())
    return std::move(E);
  return std::move(O);
}

Error BpfObject::load() {
  StringRef Data = Buffer->getBuffer();
  if (Data.empty())
    return badInput("not an ELF file (the file is empty)");
  if (identify_magic(Data) != file_magic::elf_relocatable) {
    if (!Data.starts_with("\x7f"
                          "ELF"))
      return badInput("not an ELF file");
    if (Data.size() < 18)
      return badInput("not a BPF object: truncated ELF header");
    return badInput("not a BPF object: not a relocatable ELF object (ET_REL)");
  }
  // The ELF identification bytes tell class and data encoding before any
  // further parsing, so that a 32-bit or big-endian file gets a clear error.
  if (Data.size() < 20)
    return badInput("not a BPF object: truncated ELF header");
  uint8_t Class = Data[4], Encoding = Data[5];
  uint16_t Machine = Encoding == ELF::ELFDATA2MSB
                         ? uint16_t(uint8_t(Data[18]) << 8 | uint8_t(Data[19]))
                         : uint16_t(uint8_t(Data[19]) << 8 | uint8_t(Data[18]));
  if (Machine != ELF::EM_BPF && Machine != ELF::EM_NONE)
    return badInput(formatv("not a BPF object (e_machine={0})", Machine));
  if (Class != ELF::ELFCLASS64)
    return badInput("not a BPF object (32-bit ELF class; BPF objects are "
                    "ELFCLASS64)");
  if (Encoding != ELF::ELFDATA2LSB)
    return badInput("big-endian BPF objects (bpfeb) are not supported");
  if (Data.size() < sizeof(ELF64LE::Ehdr))
    return badInput("not a BPF object: truncated ELF header");

  Expected<std::unique_ptr<ObjectFile>> ObjOrErr =
      ObjectFile::createObjectFile(Buffer->getMemBufferRef());
  if (!ObjOrErr)
    return badInput("malformed ELF: " + toString(ObjOrErr.takeError()));
  Obj = std::move(*ObjOrErr);
  if (!isa<ELF64LEObjectFile>(Obj.get()))
    return badInput("not a BPF object");

  if (Error E = loadSections())
    return E;
  if (Error E = Btf.load(*Obj))
    return E;
  if (Error E = loadSymbols())
    return E;
  return loadRelocations();
}

Error BpfObject::loadSections() {
  const ELFFile<ELFT> &EF = cast<ELF64LEObjectFile>(Obj.get())->getELFFile();
  Expected<ArrayRef<Elf_Shdr>> Shdrs = EF.sections();
  if (!Shdrs)
    return badInput("malformed ELF: " + toString(Shdrs.takeError()));
  for (const auto &[Idx, Sec] : enumerate(*Shdrs)) {
    if (Sec.sh_type == ELF::SHT_PROGBITS &&
        !(Sec.sh_flags & ELF::SHF_EXECINSTR)) {
      Expected<StringRef> Name = EF.getSectionName(Sec);
      Expected<ArrayRef<uint8_t>> Bytes = EF.getSectionContents(Sec);
      if (Name && *Name == "license" && Bytes) {
        StringRef Text(reinterpret_cast<const char *>(Bytes->data()),
                       Bytes->size());
        License = Text.take_until([](char C) { return C == 0; }).str();
      } else {
        consumeError(Name.takeError());
        consumeError(Bytes.takeError());
      }
      continue;
    }
    if (Sec.sh_type != ELF::SHT_PROGBITS ||
        !(Sec.sh_flags & ELF::SHF_EXECINSTR))
      continue;
    Expected<StringRef> Name = EF.getSectionName(Sec);
    if (!Name)
      return badInput("malformed ELF: " + toString(Name.takeError()));
    if (Sec.sh_size % 8)
      return badInput(formatv("section {0} is truncated: its size {1} is "
                              "not a multiple of 8 (instruction size)",
                              *Name, uint64_t(Sec.sh_size)));
    Expected<ArrayRef<uint8_t>> Bytes = EF.getSectionContents(Sec);
    if (!Bytes)
      return badInput(formatv("section {0} is truncated", *Name));
    CodeSection CS;
    CS.ElfIndex = Idx;
    CS.Name = Name->str();
    CS.Insns = decodeInsns(*Bytes);
    Sections.push_back(std::move(CS));
  }
  return Error::success();
}

std::optional<unsigned> BpfObject::codeSectionForElf(unsigned ElfIdx) const {
  for (const auto &[I, CS] : enumerate(Sections))
    if (CS.ElfIndex == ElfIdx)
      return I;
  return std::nullopt;
}

Error BpfObject::loadSymbols() {
  const ELFFile<ELFT> &EF = cast<ELF64LEObjectFile>(Obj.get())->getELFFile();
  Expected<ArrayRef<Elf_Shdr>> Shdrs = EF.sections();
  if (!Shdrs)
    return Shdrs.takeError();

  const Elf_Shdr *SymTab = nullptr;
  for (const Elf_Shdr &Sec : *Shdrs)
    if (Sec.sh_type == ELF::SHT_SYMTAB)
      SymTab = &Sec;
  if (!SymTab)
    return badInput("not a BPF object: no symbol table");
  Expected<ArrayRef<Elf_Sym>> Syms = EF.symbols(SymTab);
  if (!Syms)
    return badInput("malformed ELF: " + toString(Syms.takeError()));
  Expected<StringRef> StrTab = EF.getStringTableForSymtab(*SymTab);
  if (!StrTab)
    return badInput("malformed ELF: " + toString(StrTab.takeError()));

  // bpf_object__collect_externs: libbpf refuses to open an object with an
  // extern symbol that BTF does not declare ("failed to find BTF for
  // extern"), e.g. a kfunc in an object built without -g, or GCC 12's
  // __builtin_btf_type_id, which it leaves undefined.
  bool ElfHasBtf = false;
  for (const Elf_Shdr &Sec : *Shdrs)
    if (Expected<StringRef> Name = EF.getSectionName(Sec))
      ElfHasBtf |= *Name == ".BTF";
    else
      consumeError(Name.takeError());
  for (const Elf_Sym &Sym : *Syms) {
    if (Sym.st_shndx != ELF::SHN_UNDEF || Sym.getType() != ELF::STT_NOTYPE ||
        (Sym.getBinding() != ELF::STB_GLOBAL &&
         Sym.getBinding() != ELF::STB_WEAK))
      continue;
    Expected<StringRef> Name = Sym.getName(*StrTab);
    if (!Name)
      return badInput("malformed ELF: " + toString(Name.takeError()));
    // Where BTF exists but bpflint could not read it, stay silent.
    if (Name->empty() ||
        (ElfHasBtf && (!Btf.hasTypes() || Btf.declares(*Name))))
      continue;
    return badInput(
        formatv("libbpf cannot open this object: extern '{0}' "
                "is not declared extern in BTF{1} (libbpf: \"failed "
                "to find BTF for extern\")",
                *Name,
                ElfHasBtf ? ""
                          : " (it has no .BTF: "
                            "compile with -g)"));
  }

  // Clang leaves the offsets of a DATASEC's variables at 0; libbpf sets
  // them from the ELF symbols (btf_fixup_datasec). Object symbols by
  // (section, name) for that.
  std::map<std::pair<unsigned, std::string>, uint64_t> DataSyms;
  for (const Elf_Sym &Sym : *Syms) {
    if (Sym.getType() != ELF::STT_OBJECT)
      continue;
    Expected<StringRef> Name = Sym.getName(*StrTab);
    if (!Name)
      return badInput("malformed ELF: " + toString(Name.takeError()));
    DataSyms[{unsigned(Sym.st_shndx), Name->str()}] = Sym.st_value;
  }

  // Global data sections become maps first, so their indices are stable.
  for (const auto &[Idx, Sec] : enumerate(*Shdrs)) {
    if (!(Sec.sh_flags & ELF::SHF_ALLOC) || (Sec.sh_flags & ELF::SHF_EXECINSTR))
      continue;
    Expected<StringRef> Name = EF.getSectionName(Sec);
    if (!Name)
      return badInput("malformed ELF: " + toString(Name.takeError()));
    if (!isDataSectionName(*Name))
      continue;
    MapDef M;
    M.Name = Name->str();
    M.IsDataSection = true;
    M.ElfSection = Idx;
    if (Sec.sh_type != ELF::SHT_NOBITS) {
      Expected<ArrayRef<uint8_t>> Bytes = EF.getSectionContents(Sec);
      if (!Bytes)
        return badInput("malformed ELF: " + toString(Bytes.takeError()));
      M.InitialData = *Bytes;
    }
    unsigned SecIdx = Idx;
    M.Btf = Btf.dataSectionInfo(*Name, Sec.sh_size,
                                [&](StringRef Var) -> std::optional<uint64_t> {
                                  auto It = DataSyms.find({SecIdx, Var.str()});
                                  if (It == DataSyms.end())
                                    return std::nullopt;
                                  return It->second;
                                });
    Maps.push_back(std::move(M));
  }

  std::optional<unsigned> MapsSec;
  for (const auto &[Idx, Sec] : enumerate(*Shdrs)) {
    Expected<StringRef> Name = EF.getSectionName(Sec);
    if (Name && *Name == ".maps")
      MapsSec = Idx;
    else if (!Name)
      consumeError(Name.takeError());
  }

  for (const Elf_Sym &Sym : *Syms) {
    Expected<StringRef> Name = Sym.getName(*StrTab);
    if (!Name)
      return badInput("malformed ELF: " + toString(Name.takeError()));
    unsigned Shndx = Sym.st_shndx;
    if (MapsSec && Shndx == *MapsSec && Sym.getType() != ELF::STT_SECTION &&
        !Name->empty()) {
      MapDef M;
      M.Name = Name->str();
      M.ElfSection = Shndx;
      M.Offset = Sym.st_value;
      M.Btf = Btf.mapInfo(*Name);
      Maps.push_back(std::move(M));
      continue;
    }
    if (Sym.getType() != ELF::STT_FUNC)
      continue;
    std::optional<unsigned> CS = codeSectionForElf(Shndx);
    if (!CS)
      continue;
    uint64_t NumInsns = Sections[*CS].Insns.size();
    if (Sym.st_value % 8 || Sym.st_size % 8 || Sym.st_value / 8 > NumInsns ||
        Sym.st_size / 8 > NumInsns - Sym.st_value / 8)
      return badInput(formatv("malformed ELF: function {0} lies outside "
                              "section {1}",
                              *Name, Sections[*CS].Name));
    Function F;
    F.Name = Name->str();
    F.Section = *CS;
    F.FirstInsn = Sym.st_value / 8;
    F.NumInsns = Sym.st_size / 8;
    // The kernel knows a function is global from func_info only; without
    // it (no .BTF.ext func_info, or a .BTF the kernel rejects) every
    // subprogram is verified in its caller's context, as a static one.
    F.Global = Sym.getBinding() != ELF::STB_LOCAL && Btf.kernelKnowsLinkage();
    F.IsProgram = !Sections[*CS].isText();
    Functions.push_back(std::move(F));
  }

  // Sort by address; hand-written assembly may have size-less symbols,
  // which extend to the next function or the end of the section.
  llvm::sort(Functions, [](const Function &A, const Function &B) {
    return std::tie(A.Section, A.FirstInsn) < std::tie(B.Section, B.FirstInsn);
  });
  for (size_t I = 0; I < Functions.size(); ++I) {
    Function &F = Functions[I];
    if (F.NumInsns)
      continue;
    unsigned End = Sections[F.Section].Insns.size();
    if (I + 1 < Functions.size() && Functions[I + 1].Section == F.Section)
      End = Functions[I + 1].FirstInsn;
    F.NumInsns = End - F.FirstInsn;
  }
  // Map-in-map: one entry per outer map for its inner maps, after the real
  // maps (relocations refer to those by index). A lookup in the outer map
  // yields a pointer to "the inner map": every inner map shares the
  // kernel's inner_map_meta, and so this entry.
  for (size_t I = 0, N = Maps.size(); I < N; ++I) {
    if (!Maps[I].Btf.Inner || !Maps[I].Btf.Inner->HasBtf)
      continue;
    MapDef M;
    M.Name = Maps[I].Name + ".inner";
    M.ElfSection = Maps[I].ElfSection;
    M.Offset = Maps[I].Offset;
    M.Btf = *Maps[I].Btf.Inner;
    M.IsInnerMeta = true;
    Maps[I].InnerIndex = int(Maps.size());
    Maps.push_back(std::move(M));
  }
  return Error::success();
}

Error BpfObject::loadRelocations() {
  const ELFFile<ELFT> &EF = cast<ELF64LEObjectFile>(Obj.get())->getELFFile();
  Expected<ArrayRef<Elf_Shdr>> Shdrs = EF.sections();
  if (!Shdrs)
    return Shdrs.takeError();
  const Elf_Shdr *SymTab = nullptr;
  for (const Elf_Shdr &Sec : *Shdrs)
    if (Sec.sh_type == ELF::SHT_SYMTAB)
      SymTab = &Sec;
  Expected<ArrayRef<Elf_Sym>> Syms = EF.symbols(SymTab);
  Expected<StringRef> StrTab = EF.getStringTableForSymtab(*SymTab);
  if (!Syms || !StrTab) {
    consumeError(Syms.takeError());
    consumeError(StrTab.takeError());
    return badInput("malformed ELF: bad symbol table");
  }

  for (const Elf_Shdr &RelSec : *Shdrs) {
    if (RelSec.sh_type != ELF::SHT_REL)
      continue;
    std::optional<unsigned> CSIdx = codeSectionForElf(RelSec.sh_info);
    if (!CSIdx)
      continue;
    CodeSection &CS = Sections[*CSIdx];
    Expected<ELFT::RelRange> Rels = EF.rels(RelSec);
    if (!Rels)
      return badInput(formatv("section .rel{0} is truncated", CS.Name));
    for (const ELFT::Rel &R : *Rels) {
      uint64_t Off = R.r_offset;
      if (Off % 8 || Off / 8 >= CS.Insns.size())
        return badInput(formatv("malformed ELF: relocation at offset {0} "
                                "lies outside section {1}",
                                Off, CS.Name));
      uint32_t SymIdx = R.getSymbol(false);
      if (SymIdx >= Syms->size())
        return badInput(formatv("malformed ELF: relocation in section {0} "
                                "names symbol {1}, which does not exist",
                                CS.Name, SymIdx));
      const Elf_Sym &Sym = (*Syms)[SymIdx];
      unsigned InsnIdx = Off / 8;
      const Insn &I = CS.Insns[InsnIdx];
      Reloc Rel;
      if (Expected<StringRef> Name = Sym.getName(*StrTab))
        Rel.SymbolName = Name->str();
      else
        consumeError(Name.takeError());
      Rel.SymbolOffset = Sym.st_value;
      Rel.TargetSection = Sym.st_shndx;
      bool Undefined = Sym.st_shndx == ELF::SHN_UNDEF;
      std::optional<unsigned> TargetCode = codeSectionForElf(Sym.st_shndx);

      if (I.Kind == InsnKind::Call) {
        if (Undefined)
          Rel.Kind = RelocKind::Kfunc;
        else if (TargetCode)
          Rel.Kind = RelocKind::SubprogCall;
      } else if (I.Kind == InsnKind::LoadImm64) {
        if (Undefined) {
          Rel.Kind = RelocKind::ExternVar;
        } else if (TargetCode) {
          Rel.Kind = RelocKind::SubprogAddr;
        } else {
          for (const auto &[MI, M] : enumerate(Maps)) {
            if (M.ElfSection != Sym.st_shndx || M.IsInnerMeta)
              continue;
            if (M.IsDataSection) {
              // Offset into the section: the symbol's value plus the
              // addend clang leaves in the instruction (static variables
              // are relocated against the section symbol).
              Rel.Kind = RelocKind::DataRef;
              Rel.MapIndex = MI;
              Rel.SymbolOffset = Sym.st_value + uint32_t(I.Imm);
              break;
            }
            if (M.Offset == Sym.st_value && Sym.getType() != ELF::STT_SECTION) {
              Rel.Kind = RelocKind::MapRef;
              Rel.MapIndex = MI;
              break;
            }
          }
        }
      }
      CS.Relocs[InsnIdx] = std::move(Rel);
    }
  }
  return Error::success();
}

std::vector<const Function *> BpfObject::programs() const {
  std::vector<const Function *> Out;
  for (const Function &F : Functions)
    if (F.IsProgram)
      Out.push_back(&F);
  return Out;
}

const Function *BpfObject::findProgram(StringRef Name) const {
  for (const Function &F : Functions)
    if (F.IsProgram && F.Name == Name)
      return &F;
  return nullptr;
}

const Function *BpfObject::functionAt(unsigned Sec, unsigned Idx) const {
  for (const Function &F : Functions)
    if (F.Section == Sec && Idx >= F.FirstInsn &&
        Idx < F.FirstInsn + F.NumInsns)
      return &F;
  return nullptr;
}

std::optional<SourceLoc> BpfObject::sourceLoc(unsigned Sec,
                                              unsigned Idx) const {
  if (Sec >= Sections.size() || !Btf.hasLineInfo())
    return std::nullopt;
  const CodeSection &CS = Sections[Sec];
  const Function *F = functionAt(Sec, Idx);
  unsigned Stop = F ? F->FirstInsn : 0;
  for (unsigned I = Idx + 1; I-- > Stop;)
    if (std::optional<SourceLoc> L = Btf.lineAt(CS.ElfIndex, uint64_t(I) * 8))
      return L;
  return std::nullopt;
}

} // namespace bpflint::bc
