// LOCK-018: while a lock is held the verifier allows only bpf_spin_unlock,
// the graph and res-lock kfuncs, numeric iterators and (6.9+) static
// subprograms. Anything else is rejected.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

// KERNEL-DAG: helper_in_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int helper_in_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock); // expected-note {{lock 'v->lock' taken here}}
  v->data = bpf_ktime_get_ns(); // expected-warning {{call to 'bpf_ktime_get_ns' while a bpf_spin_lock is held; move it before the lock or after the unlock (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]}}
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: helper_in_lock_fixed: accept
SEC("tc")
int helper_in_lock_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  __u64 now = bpf_ktime_get_ns();
  bpf_spin_lock(&v->lock);
  v->data = now;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// bpf_printk is a helper call too.
// KERNEL-DAG: printk_in_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int printk_in_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  static const char fmt[] = "counter %llu\n";
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_trace_printk(fmt, sizeof(fmt), v->counter); // expected-warning {{call to 'bpf_trace_printk' while a bpf_spin_lock is held}}
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: printk_in_lock_fixed: accept
SEC("tc")
int printk_in_lock_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  static const char fmt[] = "counter %llu\n";
  __u64 seen;
  bpf_spin_lock(&v->lock);
  seen = ++v->counter;
  bpf_spin_unlock(&v->lock);
  bpf_trace_printk(fmt, sizeof(fmt), seen);
  return 0;
}

// A static subprogram that stays a call: allowed from 6.9 on.
static __noinline void bump(struct val *v) { v->counter++; }

// KERNEL-DAG: static_subprog_in_lock: accept
SEC("tc")
int static_subprog_in_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  bump(v); // k66-warning {{call to subprogram 'bump' while a bpf_spin_lock is held; kernels before 6.9 allow no bpf2bpf calls in a critical section (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]}}
  bpf_spin_unlock(&v->lock);
  return 0;
}

// An inlined helper is no call at all, on any kernel.
static __always_inline void bump_inline(struct val *v) { v->counter++; }

// KERNEL-DAG: inline_helper_fixed: accept
SEC("tc")
int inline_helper_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  bump_inline(v);
  bpf_spin_unlock(&v->lock);
  return 0;
}

// Numeric iterators are on the allowlist.
// KERNEL-DAG: iterator_in_lock_fixed: accept
SEC("tc")
int iterator_in_lock_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  struct bpf_iter_num it;
  int *i;
  bpf_spin_lock(&v->lock);
  bpf_iter_num_new(&it, 0, 4);
  while ((i = bpf_iter_num_next(&it)))
    v->counter += *i;
  bpf_iter_num_destroy(&it);
  bpf_spin_unlock(&v->lock);
  return 0;
}
