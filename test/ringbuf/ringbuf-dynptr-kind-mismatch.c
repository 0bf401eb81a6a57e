// RB-020: bpf_ringbuf_submit/discard_dynptr of a dynptr that is not a ring
// buffer dynptr (one made by bpf_dynptr_from_mem). RULES.md expects
// "Expected a dynptr of type ringbuf as arg #0", but the verifier checks
// the release argument's reference first, and a local dynptr holds none.
// Bad programs are flagged, their _fixed twins are silent, and the KERNEL
// lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-kind-mismatch %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-kind-mismatch
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// bpf_dynptr_from_mem takes map values only (6.18: "Unsupported reg type fp
// for bpf_dynptr_from_mem data"): a global buffer is one.
char scratch[16];

// KERNEL-DAG: submit_local: reject: arg 1 is an unacquired reference
SEC("tc")
int submit_local(void *ctx) {
  struct bpf_dynptr dp;
  bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &dp);
  bpf_ringbuf_submit_dynptr(&dp, 0); // expected-warning {{bpf_ringbuf_submit_dynptr() of a dynptr made by bpf_dynptr_from_mem(); only a dynptr from bpf_ringbuf_reserve_dynptr() can be submitted or discarded (verifier: "arg 1 is an unacquired reference") [bpflint-ringbuf-dynptr-kind-mismatch]}}
  return 0;
}

// The data goes through the local dynptr into a ring buffer dynptr.
// KERNEL-DAG: submit_local_fixed: accept
SEC("tc")
int submit_local_fixed(void *ctx) {
  struct bpf_dynptr src, dst;
  __u64 word = 0;
  bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &src);
  bpf_dynptr_read(&word, sizeof(word), &src, 0, 0);
  if (bpf_ringbuf_reserve_dynptr(&events, sizeof(word), 0, &dst) == 0)
    bpf_dynptr_write(&dst, 0, &word, sizeof(word), 0);
  bpf_ringbuf_submit_dynptr(&dst, 0);
  return 0;
}

// KERNEL-DAG: discard_local: reject: arg 1 is an unacquired reference
SEC("tc")
int discard_local(void *ctx) {
  struct bpf_dynptr dp;
  if (bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &dp))
    return 0;
  bpf_ringbuf_discard_dynptr(&dp, 0); // expected-warning {{bpf_ringbuf_discard_dynptr() of a dynptr made by bpf_dynptr_from_mem()}}
  return 0;
}

// A dynptr variable that held a local dynptr and then a ring buffer one.
// KERNEL-DAG: discard_local_fixed: accept
SEC("tc")
int discard_local_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 word = 0;
  if (bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &dp))
    return 0;
  bpf_dynptr_read(&word, sizeof(word), &dp, 0, 0);
  bpf_ringbuf_reserve_dynptr(&events, sizeof(word), 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return word;
}

char LICENSE[] SEC("license") = "GPL";
