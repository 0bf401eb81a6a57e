// RB-025: the bpf_user_ringbuf_drain callback must be a static function; the
// kernel rejects a callback with global linkage when the program loads its
// address. The bad program is flagged, its _fixed twin is silent, and the
// KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-drain-callback-not-static %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-drain-callback-not-static
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} requests SEC(".maps");

struct config {
  __u32 level;
};

struct config current;

// Global: the callback is also a global function in the object.
long apply(const struct bpf_dynptr *sample, void *ctx) {
  struct config c;
  if (bpf_dynptr_read(&c, sizeof(c), sample, 0, 0))
    return 1;
  current = c;
  return 0;
}

// KERNEL-DAG: global_callback: reject: callback function not static
SEC("tc")
int global_callback(void *ctx) {
  bpf_user_ringbuf_drain(&requests, apply, NULL, 0); // expected-warning {{'apply' is the bpf_user_ringbuf_drain callback; the kernel accepts only static functions as callbacks: declare it static (verifier: "callback function not static") [bpflint-ringbuf-drain-callback-not-static]}}
  return 0;
}

static long apply_fixed(const struct bpf_dynptr *sample, void *ctx) {
  struct config c;
  if (bpf_dynptr_read(&c, sizeof(c), sample, 0, 0))
    return 1;
  current = c;
  return 0;
}

// KERNEL-DAG: global_callback_fixed: accept
SEC("tc")
int global_callback_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, apply_fixed, NULL, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
