// RB-004: the size passed to bpf_ringbuf_reserve must be a constant the
// verifier knows. Load-time constants (.rodata "const volatile"
// configuration, frozen before verification) and values pinned by a branch
// count as constants. Bad programs are flagged, their _fixed twins are
// silent, and the KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-non-constant-size %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-non-constant-size
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct sample {
  __u32 len;
  char data[64];
};

/* Set by the loader before the program is loaded. */
const volatile __u32 sample_len = 32;
/* Written at run time by user space or other programs. */
__u32 runtime_len = 32;

// KERNEL-DAG: random_size: reject: R2 is not a known constant'
SEC("tc")
int random_size(void *ctx) {
  __u32 len = bpf_get_prandom_u32() & 63;
  char *buf = bpf_ringbuf_reserve(&events, len, 0); // expected-warning {{the size passed to bpf_ringbuf_reserve() is not a constant; reserve a fixed-size record, or use bpf_ringbuf_reserve_dynptr() or bpf_ringbuf_output() for variable-size data (verifier: "R2 is not a known constant'") [bpflint-ringbuf-non-constant-size]}}
  if (!buf)
    return 0;
  bpf_ringbuf_submit(buf, 0);
  return 0;
}

// Reserve the largest record and say in it how much is used.
// KERNEL-DAG: random_size_fixed: accept
SEC("tc")
int random_size_fixed(void *ctx) {
  __u32 len = bpf_get_prandom_u32() & 63;
  struct sample *s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);
  if (!s)
    return 0;
  s->len = len;
  bpf_ringbuf_submit(s, 0);
  return 0;
}

// KERNEL-DAG: writable_global_size: reject: R2 is not a known constant'
SEC("tc")
int writable_global_size(void *ctx) {
  char *buf = bpf_ringbuf_reserve(&events, runtime_len, 0); // expected-warning {{is not a constant}}
  if (!buf)
    return 0;
  bpf_ringbuf_submit(buf, 0);
  return 0;
}

// A .rodata configuration value is frozen before the verifier runs.
// KERNEL-DAG: rodata_size_fixed: accept
SEC("tc")
int rodata_size_fixed(void *ctx) {
  char *buf = bpf_ringbuf_reserve(&events, sample_len, 0);
  if (!buf)
    return 0;
  bpf_ringbuf_submit(buf, 0);
  return 0;
}

// The range check leaves len in [1, 64]: still not one constant.
// KERNEL-DAG: clamped_size: reject: R2 is not a known constant'
SEC("tc")
int clamped_size(void *ctx) {
  __u32 len = bpf_get_prandom_u32();
  if (len == 0 || len > 64)
    return 0;
  char *buf = bpf_ringbuf_reserve(&events, len, 0); // expected-warning {{is not a constant}}
  if (!buf)
    return 0;
  bpf_ringbuf_submit(buf, 0);
  return 0;
}

// Each branch pins the size to one value, which the verifier tracks.
// KERNEL-DAG: branch_constant_fixed: accept
SEC("tc")
int branch_constant_fixed(void *ctx) {
  __u32 len = bpf_get_prandom_u32();
  if (len != 16)
    return 0;
  char *buf = bpf_ringbuf_reserve(&events, len, 0);
  if (!buf)
    return 0;
  bpf_ringbuf_submit(buf, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
