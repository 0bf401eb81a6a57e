// GRAPH-019: the node inserted must be the node field named by the root's
// __contains(type, field), in an object of that type.
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
  struct bpf_list_node other;
};

struct event {
  long a;
  long b;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head items __contains(item, node);
private(A) struct bpf_list_head events __contains(event, node);

// KERNEL-DAG: wrong_type: reject: operation on bpf_list_head expects arg#1 bpf_list_node at offset=8 in struct item, but arg is at offset=16 in struct event
SEC("tc")
int wrong_type(void *ctx) {
  struct event *e = bpf_obj_new(struct event);
  if (!e)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&items, &e->node); // expected-warning {{bpf_list_push_back() of a node of struct event, but the bpf_list_head holds struct item (its __contains) (verifier: "operation on bpf_list_head expects arg#1 bpf_list_node at offset=8 in struct item, but arg is at offset=16 in struct event") [bpflint-graph-wrong-node-type]}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: wrong_type_fixed: accept
SEC("tc")
int wrong_type_fixed(void *ctx) {
  struct event *e = bpf_obj_new(struct event);
  if (!e)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&events, &e->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: wrong_field: reject: arg#1 offset=32, but expected bpf_list_node at offset=8 in struct item
SEC("tc")
int wrong_field(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_front(&items, &it->other); // expected-warning {{bpf_list_push_front() of node field 'other', but the bpf_list_head links struct item through 'node' (its __contains) (verifier: "arg#1 offset=32, but expected bpf_list_node at offset=8 in struct item") [bpflint-graph-wrong-node-type]}}
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: wrong_field_fixed: accept
SEC("tc")
int wrong_field_fixed(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_front(&items, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}
