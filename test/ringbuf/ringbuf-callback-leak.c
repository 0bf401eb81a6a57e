// RB-029 (RB-009 / RB-018 inside callbacks): the kernel verifies a callback
// of bpf_loop, bpf_for_each_map_elem, bpf_user_ringbuf_drain or bpf_find_vma
// with unknown arguments, and a reservation the callback loses can never be
// released (6.18 reports it when the program exits; older kernels at the
// callback's exit). bpflint analyses such callbacks as entries of their own.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-callback-leak %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-leak
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// The bytecode layer, in program order (loop_leak, for_each_leak,
// drain_dynptr_leak, stack_ctx, drain_record_leak, caller_dynptr_in_callback;
// it gives up on handed_to_caller and drain_handed_to_caller):
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program loop_leak_fixed --program for_each_leak_fixed --program drain_dynptr_leak_fixed --program handed_to_caller --program null_ctx --program drain_record_leak_fixed --program caller_dynptr_in_callback_fixed
// OBJ: warning: the bpf_loop callback returns holding a reference it acquired; nothing can release it afterwards (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-callback-leak]
// OBJ: note: in program 'loop_leak'
// OBJ: warning: the bpf_for_each_map_elem callback returns holding a reference it acquired
// OBJ: warning: the bpf_user_ringbuf_drain callback returns holding a reference it acquired
// OBJ: note: in program 'drain_dynptr_leak'
// OBJ: warning: the bpf_loop callback returns holding a reference it acquired
// OBJ: note: in program 'stack_ctx'
// OBJ: warning: the bpf_user_ringbuf_drain callback returns holding a reference it acquired
// OBJ: note: in program 'drain_record_leak'
// OBJ: warning: ring buffer dynptr is neither submitted nor discarded on this path

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} requests SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u64);
} counters SEC(".maps");

static int emit_cb(__u32 idx, void *ctx) {
  __u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  *e = idx;
  if (idx == 3)
    return 1; // expected-warning {{ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-callback-leak]}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: loop_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int loop_leak(void *ctx) {
  bpf_loop(4, emit_cb, NULL, 0);
  return 0;
}

static int emit_cb_fixed(__u32 idx, void *ctx) {
  __u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  *e = idx;
  if (idx == 3) {
    bpf_ringbuf_discard(e, 0);
    return 1;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: loop_leak_fixed: accept
SEC("tc")
int loop_leak_fixed(void *ctx) {
  bpf_loop(4, emit_cb_fixed, NULL, 0);
  return 0;
}

// The value pointer of bpf_for_each_map_elem is never NULL: the verifier
// prunes the `!val` branch, so it does not leak.
static long dump_cb(void *map, __u32 *key, __u64 *val, void *ctx) {
  __u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  if (!val)
    return 1;
  *e = *val;
  if (!*val)
    return 0; // expected-warning {{ring buffer record is neither submitted nor discarded on this path}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: for_each_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int for_each_leak(void *ctx) {
  bpf_for_each_map_elem(&counters, dump_cb, NULL, 0);
  return 0;
}

static long dump_cb_fixed(void *map, __u32 *key, __u64 *val, void *ctx) {
  __u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (!val)
    return 1;
  *e = *val;
  if (!*val) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: for_each_leak_fixed: accept
SEC("tc")
int for_each_leak_fixed(void *ctx) {
  bpf_for_each_map_elem(&counters, dump_cb_fixed, NULL, 0);
  return 0;
}

// A dynptr reserved in a drain callback, and the failed reservation not
// discarded.
static long forward_cb(const struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr out;
  if (bpf_ringbuf_reserve_dynptr(&events, 8, 0, &out)) // expected-note {{dynptr reserved here}}
    return 1; // expected-warning {{ring buffer dynptr is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-callback-leak]}}
  bpf_ringbuf_submit_dynptr(&out, 0);
  return 0;
}

// KERNEL-DAG: drain_dynptr_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int drain_dynptr_leak(void *ctx) {
  bpf_user_ringbuf_drain(&requests, forward_cb, NULL, 0);
  return 0;
}

static long forward_cb_fixed(const struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr out;
  if (bpf_ringbuf_reserve_dynptr(&events, 8, 0, &out)) {
    bpf_ringbuf_discard_dynptr(&out, 0);
    return 1;
  }
  bpf_ringbuf_submit_dynptr(&out, 0);
  return 0;
}

// KERNEL-DAG: drain_dynptr_leak_fixed: accept
SEC("tc")
int drain_dynptr_leak_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, forward_cb_fixed, NULL, 0);
  return 0;
}

// A callback may hand its record to the caller through the context (6.18
// accepts this; the caller releases it). Not reported.
struct pending {
  __u32 *e;
};

static int reserve_cb(__u32 idx, struct pending *p) {
  p->e = bpf_ringbuf_reserve(&events, sizeof(__u32), 0);
  return 1;
}

// KERNEL-DAG: handed_to_caller: accept
SEC("tc")
int handed_to_caller(void *ctx) {
  struct pending p = {};
  bpf_loop(1, reserve_cb, &p, 0);
  if (p.e)
    bpf_ringbuf_submit(p.e, 0);
  return 0;
}

// The verifier does not prune a NULL check of a stack pointer: a callback
// context passed as &budget may be NULL as far as it knows.
static int ctx_cb(__u32 idx, __u32 *budget) {
  __u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!budget)
    return 1; // expected-warning {{ring buffer record is neither submitted nor discarded on this path}}
  if (!e)
    return 1;
  *e = *budget;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: stack_ctx: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int stack_ctx(void *ctx) {
  __u32 budget = 8;
  bpf_loop(4, ctx_cb, &budget, 0);
  return 0;
}

// A NULL context is a known 0 in the callback: that branch is pruned.
static int null_ctx_cb(__u32 idx, __u32 *budget) {
  __u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (budget)
    return 1;
  if (!e)
    return 1;
  *e = idx;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: null_ctx: accept
SEC("tc")
int null_ctx(void *ctx) {
  bpf_loop(4, null_ctx_cb, NULL, 0);
  return 0;
}

// A record reserved in a drain callback and lost on one path.
static long reply_cb(const struct bpf_dynptr *sample, void *ctx) {
  __u64 req;
  if (bpf_dynptr_read(&req, sizeof(req), sample, 0, 0))
    return 1;
  __u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 1;
  if (!req)
    return 0; // expected-warning {{ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-callback-leak]}}
  *e = req;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: drain_record_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int drain_record_leak(void *ctx) {
  bpf_user_ringbuf_drain(&requests, reply_cb, NULL, 0);
  return 0;
}

static long reply_cb_fixed(const struct bpf_dynptr *sample, void *ctx) {
  __u64 req;
  if (bpf_dynptr_read(&req, sizeof(req), sample, 0, 0))
    return 1;
  __u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 1;
  if (!req) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  *e = req;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: drain_record_leak_fixed: accept
SEC("tc")
int drain_record_leak_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, reply_cb_fixed, NULL, 0);
  return 0;
}

// Unlike the bpf_loop callback above, a drain callback that hands its record
// to the caller is rejected on 6.18: the verifier runs the callback again,
// and the second reservation overwrites the first. Not reported yet (the
// record escapes into the context).
static long pass_cb(const struct bpf_dynptr *sample, struct pending *p) {
  p->e = bpf_ringbuf_reserve(&events, sizeof(__u32), 0);
  return 1;
}

// KERNEL-DAG: drain_handed_to_caller: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int drain_handed_to_caller(void *ctx) {
  struct pending p = {};
  bpf_user_ringbuf_drain(&requests, pass_cb, &p, 0);
  if (p.e)
    bpf_ringbuf_submit(p.e, 0);
  return 0;
}

// The caller's dynptr released by the callback: the verifier also explores
// the path where the callback never runs, so the caller holds it at exit.
static int submit_cb(__u32 idx, struct bpf_dynptr *out) {
  bpf_ringbuf_submit_dynptr(out, 0);
  return 1;
}

// KERNEL-DAG: caller_dynptr_in_callback: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int caller_dynptr_in_callback(void *ctx) {
  struct bpf_dynptr out;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &out); // expected-note {{dynptr reserved here}}
  bpf_loop(1, submit_cb, &out, 0);
  return 0; // expected-warning {{ring buffer dynptr is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-dynptr-leak]}}
}

static int fill_cb(__u32 idx, struct bpf_dynptr *out) {
  bpf_dynptr_write(out, idx * 4, &idx, sizeof(idx), 0);
  return 0;
}

// KERNEL-DAG: caller_dynptr_in_callback_fixed: accept
SEC("tc")
int caller_dynptr_in_callback_fixed(void *ctx) {
  struct bpf_dynptr out;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &out);
  bpf_loop(2, fill_cb, &out, 0);
  bpf_ringbuf_submit_dynptr(&out, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
