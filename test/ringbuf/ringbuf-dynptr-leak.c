// RB-018: a ring buffer dynptr must be submitted or discarded on every path,
// even when bpf_ringbuf_reserve_dynptr failed. Bad programs are flagged,
// their _fixed twins are silent, and the KERNEL lines are the running
// kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-leak %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-leak
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
  __type(key, int);
  __type(value, char[256]);
} payloads SEC(".maps");

// The failure branch returns without discarding the (NULL) dynptr.
// KERNEL-DAG: failed_reservation: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int failed_reservation(void *ctx) {
  struct bpf_dynptr dp;
  __u32 len = bpf_get_prandom_u32() & 255;
  if (bpf_ringbuf_reserve_dynptr(&events, len, 0, &dp)) // expected-note {{dynptr reserved here; it must be submitted or discarded even if the reservation fails}}
    return 0; // newest-warning {{ring buffer dynptr is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-dynptr-leak]}} \
                 k66-warning {{ring buffer dynptr is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d") [bpflint-ringbuf-dynptr-leak]}}
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// A variable-size record: the length is only known at run time, which
// bpf_ringbuf_reserve_dynptr allows.
// KERNEL-DAG: failed_reservation_fixed: accept
SEC("tc")
int failed_reservation_fixed(void *ctx) {
  struct bpf_dynptr dp;
  int zero = 0;
  __u32 len = bpf_get_prandom_u32() & 255;
  char *payload = bpf_map_lookup_elem(&payloads, &zero);
  if (!payload)
    return 0;
  if (bpf_ringbuf_reserve_dynptr(&events, len, 0, &dp)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  if (bpf_dynptr_write(&dp, 0, payload, len, 0)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// A static helper fills the record and forgets it on its error path.
static __always_inline int fill(struct bpf_dynptr *dp) {
  __u64 ts = bpf_ktime_get_ns();
  if (bpf_dynptr_write(dp, 0, &ts, sizeof(ts), 0))
    return -1;
  bpf_ringbuf_submit_dynptr(dp, 0);
  return 0;
}

// KERNEL-DAG: leak_in_helper: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int leak_in_helper(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  return fill(&dp); // newest-warning {{neither submitted nor discarded}} k66-warning {{neither submitted nor discarded}}
}

static __always_inline int fill_fixed(struct bpf_dynptr *dp) {
  __u64 ts = bpf_ktime_get_ns();
  if (bpf_dynptr_write(dp, 0, &ts, sizeof(ts), 0)) {
    bpf_ringbuf_discard_dynptr(dp, 0);
    return -1;
  }
  bpf_ringbuf_submit_dynptr(dp, 0);
  return 0;
}

// KERNEL-DAG: leak_in_helper_fixed: accept
SEC("tc")
int leak_in_helper_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  return fill_fixed(&dp);
}

char LICENSE[] SEC("license") = "GPL";
