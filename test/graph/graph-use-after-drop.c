// COM-002 for allocated objects: bpf_obj_drop and bpf_kptr_xchg release the
// reference; every copy of the pointer is dead afterwards.
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


// KERNEL-DAG: read_after_drop: reject: R{{[0-9]+}} invalid mem access 'scalar'
SEC("tc")
int read_after_drop(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_obj_drop(n); // expected-note {{object dropped here}}
  return n->data; // expected-warning {{object read after it was dropped with bpf_obj_drop (verifier: "R%d invalid mem access 'scalar'") [bpflint-graph-use-after-drop]}}
}

// KERNEL-DAG: read_after_drop_fixed: accept
SEC("tc")
int read_after_drop_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  long data;
  if (!n)
    return 0;
  data = n->data;
  bpf_obj_drop(n);
  return data;
}

// KERNEL-DAG: add_after_drop: reject: arg#1 expected pointer to allocated object
SEC("tc")
int add_after_drop(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_obj_drop(n);
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less); // expected-warning {{bpf_rbtree_add() of an object that was already dropped with bpf_obj_drop (verifier: "arg#1 expected pointer to allocated object") [bpflint-graph-use-after-drop]}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: add_after_drop_fixed: accept
SEC("tc")
int add_after_drop_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}
