// Locks in synchronous callbacks (bpf_loop, bpf_for_each_map_elem). The
// verifier checks a callback's critical sections like a program's. A
// callback that returns holding its lock fails at its exit before 6.9
// (LOCK-020); since 6.9 the lock flows back to the caller, and the verifier
// fails when it re-checks the helper call under the lock (LOCK-018).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

static int count_locked(__u32 i, void *ctx) {
  struct val *v = bpf_map_lookup_elem(&vals, &i);
  if (!v)
    return 1;
  bpf_spin_lock(&v->lock);
  v->counter++;
  return 0; // newest-warning {{the callback returns with 'v->lock' still held; the verifier then checks the helper call that runs the callback with the lock held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]}} k66-warning {{the callback returns with 'v->lock' still held; kernels before 6.9 reject this at the callback's exit (verifier: "bpf_spin_unlock is missing") [bpflint-lock-held-at-subprog-exit]}}
}

// KERNEL-DAG: loop_keeps_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int loop_keeps_lock(void *ctx) {
  bpf_loop(4, count_locked, NULL, 0);
  return 0;
}

static int count_unlocked(__u32 i, void *ctx) {
  struct val *v = bpf_map_lookup_elem(&vals, &i);
  if (!v)
    return 1;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: loop_keeps_lock_fixed: accept
SEC("tc")
int loop_keeps_lock_fixed(void *ctx) {
  bpf_loop(4, count_unlocked, NULL, 0);
  return 0;
}

static int random_locked(__u32 i, void *ctx) {
  struct val *v = bpf_map_lookup_elem(&vals, &i);
  if (!v)
    return 1;
  bpf_spin_lock(&v->lock);
  v->counter = bpf_get_prandom_u32(); // expected-warning {{call to 'bpf_get_prandom_u32' while a bpf_spin_lock is held}}
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: loop_calls_in_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int loop_calls_in_lock(void *ctx) {
  bpf_loop(4, random_locked, NULL, 0);
  return 0;
}

static int random_unlocked(__u32 i, void *ctx) {
  struct val *v = bpf_map_lookup_elem(&vals, &i);
  if (!v)
    return 1;
  __u64 r = bpf_get_prandom_u32();
  bpf_spin_lock(&v->lock);
  v->counter = r;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: loop_calls_in_lock_fixed: accept
SEC("tc")
int loop_calls_in_lock_fixed(void *ctx) {
  bpf_loop(4, random_unlocked, NULL, 0);
  return 0;
}

static long bump_locked(void *map, __u32 *key, struct val *v, void *ctx) {
  bpf_spin_lock(&v->lock);
  v->counter++;
  return 0; // newest-warning {{the callback returns with 'v->lock' still held; the verifier then checks the helper call}} k66-warning {{kernels before 6.9 reject this at the callback's exit}}
}

// KERNEL-DAG: each_keeps_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int each_keeps_lock(void *ctx) {
  bpf_for_each_map_elem(&vals, bump_locked, NULL, 0);
  return 0;
}

static long bump_unlocked(void *map, __u32 *key, struct val *v, void *ctx) {
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: each_keeps_lock_fixed: accept
SEC("tc")
int each_keeps_lock_fixed(void *ctx) {
  bpf_for_each_map_elem(&vals, bump_unlocked, NULL, 0);
  return 0;
}
