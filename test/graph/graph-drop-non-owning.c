// GRAPH-013: bpf_obj_drop needs an owning reference. A node that is in a
// tree or list (a bpf_rbtree_first result, a node after add/push) belongs to
// it; remove or pop it first. (Dropping inside the critical section is
// LOCK-018, reported as lock-call-in-critical-section.)
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


// KERNEL-DAG: drop_first: reject: R1 must be referenced or trusted
SEC("tc")
int drop_first(void *ctx) {
  struct bpf_rb_node *r;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  bpf_spin_unlock(&glock);
  if (r)
    bpf_obj_drop(container_of(r, struct node_data, node)); // expected-warning {{bpf_obj_drop() of a non-owning reference: the node belongs to its list or tree; remove or pop it to get an owning reference (verifier: "R1 must be referenced or trusted") [bpflint-graph-drop-non-owning]}}
  return 0;
}

// KERNEL-DAG: drop_first_fixed: accept
SEC("tc")
int drop_first_fixed(void *ctx) {
  struct bpf_rb_node *r;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  if (r)
    r = bpf_rbtree_remove(&groot, r);
  bpf_spin_unlock(&glock);
  if (r)
    bpf_obj_drop(container_of(r, struct node_data, node));
  return 0;
}

// KERNEL-DAG: drop_after_add: reject: R1 must be referenced or trusted
SEC("tc")
int drop_after_add(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  bpf_obj_drop(n); // expected-warning {{bpf_obj_drop() of a non-owning reference}}
  return 0;
}

// KERNEL-DAG: drop_after_add_fixed: accept
SEC("tc")
int drop_after_add_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}
