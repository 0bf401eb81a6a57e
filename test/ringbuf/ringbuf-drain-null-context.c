// RB-027: bpf_user_ringbuf_drain hands its context argument to the callback.
// A NULL context reaches the callback as scalar 0, so dereferencing it
// fails. Only a literal NULL at every drain of the callback is reported. The
// bad programs are flagged, the _fixed twins are silent, and the KERNEL
// lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-drain-null-context %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-drain-null-context
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} requests SEC(".maps");

struct stats {
  __u64 samples;
  __u64 bytes;
};

// The callback counts into its context, but the drain passes none.
static long count(const struct bpf_dynptr *sample, struct stats *st) {
  st->samples++; // expected-warning {{the context of a bpf_user_ringbuf_drain callback is dereferenced, but the drain passes NULL: the callback gets 0; pass a pointer to a local variable as the drain's context (verifier: "R%d invalid mem access 'scalar'") [bpflint-ringbuf-drain-null-context]}}
  return 0;
}

// KERNEL-DAG: null_context: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int null_context(void *ctx) {
  bpf_user_ringbuf_drain(&requests, count, NULL, 0);
  return 0;
}

// (An increment would make the verifier explore every count: it tracks the
// stack value exactly.)
static long count_fixed(const struct bpf_dynptr *sample, struct stats *st) {
  st->samples = 1;
  return 0;
}

// KERNEL-DAG: null_context_fixed: accept
SEC("tc")
int null_context_fixed(void *ctx) {
  struct stats st = {};
  bpf_user_ringbuf_drain(&requests, count_fixed, &st, 0);
  return st.samples > 0;
}

// A callback that checks its context: the verifier prunes the dereference.
static long count_checked(const struct bpf_dynptr *sample, struct stats *st) {
  if (!st)
    return 0;
  st->samples++;
  return 0;
}

// KERNEL-DAG: checked_context: accept
SEC("tc")
int checked_context(void *ctx) {
  bpf_user_ringbuf_drain(&requests, count_checked, NULL, 0);
  return 0;
}

// The context is read through a copy of the pointer.
static long sum(const struct bpf_dynptr *sample, void *ctx) {
  struct stats *st = ctx;
  __u64 v;
  if (bpf_dynptr_read(&v, sizeof(v), sample, 0, 0))
    return 1;
  st->bytes += v; // expected-warning {{the context of a bpf_user_ringbuf_drain callback is dereferenced}}
  return 0;
}

// KERNEL-DAG: null_context_copy: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int null_context_copy(void *ctx) {
  bpf_user_ringbuf_drain(&requests, sum, 0, 0);
  return 0;
}

// One drain passes a context, another NULL: the kernel verifies the callback
// for each call, and rejects the program whose drain passes NULL. Reported
// in the callback when it dereferences the context without a NULL check.
static long sum_mixed(const struct bpf_dynptr *sample, void *ctx) {
  struct stats *st = ctx;
  __u64 v;
  if (bpf_dynptr_read(&v, sizeof(v), sample, 0, 0))
    return 1;
  st->bytes += v; // expected-warning {{the context of a bpf_user_ringbuf_drain callback is dereferenced without a NULL check, but a drain passes NULL: for that call the callback gets 0; pass a pointer to a local variable, or check the context first (verifier: "R%d invalid mem access 'scalar'") [bpflint-ringbuf-drain-null-context]}}
  return 0;
}

// KERNEL-DAG: mixed_context_stack: accept
SEC("tc")
int mixed_context_stack(void *ctx) {
  struct stats st = {};
  bpf_user_ringbuf_drain(&requests, sum_mixed, &st, 0);
  return st.bytes > 0;
}

// KERNEL-DAG: mixed_context_null: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int mixed_context_null(void *ctx) {
  bpf_user_ringbuf_drain(&requests, sum_mixed, NULL, 0);
  return 0;
}

// The same with a NULL check in the callback: both programs load.
static long sum_mixed_fixed(const struct bpf_dynptr *sample, void *ctx) {
  struct stats *st = ctx;
  __u64 v;
  if (!st || bpf_dynptr_read(&v, sizeof(v), sample, 0, 0))
    return 1;
  st->bytes += v;
  return 0;
}

// KERNEL-DAG: mixed_context_stack_fixed: accept
SEC("tc")
int mixed_context_stack_fixed(void *ctx) {
  struct stats st = {};
  bpf_user_ringbuf_drain(&requests, sum_mixed_fixed, &st, 0);
  return st.bytes > 0;
}

// KERNEL-DAG: mixed_context_null_fixed: accept
SEC("tc")
int mixed_context_null_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, sum_mixed_fixed, NULL, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
