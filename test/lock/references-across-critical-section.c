// LOCK-027: a reference taken around a critical section still needs its
// release; the lock excuses nothing. For ring buffer records this is
// ringbuf-leak (RB-009): no rule of its own. A record cannot be reserved
// inside a bpf_spin_lock critical section at all (bpf_ringbuf_reserve is a
// helper call: lock-call-in-critical-section, confirmed on 6.18), so the
// reference is reserved before the lock and written under it.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

struct event {
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

// KERNEL-DAG: reserve_under_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int reserve_under_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0); // expected-warning {{call to 'bpf_ringbuf_reserve' while a bpf_spin_lock is held}}
  v->counter++;
  bpf_spin_unlock(&v->lock);
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: record_across_lock_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int record_across_lock_leak(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return 0;
  bpf_spin_lock(&v->lock);
  e->counter = ++v->counter;
  bpf_spin_unlock(&v->lock);
  if (e->counter > 10)
    return 1; // expected-warning {{ring buffer record is neither submitted nor discarded on this path}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: record_across_lock_leak_fixed: accept
SEC("tc")
int record_across_lock_leak_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return 0;
  bpf_spin_lock(&v->lock);
  e->counter = ++v->counter;
  bpf_spin_unlock(&v->lock);
  if (e->counter > 10) {
    bpf_ringbuf_discard(e, 0);
    return 1;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}
