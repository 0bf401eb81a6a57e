// Graph kfuncs past the lock check at bytecode level (bpflint-objcheck):
// bpf_rbtree_add and bpf_list_push_* take the owning reference and leave a
// non-owning one until the unlock (GRAPH-017 insert it again, GRAPH-018 use
// it after the unlock, GRAPH-013 drop it); bpf_list_pop_* returns an owning
// NULL-able node (GRAPH-012 leak, COM-004 drop of the node pointer). The
// KERNEL lines are the running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct node_data {
  long key;
  long data;
  struct bpf_rb_node node;
};

struct item {
  long data;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);
private(A) struct bpf_list_head ghead __contains(item, node);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *na = container_of(a, struct node_data, node);
  struct node_data *nb = container_of(b, struct node_data, node);
  return na->key < nb->key;
}

// KERNEL-DAG: add_fixed: accept
SEC("tc")
int add_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  n->key = 3;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  long d = n->data;
  bpf_spin_unlock(&glock);
  return d;
}

// KERNEL-DAG: read_after_unlock: reject: R{{[0-9]+}} invalid mem access 'scalar'
SEC("tc")
int read_after_unlock(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  n->key = 3;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return n->data;
}
// CHECK-DAG: graph-owning.c:[[@LINE-2]]:{{[0-9]+}}: warning: non-owning reference in R{{[0-9]+}} is accessed after bpf_spin_unlock invalidated it (verifier: "R%d invalid mem access 'scalar'") [bpflint-graph-use-after-unlock]

// KERNEL-DAG: add_twice: reject: arg#1 expected pointer to allocated object
SEC("tc")
int add_twice(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}
// CHECK-DAG: graph-owning.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_rbtree_add_impl is given in R2 a non-owning reference: the node is already in a list or tree (verifier: "arg#%d expected pointer to allocated object") [bpflint-graph-insert-non-owning]

// KERNEL-DAG: drop_after_add: reject: R{{[0-9]+}} must be referenced or trusted
SEC("tc")
int drop_after_add(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  bpf_obj_drop(n);
  return 0;
}
// CHECK-DAG: graph-owning.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_obj_drop is given in R1 a non-owning reference (a node in a list or tree) that the unlock invalidated (verifier: "R%d must be referenced or trusted") [bpflint-graph-drop-non-owning]

// KERNEL-DAG: pop_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int pop_leak(void *ctx) {
  struct bpf_list_node *l;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&glock);
  if (!l)
    return 0;
  return container_of(l, struct item, node)->data;
}
// CHECK-DAG: graph-owning.c:[[@LINE-1]]:{{[0-9]+}}: warning: object from bpf_obj_new is neither dropped, inserted nor stashed on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-graph-leak]

// KERNEL-DAG: pop_fixed: accept
SEC("tc")
int pop_fixed(void *ctx) {
  struct bpf_list_node *l;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&glock);
  if (!l)
    return 0;
  struct item *it = container_of(l, struct item, node);
  long d = it->data;
  bpf_obj_drop(it);
  return d;
}

// KERNEL-DAG: drop_popped_node: reject: R{{[0-9]+}} must have zero offset when passed to release func or trusted arg to kfunc
SEC("tc")
int drop_popped_node(void *ctx) {
  struct bpf_list_node *l;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&glock);
  if (!l)
    return 0;
  bpf_obj_drop(l);
  return 0;
}
// CHECK-DAG: graph-owning.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_obj_drop is given a pointer 8 bytes into the object (e.g. to its node), not the object (verifier: "R%d must have zero offset when passed to release func or trusted arg to kfunc") [bpflint-graph-drop-offset-pointer]

// KERNEL-DAG: push_fixed: accept
SEC("tc")
int push_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  it->data = 1;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// The unlock turns the non-owning result of bpf_rbtree_first into an
// unknown scalar: the NULL test explores both outcomes, container_of keeps
// it a scalar, and the load through it is rejected.
// KERNEL-DAG: first_after_unlock: reject: R{{[0-9]+}} invalid mem access 'scalar'
SEC("tc")
int first_after_unlock(void *ctx) {
  struct bpf_rb_node *r;
  long key = 0;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  bpf_spin_unlock(&glock);
  if (r)
    key = container_of(r, struct node_data, node)->key;
  return key;
}
// CHECK-DAG: graph-owning.c:[[@LINE-3]]:{{[0-9]+}}: warning: non-owning reference in R{{[0-9]+}} is accessed after bpf_spin_unlock invalidated it (verifier: "R%d invalid mem access 'scalar'") [bpflint-graph-use-after-unlock]

// KERNEL-DAG: first_fixed: accept
SEC("tc")
int first_fixed(void *ctx) {
  struct bpf_rb_node *r;
  long key = 0;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  if (r)
    key = container_of(r, struct node_data, node)->key;
  bpf_spin_unlock(&glock);
  return key;
}
