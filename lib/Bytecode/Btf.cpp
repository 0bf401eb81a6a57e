//===- Btf.cpp - .BTF and .BTF.ext of a BPF object ------------------------===//

#include "bpflint/Bytecode/Btf.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;
using namespace llvm::object;

namespace bpflint::bc {

namespace {

// Limits on walks through the type graph: BTF from a file may contain cycles
// (a struct that contains itself through a typedef) or absurd nesting.
constexpr unsigned MaxTypeDepth = 32;

Error malformed(StringRef Section, const Twine &What) {
  return createStringError(inconvertibleErrorCode(),
                           "section " + Section + " " + What);
}

uint32_t le32(StringRef Data, uint64_t Off) {
  return support::endian::read32le(Data.data() + Off);
}

/// Calls Visit(member type, byte offset) for each member of the struct S
/// that starts on a byte (bitfields do not hold special fields), as the
/// kernel's btf_find_field walks them.
template <typename Fn>
void forEachByteMember(const BTF::StructType *S, uint32_t BaseOff, Fn Visit) {
  bool KindFlag = S->Info >> 31;
  for (const BTF::BTFMember &M : S->members()) {
    uint32_t Bits = KindFlag ? M.Offset & 0xffffff : M.Offset;
    if (Bits % 8 == 0)
      Visit(M.Type, BaseOff + Bits / 8);
  }
}

// Checks the .BTF header: every (offset, length) pair must lie inside the
// section. 64-bit arithmetic so that huge values cannot wrap around.
Error checkBtfHeader(StringRef Data) {
  if (Data.size() < 24)
    return malformed(".BTF", "is truncated");
  if (support::endian::read16le(Data.data()) != BTF::MAGIC)
    return malformed(".BTF", "has a bad magic number (not BTF)");
  if (uint8_t(Data[2]) != BTF::VERSION)
    return malformed(".BTF", formatv("has unsupported version {0}",
                                     unsigned(uint8_t(Data[2]))));
  uint64_t HdrLen = le32(Data, 4);
  if (HdrLen < 24 || HdrLen > Data.size())
    return malformed(".BTF", "is truncated");
  uint64_t TypeOff = le32(Data, 8), TypeLen = le32(Data, 12);
  uint64_t StrOff = le32(Data, 16), StrLen = le32(Data, 20);
  if (HdrLen + TypeOff + TypeLen > Data.size() ||
      HdrLen + StrOff + StrLen > Data.size())
    return malformed(".BTF", "is truncated");
  return Error::success();
}

Error checkBtfExtHeader(StringRef Data) {
  if (Data.size() < 8)
    return malformed(".BTF.ext", "is truncated");
  if (support::endian::read16le(Data.data()) != BTF::MAGIC)
    return malformed(".BTF.ext", "has a bad magic number (not BTF)");
  uint64_t HdrLen = le32(Data, 4);
  // func_info and line_info are mandatory; CO-RE relocations optional.
  if (HdrLen < 24 || HdrLen > Data.size())
    return malformed(".BTF.ext", "is truncated");
  for (uint64_t Field = 8; Field + 8 <= HdrLen && Field < 32; Field += 8) {
    uint64_t Off = le32(Data, Field), Len = le32(Data, Field + 4);
    if (HdrLen + Off + Len > Data.size())
      return malformed(".BTF.ext", "is truncated");
  }
  return Error::success();
}

} // namespace

Error BtfInfo::load(const ObjectFile &Obj) {
  std::optional<SectionRef> BtfSec, ExtSec;
  for (SectionRef Sec : Obj.sections()) {
    Expected<StringRef> Name = Sec.getName();
    if (!Name)
      return Name.takeError();
    if (*Name == ".BTF")
      BtfSec = Sec;
    else if (*Name == ".BTF.ext")
      ExtSec = Sec;
  }
  if (!BtfSec)
    return Error::success();
  Expected<StringRef> Data = BtfSec->getContents();
  if (!Data)
    return malformed(".BTF", "is truncated");
  if (Error E = checkBtfHeader(*Data))
    return E;
  if (ExtSec) {
    Expected<StringRef> ExtData = ExtSec->getContents();
    if (!ExtData)
      return malformed(".BTF.ext", "is truncated");
    if (Error E = checkBtfExtHeader(*ExtData))
      return E;
  } else {
    // BTFParser insists on both sections; without line info we lose only
    // source locations, without .BTF.ext we skip BTF altogether (no map
    // types), which keeps map-dependent checks silent rather than wrong.
    return Error::success();
  }
  // CO-RE relocations are read by loadCoreRelocs(): BTFParser (LLVM 19)
  // dereferences an empty optional when a record names a section that does
  // not exist (found by fuzzing).
  Parser = std::make_unique<BTFParser>();
  if (Error E = Parser->parse(Obj, {/*LoadLines=*/true, /*LoadTypes=*/true,
                                    /*LoadRelocs=*/false}))
    return createStringError(inconvertibleErrorCode(),
                             "malformed BTF: " + toString(std::move(E)));
  HasBtf = true;
  HasBtfExt = true;
  // func_info: a record size, then per section a header and records.
  StringRef Ext = *ExtSec->getContents();
  HasFuncInfo = le32(Ext, 12) > 4;
  // What makes the kernel refuse the whole .BTF (libbpf then loads the
  // programs without it: maps lose their key/value types).
  for (uint32_t Id = 1; Id < Parser->typesCount(); ++Id) {
    const BTF::CommonType *T = Parser->findType(Id);
    if (!T)
      continue;
    // btf_func_check: every argument of a FUNC's prototype has a name
    // ("Invalid arg#%u"). clang -O0 leaves them unnamed. libbpf names the
    // arguments of extern (kfunc) FUNCs itself before loading.
    constexpr unsigned FuncExtern = 2; // BTF_FUNC_EXTERN, in vlen
    if (T->getKind() == BTF::BTF_KIND_FUNC) {
      if (T->getVlen() == FuncExtern)
        continue;
      const BTF::CommonType *Proto = Parser->findType(T->Type);
      if (!Proto || Proto->getKind() != BTF::BTF_KIND_FUNC_PROTO)
        continue;
      const auto *Params = reinterpret_cast<const BTF::BTFParam *>(Proto + 1);
      for (unsigned K = 0; K < Proto->getVlen(); ++K)
        if (!Params[K].NameOff && Params[K].Type) {
          KernelProblem = "type [" + std::to_string(Id) +
                          "] FUNC has an unnamed argument (Invalid arg#" +
                          std::to_string(K + 1) + ")";
          break;
        }
      if (!KernelProblem.empty())
        break;
      continue;
    }
    // btf_int_check_meta: one encoding flag at most.
    if (T->getKind() != BTF::BTF_KIND_INT)
      continue;
    uint32_t Meta = *reinterpret_cast<const uint32_t *>(T + 1);
    uint32_t Encoding = (Meta >> 24) & 0xf;
    if (Encoding != 0 && Encoding != 1 && Encoding != 2 && Encoding != 4) {
      KernelProblem = "type [" + std::to_string(Id) +
                      "] INT has an unsupported encoding (" +
                      std::to_string(Encoding) + ")";
      break;
    }
  }
  if (KernelProblem.empty())
    computeStructMetaProblem();
  return loadCoreRelocs(Obj, Ext);
}

Error BtfInfo::loadCoreRelocs(const ObjectFile &Obj, StringRef Ext) {
  // The header was checked: hdr_len and the core_relo (off, len) pair, if
  // present, lie inside the section.
  uint64_t HdrLen = le32(Ext, 4);
  if (HdrLen < 32)
    return Error::success();
  uint64_t Begin = HdrLen + le32(Ext, 24), End = Begin + le32(Ext, 28);
  if (End == Begin)
    return Error::success();
  if (End - Begin < 4)
    return malformed(".BTF.ext", "is truncated");
  uint64_t RecSize = le32(Ext, Begin);
  if (RecSize < sizeof(BTF::BPFFieldReloc))
    return malformed(".BTF.ext", "has a bad CO-RE relocation record size");
  for (uint64_t Off = Begin + 4; Off < End;) {
    if (End - Off < 8)
      return malformed(".BTF.ext", "is truncated");
    StringRef SecName = Parser->findString(le32(Ext, Off));
    uint64_t Num = le32(Ext, Off + 4);
    Off += 8;
    if (Num > (End - Off) / RecSize)
      return malformed(".BTF.ext", "is truncated");
    std::optional<unsigned> SecIdx;
    for (SectionRef Sec : Obj.sections()) {
      Expected<StringRef> Name = Sec.getName();
      if (Name && *Name == SecName)
        SecIdx = Sec.getIndex();
      else if (!Name)
        consumeError(Name.takeError());
    }
    if (!SecIdx)
      return malformed(".BTF.ext", "has CO-RE relocations for a section "
                                   "that does not exist ('" +
                                       SecName + "')");
    for (uint64_t I = 0; I < Num; ++I, Off += RecSize)
      CoreRelocs.insert({{*SecIdx, le32(Ext, Off)}, le32(Ext, Off + 12)});
  }
  return Error::success();
}

std::optional<SourceLoc> BtfInfo::lineAt(unsigned ElfSection,
                                         uint64_t Offset) const {
  if (!Parser)
    return std::nullopt;
  const BTF::BPFLineInfo *L =
      Parser->findLineInfo(SectionedAddress{Offset, ElfSection});
  if (!L || L->getLine() == 0)
    return std::nullopt;
  return SourceLoc{Parser->findString(L->FileNameOff).str(), L->getLine(),
                   L->getCol()};
}

bool BtfInfo::hasCoreReloc(unsigned ElfSection, uint64_t Offset) const {
  return CoreRelocs.count({ElfSection, Offset});
}

std::optional<uint32_t> BtfInfo::coreRelocKind(unsigned ElfSection,
                                               uint64_t Offset) const {
  auto It = CoreRelocs.find({ElfSection, Offset});
  if (It == CoreRelocs.end())
    return std::nullopt;
  return It->second;
}

const BTF::CommonType *BtfInfo::type(uint32_t Id) const {
  if (!Parser || Id == 0)
    return nullptr;
  return Parser->findType(Id);
}

uint32_t BtfInfo::skipModifiers(uint32_t Id) const {
  for (unsigned Depth = 0; Depth < MaxTypeDepth; ++Depth) {
    const BTF::CommonType *T = type(Id);
    if (!T)
      return Id;
    switch (T->getKind()) {
    case BTF::BTF_KIND_TYPEDEF:
    case BTF::BTF_KIND_CONST:
    case BTF::BTF_KIND_VOLATILE:
    case BTF::BTF_KIND_RESTRICT:
    case BTF::BTF_KIND_TYPE_TAG:
      Id = T->Type;
      continue;
    default:
      return Id;
    }
  }
  return 0;
}

// The DATASEC / VAR / ARRAY payloads follow the common header; BTFParser
// sized every type by its kind and vlen when copying, so they are in bounds.
static ArrayRef<BTF::BTFDataSec> datasecEntries(const BTF::CommonType *T) {
  return ArrayRef<BTF::BTFDataSec>(
      reinterpret_cast<const BTF::BTFDataSec *>(T + 1), T->getVlen());
}

const BTF::CommonType *BtfInfo::findDatasec(StringRef Name) const {
  if (!Parser)
    return nullptr;
  for (uint32_t Id = 1, N = Parser->typesCount(); Id < N; ++Id) {
    const BTF::CommonType *T = type(Id);
    if (T && T->getKind() == BTF::BTF_KIND_DATASEC &&
        Parser->findString(T->NameOff) == Name)
      return T;
  }
  return nullptr;
}

std::optional<uint32_t> BtfInfo::typeSize(uint32_t Id, unsigned Depth) const {
  if (Depth > MaxTypeDepth)
    return std::nullopt;
  Id = skipModifiers(Id);
  const BTF::CommonType *T = type(Id);
  if (!T)
    return std::nullopt;
  switch (T->getKind()) {
  case BTF::BTF_KIND_INT:
  case BTF::BTF_KIND_ENUM:
  case BTF::BTF_KIND_ENUM64:
  case BTF::BTF_KIND_STRUCT:
  case BTF::BTF_KIND_UNION:
  case BTF::BTF_KIND_FLOAT:
  case BTF::BTF_KIND_DATASEC:
    return T->Size;
  case BTF::BTF_KIND_PTR:
    return 8;
  case BTF::BTF_KIND_ARRAY: {
    const auto *A = cast<BTF::ArrayType>(T);
    std::optional<uint32_t> Elem = typeSize(A->getArray().ElemType, Depth + 1);
    if (!Elem)
      return std::nullopt;
    uint64_t Total = uint64_t(*Elem) * A->getArray().Nelems;
    return Total > UINT32_MAX ? std::nullopt : std::optional<uint32_t>(Total);
  }
  default:
    return std::nullopt;
  }
}

BtfMapInfo BtfInfo::mapInfo(StringRef VarName) const {
  const BTF::CommonType *Sec = findDatasec(".maps");
  if (!Sec)
    return {};
  for (const BTF::BTFDataSec &E : datasecEntries(Sec)) {
    const BTF::CommonType *Var = type(E.Type);
    if (!Var || Var->getKind() != BTF::BTF_KIND_VAR ||
        Parser->findString(Var->NameOff) != VarName)
      continue;
    return mapDefInfo(
        dyn_cast_or_null<BTF::StructType>(type(skipModifiers(Var->Type))), 0);
  }
  return {};
}

BtfMapInfo BtfInfo::mapDefInfo(const BTF::StructType *Def,
                               unsigned Depth) const {
  BtfMapInfo Info;
  if (!Def || Def->getKind() != BTF::BTF_KIND_STRUCT)
    return Info;
  Info.HasBtf = true;
  // libbpf's conventions: __uint(name, N) is "int (*name)[N]" and
  // __type(name, T) is "T *name".
  for (const BTF::BTFMember &M : Def->members()) {
    StringRef Name = Parser->findString(M.NameOff);
    const BTF::CommonType *Ptr = type(skipModifiers(M.Type));
    // __array(values, struct inner) is "struct inner *values[]".
    if (Name == "values" && Depth == 0 && Ptr &&
        Ptr->getKind() == BTF::BTF_KIND_ARRAY) {
      const BTF::CommonType *Elem =
          type(skipModifiers(cast<BTF::ArrayType>(Ptr)->getArray().ElemType));
      if (Elem && Elem->getKind() == BTF::BTF_KIND_PTR)
        Info.Inner = std::make_shared<BtfMapInfo>(mapDefInfo(
            dyn_cast_or_null<BTF::StructType>(type(skipModifiers(Elem->Type))),
            Depth + 1));
      continue;
    }
    if (!Ptr || Ptr->getKind() != BTF::BTF_KIND_PTR)
      continue;
    uint32_t Pointee = Ptr->Type;
    const auto *Arr =
        dyn_cast_or_null<BTF::ArrayType>(type(skipModifiers(Pointee)));
    uint32_t Value = Arr ? Arr->getArray().Nelems : 0;
    if (Name == "type")
      Info.MapType = Value;
    else if (Name == "max_entries")
      Info.MaxEntries = Value;
    else if (Name == "map_flags")
      Info.Flags = Value;
    else if (Name == "key_size")
      Info.KeySize = Value;
    else if (Name == "value_size")
      Info.ValueSize = Value;
    else if (Name == "key") {
      Info.KeyTypeId = Pointee;
      Info.KeySize = typeSize(Pointee).value_or(0);
    } else if (Name == "value") {
      Info.ValueTypeId = Pointee;
      Info.ValueSize = typeSize(Pointee).value_or(0);
    }
  }
  if (Info.ValueTypeId) {
    Info.Fields = specialFields(Info.ValueTypeId);
    Info.SpinLockOffset = Info.Fields.SpinLock;
    Info.Record = mapRecord(Info.ValueTypeId);
  }
  return Info;
}

BtfMapInfo BtfInfo::dataSectionInfo(
    StringRef SectionName, uint64_t SectionSize,
    function_ref<std::optional<uint64_t>(StringRef)> SymbolValue) const {
  BtfMapInfo Info;
  Info.MapType = 2; // BPF_MAP_TYPE_ARRAY, as libbpf creates it.
  Info.MaxEntries = 1;
  Info.KeySize = 4;
  Info.ValueSize = SectionSize > UINT32_MAX ? 0 : uint32_t(SectionSize);
  const BTF::CommonType *Sec = findDatasec(SectionName);
  if (!Sec)
    return Info;
  Info.HasBtf = true;
  unsigned Count = 0;
  uint32_t Off = 0;
  unsigned Locks = 0;
  bool Fixup = Sec->Size == 0;
  for (const BTF::BTFDataSec &E : datasecEntries(Sec)) {
    const BTF::CommonType *Var = type(E.Type);
    if (!Var || Var->getKind() != BTF::BTF_KIND_VAR)
      continue;
    uint64_t VarOff = E.Offset;
    if (Fixup) {
      std::optional<uint64_t> V = SymbolValue(Parser->findString(Var->NameOff));
      if (!V || *V > UINT32_MAX) {
        // libbpf would fail to load the object; know nothing.
        Info.Fields = {};
        return Info;
      }
      VarOff = *V;
    }
    countSpinLocks(Var->Type, uint32_t(VarOff), 0, Count, Off);
    collectFields(Var->Type, uint32_t(VarOff), 0, Locks, Info.Fields, E.Type,
                  uint32_t(-1));
  }
  if (Count == 1)
    Info.SpinLockOffset = Off;
  Info.Fields.SpinLock = Info.SpinLockOffset;
  for (uint32_t Id = 1, N = Parser->typesCount(); Id < N; ++Id)
    if (type(Id) == Sec)
      Info.Record =
          parseRecord(Id, /*Nodes=*/false, Fixup ? SymbolValue : nullptr);
  return Info;
}

void BtfInfo::countSpinLocks(uint32_t TypeId, uint32_t BaseOff, unsigned Depth,
                             unsigned &Count, uint32_t &Off) const {
  if (Depth > MaxTypeDepth)
    return;
  const auto *S =
      dyn_cast_or_null<BTF::StructType>(type(skipModifiers(TypeId)));
  if (!S)
    return;
  if (S->getKind() == BTF::BTF_KIND_STRUCT &&
      Parser->findString(S->NameOff) == "bpf_spin_lock") {
    ++Count;
    Off = BaseOff;
    return;
  }
  // Union members are not searched by the kernel either.
  if (S->getKind() != BTF::BTF_KIND_STRUCT)
    return;
  forEachByteMember(S, BaseOff, [&](uint32_t Type, uint32_t MemberOff) {
    countSpinLocks(Type, MemberOff, Depth + 1, Count, Off);
  });
}

std::optional<uint32_t> BtfInfo::spinLockOffset(uint32_t TypeId) const {
  unsigned Count = 0;
  uint32_t Off = 0;
  countSpinLocks(TypeId, 0, 0, Count, Off);
  if (Count != 1)
    return std::nullopt;
  return Off;
}

StringRef BtfInfo::kptrTag(uint32_t PtrTypeId) const {
  // btf_find_kptr: PTR -> TYPE_TAG -> (no second tag) -> modifiers ->
  // STRUCT. Anything else after a tag makes the whole record invalid.
  const BTF::CommonType *P = type(PtrTypeId);
  if (!P || P->getKind() != BTF::BTF_KIND_PTR)
    return "";
  const BTF::CommonType *T = type(P->Type);
  if (!T || T->getKind() != BTF::BTF_KIND_TYPE_TAG)
    return "";
  StringRef Tag = Parser->findString(T->NameOff);
  const BTF::CommonType *Next = type(T->Type);
  const BTF::CommonType *Base = type(skipModifiers(T->Type));
  if (!Next || Next->getKind() == BTF::BTF_KIND_TYPE_TAG || !Base ||
      Base->getKind() != BTF::BTF_KIND_STRUCT)
    return "!invalid";
  return Tag;
}

void BtfInfo::resolveContains(uint32_t TagOwner, uint32_t TagIdx,
                              GraphRootField &R) const {
  if (!TagOwner)
    return;
  StringRef Tag;
  for (uint32_t Id = 1, N = Parser->typesCount(); Id < N; ++Id) {
    const BTF::CommonType *T = type(Id);
    if (!T || T->getKind() != BTF::BTF_KIND_DECL_TAG || T->Type != TagOwner ||
        *reinterpret_cast<const uint32_t *>(T + 1) != TagIdx)
      continue;
    StringRef Name = Parser->findString(T->NameOff);
    if (Name.starts_with("contains:")) {
      Tag = Name;
      break;
    }
  }
  auto [TypeName, Field] =
      Tag.drop_front(StringRef("contains:").size()).split(':');
  if (Tag.empty() || TypeName.empty() || Field.empty())
    return;
  for (uint32_t Id = 1, N = Parser->typesCount(); Id < N; ++Id) {
    const auto *S = dyn_cast_or_null<BTF::StructType>(type(Id));
    if (!S || S->getKind() != BTF::BTF_KIND_STRUCT ||
        Parser->findString(S->NameOff) != TypeName)
      continue;
    bool KindFlag = S->Info >> 31;
    for (const BTF::BTFMember &M : S->members()) {
      uint32_t Bits = KindFlag ? M.Offset & 0xffffff : M.Offset;
      if (Parser->findString(M.NameOff) == Field && Bits % 8 == 0) {
        R.ValueType = Id;
        R.NodeOff = Bits / 8;
        return;
      }
    }
    return;
  }
}

void BtfInfo::collectFields(uint32_t TypeId, uint32_t BaseOff, unsigned Depth,
                            unsigned &Locks, SpecialFields &F,
                            uint32_t TagOwner, uint32_t TagIdx) const {
  if (Depth > MaxTypeDepth)
    return;
  // A kptr is a pointer member whose pointee carries the type tag; the
  // modifiers in front of the pointer are skipped.
  uint32_t Id = skipModifiers(TypeId);
  StringRef Tag = kptrTag(Id);
  if (!Tag.empty()) {
    const BTF::CommonType *P = type(Id);
    F.Kptrs.push_back({BaseOff, Tag.str(), skipModifiers(P->Type)});
    return;
  }
  const auto *S = dyn_cast_or_null<BTF::StructType>(type(Id));
  if (!S || S->getKind() != BTF::BTF_KIND_STRUCT)
    return;
  StringRef Name = Parser->findString(S->NameOff);
  if (Name == "bpf_spin_lock") {
    F.SpinLock = Locks++ ? std::nullopt : std::optional<uint32_t>(BaseOff);
    ++F.SpinLocks;
    return;
  }
  if (Name == "bpf_res_spin_lock") {
    F.ResSpinLock =
        F.ResSpinLocks++ ? std::nullopt : std::optional<uint32_t>(BaseOff);
    return;
  }
  if (Name == "bpf_list_head" || Name == "bpf_rb_root") {
    GraphRootField R;
    R.Off = BaseOff;
    R.Rbtree = Name == "bpf_rb_root";
    resolveContains(TagOwner, TagIdx, R);
    F.Roots.push_back(R);
    return;
  }
  if (Name == "bpf_list_node" || Name == "bpf_rb_node" ||
      Name == "bpf_refcount") {
    GraphNodeField N;
    N.Off = BaseOff;
    N.Size = typeSize(Id).value_or(0);
    N.Kind = Name == "bpf_list_node" ? GraphNodeField::List
             : Name == "bpf_rb_node" ? GraphNodeField::Rbtree
                                     : GraphNodeField::Refcount;
    F.Nodes.push_back(N);
    return;
  }
  bool KindFlag = S->Info >> 31;
  uint32_t Idx = 0;
  for (const BTF::BTFMember &M : S->members()) {
    uint32_t Bits = KindFlag ? M.Offset & 0xffffff : M.Offset;
    if (Bits % 8 == 0)
      collectFields(M.Type, BaseOff + Bits / 8, Depth + 1, Locks, F, Id, Idx);
    ++Idx;
  }
}

SpecialFields BtfInfo::specialFields(uint32_t TypeId) const {
  SpecialFields F;
  unsigned Locks = 0;
  collectFields(TypeId, 0, 0, Locks, F);
  if (Locks != 1)
    F.SpinLock.reset();
  return F;
}

std::optional<BtfFuncProto> BtfInfo::funcProto(StringRef Name) const {
  if (!Parser)
    return std::nullopt;
  auto valueOf = [&](uint32_t Id) {
    BtfFuncProto::Value V;
    const BTF::CommonType *T = type(skipModifiers(Id));
    if (!T || T->getKind() != BTF::BTF_KIND_PTR)
      return V;
    V.IsPtr = true;
    uint32_t Pointee = skipModifiers(T->Type);
    if (isStruct(Pointee))
      V.Struct = Pointee;
    return V;
  };
  for (uint32_t Id = 1, N = Parser->typesCount(); Id < N; ++Id) {
    const BTF::CommonType *T = type(Id);
    if (!T || T->getKind() != BTF::BTF_KIND_FUNC ||
        Parser->findString(T->NameOff) != Name)
      continue;
    const BTF::CommonType *P = type(T->Type);
    if (!P || P->getKind() != BTF::BTF_KIND_FUNC_PROTO)
      return std::nullopt;
    BtfFuncProto Proto;
    Proto.Ret = valueOf(P->Type);
    const auto *Params = reinterpret_cast<const BTF::BTFParam *>(P + 1);
    for (unsigned I = 0, E = P->getVlen(); I < E; ++I)
      Proto.Params.push_back(valueOf(Params[I].Type));
    return Proto;
  }
  return std::nullopt;
}

bool BtfInfo::scalarMemberAt(uint32_t StructId, uint64_t Off,
                             unsigned Size) const {
  uint32_t Id = StructId;
  for (unsigned Depth = 0; Depth < MaxTypeDepth; ++Depth) {
    Id = skipModifiers(Id);
    const BTF::CommonType *T = type(Id);
    if (!T)
      return false;
    if (T->getKind() == BTF::BTF_KIND_INT ||
        T->getKind() == BTF::BTF_KIND_ENUM ||
        T->getKind() == BTF::BTF_KIND_ENUM64)
      return Off == 0 && T->Size == Size;
    // A union member may as well be a pointer: not a known scalar.
    const auto *S = dyn_cast<BTF::StructType>(T);
    if (!S || S->getKind() != BTF::BTF_KIND_STRUCT)
      return false;
    // The member containing Off.
    std::optional<std::pair<uint32_t, uint32_t>> In;
    forEachByteMember(S, 0, [&](uint32_t MT, uint32_t MOff) {
      std::optional<uint32_t> MSize = typeSize(MT);
      if (!In && MSize && MOff <= Off && Off < uint64_t(MOff) + *MSize)
        In = {MT, MOff};
    });
    if (!In)
      return false;
    Id = In->first;
    Off -= In->second;
  }
  return false;
}

bool BtfInfo::isScalarStruct(uint32_t TypeId, unsigned Depth) const {
  const auto *S =
      dyn_cast_or_null<BTF::StructType>(type(skipModifiers(TypeId)));
  if (!S || S->getKind() != BTF::BTF_KIND_STRUCT || Depth > 2)
    return false;
  for (const BTF::BTFMember &M : S->members()) {
    uint32_t Id = skipModifiers(M.Type);
    // Arrays of scalars or of scalar structs.
    for (unsigned K = 0; K < MaxTypeDepth; ++K) {
      const BTF::CommonType *T = type(Id);
      if (!T || T->getKind() != BTF::BTF_KIND_ARRAY)
        break;
      Id = skipModifiers(
          reinterpret_cast<const BTF::BTFArray *>(T + 1)->ElemType);
    }
    const BTF::CommonType *T = type(Id);
    if (!T)
      return false;
    switch (T->getKind()) {
    case BTF::BTF_KIND_INT:
    case BTF::BTF_KIND_ENUM:
    case BTF::BTF_KIND_ENUM64:
      continue;
    case BTF::BTF_KIND_STRUCT:
      if (isScalarStruct(Id, Depth + 1))
        continue;
      return false;
    default:
      return false;
    }
  }
  return true;
}

bool BtfInfo::isStruct(uint32_t TypeId) const {
  const BTF::CommonType *T = type(skipModifiers(TypeId));
  return T && T->getKind() == BTF::BTF_KIND_STRUCT;
}

const SpecialFields::KptrField *
SpecialFields::overlappingKptr(int64_t Off, int64_t Size) const {
  const KptrField *Best = nullptr;
  for (const KptrField &K : Kptrs)
    if (Off < int64_t(K.Off) + 8 && int64_t(K.Off) < Off + Size &&
        (!Best || K.Off < Best->Off))
      Best = &K;
  return Best;
}

const GraphRootField *SpecialFields::rootAt(int64_t Off) const {
  for (const GraphRootField &R : Roots)
    if (int64_t(R.Off) == Off)
      return &R;
  return nullptr;
}

uint32_t BtfInfo::findStruct(StringRef Name) const {
  if (!Parser)
    return 0;
  uint32_t Fwd = 0;
  for (uint32_t Id = 1, N = Parser->typesCount(); Id < N; ++Id) {
    const BTF::CommonType *T = type(Id);
    if (!T || Parser->findString(T->NameOff) != Name)
      continue;
    if (T->getKind() == BTF::BTF_KIND_STRUCT)
      return Id;
    // A struct forward declaration (kind_flag 0).
    if (T->getKind() == BTF::BTF_KIND_FWD && !(T->Info >> 31) && !Fwd)
      Fwd = Id;
  }
  return Fwd;
}

std::string BtfInfo::typeName(uint32_t TypeId) const {
  const BTF::CommonType *T = type(TypeId);
  if (!T)
    return "?";
  StringRef Name = Parser->findString(T->NameOff);
  switch (T->getKind()) {
  case BTF::BTF_KIND_STRUCT:
    return ("struct " + Name).str();
  case BTF::BTF_KIND_UNION:
    return ("union " + Name).str();
  case BTF::BTF_KIND_ENUM:
  case BTF::BTF_KIND_ENUM64:
    return ("enum " + Name).str();
  case BTF::BTF_KIND_PTR:
    return "pointer";
  default:
    return Name.empty() ? std::string("?") : Name.str();
  }
}

bool BtfInfo::declares(StringRef Name) const {
  if (!Parser)
    return false;
  for (uint32_t Id = 1; Id < Parser->typesCount(); ++Id) {
    const BTF::CommonType *T = Parser->findType(Id);
    if (!T ||
        (T->getKind() != BTF::BTF_KIND_VAR &&
         T->getKind() != BTF::BTF_KIND_FUNC) ||
        Parser->findString(T->NameOff) != Name)
      continue;
    // The first one named so decides; it must be declared extern
    // (BTF_VAR_GLOBAL_EXTERN, BTF_FUNC_EXTERN: both 2).
    constexpr uint32_t Extern = 2;
    if (T->getKind() == BTF::BTF_KIND_FUNC)
      return T->getVlen() == Extern;
    return *reinterpret_cast<const uint32_t *>(T + 1) == Extern;
  }
  return false;
}

} // namespace bpflint::bc
