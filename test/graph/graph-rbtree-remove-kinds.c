// GRAPH-020 as the 6.18 kernel has it: bpf_rbtree_remove takes a
// non-owning node (a bpf_rbtree_first result) or an owning one, also a
// fresh bpf_obj_new object that was never added (the kernel accepts it, and
// the call returns NULL at run time) and a refcounted object whose other
// reference is in the tree. RULES.md's "can only take non-owning or
// refcounted bpf_rb_node pointer" rejection was not reproduced on 6.18, so
// bpflint reports none of these. GRAPH-021 (the kinds of results) is
// covered by graph-use-before-null-check.c, graph-leak.c (pop/remove results
// are owning and NULL-able), graph-drop-non-owning.c and
// graph-use-after-unlock.c (first/front results are non-owning).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// expected-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct node_data {
  long key;
  struct bpf_refcount ref;
  struct bpf_rb_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct node_data, node)->key <
         container_of(b, struct node_data, node)->key;
}

// Never added: the remove fails at run time (NULL) and n is still owned.
// KERNEL-DAG: remove_fresh: accept
SEC("tc")
int remove_fresh(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  struct bpf_rb_node *res;

  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  res = bpf_rbtree_remove(&groot, &n->node);
  bpf_spin_unlock(&glock);
  if (res)
    bpf_obj_drop(container_of(res, struct node_data, node));
  bpf_obj_drop(n);
  return 0;
}

// KERNEL-DAG: remove_first: accept
SEC("tc")
int remove_first(void *ctx) {
  struct bpf_rb_node *res;

  bpf_spin_lock(&glock);
  res = bpf_rbtree_first(&groot);
  if (res)
    res = bpf_rbtree_remove(&groot, res);
  bpf_spin_unlock(&glock);
  if (res)
    bpf_obj_drop(container_of(res, struct node_data, node));
  return 0;
}

// One reference goes to the tree, the other removes it again.
// KERNEL-DAG: remove_refcounted: accept
SEC("tc")
int remove_refcounted(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data), *m;
  struct bpf_rb_node *res;

  if (!n)
    return 0;
  m = bpf_refcount_acquire(n);
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  res = bpf_rbtree_remove(&groot, &m->node);
  bpf_spin_unlock(&glock);
  bpf_obj_drop(m);
  if (res)
    bpf_obj_drop(container_of(res, struct node_data, node));
  return 0;
}
