// LOCK-014: res locks must be released in reverse order of taking them.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "res_lock_test.h"

// KERNEL-DAG: fifo_unlock: reject: bpf_res_spin_unlock cannot be out of order
SEC("tc")
int fifo_unlock(void *ctx) {
  RLOOKUP_OR_RETURN(a, 0);
  RLOOKUP_OR_RETURN(b, 1);
  if (bpf_res_spin_lock(&a->lock))
    return 0;
  if (bpf_res_spin_lock(&b->lock)) {
    bpf_res_spin_unlock(&a->lock);
    return 0;
  }
  a->counter += b->counter;
  bpf_res_spin_unlock(&a->lock); // expected-warning {{bpf_res_spin_unlock of 'a->lock' while a lock taken after it is still held; release res locks in reverse order (verifier: "bpf_res_spin_unlock cannot be out of order") [bpflint-lock-res-out-of-order]}}
  bpf_res_spin_unlock(&b->lock);
  return 0;
}

// KERNEL-DAG: fifo_unlock_fixed: accept
SEC("tc")
int fifo_unlock_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(a, 0);
  RLOOKUP_OR_RETURN(b, 1);
  if (bpf_res_spin_lock(&a->lock))
    return 0;
  if (bpf_res_spin_lock(&b->lock)) {
    bpf_res_spin_unlock(&a->lock);
    return 0;
  }
  a->counter += b->counter;
  bpf_res_spin_unlock(&b->lock);
  bpf_res_spin_unlock(&a->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
