// LOCK-020: before 6.9 a subprogram could not return holding a lock it took
// ("bpf_spin_unlock is missing" at its exit). 6.9+ carry the lock back to the
// caller, and the running kernel accepts this program.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

// newest-no-diagnostics

static __noinline struct val *lock_slot(__u32 key) {
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (v)
    bpf_spin_lock(&v->lock);
  return v; // k66-warning {{the subprogram returns with the lock it took still held; kernels before 6.9 reject this (verifier: "bpf_spin_unlock is missing") [bpflint-lock-held-at-subprog-exit]}}
}

// KERNEL-DAG: lock_in_subprog: accept
SEC("tc")
int lock_in_subprog(void *ctx) {
  struct val *v = lock_slot(0);
  if (!v)
    return 0;
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// Portable: lock and unlock in the same function.
static __always_inline struct val *get_slot(__u32 key) {
  return bpf_map_lookup_elem(&vals, &key);
}

// KERNEL-DAG: lock_in_subprog_fixed: accept
SEC("tc")
int lock_in_subprog_fixed(void *ctx) {
  struct val *v = get_slot(0);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}
