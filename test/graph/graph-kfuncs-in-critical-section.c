// GRAPH-022: bpf_obj_new and bpf_obj_drop may not run while the lock is
// held. Not a graph check: lock-call-in-critical-section (LOCK-018) reports
// it with the message the kernel prints. The graph checks stay silent on
// the call (no double report).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long key;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock lock;
private(A) struct bpf_list_head head __contains(item, node);

// KERNEL-DAG: new_in_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int new_in_lock(void *ctx) {
  struct item *n;

  bpf_spin_lock(&lock);
  n = bpf_obj_new(struct item); // expected-warning {{while a bpf_spin_lock is held}}
  if (n)
    bpf_list_push_front(&head, &n->node);
  bpf_spin_unlock(&lock);
  return 0;
}

// KERNEL-DAG: new_in_lock_fixed: accept
SEC("tc")
int new_in_lock_fixed(void *ctx) {
  struct item *n = bpf_obj_new(struct item);

  if (!n)
    return 0;
  bpf_spin_lock(&lock);
  bpf_list_push_front(&head, &n->node);
  bpf_spin_unlock(&lock);
  return 0;
}

// KERNEL-DAG: drop_in_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int drop_in_lock(void *ctx) {
  struct bpf_list_node *n;

  bpf_spin_lock(&lock);
  n = bpf_list_pop_front(&head);
  if (n)
    bpf_obj_drop(container_of(n, struct item, node)); // expected-warning {{while a bpf_spin_lock is held}}
  bpf_spin_unlock(&lock);
  return 0;
}

// KERNEL-DAG: drop_in_lock_fixed: accept
SEC("tc")
int drop_in_lock_fixed(void *ctx) {
  struct bpf_list_node *n;

  bpf_spin_lock(&lock);
  n = bpf_list_pop_front(&head);
  bpf_spin_unlock(&lock);
  if (n)
    bpf_obj_drop(container_of(n, struct item, node));
  return 0;
}
