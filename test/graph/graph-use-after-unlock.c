// GRAPH-018: after bpf_rbtree_add/bpf_list_push_* the pointer is a non-owning
// reference, as are bpf_rbtree_first/bpf_list_front results. bpf_spin_unlock
// invalidates all of them: any later read or write is rejected.
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


// KERNEL-DAG: read_after_unlock: reject: R{{[0-9]+}} invalid mem access 'scalar'
SEC("tc")
int read_after_unlock(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  n->key = 3;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less); // expected-note {{ownership passed to the tree here; the pointer is non-owning until the unlock}}
  bpf_spin_unlock(&glock); // expected-note {{the unlock invalidates every non-owning reference}}
  return n->data; // expected-warning {{non-owning reference read after bpf_spin_unlock; use it only inside the critical section, or keep an owning reference (bpf_refcount_acquire) (verifier: "R%d invalid mem access 'scalar'") [bpflint-graph-use-after-unlock]}}
}

// KERNEL-DAG: read_after_unlock_fixed: accept
SEC("tc")
int read_after_unlock_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  long data;
  if (!n)
    return 0;
  n->key = 3;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  data = n->data; // still valid: the lock is held
  bpf_spin_unlock(&glock);
  return data;
}

// KERNEL-DAG: first_after_unlock: reject: R{{[0-9]+}} invalid mem access 'scalar'
SEC("tc")
int first_after_unlock(void *ctx) {
  struct bpf_rb_node *r;
  long key = 0;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  bpf_spin_unlock(&glock);
  if (r)
    key = container_of(r, struct node_data, node)->key; // expected-warning {{non-owning reference read after bpf_spin_unlock}}
  return key;
}

// KERNEL-DAG: first_after_unlock_fixed: accept
SEC("tc")
int first_after_unlock_fixed(void *ctx) {
  struct bpf_rb_node *r;
  long key = 0;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  if (r)
    key = container_of(r, struct node_data, node)->key;
  bpf_spin_unlock(&glock);
  return key;
}
