// RB-019: a ring buffer dynptr submitted or discarded twice. The bad program
// is flagged, its _fixed twin is silent, and the KERNEL lines are the running
// kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-double-release %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-double-release
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// KERNEL-DAG: discard_after_submit: reject: arg 1 is an unacquired reference
SEC("tc")
int discard_after_submit(void *ctx) {
  struct bpf_dynptr dp;
  __u64 ts = bpf_ktime_get_ns();
  long err = bpf_ringbuf_reserve_dynptr(&events, sizeof(ts), 0, &dp);
  if (!err)
    err = bpf_dynptr_write(&dp, 0, &ts, sizeof(ts), 0);
  if (!err)
    bpf_ringbuf_submit_dynptr(&dp, 0);
  bpf_ringbuf_discard_dynptr(&dp, 0); // expected-warning {{bpf_ringbuf_discard_dynptr() of a dynptr that was already submitted or discarded (verifier: "arg 1 is an unacquired reference") [bpflint-ringbuf-dynptr-double-release]}}
  return 0;
}

// KERNEL-DAG: discard_after_submit_fixed: accept
SEC("tc")
int discard_after_submit_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 ts = bpf_ktime_get_ns();
  long err = bpf_ringbuf_reserve_dynptr(&events, sizeof(ts), 0, &dp);
  if (!err)
    err = bpf_dynptr_write(&dp, 0, &ts, sizeof(ts), 0);
  if (!err)
    bpf_ringbuf_submit_dynptr(&dp, 0);
  else
    bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// A dynptr that was never initialised holds no reference either.
// KERNEL-DAG: discard_uninitialised: reject: arg 1 is an unacquired reference
SEC("tc")
int discard_uninitialised(void *ctx) {
  struct bpf_dynptr dp;
  if (bpf_get_prandom_u32() & 1)
    bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0); // expected-warning {{bpf_ringbuf_discard_dynptr() of a dynptr that was never initialised; reserve it with bpf_ringbuf_reserve_dynptr() first (verifier: "arg 1 is an unacquired reference") [bpflint-ringbuf-dynptr-double-release]}}
  return 0;
}

// KERNEL-DAG: discard_uninitialised_fixed: accept
SEC("tc")
int discard_uninitialised_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
