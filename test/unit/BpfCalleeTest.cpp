#include "bpflint/Model/BpfCallee.h"
#include "ASTTestUtil.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "gtest/gtest.h"
#include <vector>

using namespace bpflint;
using namespace bpflint::test;
using namespace clang;

namespace {
struct CallCollector : RecursiveASTVisitor<CallCollector> {
  std::vector<const CallExpr *> Calls;
  bool VisitCallExpr(CallExpr *CE) {
    Calls.push_back(CE);
    return true;
  }
};

std::vector<BpfCallee> calleesIn(ASTUnit &AST, llvm::StringRef Function) {
  CallCollector Collector;
  Collector.TraverseDecl(
      const_cast<FunctionDecl *>(findDecl<FunctionDecl>(AST, Function)));
  std::vector<BpfCallee> Result;
  for (const CallExpr *CE : Collector.Calls)
    Result.push_back(classifyCallee(CE));
  return Result;
}
} // namespace

TEST(BpfCalleeTest, HelpersByIdNotByName) {
  auto AST = buildBpfAST(R"(
    /* A renamed declaration still is helper 131. */
    static void *(*const my_reserve)(void *, __u64, __u64) = (void *)131;
    struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); }
        rb SEC(".maps");
    SEC("tc") int prog(void *ctx) {
      void *a = bpf_ringbuf_reserve(&rb, 8, 0);
      void *b = my_reserve(&rb, 8, 0);
      ((long (*)(void *, __u64))133)(a, 0);
      return 0;
    }
  )");
  ASSERT_TRUE(AST);
  auto Callees = calleesIn(*AST, "prog");
  ASSERT_EQ(Callees.size(), 3u);
  EXPECT_TRUE(Callees[0].isHelper(HelperId::bpf_ringbuf_reserve));
  EXPECT_TRUE(Callees[1].isHelper(HelperId::bpf_ringbuf_reserve));
  EXPECT_TRUE(Callees[2].isHelper(HelperId::bpf_ringbuf_discard));
}

TEST(BpfCalleeTest, KfuncsByNameWithOrWithoutImpl) {
  auto AST = buildBpfAST(R"(
    extern void *bpf_obj_new_impl(__u64 type_id, void *meta) __ksym;
    extern void bpf_obj_drop(void *p) __ksym;
    extern void unknown_kfunc(void) __ksym;
    static int local(void) { return 0; }
    SEC("tc") int prog(void *ctx) {
      void *p = bpf_obj_new_impl(1, 0);
      bpf_obj_drop(p);
      unknown_kfunc();
      return local();
    }
  )");
  auto Callees = calleesIn(*AST, "prog");
  ASSERT_EQ(Callees.size(), 4u);
  EXPECT_TRUE(Callees[0].isKfunc(KfuncId::bpf_obj_new));
  EXPECT_TRUE(Callees[1].isKfunc(KfuncId::bpf_obj_drop));
  EXPECT_FALSE(Callees[2].isKnown());
  EXPECT_FALSE(Callees[3].isKnown());
}

TEST(BpfCalleeTest, EntryKinds) {
  auto AST = buildBpfAST(R"(
    static int helper(int x) { return x; }
    static inline int inl(int x) { return x; }
    __noinline int global_sub(int x) { return x; }
    int maybe_inlined(int x) { return x; }
    SEC("xdp") int prog(void *ctx) {
      return helper(1) + inl(2) + global_sub(3) + maybe_inlined(4);
    }
  )");
  EXPECT_EQ(entryKindOf(findDecl<FunctionDecl>(*AST, "prog")),
            EntryKind::Program);
  EXPECT_EQ(entryKindOf(findDecl<FunctionDecl>(*AST, "global_sub")),
            EntryKind::GlobalSubprogram);
  EXPECT_EQ(entryKindOf(findDecl<FunctionDecl>(*AST, "helper")),
            EntryKind::None);
  EXPECT_EQ(entryKindOf(findDecl<FunctionDecl>(*AST, "inl")), EntryKind::None);
  EXPECT_EQ(entryKindOf(findDecl<FunctionDecl>(*AST, "maybe_inlined")),
            EntryKind::None);
}

TEST(BpfCalleeTest, HelperTableRoundTrips) {
  EXPECT_EQ(helperName(93), "bpf_spin_lock");
  EXPECT_EQ(helperByName("bpf_ringbuf_submit"), HelperId::bpf_ringbuf_submit);
  EXPECT_FALSE(helperById(100000));
  EXPECT_EQ(helperName(0), "");
}
