// RB-016: bpf_ringbuf_reserve_dynptr into a dynptr that is not on the stack.
// A global and a map value are both map values to the verifier. Bad
// programs are flagged, their _fixed twins are silent, and the KERNEL lines
// are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-not-on-stack %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-not-on-stack
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct bpf_dynptr);
} saved SEC(".maps");

struct bpf_dynptr global_dp;

// KERNEL-DAG: global_dynptr: reject: R4 type=map_value expected=fp, dynptr_ptr
SEC("tc")
int global_dynptr(void *ctx) {
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &global_dp); // newest-warning {{bpf_ringbuf_reserve_dynptr() into a dynptr in a global variable; a ring buffer dynptr must be a local variable (verifier: "R4 type=map_value expected=fp, dynptr_ptr") [bpflint-ringbuf-dynptr-not-on-stack]}}
  bpf_ringbuf_discard_dynptr(&global_dp, 0);
  return 0;
}

// KERNEL-DAG: global_dynptr_fixed: accept
SEC("tc")
int global_dynptr_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: map_value_dynptr: reject: R4 type=map_value expected=fp, dynptr_ptr
SEC("tc")
int map_value_dynptr(void *ctx) {
  __u32 key = 0;
  struct bpf_dynptr *dp = bpf_map_lookup_elem(&saved, &key);
  if (!dp)
    return 0;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, dp); // newest-warning {{into a dynptr in a map value}}
  bpf_ringbuf_discard_dynptr(dp, 0);
  return 0;
}

// KERNEL-DAG: map_value_dynptr_fixed: accept
SEC("tc")
int map_value_dynptr_fixed(void *ctx) {
  __u64 ts = bpf_ktime_get_ns();
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, sizeof(ts), 0, &dp) == 0)
    bpf_dynptr_write(&dp, 0, &ts, sizeof(ts), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
