// RB-002: bpf_ringbuf_reserve / _output / _query / _reserve_dynptr take only
// a BPF_MAP_TYPE_RINGBUF map. Bad programs are flagged, their _fixed twins
// are silent, and the KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-map-type %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-map-type
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct event {
  __u32 pid;
  __u64 ts;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 256 * 1024);
} commands SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(int));
  __uint(value_size, sizeof(int));
} perf_events SEC(".maps");

// KERNEL-DAG: reserve_perf_map: reject: cannot pass map_type 4 into func bpf_ringbuf_reserve#131
SEC("tc")
int reserve_perf_map(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&perf_events, sizeof(*e), 0); // expected-warning {{bpf_ringbuf_reserve() needs a BPF_MAP_TYPE_RINGBUF map; 'perf_events' is BPF_MAP_TYPE_PERF_EVENT_ARRAY (map_type 4) (verifier: "cannot pass map_type 4 into func bpf_ringbuf_reserve#131") [bpflint-ringbuf-map-type]}}
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: reserve_perf_map_fixed: accept
SEC("tc")
int reserve_perf_map_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The user ring buffer goes the other way: programs drain it.
// KERNEL-DAG: output_user_ringbuf: reject: cannot pass map_type 31 into func bpf_ringbuf_output#130
SEC("tc")
int output_user_ringbuf(void *ctx) {
  struct event e = {.ts = bpf_ktime_get_ns()};
  return bpf_ringbuf_output(&commands, &e, sizeof(e), 0); // expected-warning {{(verifier: "cannot pass map_type 31 into func bpf_ringbuf_output#130")}}
}

// KERNEL-DAG: output_user_ringbuf_fixed: accept
SEC("tc")
int output_user_ringbuf_fixed(void *ctx) {
  struct event e = {.ts = bpf_ktime_get_ns()};
  return bpf_ringbuf_output(&events, &e, sizeof(e), 0);
}

// KERNEL-DAG: query_perf_map: reject: cannot pass map_type 4 into func bpf_ringbuf_query#134
SEC("tc")
int query_perf_map(void *ctx) {
  return bpf_ringbuf_query(&perf_events, BPF_RB_AVAIL_DATA) > 4096; // expected-warning {{(verifier: "cannot pass map_type 4 into func bpf_ringbuf_query#134")}}
}

// KERNEL-DAG: query_perf_map_fixed: accept
SEC("tc")
int query_perf_map_fixed(void *ctx) {
  return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > 4096;
}

// KERNEL-DAG: reserve_dynptr_perf_map: reject: cannot pass map_type 4 into func bpf_ringbuf_reserve_dynptr#198
SEC("tc")
int reserve_dynptr_perf_map(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&perf_events, 16, 0, &dp); // expected-warning {{(verifier: "cannot pass map_type 4 into func bpf_ringbuf_reserve_dynptr#198")}}
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: reserve_dynptr_perf_map_fixed: accept
SEC("tc")
int reserve_dynptr_perf_map_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
