// GRAPH-023: the less() callback of bpf_rbtree_add must be a static
// function. (On 6.18 a callback that calls bpf_rbtree_first, or returns a
// value through bool, is accepted: those are not reported.)
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
  struct bpf_rb_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

bool less_global(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct node_data, node)->key <
         container_of(b, struct node_data, node)->key;
}

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct node_data, node)->key <
         container_of(b, struct node_data, node)->key;
}

// KERNEL-DAG: add_global_cb: reject: callback function not static
SEC("tc")
int add_global_cb(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less_global); // expected-warning {{'less_global' is the less() callback of bpf_rbtree_add; the kernel accepts only static functions as callbacks: declare it static (verifier: "callback function not static") [bpflint-graph-rbtree-callback-not-static]}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: add_global_cb_fixed: accept
SEC("tc")
int add_global_cb_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}
