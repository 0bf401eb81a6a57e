// Graph kfunc argument kinds at bytecode level (bpflint-objcheck): the node
// inserted must be the root's __contains node (GRAPH-019), the root a root
// of the kfunc's kind (GRAPH-014), bpf_refcount_acquire needs a
// bpf_refcount (GRAPH-024), bpf_percpu_obj_new a small struct of scalars
// (GRAPH-010) and percpu and plain objects have their own drop kfuncs
// (GRAPH-013). The KERNEL lines are the running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
  struct bpf_list_node other;
};

struct event {
  long a;
  long b;
  struct bpf_list_node node;
};

struct counted {
  long data;
  struct bpf_refcount ref;
};

struct plain {
  long data;
  struct bpf_list_node node;
};

struct counters {
  long hits;
  long misses;
};

struct big {
  long words[65];
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(item, node);

// KERNEL-DAG: wrong_type: reject: operation on bpf_list_head expects arg#1 bpf_list_node at offset=8 in struct item, but arg is at offset=16 in struct event
SEC("tc")
int wrong_type(void *ctx) {
  struct event *e = bpf_obj_new(struct event);
  if (!e)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &e->node);
  bpf_spin_unlock(&glock);
  return 0;
}
// CHECK-DAG: graph-kinds.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_list_push_back_impl on a bpf_list_head of struct item is given in R2 the bpf_list_node at offset 16 of struct event (verifier: "operation on %s expects arg#1 %s at offset=%d in struct %s, but arg is at offset=%d in struct %s") [bpflint-graph-wrong-node-type]

// KERNEL-DAG: wrong_field: reject: arg#1 offset=32, but expected bpf_list_node at offset=8 in struct item
SEC("tc")
int wrong_field(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->other);
  bpf_spin_unlock(&glock);
  return 0;
}
// CHECK-DAG: graph-kinds.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_list_push_back_impl is given in R2 the bpf_list_node at offset 32 of struct item, but the root holds its bpf_list_node at offset 8 (verifier: "arg#1 offset=%d, but expected %s at offset=%d in struct %s") [bpflint-graph-wrong-node-type]

// KERNEL-DAG: push_fixed: accept
SEC("tc")
int push_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: no_refcount: reject: arg#0 doesn't point to a type with bpf_refcount field
SEC("tc")
int no_refcount(void *ctx) {
  struct plain *p = bpf_obj_new(struct plain), *q;
  if (!p)
    return 0;
  q = bpf_refcount_acquire(p);
  bpf_obj_drop(p);
  if (q)
    bpf_obj_drop(q);
  return 0;
}
// CHECK-DAG: graph-kinds.c:[[@LINE-6]]:{{[0-9]+}}: warning: bpf_refcount_acquire of struct plain, which has no struct bpf_refcount field (verifier: "arg#0 doesn't point to a type with bpf_refcount field") [bpflint-graph-refcount-no-field]

// KERNEL-DAG: refcount_fixed: accept
SEC("tc")
int refcount_fixed(void *ctx) {
  struct counted *p = bpf_obj_new(struct counted), *q;
  if (!p)
    return 0;
  q = bpf_refcount_acquire(p);
  bpf_obj_drop(p);
  bpf_obj_drop(q);
  return 0;
}

// KERNEL-DAG: percpu_too_big: reject: bpf_percpu_obj_new type size (520) is greater than 512
SEC("tc")
int percpu_too_big(void *ctx) {
  struct big *p = bpf_percpu_obj_new(struct big);
  if (p)
    bpf_percpu_obj_drop(p);
  return 0;
}
// CHECK-DAG: graph-kinds.c:[[@LINE-5]]:{{[0-9]+}}: warning: bpf_percpu_obj_new of struct big, which is 520 bytes (at most 512) (verifier: "bpf_percpu_obj_new type size (%d) is greater than %d") [bpflint-graph-percpu-obj-new-type]

// KERNEL-DAG: percpu_with_obj_drop: reject: arg#0 expected for bpf_percpu_obj_drop_impl()
SEC("tc")
int percpu_with_obj_drop(void *ctx) {
  struct counters *p = bpf_percpu_obj_new(struct counters);
  if (p)
    bpf_obj_drop(p);
  return 0;
}
// CHECK-DAG: graph-kinds.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_obj_drop is given in R1 an object from bpf_percpu_obj_new (verifier: "arg#%d expected for %s()") [bpflint-graph-drop-non-owning]

// KERNEL-DAG: percpu_fixed: accept
SEC("tc")
int percpu_fixed(void *ctx) {
  struct counters *p = bpf_percpu_obj_new(struct counters);
  if (p)
    bpf_percpu_obj_drop(p);
  return 0;
}
