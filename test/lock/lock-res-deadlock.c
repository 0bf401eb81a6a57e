// LOCK-011: taking a bpf_res_spin_lock that is already held is an AA
// deadlock, and the verifier rejects it.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "res_lock_test.h"

// KERNEL-DAG: relock: reject: Acquiring the same lock again, AA deadlock detected
SEC("tc")
int relock(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  if (bpf_res_spin_lock(&v->lock)) // expected-note {{lock 'v->lock' taken here}}
    return 0;
  v->counter++;
  if (bpf_res_spin_lock(&v->lock)) { // expected-warning {{the same bpf_res_spin_lock is taken again while it is held (verifier: "Acquiring the same lock again, AA deadlock detected") [bpflint-lock-res-deadlock]}}
    bpf_res_spin_unlock(&v->lock);
    return 0;
  }
  bpf_res_spin_unlock(&v->lock);
  bpf_res_spin_unlock(&v->lock);
  return 0;
}

// Two different elements may be held together.
// KERNEL-DAG: relock_fixed: accept
SEC("tc")
int relock_fixed(void *ctx) {
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
