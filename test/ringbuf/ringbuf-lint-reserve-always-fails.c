// RB-005 (lint): a bpf_ringbuf_reserve that can never succeed. The kernel
// loads both programs of each pair; the bad one silently never emits a
// record (the reservation returns NULL every time).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-lint-* %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-lint
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} small SEC(".maps");

struct big_event {
  char data[8192];
};

struct event {
  __u64 ts;
  char data[4080];
};

// KERNEL-DAG: record_larger_than_ring: accept
SEC("tc")
int record_larger_than_ring(void *ctx) {
  struct big_event *e = bpf_ringbuf_reserve(&small, sizeof(*e), 0); // expected-warning {{bpf_ringbuf_reserve() of 8192 bytes always fails: with its 8-byte header the record needs 8200 bytes and 'small' holds 4096 [bpflint-ringbuf-lint-reserve-always-fails]}}
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// 4088 bytes + the 8-byte header fill the 4096-byte ring exactly.
// KERNEL-DAG: record_larger_than_ring_fixed: accept
SEC("tc")
int record_larger_than_ring_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&small, sizeof(*e) + 0, 0);
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// Wakeup flags belong to submit, not to reserve.
// KERNEL-DAG: reserve_with_flags: accept
SEC("tc")
int reserve_with_flags(void *ctx) {
  __u64 *ts = bpf_ringbuf_reserve(&small, sizeof(*ts), BPF_RB_NO_WAKEUP); // expected-warning {{bpf_ringbuf_reserve() with flags 1 always fails: the flags argument must be 0}}
  if (!ts)
    return 0;
  *ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(ts, 0);
  return 0;
}

// KERNEL-DAG: reserve_with_flags_fixed: accept
SEC("tc")
int reserve_with_flags_fixed(void *ctx) {
  __u64 *ts = bpf_ringbuf_reserve(&small, sizeof(*ts), 0);
  if (!ts)
    return 0;
  *ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(ts, BPF_RB_NO_WAKEUP);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
