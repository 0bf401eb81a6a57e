// LOCK-016: bpf_res_spin_lock can fail (deadlock or timeout); the verifier
// explores the failure, where no lock is held. Unlocking there is rejected.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify=old %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "res_lock_test.h"

// Before 6.15 there is no bpf_res_spin_lock to model.
// old-no-diagnostics

// KERNEL-DAG: unchecked_result: reject: bpf_res_spin_unlock without taking a lock
SEC("tc")
int unchecked_result(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  bpf_res_spin_lock(&v->lock); // expected-note {{bpf_res_spin_lock of 'v->lock' fails on this path: it returns an error and no lock is held}}
  v->counter++;
  bpf_res_spin_unlock(&v->lock); // expected-warning {{bpf_res_spin_unlock of 'v->lock' after bpf_res_spin_lock failed; check its return value first (verifier: "bpf_res_spin_unlock without taking a lock") [bpflint-lock-res-failure-path]}}
  return 0;
}

// KERNEL-DAG: unchecked_result_fixed: accept
SEC("tc")
int unchecked_result_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  if (bpf_res_spin_lock(&v->lock))
    return 0;
  v->counter++;
  bpf_res_spin_unlock(&v->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
