// GRAPH-013 (graph-drop-non-owning, variant "kind"): bpf_percpu_obj_new
// objects are released by bpf_percpu_obj_drop and bpf_obj_new objects by
// bpf_obj_drop; the kernel rejects a mix-up (6.7+).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=k66 -Xclang -verify-ignore-unexpected=warning %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k66-no-diagnostics

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct counters {
  long packets;
  long bytes;
};

// KERNEL-DAG: percpu_with_obj_drop: reject: arg#0 expected for bpf_percpu_obj_drop_impl()
SEC("tc")
int percpu_with_obj_drop(void *ctx) {
  struct counters *p = bpf_percpu_obj_new(struct counters);
  if (p)
    bpf_obj_drop(p); // expected-warning {{bpf_obj_drop() of an object allocated with bpf_percpu_obj_new; drop it with bpf_percpu_obj_drop (verifier: "arg#0 expected for bpf_percpu_obj_drop_impl()") [bpflint-graph-drop-non-owning]}}
  return 0;
}

// KERNEL-DAG: percpu_with_obj_drop_fixed: accept
SEC("tc")
int percpu_with_obj_drop_fixed(void *ctx) {
  struct counters *p = bpf_percpu_obj_new(struct counters);
  if (p)
    bpf_percpu_obj_drop(p);
  return 0;
}

// KERNEL-DAG: plain_with_percpu_drop: reject: arg#0 expected for bpf_obj_drop_impl()
SEC("tc")
int plain_with_percpu_drop(void *ctx) {
  struct counters *p = bpf_obj_new(struct counters);
  if (p)
    bpf_percpu_obj_drop(p); // expected-warning {{bpf_percpu_obj_drop() of an object allocated with bpf_obj_new; drop it with bpf_obj_drop (verifier: "arg#0 expected for bpf_obj_drop_impl()") [bpflint-graph-drop-non-owning]}}
  return 0;
}

// KERNEL-DAG: plain_with_percpu_drop_fixed: accept
SEC("tc")
int plain_with_percpu_drop_fixed(void *ctx) {
  struct counters *p = bpf_obj_new(struct counters);
  if (p)
    bpf_obj_drop(p);
  return 0;
}
