// GRAPH-009: bpf_obj_new and bpf_percpu_obj_new allocate structs only.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program new_long | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program new_long_fixed
// OBJ: graph-obj-new-type.c:[[@LINE+14]]:{{[0-9]+}}: warning: bpf_obj_new of long, which is not a struct (verifier: "bpf_obj_new/bpf_percpu_obj_new type ID argument must be of a struct") [bpflint-graph-obj-new-type]
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct counter {
  long value;
};

// KERNEL-DAG: new_long: reject: bpf_obj_new/bpf_percpu_obj_new type ID argument must be of a struct
SEC("tc")
int new_long(void *ctx) {
  long *p = bpf_obj_new(long); // expected-warning {{bpf_obj_new() of 'long', which is not a struct; allocate a struct that holds it}}
  if (p)
    bpf_obj_drop(p);
  return 0;
}

// KERNEL-DAG: new_long_fixed: accept
SEC("tc")
int new_long_fixed(void *ctx) {
  struct counter *p = bpf_obj_new(struct counter);
  if (p)
    bpf_obj_drop(p);
  return 0;
}
