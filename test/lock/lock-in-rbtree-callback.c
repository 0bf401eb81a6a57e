// LOCK-025: bpf_rbtree_add runs the less() callback with the tree's lock
// held; the callback may not lock or unlock.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program add_node | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program add_node_fixed
// OBJ: lock-in-rbtree-callback.c:[[@LINE+26]]:{{[0-9]+}}: warning: the less() callback 'less_relocking' of bpf_rbtree_add calls bpf_spin_unlock (verifier: "can't spin_{lock,unlock} in rbtree cb") [bpflint-lock-in-rbtree-callback]

#include "bpf_test.h"

// There are no rbtrees before 6.3.
// k61-no-diagnostics

struct node_data {
  long key;
  long data;
  struct bpf_rb_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *node_a = container_of(a, struct node_data, node);
  struct node_data *node_b = container_of(b, struct node_data, node);
  return node_a->key < node_b->key;
}

// "Refreshing" the lock inside the comparison.
static bool less_relocking(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *node_a = container_of(a, struct node_data, node);
  struct node_data *node_b = container_of(b, struct node_data, node);
  bpf_spin_unlock(&glock); // expected-warning {{'less_relocking' is the less() callback of bpf_rbtree_add, which runs with the tree's lock held; it may not lock or unlock (verifier: "can't spin_{lock,unlock} in rbtree cb") [bpflint-lock-in-rbtree-callback]}}
  bpf_spin_lock(&glock); // expected-warning {{'less_relocking' is the less() callback of bpf_rbtree_add}}
  return node_a->key < node_b->key;
}

// KERNEL-DAG: add_node: reject: can't spin_{lock,unlock} in rbtree cb
SEC("tc")
int add_node(void *ctx) {
  struct node_data *n = bpf_obj_new(typeof(*n));
  if (!n)
    return 1;
  n->key = 5;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less_relocking); // expected-note 2 {{passed to bpf_rbtree_add here}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: add_node_fixed: accept
SEC("tc")
int add_node_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(typeof(*n));
  if (!n)
    return 1;
  n->key = 5;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
