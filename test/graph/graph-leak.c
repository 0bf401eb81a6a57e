// GRAPH-012 / COM-001: an owning reference (bpf_obj_new, list pop, rbtree
// remove, refcount acquire) must be dropped, inserted or stashed on every
// path.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
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

// KERNEL-DAG: new_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int new_leak(void *ctx) {
  struct item *it = bpf_obj_new(struct item); // expected-note {{object allocated here}}
  if (!it)
    return 0;
  it->data = 1;
  return 0; // newest-warning {{owning reference is neither dropped, inserted into a list or tree, nor stashed on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-graph-leak]}} \
               k66-warning {{owning reference is neither dropped, inserted into a list or tree, nor stashed on this path (verifier: "Unreleased reference id=%d alloc_insn=%d") [bpflint-graph-leak]}}
}

// KERNEL-DAG: new_leak_fixed: accept
SEC("tc")
int new_leak_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  it->data = 1;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// Popped, read, and forgotten.
// KERNEL-DAG: pop_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int pop_leak(void *ctx) {
  struct bpf_list_node *l;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead); // expected-note {{owning reference acquired here}}
  bpf_spin_unlock(&glock);
  if (!l)
    return 0;
  return container_of(l, struct item, node)->data; // newest-warning {{neither dropped, inserted}} k66-warning {{neither dropped, inserted}}
}

// KERNEL-DAG: pop_leak_fixed: accept
SEC("tc")
int pop_leak_fixed(void *ctx) {
  struct bpf_list_node *l;
  struct item *it;
  long data;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&glock);
  if (!l)
    return 0;
  it = container_of(l, struct item, node);
  data = it->data;
  bpf_obj_drop(it);
  return data;
}

// Dropped on one branch only.
// KERNEL-DAG: leak_on_branch: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int leak_on_branch(void *ctx) {
  struct item *it = bpf_obj_new(struct item); // expected-note {{object allocated here}}
  if (!it)
    return 0;
  if (bpf_ktime_get_ns() & 1) {
    bpf_obj_drop(it);
    return 1;
  }
  return 0; // newest-warning {{neither dropped, inserted}} k66-warning {{neither dropped, inserted}}
}

// KERNEL-DAG: leak_on_branch_fixed: accept
SEC("tc")
int leak_on_branch_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  if (bpf_ktime_get_ns() & 1) {
    bpf_obj_drop(it);
    return 1;
  }
  bpf_obj_drop(it);
  return 0;
}
