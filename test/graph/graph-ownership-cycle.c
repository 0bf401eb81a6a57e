// GRAPH-005: a type that is a list or rbtree node may hold roots, but only
// of types that hold no root themselves: the kernel refuses ownership
// cycles when it loads the program's BTF (-ELOOP). libbpf then loads the
// program without BTF and bpf_obj_new fails. The corrected program is the
// same file built with -DFIXED: the subtrees hold leaves, which own nothing.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t.fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.fixed.o | FileCheck %s --check-prefix=KERNEL-FIXED %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.fixed.o
// OBJ: graph-ownership-cycle.c:[[@LINE+50]]:{{[0-9]+}}: warning: bpf_obj_new without program BTF: the kernel rejects the object's BTF, since struct group is a graph node and owns struct group, which is a graph root itself (an ownership cycle) (verifier: "bpf_obj_new/bpf_percpu_obj_new requires prog BTF") [bpflint-graph-ownership-cycle]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct leaf {
  long key;
  struct bpf_rb_node node;
};

#ifndef FIXED
// A tree of trees of the same type: a group can hold groups.
struct group {
  long key;
  struct bpf_rb_node node;
  struct bpf_spin_lock lock;
  struct bpf_rb_root members __contains(group, node); // expected-warning {{struct group is a list or rbtree node and its 'members' holds itself, which has a bpf_rb_root 'members': a node type may own only types without roots (no ownership cycles); keep the roots in a map value or a global section (verifier: "bpf_obj_new/bpf_percpu_obj_new requires prog BTF") [bpflint-graph-ownership-cycle]}}
};
#define MEMBER group
#else
// A group holds leaves, which own nothing.
struct group {
  long key;
  struct bpf_rb_node node;
  struct bpf_spin_lock lock;
  struct bpf_rb_root members __contains(leaf, node);
};
#define MEMBER leaf
#endif

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groups __contains(group, node);

static bool group_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct group, node)->key <
         container_of(b, struct group, node)->key;
}

static bool member_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct MEMBER, node)->key <
         container_of(b, struct MEMBER, node)->key;
}

// KERNEL: add_group: reject: bpf_obj_new/bpf_percpu_obj_new requires prog BTF
// KERNEL-FIXED: add_group: accept
SEC("tc")
int add_group(void *ctx) {
  struct group *g = bpf_obj_new(struct group);
  struct MEMBER *m;

  if (!g)
    return 0;
  m = bpf_obj_new(struct MEMBER);
  if (!m) {
    bpf_obj_drop(g);
    return 0;
  }
  bpf_spin_lock(&g->lock);
  bpf_rbtree_add(&g->members, &m->node, member_less);
  bpf_spin_unlock(&g->lock);
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groups, &g->node, group_less);
  bpf_spin_unlock(&glock);
  return 0;
}
