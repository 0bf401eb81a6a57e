// GRAPH-015, GRAPH-016 and GRAPH-012 at bytecode level: the lock check of
// the graph kfuncs' root argument (map values, global sections, inner maps
// of a map-in-map and objects from bpf_obj_new) and objects from
// bpf_obj_new leaked at exit. The KERNEL lines are the running kernel's
// verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// The graph kfuncs do not exist in 6.1: no graph rule there.
// RUN: %objcheck --kernel=6.1 %t.o | count 0

#include "bpf_test.h"

#define __array(name, val) typeof(val) *name[]

struct node {
  struct bpf_list_node l;
  long key;
};

// A type in both a list and an rbtree would need a bpf_refcount.
struct rnode {
  struct bpf_rb_node r;
  long key;
};

struct map_val {
  long data;
  struct bpf_spin_lock lock;
  struct bpf_list_head head __contains(node, l);
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, int);
  __type(value, struct map_val);
} vals SEC(".maps");

struct inner {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct map_val);
} inner_vals SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, int);
  __array(values, struct inner);
} outer SEC(".maps") = {
    .values = {[0] = &inner_vals},
};

// The root comes first in the section, the lock after it: the DATASEC's
// offsets are set by libbpf from the symbols.
private(A) struct bpf_rb_root groot __contains(rnode, r);
private(A) struct bpf_spin_lock glock;

// An object holding a list of nodes and its own lock.
struct holder {
  long pad;
  struct bpf_list_head head __contains(node, l);
  struct bpf_spin_lock lock;
};

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct rnode, r)->key <
         container_of(b, struct rnode, r)->key;
}

// KERNEL-DAG: map_nolock: reject: bpf_spin_lock at off=8 must be held for bpf_list_head
SEC("tc")
int map_nolock(void *ctx) {
  int key = 0;
  struct map_val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  struct node *n = bpf_obj_new(struct node);
  if (!n)
    return 0;
  bpf_list_push_front(&v->head, &n->l);
  return 0;
}
// CHECK: graph.c:[[@LINE-3]]:3: warning: bpf_list_push_front_impl on the bpf_list_head at offset 16 of a value of map 'vals' without holding its bpf_spin_lock (at offset 8) (verifier: "bpf_spin_lock at off=%d must be held for %s") [bpflint-graph-lock-not-held]

// KERNEL-DAG: map_nolock_fixed: accept
SEC("tc")
int map_nolock_fixed(void *ctx) {
  int key = 0;
  struct map_val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  struct node *n = bpf_obj_new(struct node);
  if (!n)
    return 0;
  bpf_spin_lock(&v->lock);
  bpf_list_push_front(&v->head, &n->l);
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: global_nolock: reject: bpf_spin_lock at off=16 must be held for bpf_rb_root
SEC("tc")
int global_nolock(void *ctx) {
  struct rnode *n = bpf_obj_new(struct rnode);
  if (!n)
    return 0;
  bpf_rbtree_add(&groot, &n->r, less);
  return 0;
}
// CHECK: graph.c:[[@LINE-3]]:3: warning: bpf_rbtree_add_impl on the bpf_rb_root at offset 0 of global data section '.data.A' without holding its bpf_spin_lock (at offset 16) (verifier: "bpf_spin_lock at off=%d must be held for %s") [bpflint-graph-lock-not-held]

// KERNEL-DAG: global_nolock_fixed: accept
SEC("tc")
int global_nolock_fixed(void *ctx) {
  struct rnode *n = bpf_obj_new(struct rnode);
  if (!n)
    return 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->r, less);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: first_nolock: reject: bpf_spin_lock at off=16 must be held for bpf_rb_root
SEC("tc")
int first_nolock(void *ctx) {
  if (bpf_rbtree_first(&groot))
    return 1;
  return 0;
}
// CHECK: graph.c:[[@LINE-4]]:7: warning: bpf_rbtree_first on the bpf_rb_root at offset 0 of global data section '.data.A' without holding its bpf_spin_lock (at offset 16) (verifier: "bpf_spin_lock at off=%d must be held for %s") [bpflint-graph-lock-not-held]

// Two elements of the same map: the lock of one does not protect the
// other's list.
// KERNEL-DAG: other_element: reject: bpf_spin_lock at off=8 must be held for bpf_list_head
SEC("tc")
int other_element(void *ctx) {
  int k0 = 0, k1 = 1;
  struct map_val *a = bpf_map_lookup_elem(&vals, &k0);
  if (!a)
    return 0;
  struct map_val *b = bpf_map_lookup_elem(&vals, &k1);
  if (!b)
    return 0;
  bpf_spin_lock(&a->lock);
  bpf_list_pop_front(&b->head);
  bpf_spin_unlock(&a->lock);
  return 0;
}
// CHECK: graph.c:[[@LINE-4]]:3: warning: bpf_list_pop_front on the bpf_list_head at offset 16 of a value of map 'vals' whose bpf_spin_lock (at offset 8) is not the lock held, the lock in a value of map 'vals' (id=1) (verifier: "held lock and object are not in the same allocation", "bpf_spin_lock at off=%d must be held for %s") [bpflint-graph-lock-wrong-allocation]

// KERNEL-DAG: other_element_fixed: accept
SEC("tc")
int other_element_fixed(void *ctx) {
  int k0 = 0, k1 = 1;
  struct map_val *a = bpf_map_lookup_elem(&vals, &k0);
  if (!a)
    return 0;
  struct map_val *b = bpf_map_lookup_elem(&vals, &k1);
  if (!b)
    return 0;
  bpf_spin_lock(&b->lock);
  struct bpf_list_node *l = bpf_list_pop_front(&b->head);
  bpf_spin_unlock(&b->lock);
  if (l)
    bpf_obj_drop(container_of(l, struct node, l));
  return 0;
}

// The value of an inner map of a map-in-map.
// KERNEL-DAG: inner_nolock: reject: bpf_spin_lock at off=8 must be held for bpf_list_head
SEC("tc")
int inner_nolock(void *ctx) {
  int key = 0;
  void *map = bpf_map_lookup_elem(&outer, &key);
  if (!map)
    return 0;
  struct map_val *v = bpf_map_lookup_elem(map, &key);
  if (!v)
    return 0;
  bpf_list_pop_back(&v->head);
  return 0;
}
// CHECK: graph.c:[[@LINE-3]]:3: warning: bpf_list_pop_back on the bpf_list_head at offset 16 of a value of map 'outer.inner' without holding its bpf_spin_lock (at offset 8) (verifier: "bpf_spin_lock at off=%d must be held for %s") [bpflint-graph-lock-not-held]

// The global lock does not protect an object's own list.
// KERNEL-DAG: object_wrong_lock: reject: bpf_spin_lock at off=24 must be held for bpf_list_head
SEC("tc")
int object_wrong_lock(void *ctx) {
  struct holder *h = bpf_obj_new(struct holder);
  if (!h)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_pop_front(&h->head);
  bpf_spin_unlock(&glock);
  bpf_obj_drop(h);
  return 0;
}
// CHECK: graph.c:[[@LINE-5]]:3: warning: bpf_list_pop_front on the bpf_list_head at offset 8 of an object from bpf_obj_new whose bpf_spin_lock (at offset 24) is not the lock held, the lock in global data section '.data.A' (verifier: "held lock and object are not in the same allocation", "bpf_spin_lock at off=%d must be held for %s") [bpflint-graph-lock-wrong-allocation]

// KERNEL-DAG: object_wrong_lock_fixed: accept
SEC("tc")
int object_wrong_lock_fixed(void *ctx) {
  struct holder *h = bpf_obj_new(struct holder);
  if (!h)
    return 0;
  bpf_spin_lock(&h->lock);
  struct bpf_list_node *l = bpf_list_pop_front(&h->head);
  bpf_spin_unlock(&h->lock);
  if (l)
    bpf_obj_drop(container_of(l, struct node, l));
  bpf_obj_drop(h);
  return 0;
}

// KERNEL-DAG: leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int leak(void *ctx) {
  struct node *n = bpf_obj_new(struct node);
  if (!n)
    return 0;
  if (bpf_get_prandom_u32() > 100)
    return 1;
  bpf_obj_drop(n);
  return 0;
}
// CHECK: graph.c:[[@LINE-1]]:1: warning: object from bpf_obj_new is neither dropped, inserted nor stashed on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-graph-leak]

// KERNEL-DAG: leak_fixed: accept
SEC("tc")
int leak_fixed(void *ctx) {
  struct node *n = bpf_obj_new(struct node);
  if (!n)
    return 0;
  if (bpf_get_prandom_u32() > 100) {
    bpf_obj_drop(n);
    return 1;
  }
  bpf_obj_drop(n);
  return 0;
}

// KERNEL-DAG: drop_unchecked: reject: Possibly NULL pointer passed to trusted arg0
SEC("tc")
int drop_unchecked(void *ctx) {
  struct node *n = bpf_obj_new(struct node);
  bpf_obj_drop(n);
  return 0;
}
// CHECK: graph.c:[[@LINE-3]]:3: warning: bpf_obj_drop is given an object from bpf_obj_new that may be NULL (verifier: "Possibly NULL pointer passed to trusted arg%d") [bpflint-graph-use-before-null-check]

// KERNEL-DAG: store_unchecked: reject: R0 invalid mem access 'ptr_or_null_'
SEC("tc")
int store_unchecked(void *ctx) {
  struct node *n = bpf_obj_new(struct node);
  n->key = 1;
  if (n)
    bpf_obj_drop(n);
  return 0;
}
// CHECK: graph.c:[[@LINE-5]]:10: warning: object from bpf_obj_new in R0 is accessed before it is checked for NULL (verifier: "R%d invalid mem access 'ptr_or_null_'") [bpflint-graph-use-before-null-check]

// KERNEL-DAG: arith_unchecked: reject: R0 pointer arithmetic on ptr_or_null_ prohibited, null-check it first
SEC("tc")
int arith_unchecked(void *ctx) {
  struct node *n = bpf_obj_new(struct node);
  asm volatile("%[p] += 8" : [p] "+r"(n));
  if (!n)
    return 0;
  bpf_obj_drop((char *)n - 8);
  return 0;
}
// CHECK: graph.c:[[@LINE-6]]:3: warning: arithmetic on the object from bpf_obj_new in R0 before it is checked for NULL (verifier: "R%d pointer arithmetic on ptr_or_null_ prohibited, null-check it first") [bpflint-graph-use-before-null-check]

// KERNEL-DAG: use_after_drop: reject: R6 invalid mem access 'scalar'
SEC("tc")
int use_after_drop(void *ctx) {
  struct node *n = bpf_obj_new(struct node);
  if (!n)
    return 0;
  bpf_obj_drop(n);
  return n->key;
}
// CHECK: graph.c:[[@LINE-2]]:13: warning: object from bpf_obj_new in R6 is accessed after bpf_obj_drop released it (verifier: "R%d invalid mem access 'scalar'") [bpflint-graph-use-after-drop]

char _license[] SEC("license") = "GPL";
