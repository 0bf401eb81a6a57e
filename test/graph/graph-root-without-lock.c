// GRAPH-003: a root needs a lock in the same allocation: the same struct,
// or the same global section (private(A)).
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
// OBJ: graph-root-without-lock.c:[[@LINE+29]]:{{[0-9]+}}: warning: bpf_list_push_back_impl on global data section '.data.A', whose special fields the kernel drops: it has a graph root but no bpf_spin_lock to protect it (verifier: "bpf_list_head not found at offset=0") [bpflint-graph-root-without-lock]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

#ifndef FIXED
private(B) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(item, node); // expected-warning {{'ghead' is a bpf_list_head in section .data.A, which has no struct bpf_spin_lock; put one next to it with the same private() section (verifier: "bpf_list_head not found at offset=%u") [bpflint-graph-root-without-lock]}}
#else
private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(item, node);
#endif

// KERNEL: push: reject: bpf_list_head not found at offset=0
// KERNEL-FIXED: push: accept
SEC("tc")
int push(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}
