// RB-014 (lint): flags the ring buffer helpers ignore or reject at run time.
// The kernel loads both programs of each pair.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-lint-* %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-lint
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// BPF_F_CURRENT_CPU is a perf buffer flag: bpf_ringbuf_output fails with
// -EINVAL and the event is lost.
// KERNEL-DAG: output_perf_flags: accept
SEC("tc")
int output_perf_flags(void *ctx) {
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, &ts, sizeof(ts), BPF_F_CURRENT_CPU); // expected-warning {{bpf_ringbuf_output() with flags 4294967295 always fails with -EINVAL and writes nothing: pass 0, BPF_RB_NO_WAKEUP or BPF_RB_FORCE_WAKEUP [bpflint-ringbuf-lint-flags]}}
  return 0;
}

// KERNEL-DAG: output_perf_flags_fixed: accept
SEC("tc")
int output_perf_flags_fixed(void *ctx) {
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, &ts, sizeof(ts), 0);
  return 0;
}

// KERNEL-DAG: submit_unknown_flags: accept
SEC("tc")
int submit_unknown_flags(void *ctx) {
  __u64 *ts = bpf_ringbuf_reserve(&events, sizeof(*ts), 0);
  if (!ts)
    return 0;
  *ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(ts, BPF_F_NUMA_NODE | BPF_RB_FORCE_WAKEUP); // expected-warning {{bpf_ringbuf_submit() ignores flags other than BPF_RB_NO_WAKEUP and BPF_RB_FORCE_WAKEUP (got 6)}}
  return 0;
}

// KERNEL-DAG: submit_unknown_flags_fixed: accept
SEC("tc")
int submit_unknown_flags_fixed(void *ctx) {
  __u64 *ts = bpf_ringbuf_reserve(&events, sizeof(*ts), 0);
  if (!ts)
    return 0;
  *ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(ts, BPF_RB_FORCE_WAKEUP);
  return 0;
}

// KERNEL-DAG: query_bad_flag: accept
SEC("tc")
int query_bad_flag(void *ctx) {
  return bpf_ringbuf_query(&events, 8) > 1024; // expected-warning {{bpf_ringbuf_query() with flags 8 always returns 0}}
}

// KERNEL-DAG: query_bad_flag_fixed: accept
SEC("tc")
int query_bad_flag_fixed(void *ctx) {
  return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > 1024;
}

char LICENSE[] SEC("license") = "GPL";
