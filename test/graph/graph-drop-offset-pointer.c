// COM-004 / GRAPH-027: bpf_obj_drop takes the object itself, not a pointer
// into it (such as its node).
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

struct first_node {
  struct bpf_list_node node;
  long data;
};

private(B) struct bpf_spin_lock llock;
private(B) struct bpf_list_head lhead __contains(first_node, node);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *na = container_of(a, struct node_data, node);
  struct node_data *nb = container_of(b, struct node_data, node);
  return na->key < nb->key;
}


// KERNEL-DAG: drop_node: reject: R1 must have zero offset when passed to release func or trusted arg to kfunc
SEC("tc")
int drop_node(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_obj_drop(&n->node); // expected-warning {{bpf_obj_drop() is given a pointer 16 bytes into the object; pass the object itself (container_of the node) (verifier: "R1 must have zero offset when passed to release func or trusted arg to kfunc") [bpflint-graph-drop-offset-pointer]}}
  return 0;
}

// KERNEL-DAG: drop_node_fixed: accept
SEC("tc")
int drop_node_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_obj_drop(n);
  return 0;
}

// A removed node points at the node, 16 bytes into its object.
// KERNEL-DAG: drop_removed_node: reject: R1 must have zero offset when passed to release func or trusted arg to kfunc
SEC("tc")
int drop_removed_node(void *ctx) {
  struct bpf_rb_node *n;

  bpf_spin_lock(&glock);
  n = bpf_rbtree_first(&groot);
  if (n)
    n = bpf_rbtree_remove(&groot, n);
  bpf_spin_unlock(&glock);
  if (n)
    bpf_obj_drop(n); // expected-warning {{bpf_obj_drop() is given a pointer 16 bytes into the object; pass the object itself (container_of the node) (verifier: "R1 must have zero offset when passed to release func or trusted arg to kfunc") [bpflint-graph-drop-offset-pointer]}}
  return 0;
}

// A cast does not move the pointer: still the node.
// KERNEL-DAG: drop_removed_node_cast: reject: R1 must have zero offset when passed to release func or trusted arg to kfunc
SEC("tc")
int drop_removed_node_cast(void *ctx) {
  struct bpf_rb_node *n;

  bpf_spin_lock(&glock);
  n = bpf_rbtree_first(&groot);
  if (n)
    n = bpf_rbtree_remove(&groot, n);
  bpf_spin_unlock(&glock);
  if (n)
    bpf_obj_drop((struct node_data *)n); // expected-warning {{bpf_obj_drop() is given a pointer 16 bytes into the object}}
  return 0;
}

// KERNEL-DAG: drop_removed_node_fixed: accept
SEC("tc")
int drop_removed_node_fixed(void *ctx) {
  struct bpf_rb_node *n;

  bpf_spin_lock(&glock);
  n = bpf_rbtree_first(&groot);
  if (n)
    n = bpf_rbtree_remove(&groot, n);
  bpf_spin_unlock(&glock);
  if (n)
    bpf_obj_drop(container_of(n, struct node_data, node));
  return 0;
}

// A node at offset 0 of its type may be dropped as it is.
// KERNEL-DAG: drop_popped_first_field: accept
SEC("tc")
int drop_popped_first_field(void *ctx) {
  struct bpf_list_node *n;

  bpf_spin_lock(&llock);
  n = bpf_list_pop_front(&lhead);
  bpf_spin_unlock(&llock);
  if (n)
    bpf_obj_drop(n);
  return 0;
}

// KERNEL-DAG: push_first_field: accept
SEC("tc")
int push_first_field(void *ctx) {
  struct first_node *n = bpf_obj_new(struct first_node);
  if (!n)
    return 0;
  bpf_spin_lock(&llock);
  bpf_list_push_front(&lhead, &n->node);
  bpf_spin_unlock(&llock);
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
