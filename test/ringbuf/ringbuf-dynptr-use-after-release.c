// RB-021: a ring buffer dynptr used after it was submitted or discarded. The
// bad program is flagged, its _fixed twin is silent, and the KERNEL lines are
// the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-use-after-release %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-use-after-release
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// KERNEL-DAG: write_after_submit: reject: Expected an initialized dynptr as arg #0
SEC("tc")
int write_after_submit(void *ctx) {
  struct bpf_dynptr dp;
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_reserve_dynptr(&events, 2 * sizeof(ts), 0, &dp);
  bpf_dynptr_write(&dp, 0, &ts, sizeof(ts), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  bpf_dynptr_write(&dp, sizeof(ts), &ts, sizeof(ts), 0); // expected-warning {{bpf_dynptr_write() of a ring buffer dynptr that was already submitted or discarded (verifier: "Expected an initialized dynptr as arg #%d") [bpflint-ringbuf-dynptr-use-after-release]}}
  return 0;
}

// KERNEL-DAG: write_after_submit_fixed: accept
SEC("tc")
int write_after_submit_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_reserve_dynptr(&events, 2 * sizeof(ts), 0, &dp);
  bpf_dynptr_write(&dp, 0, &ts, sizeof(ts), 0);
  bpf_dynptr_write(&dp, sizeof(ts), &ts, sizeof(ts), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
