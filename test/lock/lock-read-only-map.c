// COM-006 for locks: a const global lands in .rodata, which libbpf creates
// read-only; the kernel keeps no lock for it and rejects every lock call.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

// What the kernel 6.1 reports here is not known: bpflint stays silent.
// k61-no-diagnostics

struct counted {
  struct bpf_spin_lock lock;
  int counter;
};

const volatile struct counted ro_counted = {};
struct counted rw_counted = {};

// KERNEL-DAG: lock_in_rodata: reject: map '{{.*}}.rodata' has no valid bpf_spin_lock
SEC("tc")
int lock_in_rodata(void *ctx) {
  bpf_spin_lock((struct bpf_spin_lock *)&ro_counted.lock); // expected-warning {{the bpf_spin_lock is in 'ro_counted', a const global in .rodata, which the kernel maps read-only; drop the const so it goes to .data or .bss (verifier: "map '}}
  int c = ro_counted.counter;
  bpf_spin_unlock((struct bpf_spin_lock *)&ro_counted.lock);
  return c;
}

// KERNEL-DAG: lock_in_rodata_fixed: accept
SEC("tc")
int lock_in_rodata_fixed(void *ctx) {
  bpf_spin_lock(&rw_counted.lock);
  int c = ++rw_counted.counter;
  bpf_spin_unlock(&rw_counted.lock);
  return c;
}

char LICENSE[] SEC("license") = "GPL";
