// LOCK-022: no tail call while a lock is held (the call allowlist rejects it
// first, with its generic message).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} next_stage SEC(".maps");

// KERNEL-DAG: tail_call_in_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int tail_call_in_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_tail_call(ctx, &next_stage, 0); // expected-warning {{bpf_tail_call while a bpf_spin_lock is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-tail-call]}}
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: tail_call_in_lock_fixed: accept
SEC("tc")
int tail_call_in_lock_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  bpf_tail_call(ctx, &next_stage, 0);
  return 0;
}
