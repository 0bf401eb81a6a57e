// GRAPH-010: bpf_percpu_obj_new allocates structs of scalars of at most 512
// bytes, without special fields (6.7+).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=k66 -Xclang -verify-ignore-unexpected=warning %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k66-no-diagnostics

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct big {
  long a[65];
};

struct counters {
  long a[64];
};

struct locked {
  long a;
  struct bpf_spin_lock lock;
};

struct linked {
  long a;
  long *next;
};

// KERNEL-DAG: too_big: reject: bpf_percpu_obj_new type size (520) is greater than 512
SEC("tc")
int too_big(void *ctx) {
  struct big *p = bpf_percpu_obj_new(struct big); // expected-warning {{bpf_percpu_obj_new() of 'struct big' (520 bytes); percpu objects are at most 512 bytes (verifier: "bpf_percpu_obj_new type size (520) is greater than 512") [bpflint-graph-percpu-obj-new-type]}}
  if (p)
    bpf_percpu_obj_drop(p);
  return 0;
}

// KERNEL-DAG: too_big_fixed: accept
SEC("tc")
int too_big_fixed(void *ctx) {
  struct counters *p = bpf_percpu_obj_new(struct counters);
  if (p)
    bpf_percpu_obj_drop(p);
  return 0;
}

// KERNEL-DAG: special_field: reject: bpf_percpu_obj_new type ID argument must not contain special fields
SEC("tc")
int special_field(void *ctx) {
  struct locked *p = bpf_percpu_obj_new(struct locked); // expected-warning {{bpf_percpu_obj_new() of 'struct locked', which holds special fields (locks, graph fields, kptrs, refcounts); percpu objects hold scalars only (verifier: "bpf_percpu_obj_new type ID argument must not contain special fields") [bpflint-graph-percpu-obj-new-type]}}
  if (p)
    bpf_percpu_obj_drop(p);
  return 0;
}

// A plain object may hold the lock.
// KERNEL-DAG: special_field_fixed: accept
SEC("tc")
int special_field_fixed(void *ctx) {
  struct locked *p = bpf_obj_new(struct locked);
  if (p)
    bpf_obj_drop(p);
  return 0;
}

// KERNEL-DAG: pointer_field: reject: bpf_percpu_obj_new type ID argument must be of a struct of scalars
SEC("tc")
int pointer_field(void *ctx) {
  struct linked *p = bpf_percpu_obj_new(struct linked); // expected-warning {{bpf_percpu_obj_new() of 'struct linked', which holds a pointer; percpu objects hold scalars only (verifier: "bpf_percpu_obj_new type ID argument must be of a struct of scalars") [bpflint-graph-percpu-obj-new-type]}}
  if (p)
    bpf_percpu_obj_drop(p);
  return 0;
}

// KERNEL-DAG: pointer_field_fixed: accept
SEC("tc")
int pointer_field_fixed(void *ctx) {
  struct linked *p = bpf_obj_new(struct linked);
  if (p)
    bpf_obj_drop(p);
  return 0;
}
