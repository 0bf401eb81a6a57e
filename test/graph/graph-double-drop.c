// COM-003 for allocated objects: an object is dropped only once.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct node_data {
  long key;
  long data;
  struct bpf_rb_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *na = container_of(a, struct node_data, node);
  struct node_data *nb = container_of(b, struct node_data, node);
  return na->key < nb->key;
}


// KERNEL-DAG: drop_twice: reject: R1 must be referenced or trusted
SEC("tc")
int drop_twice(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  if (n->key == 0)
    bpf_obj_drop(n); // expected-note {{object dropped here}}
  else
    n->key = 0;
  bpf_obj_drop(n); // expected-warning {{bpf_obj_drop() of an object that was already dropped with bpf_obj_drop (verifier: "R1 must be referenced or trusted") [bpflint-graph-double-drop]}}
  return 0;
}

// KERNEL-DAG: drop_twice_fixed: accept
SEC("tc")
int drop_twice_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  if (n->key != 0)
    n->key = 0;
  bpf_obj_drop(n);
  return 0;
}

// Keeps the rbtree root and less() in use.
// KERNEL-DAG: add_one: accept
SEC("tc")
int add_one(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}
