// RB-024 (lint): a bpf_ringbuf_reserve_dynptr that can never succeed (size
// above the dynptr limit or the ring, or non-zero flags). The kernel loads
// both programs; the dynptr must still be discarded (RB-018).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-lint-* %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-lint
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 64 * 1024);
} events SEC(".maps");

// KERNEL-DAG: dynptr_too_big: accept
SEC("tc")
int dynptr_too_big(void *ctx) {
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, 128 * 1024, 0, &dp)) { // expected-warning {{bpf_ringbuf_reserve_dynptr() of 131072 bytes always fails: with its 8-byte header the record needs 131080 bytes and 'events' holds 65536 [bpflint-ringbuf-lint-dynptr-reserve-always-fails]}}
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: dynptr_too_big_fixed: accept
SEC("tc")
int dynptr_too_big_fixed(void *ctx) {
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, 32 * 1024, 0, &dp)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: dynptr_flags: accept
SEC("tc")
int dynptr_flags(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 64, BPF_RB_FORCE_WAKEUP, &dp); // expected-warning {{bpf_ringbuf_reserve_dynptr() with flags 2 always fails: the flags argument must be 0}}
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: dynptr_flags_fixed: accept
SEC("tc")
int dynptr_flags_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 64, 0, &dp);
  bpf_ringbuf_submit_dynptr(&dp, BPF_RB_FORCE_WAKEUP);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
