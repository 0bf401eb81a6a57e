// LOCK-023: the lock's bytes belong to the kernel: no loads or stores.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

// "Resetting" the lock by hand.
// KERNEL-DAG: reset_lock: reject: bpf_spin_lock cannot be accessed directly by load/store
SEC("tc")
int reset_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  v->lock.val = 0; // expected-warning {{store to the bpf_spin_lock field of a map value; only bpf_spin_lock/bpf_spin_unlock may touch it (verifier: "bpf_spin_lock cannot be accessed directly by load/store") [bpflint-lock-direct-access]}}
  v->counter = 0;
  return 0;
}

// Peeking whether it is taken.
// KERNEL-DAG: peek_lock: reject: bpf_spin_lock cannot be accessed directly by load/store
SEC("tc")
int peek_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  if (*(volatile __u32 *)&v->lock) // expected-warning {{load from the bpf_spin_lock field of a map value}}
    return 1;
  return 0;
}

// KERNEL-DAG: reset_lock_fixed: accept
SEC("tc")
int reset_lock_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->counter = 0;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// A value built on the stack may be initialised freely: it is not the map's.
// KERNEL-DAG: init_on_stack_fixed: accept
SEC("tc")
int init_on_stack_fixed(void *ctx) {
  __u32 key = 1;
  struct val init = {};
  init.lock.val = 0;
  init.counter = 1;
  bpf_map_update_elem(&vals, &key, &init, BPF_NOEXIST);
  return 0;
}
