// GRAPH-014: the root argument of a list or rbtree kfunc must point exactly
// at a root of the kfunc's kind (bpf_list_head for lists, bpf_rb_root for
// rbtrees) in a map value, a global section or an allocated object. The
// kernel checks this before the lock, so the lock held does not matter.
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

struct item {
  long key;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

private(B) struct bpf_spin_lock llock;
private(B) struct bpf_list_head ghead __contains(item, node);

struct value {
  struct bpf_spin_lock lock;
  struct bpf_rb_root root __contains(node_data, node);
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct value);
} trees SEC(".maps");

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *na = container_of(a, struct node_data, node);
  struct node_data *nb = container_of(b, struct node_data, node);
  return na->key < nb->key;
}

// KERNEL-DAG: list_kfunc_on_rb_root: reject: bpf_list_head not found at offset=8
SEC("tc")
int list_kfunc_on_rb_root(void *ctx) {
  struct bpf_list_node *n;
  int k = 0;
  struct value *v = bpf_map_lookup_elem(&trees, &k);

  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  n = bpf_list_pop_front((struct bpf_list_head *)&v->root); // expected-warning {{bpf_list_pop_front() is given a bpf_rb_root where a bpf_list_head is expected (verifier: "bpf_list_head not found at offset=8") [bpflint-graph-root-invalid]}}
  bpf_spin_unlock(&v->lock);
  if (n)
    bpf_obj_drop(container_of(n, struct item, node));
  return 0;
}

// KERNEL-DAG: list_kfunc_on_rb_root_fixed: accept
SEC("tc")
int list_kfunc_on_rb_root_fixed(void *ctx) {
  struct bpf_rb_node *n;
  int k = 0;
  struct value *v = bpf_map_lookup_elem(&trees, &k);

  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  n = bpf_rbtree_first(&v->root);
  if (n)
    n = bpf_rbtree_remove(&v->root, n);
  bpf_spin_unlock(&v->lock);
  if (n)
    bpf_obj_drop(container_of(n, struct node_data, node));
  return 0;
}

// The offset of a global in its section is the compiler's choice.
// KERNEL-DAG: rb_kfunc_on_list_head: reject: bpf_rb_root not found at offset={{[0-9]+}}
SEC("tc")
int rb_kfunc_on_list_head(void *ctx) {
  struct bpf_rb_node *n;

  bpf_spin_lock(&llock);
  n = bpf_rbtree_first((struct bpf_rb_root *)&ghead); // expected-warning {{bpf_rbtree_first() is given a bpf_list_head where a bpf_rb_root is expected (verifier: "bpf_rb_root not found at offset=%u") [bpflint-graph-root-invalid]}}
  bpf_spin_unlock(&llock);
  return n ? 1 : 0;
}

// KERNEL-DAG: rb_kfunc_on_list_head_fixed: accept
SEC("tc")
int rb_kfunc_on_list_head_fixed(void *ctx) {
  struct bpf_rb_node *n;

  bpf_spin_lock(&glock);
  n = bpf_rbtree_first(&groot);
  bpf_spin_unlock(&glock);
  return n ? 1 : 0;
}

// KERNEL-DAG: lock_as_root: reject: bpf_list_head not found at offset={{[0-9]+}}
SEC("tc")
int lock_as_root(void *ctx) {
  struct bpf_list_node *n;

  bpf_spin_lock(&llock);
  n = bpf_list_pop_front((struct bpf_list_head *)&llock); // expected-warning {{bpf_list_pop_front() is given a bpf_spin_lock where a bpf_list_head is expected}}
  bpf_spin_unlock(&llock);
  if (n)
    bpf_obj_drop(container_of(n, struct item, node));
  return 0;
}

// KERNEL-DAG: lock_as_root_fixed: accept
SEC("tc")
int lock_as_root_fixed(void *ctx) {
  struct bpf_list_node *n;

  bpf_spin_lock(&llock);
  n = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&llock);
  if (n)
    bpf_obj_drop(container_of(n, struct item, node));
  return 0;
}

// KERNEL-DAG: stack_root: reject: arg#0 expected pointer to map value or allocated object
SEC("tc")
int stack_root(void *ctx) {
  struct bpf_list_head head = {};
  struct bpf_list_node *n;

  bpf_spin_lock(&llock);
  n = bpf_list_pop_front(&head); // expected-warning {{bpf_list_pop_front() of a bpf_list_head on the stack; roots live in a map value, a global section or an allocated object, next to their lock (verifier: "arg#0 expected pointer to map value or allocated object") [bpflint-graph-root-invalid]}}
  bpf_spin_unlock(&llock);
  if (n)
    bpf_obj_drop(container_of(n, struct item, node));
  return 0;
}

// Keeps both node types in the program's BTF.
// KERNEL-DAG: add_both: accept
SEC("tc")
int add_both(void *ctx) {
  struct node_data *a = bpf_obj_new(struct node_data);
  struct item *b;

  if (!a)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &a->node, less);
  bpf_spin_unlock(&glock);
  b = bpf_obj_new(struct item);
  if (!b)
    return 0;
  bpf_spin_lock(&llock);
  bpf_list_push_back(&ghead, &b->node);
  bpf_spin_unlock(&llock);
  return 0;
}
