// RB-017: bpf_ringbuf_reserve_dynptr into a dynptr that still holds a
// reservation. The bad program is flagged, its _fixed twin is silent, and
// the KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-reinit %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-reinit
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// Retrying with a smaller size reuses the dynptr of the failed attempt,
// which still holds a reference.
// KERNEL-DAG: retry_smaller: reject: cannot overwrite referenced dynptr
SEC("tc")
int retry_smaller(void *ctx) {
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, 4096, 0, &dp))
    bpf_ringbuf_reserve_dynptr(&events, 64, 0, &dp); // expected-warning {{bpf_ringbuf_reserve_dynptr() into a dynptr that still holds a reservation; submit or discard it first (verifier: "cannot overwrite referenced dynptr") [bpflint-ringbuf-dynptr-reinit]}}
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: retry_smaller_fixed: accept
SEC("tc")
int retry_smaller_fixed(void *ctx) {
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, 4096, 0, &dp)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    bpf_ringbuf_reserve_dynptr(&events, 64, 0, &dp);
  }
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// A store into the bytes of a live ring buffer dynptr (6.3+).
// KERNEL-DAG: store_into_dynptr: reject: cannot overwrite referenced dynptr
SEC("tc")
int store_into_dynptr(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  *(volatile __u64 *)&dp = 0; // expected-warning {{store into a dynptr that holds a ring buffer reservation; submit or discard it first (verifier: "cannot overwrite referenced dynptr")}}
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// After the discard the slots are plain stack and may be reused.
// KERNEL-DAG: store_into_dynptr_fixed: accept
SEC("tc")
int store_into_dynptr_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  *(volatile __u64 *)&dp = 0;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
