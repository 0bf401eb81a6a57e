// GRAPH-001: a root without __contains(type, field). For a global the
// section's record is invalid and its lock is not found; in a map value the
// program's BTF is rejected. Each object holds one problem; the corrected
// program is the same file built with -DFIXED.
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
// OBJ: graph-root-without-contains.c:[[@LINE+27]]:{{[0-9]+}}: warning: bpf_spin_lock on map '.data.A', whose special fields the kernel drops: .data.A has a graph root without a __contains tag (verifier: "map '.data.A' has no valid bpf_spin_lock") [bpflint-graph-root-without-contains]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
#ifndef FIXED
private(A) struct bpf_list_head ghead; // expected-warning {{'ghead' is a bpf_list_head without a __contains(type, field) tag naming what it holds (verifier: "map '.data.A' has no valid bpf_spin_lock") [bpflint-graph-root-without-contains]}}
#else
private(A) struct bpf_list_head ghead __contains(item, node);
#endif

// KERNEL: push: reject: map '.data.A' has no valid bpf_spin_lock
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
