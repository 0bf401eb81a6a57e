// GRAPH-002: the __contains target must be a struct of the program's BTF
// with a node field of the right kind. A struct the program only reaches
// through container_of is not emitted into BTF by an optimising compile.
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
// OBJ: graph-contains-invalid.c:[[@LINE+28]]:{{[0-9]+}}: warning: bpf_spin_lock on map '.data.A', whose special fields the kernel drops: .data.A has a graph root whose __contains names struct item, which the program's BTF does not have (verifier: "map '.data.A' has no valid bpf_spin_lock") [bpflint-graph-contains-invalid]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(item, node); // expected-warning {{the __contains of 'ghead' is invalid: struct item is not in the program's BTF: it is only cast to (e.g. by container_of), never allocated with bpf_obj_new or used in a global or a function signature (verifier: "map '.data.A' has no valid bpf_spin_lock") [bpflint-graph-contains-invalid]}}

#ifdef FIXED
// Any global of the type (or a bpf_obj_new of it) puts it in the BTF.
struct item *item_btf_anchor SEC(".data.anchor");
#endif

// Pops and frees; another object (a second program file) fills the list.
// KERNEL: pop: reject: map '.data.A' has no valid bpf_spin_lock
// KERNEL-FIXED: pop: accept
SEC("tc")
int pop(void *ctx) {
  struct bpf_list_node *l;
  struct item *it;
  bpf_spin_lock(&glock);
  l = bpf_list_pop_front(&ghead);
  bpf_spin_unlock(&glock);
  if (!l)
    return 0;
  it = container_of(l, struct item, node);
  bpf_obj_drop(it);
  return 0;
}
