// GRAPH-024: bpf_refcount_acquire needs a struct bpf_refcount in the
// object's type.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

// A node type without a refcount.
struct plain {
  long data;
  struct bpf_list_node node;
};

// No special field at all: the kernel finds no field record for the type.
struct bare {
  long data;
};

struct counted {
  long data;
  struct bpf_refcount ref;
};

// KERNEL-DAG: no_refcount: reject: arg#0 doesn't point to a type with bpf_refcount field
SEC("tc")
int no_refcount(void *ctx) {
  struct plain *p = bpf_obj_new(struct plain), *q;
  if (!p)
    return 0;
  q = bpf_refcount_acquire(p); // expected-warning {{bpf_refcount_acquire() of a struct plain, which has no struct bpf_refcount field; add one to the type (verifier: "arg#0 doesn't point to a type with bpf_refcount field") [bpflint-graph-refcount-no-field]}}
  bpf_obj_drop(p);
  if (q)
    bpf_obj_drop(q);
  return 0;
}

// KERNEL-DAG: no_refcount_fixed: accept
SEC("tc")
int no_refcount_fixed(void *ctx) {
  struct counted *p = bpf_obj_new(struct counted), *q;
  if (!p)
    return 0;
  q = bpf_refcount_acquire(p);
  bpf_obj_drop(p);
  bpf_obj_drop(q);
  return 0;
}

// KERNEL-DAG: no_record: reject: verifier bug: Couldn't find btf_record
SEC("tc")
int no_record(void *ctx) {
  struct bare *p = bpf_obj_new(struct bare), *q;
  if (!p)
    return 0;
  q = bpf_refcount_acquire(p); // expected-warning {{bpf_refcount_acquire() of a struct bare, which has no struct bpf_refcount field; add one to the type}}
  bpf_obj_drop(p);
  if (q)
    bpf_obj_drop(q);
  return 0;
}
