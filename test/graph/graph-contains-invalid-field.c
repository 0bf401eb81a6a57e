// GRAPH-002, a field that does not exist or is not a node of the right
// kind (an rbtree node for a list head).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t.fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.fixed.o | FileCheck %s --check-prefix=KERNEL-FIXED %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.fixed.o
// OBJ: graph-contains-invalid-field.c:[[@LINE+37]]:{{[0-9]+}}: warning: bpf_spin_lock on map '.data.A', whose special fields the kernel drops: .data.A has a graph root whose __contains names field 'nod', which its struct does not have (verifier: "map '.data.A' has no valid bpf_spin_lock") [bpflint-graph-contains-invalid]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

struct tree_item {
  long key;
  struct bpf_rb_node rb;
};

private(A) struct bpf_spin_lock glock;
#ifndef FIXED
private(A) struct bpf_list_head ghead __contains(tree_item, rb); // expected-warning {{the __contains of 'ghead' is invalid: field 'rb' of struct tree_item is not a struct bpf_list_node (verifier: "map '.data.A' has no valid bpf_spin_lock") [bpflint-graph-contains-invalid]}}
private(A) struct bpf_list_head ghead2 __contains(item, nod); // expected-warning {{the __contains of 'ghead2' is invalid: struct item has no field 'nod'}}
#else
private(A) struct bpf_list_head ghead __contains(item, node);
private(A) struct bpf_list_head ghead2 __contains(item, node);
#endif

// KERNEL: push: reject: map '.data.A' has no valid bpf_spin_lock
// KERNEL-FIXED: push: accept
SEC("tc")
int push(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  struct tree_item *t = bpf_obj_new(struct tree_item);
  if (t)
    bpf_obj_drop(t);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead2, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}
