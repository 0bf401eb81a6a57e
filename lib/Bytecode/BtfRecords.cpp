//===- BtfRecords.cpp - The kernel's btf_record of a type ----------------===//
//
// The kernel's btf_find_field / btf_parse_fields (kernel/bpf/btf.c), which
// it runs twice on a program's BTF:
//
//  - when the BTF is loaded, on every struct with a direct member of a
//    special type (btf_parse_struct_metas, 6.2+): a failure rejects the
//    whole BTF, and libbpf then loads the object without it, so every map
//    is created without BTF and bpf_obj_new has no program BTF;
//  - when a map is created, on its value type or global section
//    (map_check_btf): a failure leaves the map without special fields.
//
// Only what we are sure of is named; anything else the walk does not model
// (kptrs with unknown tags, overlapping fields, too many fields) makes the
// result Unknown, which callers treat as "cannot tell".
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/Btf.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc {

namespace {

constexpr unsigned MaxResolveDepth = 32;
constexpr unsigned FieldsMax = 11; // BTF_FIELDS_MAX

enum FieldKind : uint16_t {
  FSpinLock = 1 << 0,
  FResSpinLock = 1 << 1,
  FTimer = 1 << 2,
  FWorkqueue = 1 << 3,
  FListHead = 1 << 4,
  FListNode = 1 << 5,
  FRbRoot = 1 << 6,
  FRbNode = 1 << 7,
  FRefcount = 1 << 8,
  FKptr = 1 << 9,
};

struct FieldInfo {
  FieldKind Kind;
  uint32_t Off;
  // Graph roots: the "contains:" tag's struct and node field.
  uint32_t ValueType = 0;
  std::string NodeName;
};

// The kernel's name, size and alignment of each special struct (6.4+).
struct SpecialStruct {
  const char *Name;
  FieldKind Kind;
  uint32_t Size, Align;
  bool Unique; // A second one is -E2BIG (seen_mask).
};
const SpecialStruct SpecialStructs[] = {
    {"bpf_spin_lock", FSpinLock, 4, 4, true},
    {"bpf_res_spin_lock", FResSpinLock, 4, 4, true},
    {"bpf_timer", FTimer, 16, 8, true},
    {"bpf_wq", FWorkqueue, 16, 8, true},
    {"bpf_list_head", FListHead, 16, 8, false},
    {"bpf_list_node", FListNode, 24, 8, false},
    {"bpf_rb_root", FRbRoot, 16, 8, false},
    {"bpf_rb_node", FRbNode, 32, 8, false},
    {"bpf_refcount", FRefcount, 4, 4, true},
};

using Problem = BtfRecordProblem;

} // namespace

namespace detail {
/// One btf_find_field walk.
class RecordWalker {
public:
  RecordWalker(const BTFParser &P, uint16_t Mask,
               function_ref<StringRef(uint32_t)> KptrTag)
      : P(P), Mask(Mask), KptrTag(KptrTag) {}

  const BTF::CommonType *type(uint32_t Id) const {
    return Id ? P.findType(Id) : nullptr;
  }
  StringRef name(const BTF::CommonType *T) const {
    return P.findString(T->NameOff);
  }

  // The "contains:" decl tag of member Idx of Owner (-1: Owner itself).
  bool containsTag(uint32_t Owner, uint32_t Idx, FieldInfo &F) {
    StringRef Value;
    unsigned Count = 0;
    for (uint32_t Id = 1, N = P.typesCount(); Id < N; ++Id) {
      const BTF::CommonType *T = type(Id);
      if (!T || T->getKind() != BTF::BTF_KIND_DECL_TAG || T->Type != Owner ||
          *reinterpret_cast<const uint32_t *>(T + 1) != Idx)
        continue;
      StringRef Name = name(T);
      if (!Name.consume_front("contains:"))
        continue;
      if (Count++ == 0)
        Value = Name;
    }
    if (Count != 1)
      return fail(Problem::RootWithoutContains,
                  Count ? "has a graph root with two __contains tags"
                        : "has a graph root without a __contains tag");
    auto [TypeName, Node] = Value.split(':');
    if (TypeName.size() == Value.size() || Node.empty())
      return fail(Problem::RootWithoutContains,
                  ("has a graph root whose __contains tag '" + Value +
                   "' names no node field")
                      .str());
    for (uint32_t Id = 1, N = P.typesCount(); Id < N; ++Id) {
      const BTF::CommonType *T = type(Id);
      if (T && T->getKind() == BTF::BTF_KIND_STRUCT && name(T) == TypeName) {
        F.ValueType = Id;
        F.NodeName = Node.str();
        return true;
      }
    }
    return fail(Problem::ContainsInvalid,
                ("has a graph root whose __contains names struct " + TypeName +
                 ", which the program's BTF does not have")
                    .str());
  }

  bool fail(Problem::KindTy K, std::string What) {
    if (Result.Kind == Problem::None) {
      Result.Kind = K;
      Result.What = std::move(What);
    }
    return false;
  }
  void since(unsigned Maj, unsigned Min) {
    if (std::make_pair(Maj, Min) >
        std::make_pair(Result.SinceMaj, Result.SinceMin)) {
      Result.SinceMaj = Maj;
      Result.SinceMin = Min;
    }
  }

  // btf_find_field_one. Owner/Idx: where a decl tag would be. Expected:
  // the DATASEC variable's size (0 for struct members).
  bool fieldOne(uint32_t Owner, uint32_t Idx, uint32_t TypeId, uint32_t Off,
                uint32_t Expected, unsigned Level) {
    uint64_t Nelems = 1;
    const BTF::CommonType *T = type(TypeId);
    unsigned I = 0;
    for (; I < MaxResolveDepth && T && T->getKind() == BTF::BTF_KIND_ARRAY;
         ++I) {
      const auto &A = cast<BTF::ArrayType>(T)->getArray();
      Nelems *= A.Nelems;
      if (Nelems > UINT32_MAX)
        return fail(Problem::Unknown, "");
      TypeId = A.ElemType;
      T = type(TypeId);
    }
    if (!T || I == MaxResolveDepth)
      return fail(Problem::Unknown, "");
    if (Nelems == 0)
      return true;
    bool Array = I > 0;
    StringRef Name = name(T);
    const SpecialStruct *S = nullptr;
    for (const SpecialStruct &C : SpecialStructs)
      if ((Mask & C.Kind) && Name == C.Name)
        S = &C;
    bool IsStruct = T->getKind() == BTF::BTF_KIND_STRUCT;
    if (!S && IsStruct) {
      // btf_find_nested_struct (6.10+; arrays of them 6.12+).
      if (Expected && Expected != uint64_t(T->Size) * Nelems)
        return true;
      if (Level + 1 >= MaxResolveDepth)
        return fail(Problem::Unknown, "");
      size_t Before = Fields.size();
      if (!walkStruct(TypeId, Off, Level + 1)) {
        since(6, 10);
        return false;
      }
      if (Fields.size() == Before)
        return true;
      since(6, 10);
      if (Nelems > 1) {
        since(6, 12);
        return repeat(Before, Nelems, T->Size);
      }
      return true;
    }
    if (!S) {
      // Not a struct: a kptr if it is a pointer to a tagged struct.
      if (!(Mask & FKptr) || T->getKind() != BTF::BTF_KIND_PTR)
        return true;
      StringRef Tag = KptrTag(TypeId);
      if (Tag.empty())
        return true;
      if (Tag != "kptr" && Tag != "kptr_untrusted" && Tag != "percpu_kptr")
        return fail(Problem::Unknown, "");
      if ((Expected && Expected != 8 * Nelems) || Off % 8)
        return true;
      if (Array)
        since(6, 12);
      size_t Before = Fields.size();
      Fields.push_back({FKptr, Off});
      if (Nelems > 1) {
        since(6, 12);
        return repeat(Before, Nelems, 8);
      }
      return true;
    }
    if (Array)
      since(6, 12);
    // btf_get_field_type: a second lock, timer, ... is -E2BIG.
    if (S->Unique) {
      if (Seen & S->Kind) {
        if (S->Kind == FSpinLock)
          return fail(Problem::MultipleLocks,
                      "has more than one bpf_spin_lock");
        return fail(Problem::Unknown, "");
      }
      Seen |= S->Kind;
    }
    if ((Expected && Expected != uint64_t(S->Size) * Nelems) ||
        Off % S->Align || T->Size != S->Size)
      return true;
    FieldInfo F{S->Kind, Off};
    if ((S->Kind == FListHead || S->Kind == FRbRoot) &&
        !containsTag(Owner, Idx, F))
      return false;
    size_t Before = Fields.size();
    Fields.push_back(F);
    if (Nelems > 1) {
      since(6, 12);
      // btf_repeat_fields: only kptrs and roots repeat.
      if (S->Kind != FListHead && S->Kind != FRbRoot) {
        if (S->Kind == FSpinLock)
          return fail(Problem::MultipleLocks, "has an array of bpf_spin_locks");
        return fail(Problem::Unknown, "");
      }
      return repeat(Before, Nelems, S->Size);
    }
    return true;
  }

  bool repeat(size_t Before, uint64_t Nelems, uint32_t ElemSize) {
    for (size_t K = Before; K < Fields.size(); ++K)
      if (Fields[K].Kind != FKptr && Fields[K].Kind != FListHead &&
          Fields[K].Kind != FRbRoot) {
        if (Fields[K].Kind == FSpinLock)
          return fail(Problem::MultipleLocks,
                      "has an array of structs with a bpf_spin_lock");
        return fail(Problem::Unknown, "");
      }
    size_t Count = Fields.size() - Before;
    if (Count * Nelems + Before > FieldsMax)
      return fail(Problem::Unknown, "");
    for (uint64_t R = 1; R < Nelems; ++R)
      for (size_t K = 0; K < Count; ++K) {
        FieldInfo F = Fields[Before + K];
        F.Off += uint32_t(R * ElemSize);
        Fields.push_back(F);
      }
    return true;
  }

  bool walkStruct(uint32_t Id, uint32_t BaseOff, unsigned Level) {
    const auto *S = dyn_cast_or_null<BTF::StructType>(type(Id));
    if (!S || S->getKind() != BTF::BTF_KIND_STRUCT)
      return true;
    bool KindFlag = S->Info >> 31;
    uint32_t Idx = 0;
    for (const BTF::BTFMember &M : S->members()) {
      uint32_t Bits = KindFlag ? M.Offset & 0xffffff : M.Offset;
      if (Bits % 8)
        return fail(Problem::Unknown, "");
      if (!fieldOne(Id, Idx++, M.Type, BaseOff + Bits / 8, 0, Level))
        return false;
      if (Fields.size() > FieldsMax)
        return fail(Problem::Unknown, "");
    }
    return true;
  }

  bool
  walkDatasec(uint32_t Id,
              function_ref<std::optional<uint64_t>(StringRef)> SymbolValue) {
    const BTF::CommonType *T = type(Id);
    // Offsets libbpf fixes up from the symbol table.
    bool Fixup = T->Size == 0;
    if (Fixup && !SymbolValue)
      return fail(Problem::Unknown, "");
    ArrayRef<BTF::BTFDataSec> Vars(
        reinterpret_cast<const BTF::BTFDataSec *>(T + 1), T->getVlen());
    for (const BTF::BTFDataSec &V : Vars) {
      const BTF::CommonType *Var = type(V.Type);
      if (!Var || Var->getKind() != BTF::BTF_KIND_VAR)
        return fail(Problem::Unknown, "");
      uint64_t Off = V.Offset;
      if (Fixup) {
        std::optional<uint64_t> S = SymbolValue(name(Var));
        if (!S || *S > UINT32_MAX)
          return fail(Problem::Unknown, "");
        Off = *S;
      }
      if (!fieldOne(V.Type, uint32_t(-1), Var->Type, uint32_t(Off), V.Size, 0))
        return false;
      if (Fields.size() > FieldsMax)
        return fail(Problem::Unknown, "");
    }
    return true;
  }

  // btf_parse_fields after the walk: overlaps, the roots' node fields, and
  // the record-wide rules.
  void finish() {
    if (Result.Kind != Problem::None)
      return;
    uint32_t Next = 0;
    uint16_t Has = 0;
    for (const FieldInfo &F : Fields) {
      uint32_t Size = 8;
      for (const SpecialStruct &C : SpecialStructs)
        if (C.Kind == F.Kind)
          Size = C.Size;
      if (F.Off < Next) {
        fail(Problem::Unknown, "");
        return;
      }
      Next = F.Off + Size;
      Has |= F.Kind;
      if ((F.Kind == FListHead || F.Kind == FRbRoot) && !rootNode(F))
        return;
    }
    if ((Has & FSpinLock) && (Has & FResSpinLock)) {
      since(6, 15);
      fail(Problem::LockAndResLock,
           "has both a bpf_spin_lock and a bpf_res_spin_lock");
      return;
    }
    if ((Has & (FListHead | FRbRoot)) && !(Has & FSpinLock)) {
      fail(Problem::RootWithoutLock,
           "has a graph root but no bpf_spin_lock to protect it");
      return;
    }
    if (!(Has & FRefcount) && (Has & FListNode) && (Has & FRbNode)) {
      since(6, 4);
      fail(Problem::NodeWithoutRefcount,
           "has a bpf_list_node and a bpf_rb_node but no bpf_refcount");
      return;
    }
  }

  // btf_parse_graph_root: the node field of the contained struct.
  bool rootNode(const FieldInfo &F) {
    const char *NodeType =
        F.Kind == FListHead ? "bpf_list_node" : "bpf_rb_node";
    const auto *S = dyn_cast_or_null<BTF::StructType>(type(F.ValueType));
    if (!S) {
      fail(Problem::Unknown, "");
      return false;
    }
    bool KindFlag = S->Info >> 31;
    bool Found = false;
    for (const BTF::BTFMember &M : S->members()) {
      if (P.findString(M.NameOff) != F.NodeName)
        continue;
      const BTF::CommonType *N = type(M.Type);
      uint32_t Bits = KindFlag ? M.Offset & 0xffffff : M.Offset;
      if (Found || !N || N->getKind() != BTF::BTF_KIND_STRUCT ||
          name(N) != NodeType || Bits % 64) {
        fail(Problem::ContainsInvalid,
             "has a graph root whose __contains names field '" + F.NodeName +
                 "', which is not a " + NodeType);
        return false;
      }
      Found = true;
    }
    if (!Found) {
      fail(Problem::ContainsInvalid,
           "has a graph root whose __contains names field '" + F.NodeName +
               "', which its struct does not have");
      return false;
    }
    return true;
  }

  const BTFParser &P;
  uint16_t Mask;
  function_ref<StringRef(uint32_t)> KptrTag;
  uint16_t Seen = 0;
  std::vector<FieldInfo> Fields;
  Problem Result;
};
} // namespace detail

BtfKernelRecord BtfInfo::parseRecord(
    uint32_t Id, bool Nodes,
    function_ref<std::optional<uint64_t>(StringRef)> SymbolValue) const {
  BtfKernelRecord Rec;
  const BTF::CommonType *T = type(Id);
  if (!Parser || !T) {
    Rec.Problem.Kind = Problem::Unknown;
    return Rec;
  }
  uint16_t Mask =
      FSpinLock | FResSpinLock | FListHead | FRbRoot | FRefcount | FKptr;
  Mask |= Nodes ? uint16_t(FListNode | FRbNode) : uint16_t(FTimer | FWorkqueue);
  auto Tag = [this](uint32_t P) { return kptrTag(P); };
  detail::RecordWalker W(*Parser, Mask, Tag);
  W.Result.TypeId = Id;
  if (T->getKind() == BTF::BTF_KIND_STRUCT)
    W.walkStruct(Id, 0, 0);
  else if (T->getKind() == BTF::BTF_KIND_DATASEC)
    W.walkDatasec(Id, SymbolValue);
  else
    return Rec; // No record at all.
  W.finish();
  Rec.Problem = W.Result;
  if (Rec.Problem.Kind != Problem::None)
    return Rec;
  for (const FieldInfo &F : W.Fields) {
    Rec.SpinLock |= F.Kind == FSpinLock;
    Rec.ResSpinLock |= F.Kind == FResSpinLock;
    Rec.Others |= F.Kind != FSpinLock;
    if (F.Kind == FListHead)
      Rec.ListHeads.push_back(F.Off);
    if (F.Kind == FRbRoot)
      Rec.RbRoots.push_back(F.Off);
  }
  return Rec;
}

BtfKernelRecord BtfInfo::mapRecord(uint32_t ValueTypeId) const {
  return parseRecord(skipModifiers(ValueTypeId), /*Nodes=*/false);
}

bool BtfInfo::structRecordValid(uint32_t Id) const {
  return parseRecord(skipModifiers(Id), /*Nodes=*/true).Problem.Kind ==
         Problem::None;
}

std::optional<bool> BtfInfo::isStructKind(uint32_t Id) const {
  const BTF::CommonType *T = type(Id);
  if (!T)
    return std::nullopt;
  return T->getKind() == BTF::BTF_KIND_STRUCT;
}

void BtfInfo::computeStructMetaProblem() {
  if (!Parser)
    return;
  // alloc_obj_fields: the first struct of each special name, and every
  // kptr pointer type.
  std::vector<uint32_t> Special;
  for (const SpecialStruct &C : SpecialStructs) {
    if (C.Kind == FTimer || C.Kind == FWorkqueue)
      continue;
    for (uint32_t Id = 1, N = Parser->typesCount(); Id < N; ++Id) {
      const BTF::CommonType *T = type(Id);
      if (T && T->getKind() == BTF::BTF_KIND_STRUCT &&
          Parser->findString(T->NameOff) == C.Name) {
        Special.push_back(Id);
        break;
      }
    }
  }
  uint32_t N = Parser->typesCount();
  for (uint32_t Id = 1; Id < N; ++Id) {
    StringRef Tag = kptrTag(Id);
    if (!Tag.empty() && Tag != "!invalid")
      Special.push_back(Id);
  }
  if (Special.empty())
    return;
  // Struct records, then the ownership rule over them.
  std::map<uint32_t, BtfKernelRecord> Records;
  std::map<uint32_t, bool> HasNode;
  for (uint32_t Id = 1; Id < N; ++Id) {
    const auto *S = dyn_cast_or_null<BTF::StructType>(type(Id));
    if (!S || S->getKind() != BTF::BTF_KIND_STRUCT ||
        none_of(S->members(), [&](const BTF::BTFMember &M) {
          return is_contained(Special, M.Type);
        }))
      continue;
    BtfKernelRecord Rec = parseRecord(Id, /*Nodes=*/true);
    if (Rec.Problem.Kind != Problem::None) {
      if (Rec.Problem) {
        MetaProblem = Rec.Problem;
        MetaProblem.What = typeName(Id) + " " + MetaProblem.What;
        KernelProblem = MetaProblem.What;
      }
      // Unknown: we cannot tell whether the kernel accepts the BTF.
      return;
    }
    // The node fields are direct or nested members (nodes only matter
    // for the ownership rule; a nested one is seen by 6.10+ only, which
    // only makes us name a cycle on fewer kernels).
    bool Node = false;
    for (const BTF::BTFMember &M : S->members()) {
      const BTF::CommonType *T = type(M.Type);
      StringRef Name = T ? Parser->findString(T->NameOff) : "";
      Node |= T && T->getKind() == BTF::BTF_KIND_STRUCT &&
              (Name == "bpf_list_node" || Name == "bpf_rb_node");
    }
    HasNode[Id] = Node;
    Records.emplace(Id, std::move(Rec));
  }
  // btf_check_and_fixup_fields: a struct that is a node and a root may
  // only own structs that are no roots.
  for (auto &[Id, Rec] : Records) {
    if (!HasNode[Id] || (Rec.ListHeads.empty() && Rec.RbRoots.empty()))
      continue;
    // The contained types: re-walk to get them.
    auto Tag = [this](uint32_t P) { return kptrTag(P); };
    detail::RecordWalker W(*Parser,
                           FSpinLock | FResSpinLock | FListHead | FRbRoot |
                               FRefcount | FKptr | FListNode | FRbNode,
                           Tag);
    W.walkStruct(Id, 0, 0);
    for (const FieldInfo &F : W.Fields) {
      if (F.Kind != FListHead && F.Kind != FRbRoot)
        continue;
      auto It = Records.find(F.ValueType);
      if (It == Records.end() ||
          (It->second.ListHeads.empty() && It->second.RbRoots.empty()))
        continue;
      MetaProblem.Kind = Problem::OwnershipCycle;
      MetaProblem.TypeId = Id;
      MetaProblem.What = typeName(Id) + " is a graph node and owns " +
                         typeName(F.ValueType) +
                         ", which is a graph root itself (an ownership "
                         "cycle)";
      KernelProblem = MetaProblem.What;
      return;
    }
  }
}

} // namespace bpflint::bc
