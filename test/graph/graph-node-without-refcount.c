// GRAPH-004: a type that is both a list node and an rbtree node must be
// refcounted (struct bpf_refcount).
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
// OBJ: graph-node-without-refcount.c:[[@LINE+32]]:{{[0-9]+}}: warning: bpf_obj_new without program BTF: the kernel rejects the object's BTF, since struct both has a bpf_list_node and a bpf_rb_node but no bpf_refcount (verifier: "bpf_obj_new/bpf_percpu_obj_new requires prog BTF") [bpflint-graph-node-without-refcount]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

#ifndef FIXED
struct both { // expected-warning {{struct both is both a list node and an rbtree node but has no struct bpf_refcount; add one (verifier: "bpf_obj_new/bpf_percpu_obj_new requires prog BTF") [bpflint-graph-node-without-refcount]}}
  long key;
  struct bpf_list_node l;
  struct bpf_rb_node r;
};
#else
struct both {
  long key;
  struct bpf_refcount ref;
  struct bpf_list_node l;
  struct bpf_rb_node r;
};
#endif

// KERNEL: alloc: reject: bpf_obj_new/bpf_percpu_obj_new requires prog BTF
// KERNEL-FIXED: alloc: accept
SEC("tc")
int alloc(void *ctx) {
  struct both *b = bpf_obj_new(struct both);
  if (!b)
    return 0;
  bpf_obj_drop(b);
  return 0;
}
