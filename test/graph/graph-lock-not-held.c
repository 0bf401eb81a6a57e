// GRAPH-015: every list/rbtree kfunc needs the lock that protects the root
// held. Bad programs are flagged, their _fixed twins are silent, and the
// KERNEL lines are the running kernel's verdicts. The graph kfuncs do not
// exist on 6.1: nothing is reported for that profile.
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
  long data;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

struct map_value {
  long count;
  struct bpf_spin_lock lock;
  struct bpf_list_head head __contains(item, node);
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct map_value);
} lists SEC(".maps");

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *na = container_of(a, struct node_data, node);
  struct node_data *nb = container_of(b, struct node_data, node);
  return na->key < nb->key;
}

// KERNEL-DAG: add_unlocked: reject: bpf_spin_lock at off={{[0-9]+}} must be held for bpf_rb_root
SEC("tc")
int add_unlocked(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  n->key = 1;
  bpf_rbtree_add(&groot, &n->node, less); // expected-warning {{bpf_rbtree_add() without the lock that protects the bpf_rb_root; take the bpf_spin_lock next to it first (verifier: "bpf_spin_lock at off=%d must be held for bpf_rb_root") [bpflint-graph-lock-not-held]}}
  return 0;
}

// KERNEL-DAG: add_unlocked_fixed: accept
SEC("tc")
int add_unlocked_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  n->key = 1;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}

// The pop happens after the unlock.
// KERNEL-DAG: pop_after_unlock: reject: bpf_spin_lock at off=8 must be held for bpf_list_head
SEC("tc")
int pop_after_unlock(void *ctx) {
  int key = 0;
  struct map_value *v = bpf_map_lookup_elem(&lists, &key);
  struct bpf_list_node *l;
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->count++;
  bpf_spin_unlock(&v->lock);
  l = bpf_list_pop_front(&v->head); // expected-warning {{bpf_list_pop_front() without the lock that protects the bpf_list_head; take the bpf_spin_lock next to it first (verifier: "bpf_spin_lock at off=8 must be held for bpf_list_head") [bpflint-graph-lock-not-held]}}
  if (l)
    bpf_obj_drop(container_of(l, struct item, node));
  return 0;
}

// KERNEL-DAG: pop_after_unlock_fixed: accept
SEC("tc")
int pop_after_unlock_fixed(void *ctx) {
  int key = 0;
  struct map_value *v = bpf_map_lookup_elem(&lists, &key);
  struct bpf_list_node *l;
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->count++;
  l = bpf_list_pop_front(&v->head);
  bpf_spin_unlock(&v->lock);
  if (l)
    bpf_obj_drop(container_of(l, struct item, node));
  return 0;
}

// A peek without the lock.
// KERNEL-DAG: first_unlocked: reject: bpf_spin_lock at off={{[0-9]+}} must be held for bpf_rb_root
SEC("tc")
int first_unlocked(void *ctx) {
  struct bpf_rb_node *r = bpf_rbtree_first(&groot); // expected-warning {{bpf_rbtree_first() without the lock}}
  return r ? 1 : 0;
}

// KERNEL-DAG: first_unlocked_fixed: accept
SEC("tc")
int first_unlocked_fixed(void *ctx) {
  struct bpf_rb_node *r;
  bpf_spin_lock(&glock);
  r = bpf_rbtree_first(&groot);
  bpf_spin_unlock(&glock);
  return r ? 1 : 0;
}

// Also keeps struct item in the program BTF: a __contains target that is
// only ever cast to (container_of) is not emitted, and the kernel then
// rejects the whole object's BTF (GRAPH-002).
// KERNEL-DAG: push_locked: accept
SEC("tc")
int push_locked(void *ctx) {
  int key = 0;
  struct map_value *v = bpf_map_lookup_elem(&lists, &key);
  struct item *it;
  if (!v)
    return 0;
  it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&v->lock);
  bpf_list_push_front(&v->head, &it->node);
  bpf_spin_unlock(&v->lock);
  return 0;
}
