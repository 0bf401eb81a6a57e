// LOCK-008: the lock pointer must have a constant offset.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

// KERNEL-DAG: computed_pointer: reject: R1 doesn't have constant offset. bpf_spin_lock has to be at the constant offset
SEC("tc")
int computed_pointer(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  __u32 idx = bpf_get_prandom_u32() & 1;
  struct val *slot = v + idx; // the verifier sees v + idx * sizeof(*v)
  bpf_spin_lock(&slot->lock); // expected-warning {{the lock pointer has a variable offset (verifier: "R1 doesn't have constant offset. bpf_spin_lock has to be at the constant offset") [bpflint-lock-variable-offset]}}
  v->counter++;
  bpf_spin_unlock(&slot->lock);
  return 0;
}

// KERNEL-DAG: computed_pointer_fixed: accept
SEC("tc")
int computed_pointer_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  __u32 idx = bpf_get_prandom_u32() & 1;
  bpf_spin_lock(&v->lock);
  v->counter += idx;
  bpf_spin_unlock(&v->lock);
  return 0;
}
