// GRAPH-017: push/add need an owning reference. A node already inserted (a
// non-owning reference, in the same critical section or after it) cannot be
// inserted again.
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


// KERNEL-DAG: add_twice: reject: arg#1 expected pointer to allocated object
SEC("tc")
int add_twice(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_rbtree_add(&groot, &n->node, less); // expected-warning {{bpf_rbtree_add() of a node that is already in a list or tree (a non-owning reference); insert an owning reference (a new object, or one removed or popped first) (verifier: "arg#1 expected pointer to allocated object") [bpflint-graph-insert-non-owning]}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: add_twice_fixed: accept
SEC("tc")
int add_twice_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  struct node_data *m = bpf_obj_new(struct node_data);
  if (!n || !m) {
    if (n)
      bpf_obj_drop(n);
    if (m)
      bpf_obj_drop(m);
    return 0;
  }
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_rbtree_add(&groot, &m->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}

// The first node is re-added in a second critical section.
// KERNEL-DAG: readd_first: reject: arg#1 expected pointer to allocated object
SEC("tc")
int readd_first(void *ctx) {
  struct bpf_rb_node *r;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  if (r)
    bpf_rbtree_add(&groot, r, less); // expected-warning {{bpf_rbtree_add() of a node that is already in a list or tree}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: readd_first_fixed: accept
SEC("tc")
int readd_first_fixed(void *ctx) {
  struct bpf_rb_node *r;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  if (r)
    r = bpf_rbtree_remove(&groot, r);
  if (r)
    bpf_rbtree_add(&groot, r, less);
  bpf_spin_unlock(&glock);
  return 0;
}
