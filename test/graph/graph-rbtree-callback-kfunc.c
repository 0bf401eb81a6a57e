// GRAPH-023, variant cb-kfunc: the less() callback of bpf_rbtree_add runs
// while the tree is being changed; it may compare its two nodes (and, on
// 6.18, even call bpf_rbtree_first), but not remove them or walk from them
// (bpf_rbtree_remove/left/right).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program add_evicting | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program add_evicting_fixed --program add_peeking
// OBJ: graph-rbtree-callback-kfunc.c:[[@LINE+20]]:{{[0-9]+}}: warning: the less() callback 'less_remove' of bpf_rbtree_add calls bpf_rbtree_remove (verifier: "bpf_rbtree_remove not allowed in rbtree cb") [bpflint-graph-rbtree-callback-not-static]
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct node_data {
  long key;
  struct bpf_rb_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

static bool less_remove(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *na = container_of(a, struct node_data, node);

  // Evict stale entries while comparing.
  if (na->key < 0)
    bpf_rbtree_remove(&groot, &na->node); // expected-warning {{'less_remove' is the less() callback of bpf_rbtree_add and calls bpf_rbtree_remove() on one of its nodes; the callback runs while the tree is being changed: only compare the nodes there (verifier: "bpf_rbtree_remove not allowed in rbtree cb") [bpflint-graph-rbtree-callback-not-static]}}
  return na->key < container_of(b, struct node_data, node)->key;
}

static bool less_compare(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct node_data, node)->key <
         container_of(b, struct node_data, node)->key;
}

// Accepted on 6.18: first() takes no node.
static bool less_first(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct bpf_rb_node *f = bpf_rbtree_first(&groot);
  return f == a || container_of(a, struct node_data, node)->key <
                       container_of(b, struct node_data, node)->key;
}

// KERNEL-DAG: add_evicting: reject: bpf_rbtree_remove not allowed in rbtree cb
SEC("tc")
int add_evicting(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less_remove);
  bpf_spin_unlock(&glock);
  return 0;
}

// Evict after the add, under the same lock.
// KERNEL-DAG: add_evicting_fixed: accept
SEC("tc")
int add_evicting_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  struct bpf_rb_node *f;

  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less_compare);
  f = bpf_rbtree_first(&groot);
  if (f && container_of(f, struct node_data, node)->key < 0)
    f = bpf_rbtree_remove(&groot, f);
  else
    f = NULL;
  bpf_spin_unlock(&glock);
  if (f)
    bpf_obj_drop(container_of(f, struct node_data, node));
  return 0;
}

// KERNEL-DAG: add_peeking: accept
SEC("tc")
int add_peeking(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less_first);
  bpf_spin_unlock(&glock);
  return 0;
}
