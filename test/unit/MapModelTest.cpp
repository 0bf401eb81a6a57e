#include "bpflint/Model/MapModel.h"
#include "ASTTestUtil.h"
#include "gtest/gtest.h"

using namespace bpflint;
using namespace bpflint::test;
using namespace clang;

TEST(MapModelTest, BtfStyleDefinition) {
  auto AST = buildBpfAST(R"(
    struct val { int x; struct bpf_spin_lock lock; };
    struct {
      __uint(type, BPF_MAP_TYPE_HASH);
      __uint(max_entries, 128);
      __type(key, __u32);
      __type(value, struct val);
    } m SEC(".maps");
  )");
  ASSERT_TRUE(AST);
  auto Def = parseMapDefinition(findDecl<VarDecl>(*AST, "m"));
  ASSERT_TRUE(Def);
  EXPECT_FALSE(Def->Legacy);
  EXPECT_EQ(Def->mapType(), MapType::Hash);
  EXPECT_EQ(Def->MaxEntries, 128u);
  ASSERT_TRUE(Def->hasBtfValue());
  EXPECT_EQ(Def->ValueType.getAsString(), "struct val");
  EXPECT_EQ(Def->KeyType.getAsString(), "__u32");

  auto Fields = findSpecialFields(Def->ValueType, AST->getASTContext());
  ASSERT_EQ(Fields.size(), 1u);
  EXPECT_EQ(Fields[0].Kind, SpecialFieldKind::SpinLock);
  EXPECT_EQ(Fields[0].ByteOffset, 4u);
}

TEST(MapModelTest, RingbufWithoutKeyAndValue) {
  auto AST = buildBpfAST(R"(
    struct {
      __uint(type, BPF_MAP_TYPE_RINGBUF);
      __uint(max_entries, 256 * 1024);
    } rb SEC(".maps");
  )");
  auto Def = parseMapDefinition(findDecl<VarDecl>(*AST, "rb"));
  ASSERT_TRUE(Def);
  EXPECT_EQ(Def->mapType(), MapType::Ringbuf);
  EXPECT_EQ(Def->MaxEntries, 256u * 1024);
  EXPECT_FALSE(Def->hasBtfValue());
}

TEST(MapModelTest, LegacyDefinitionHasSizesButNoBtf) {
  auto AST = buildBpfAST(R"(
    struct bpf_map_def { unsigned type, key_size, value_size, max_entries,
                         map_flags; };
    struct bpf_map_def SEC("maps") legacy = {
      .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
      .max_entries = 1,
    };
  )");
  auto Def = parseMapDefinition(findDecl<VarDecl>(*AST, "legacy"));
  ASSERT_TRUE(Def);
  EXPECT_TRUE(Def->Legacy);
  EXPECT_EQ(Def->mapType(), MapType::Array);
  EXPECT_EQ(Def->KeySize, 4u);
  EXPECT_EQ(Def->ValueSize, 8u);
  EXPECT_FALSE(Def->hasBtfValue());
}

TEST(MapModelTest, GlobalDataIsAnImplicitArrayMap) {
  auto AST = buildBpfAST(R"(
    struct bpf_spin_lock glock SEC(".data.A");
    int counter;
    int initialised = 3;
    const volatile int filter_pid = 0;
    extern int LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));
  )");
  EXPECT_EQ(globalDataSection(findDecl<VarDecl>(*AST, "glock")), ".data.A");
  EXPECT_EQ(globalDataSection(findDecl<VarDecl>(*AST, "counter")), ".bss");
  EXPECT_EQ(globalDataSection(findDecl<VarDecl>(*AST, "initialised")), ".data");
  EXPECT_EQ(globalDataSection(findDecl<VarDecl>(*AST, "filter_pid")),
            ".rodata");
  EXPECT_EQ(globalDataSection(findDecl<VarDecl>(*AST, "LINUX_KERNEL_VERSION")),
            "");
  auto Def = parseMapDefinition(findDecl<VarDecl>(*AST, "glock"));
  ASSERT_TRUE(Def);
  EXPECT_TRUE(Def->GlobalData);
  EXPECT_EQ(Def->mapType(), MapType::Array);
}

TEST(MapModelTest, SpecialFieldsNestedArraysAndKptrs) {
  auto AST = buildBpfAST(R"(
    struct bpf_rb_root { __u64 a, b; };
    struct bpf_rb_node { __u64 a, b, c; };
    struct bpf_refcount { __u32 r; };
    struct task_struct;
    struct node { struct bpf_rb_node rb; struct bpf_refcount ref; long key; };
    struct inner { struct bpf_spin_lock lock; };
    struct val {
      struct inner in;
      struct bpf_spin_lock locks[2];
      struct bpf_rb_root root
          __attribute__((btf_decl_tag("contains:node:rb")));
      struct task_struct __attribute__((btf_type_tag("kptr"))) *task;
      struct node __attribute__((btf_type_tag("kptr_untrusted"))) *n;
    };
    struct val v;
  )");
  const VarDecl *V = findDecl<VarDecl>(*AST, "v");
  ASSERT_TRUE(V);
  auto Fields = findSpecialFields(V->getType(), AST->getASTContext());
  ASSERT_EQ(Fields.size(), 5u);
  EXPECT_EQ(Fields[0].Kind, SpecialFieldKind::SpinLock);
  EXPECT_FALSE(Fields[0].InArray);
  EXPECT_EQ(Fields[0].ByteOffset, 0u);
  EXPECT_EQ(Fields[1].Kind, SpecialFieldKind::SpinLock);
  EXPECT_TRUE(Fields[1].InArray);
  EXPECT_EQ(Fields[2].Kind, SpecialFieldKind::RbRoot);
  EXPECT_EQ(Fields[2].ContainsTag, "contains:node:rb");
  EXPECT_EQ(Fields[2].ByteOffset, 16u);
  EXPECT_EQ(Fields[3].Kind, SpecialFieldKind::Kptr);
  EXPECT_EQ(Fields[3].Pointee.getAsString(), "struct task_struct");
  EXPECT_EQ(Fields[4].Kind, SpecialFieldKind::KptrUntrusted);
}
