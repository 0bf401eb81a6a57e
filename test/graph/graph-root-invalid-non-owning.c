// GRAPH-014: a root inside an allocated object is usable only through an
// owning reference to that object (bpf_obj_new, pop, remove). A node reached
// through bpf_rbtree_first, or an object after it was added to a tree, is a
// non-owning reference: the kernel does not take it as a root argument,
// whatever lock is held.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %bpflint_cc -fsyntax-only %s 2>&1 | FileCheck %s --check-prefix=NOTES
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program peek_inner --program root_after_add | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program peek_inner_fixed --program root_after_add_fixed
// OBJ: graph-root-invalid-non-owning.c:[[@LINE+44]]:{{[0-9]+}}: warning: bpf_rbtree_first is given as its bpf_rb_root a field of a non-owning reference (a node in a list or tree), not of an owned object (verifier: "arg#0 expected pointer to map value or allocated object") [bpflint-graph-root-invalid]
// OBJ: graph-root-invalid-non-owning.c:[[@LINE+102]]:{{[0-9]+}}: warning: bpf_rbtree_add_impl is given as its bpf_rb_root a field of a non-owning reference (a node in a list or tree), not of an owned object (verifier: "arg#0 expected pointer to map value or allocated object") [bpflint-graph-root-invalid]
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct leaf {
  long key;
  struct bpf_rb_node node;
};

// A group is a node of the global tree and the root of a tree of leaves.
struct group {
  long key;
  struct bpf_rb_node node;
  struct bpf_spin_lock lock;
  struct bpf_rb_root members __contains(leaf, node);
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groups __contains(group, node);

static bool leaf_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct leaf, node)->key <
         container_of(b, struct leaf, node)->key;
}

static bool group_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct group, node)->key <
         container_of(b, struct group, node)->key;
}

// KERNEL-DAG: peek_inner: reject: arg#0 expected pointer to map value or allocated object
SEC("tc")
int peek_inner(void *ctx) {
  struct bpf_rb_node *n, *m;
  long k = 0;

  bpf_spin_lock(&glock);
  n = bpf_rbtree_first(&groups);
  if (n) {
    struct group *g = container_of(n, struct group, node);
    m = bpf_rbtree_first(&g->members); // expected-warning {{bpf_rbtree_first() of a bpf_rb_root in an object reached through a non-owning reference (a node that is in a list or tree); only map values, global sections and owning references (new, popped or removed objects) hold usable roots (verifier: "arg#0 expected pointer to map value or allocated object") [bpflint-graph-root-invalid]}}
    if (m)
      k = container_of(m, struct leaf, node)->key;
  }
  bpf_spin_unlock(&glock);
  return k;
}

// Remove the group first: the owning reference's root is usable, under
// the group's own lock.
// KERNEL-DAG: peek_inner_fixed: accept
SEC("tc")
int peek_inner_fixed(void *ctx) {
  struct bpf_rb_node *n, *m;
  struct group *g;
  long k = 0;

  bpf_spin_lock(&glock);
  n = bpf_rbtree_first(&groups);
  if (!n) {
    bpf_spin_unlock(&glock);
    return 0;
  }
  n = bpf_rbtree_remove(&groups, n);
  bpf_spin_unlock(&glock);
  if (!n)
    return 0;
  g = container_of(n, struct group, node);
  bpf_spin_lock(&g->lock);
  m = bpf_rbtree_first(&g->members);
  if (m)
    k = container_of(m, struct leaf, node)->key;
  bpf_spin_unlock(&g->lock);
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groups, &g->node, group_less);
  bpf_spin_unlock(&glock);
  return k;
}

// The path notes say where the group was allocated and where the tree took
// it over.
// NOTES: [[@LINE+18]]:3: warning: bpf_rbtree_add() of a bpf_rb_root in an object reached through a non-owning reference
// NOTES: [[@LINE+5]]:21: note: object allocated here
// NOTES: [[@LINE+15]]:3: note: ownership passed to the tree here; the pointer is non-owning until the unlock
// KERNEL-DAG: root_after_add: reject: arg#0 expected pointer to map value or allocated object
SEC("tc")
int root_after_add(void *ctx) {
  struct group *g = bpf_obj_new(struct group);
  struct leaf *l;

  if (!g)
    return 0;
  l = bpf_obj_new(struct leaf);
  if (!l) {
    bpf_obj_drop(g);
    return 0;
  }
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groups, &g->node, group_less);
  bpf_rbtree_add(&g->members, &l->node, leaf_less); // expected-warning {{bpf_rbtree_add() of a bpf_rb_root in an object reached through a non-owning reference}}
  bpf_spin_unlock(&glock);
  return 0;
}

// Fill the group while it is still owned, then add it.
// KERNEL-DAG: root_after_add_fixed: accept
SEC("tc")
int root_after_add_fixed(void *ctx) {
  struct group *g = bpf_obj_new(struct group);
  struct leaf *l;

  if (!g)
    return 0;
  l = bpf_obj_new(struct leaf);
  if (!l) {
    bpf_obj_drop(g);
    return 0;
  }
  bpf_spin_lock(&g->lock);
  bpf_rbtree_add(&g->members, &l->node, leaf_less);
  bpf_spin_unlock(&g->lock);
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groups, &g->node, group_less);
  bpf_spin_unlock(&glock);
  return 0;
}
