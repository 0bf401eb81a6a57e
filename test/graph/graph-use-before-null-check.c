// GRAPH-011: bpf_obj_new, list pops, rbtree remove and the peek kfuncs
// return NULL-able pointers. Check them before any access, pointer
// arithmetic (&n->node) or kfunc use.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(item, node);

// KERNEL-DAG: write_unchecked: reject: R0 invalid mem access 'ptr_or_null_'
SEC("tc")
int write_unchecked(void *ctx) {
  struct item *it = bpf_obj_new(struct item); // expected-note {{object allocated here}}
  it->data = 1; // expected-warning {{object written before the pointer is checked for NULL; the call that returned it may return NULL (verifier: "R%d invalid mem access 'ptr_or_null_'") [bpflint-graph-use-before-null-check]}}
  bpf_obj_drop(it);
  return 0;
}

// KERNEL-DAG: write_unchecked_fixed: accept
SEC("tc")
int write_unchecked_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  it->data = 1;
  bpf_obj_drop(it);
  return 0;
}

// KERNEL-DAG: push_unchecked: reject: R{{[0-9]+}} pointer arithmetic on ptr_or_null_ prohibited, null-check it first
SEC("tc")
int push_unchecked(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node); // expected-warning {{bpf_list_push_back() is given a pointer that may be NULL; check the result of the call that returned it first (verifier: "R%d pointer arithmetic on ptr_or_null_ prohibited, null-check it first") [bpflint-graph-use-before-null-check]}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: push_unchecked_fixed: accept
SEC("tc")
int push_unchecked_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: drop_unchecked: reject: Possibly NULL pointer passed to trusted arg0
SEC("tc")
int drop_unchecked(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  bpf_obj_drop(it); // expected-warning {{bpf_obj_drop() is given a pointer that may be NULL; check the result of the call that returned it first (verifier: "Possibly NULL pointer passed to trusted arg0") [bpflint-graph-use-before-null-check]}}
  return 0;
}

// KERNEL-DAG: drop_unchecked_fixed: accept
SEC("tc")
int drop_unchecked_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (it)
    bpf_obj_drop(it);
  return 0;
}

// The popped node is read before the check.
// KERNEL-DAG: pop_unchecked: reject: R{{[0-9]+}} invalid mem access 'ptr_or_null_'
SEC("tc")
int pop_unchecked(void *ctx) {
  struct bpf_list_node *l;
  long data;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&glock);
  data = container_of(l, struct item, node)->data; // expected-warning {{object read before the pointer is checked for NULL}}
  if (l)
    bpf_obj_drop(container_of(l, struct item, node));
  return data;
}

// KERNEL-DAG: pop_unchecked_fixed: accept
SEC("tc")
int pop_unchecked_fixed(void *ctx) {
  struct bpf_list_node *l;
  long data = 0;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&glock);
  if (l) {
    data = container_of(l, struct item, node)->data;
    bpf_obj_drop(container_of(l, struct item, node));
  }
  return data;
}
