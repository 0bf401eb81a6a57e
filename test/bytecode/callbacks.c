// Synchronous callbacks at bytecode level: bpflint-objcheck runs the callback
// of bpf_loop, bpf_for_each_map_elem and bpf_user_ringbuf_drain as a frame
// with the arguments the helper passes, returns to the helper call (which
// the kernel verifies again, as a loop) and also follows the path on which
// the callback is never called (RB-025, RB-025b, RB-026, RB-027, RB-029, LOCK-018).
// Each bad program has a _fixed twin that must stay silent; the KERNEL lines
// are the running kernel's verdicts on this very object.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %objcheck %t.o --program loop_leak_fixed --program each_leak_fixed --program drain_return_fixed --program drain_release_fixed --program loop_lock_fixed --program handed_to_caller --program drain_null_ctx_fixed
// RUN: %objcheck %t.o --kernel 6.6 --program loop_leak --program drain_return
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} requests SEC(".maps");

struct val {
  struct bpf_spin_lock lock;
  __u64 n;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct val);
} vals SEC(".maps");

// RB-029: a record reserved in a bpf_loop callback and lost on one path.
static int emit_cb(__u32 idx, void *ctx) {
  __u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  *e = idx;
  if (idx == 3)
    return 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: callbacks.c:[[@LINE-1]]:{{[0-9]+}}: warning: the bpf_loop callback returns holding a reference it acquired; nothing can release it afterwards (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-callback-leak]
// CHECK: note: ring buffer record reserved here in the callback (insn .text+{{[0-9]+}}, reference id={{[0-9]+}})
// CHECK: note: in program 'loop_leak' at insn .text+{{[0-9]+}} ('exit')

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
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: loop_leak_fixed: accept
SEC("tc")
int loop_leak_fixed(void *ctx) {
  bpf_loop(4, emit_cb_fixed, NULL, 0);
  return 0;
}

// RB-029 in a bpf_for_each_map_elem callback (the value is a map value).
static long each_cb(void *map, __u32 *key, struct val *v, void *ctx) {
  __u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  *e = v->n;
  if (v->n > 100)
    return 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: callbacks.c:[[@LINE-1]]:{{[0-9]+}}: warning: the bpf_for_each_map_elem callback returns holding a reference it acquired; nothing can release it afterwards

// KERNEL-DAG: each_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int each_leak(void *ctx) {
  bpf_for_each_map_elem(&vals, each_cb, NULL, 0);
  return 0;
}

static long each_cb_fixed(void *map, __u32 *key, struct val *v, void *ctx) {
  __u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  *e = v->n;
  bpf_ringbuf_submit(e, 0);
  return v->n > 100;
}

// KERNEL-DAG: each_leak_fixed: accept
SEC("tc")
int each_leak_fixed(void *ctx) {
  bpf_for_each_map_elem(&vals, each_cb_fixed, NULL, 0);
  return 0;
}

// RB-025: a drain callback returns 0 or 1.
static long drain_cb(struct bpf_dynptr *sample, void *ctx) {
  __u64 v;
  if (bpf_dynptr_read(&v, sizeof(v), sample, 0, 0))
    return -1;
  return 0;
}
// CHECK: callbacks.c:[[@LINE-1]]:{{[0-9]+}}: warning: the bpf_user_ringbuf_drain callback returns -1, not 0 (continue) or 1 (stop) (verifier: "At callback return the register R0 has smin=%lld smax=%lld should have been in [0, 1]") [bpflint-ringbuf-drain-callback-return]

// KERNEL-DAG: drain_return: reject: At callback return the register R0 has smin=-1 smax=-1 should have been in [0, 1]
SEC("tc")
int drain_return(void *ctx) {
  bpf_user_ringbuf_drain(&requests, drain_cb, NULL, 0);
  return 0;
}

static long drain_cb_fixed(struct bpf_dynptr *sample, void *ctx) {
  __u64 v;
  if (bpf_dynptr_read(&v, sizeof(v), sample, 0, 0))
    return 1;
  return 0;
}

// KERNEL-DAG: drain_return_fixed: accept
SEC("tc")
int drain_return_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, drain_cb_fixed, NULL, 0);
  return 0;
}

// RB-026: the sample is not the program's to release.
static long release_cb(struct bpf_dynptr *sample, void *ctx) {
  bpf_ringbuf_discard_dynptr(sample, 0);
  return 0;
}
// CHECK: callbacks.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_ringbuf_discard_dynptr is given the const dynptr of a drain callback, which the program does not own (verifier: "cannot release unowned const bpf_dynptr") [bpflint-ringbuf-drain-dynptr-const]

// KERNEL-DAG: drain_release: reject: cannot release unowned const bpf_dynptr
SEC("tc")
int drain_release(void *ctx) {
  bpf_user_ringbuf_drain(&requests, release_cb, NULL, 0);
  return 0;
}

static long release_cb_fixed(struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr out;
  __u64 v = 0;
  bpf_dynptr_read(&v, sizeof(v), sample, 0, 0);
  if (bpf_ringbuf_reserve_dynptr(&events, sizeof(v), 0, &out)) {
    bpf_ringbuf_discard_dynptr(&out, 0);
    return 1;
  }
  bpf_dynptr_write(&out, 0, &v, sizeof(v), 0);
  bpf_ringbuf_submit_dynptr(&out, 0);
  return 0;
}

// KERNEL-DAG: drain_release_fixed: accept
SEC("tc")
int drain_release_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, release_cb_fixed, NULL, 0);
  return 0;
}

// LOCK-018: a callback that returns holding a lock; the helper call that
// runs it again is then a call inside the critical section.
static int lock_cb(__u32 idx, void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 1;
  bpf_spin_lock(&v->lock);
  v->n++;
  return 0;
}

// KERNEL-DAG: loop_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int loop_lock(void *ctx) {
  bpf_loop(4, lock_cb, NULL, 0);
  return 0;
}
// CHECK: callbacks.c:[[@LINE-3]]:{{[0-9]+}}: warning: call to helper bpf_loop while the lock in a value of map 'vals' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]

static int lock_cb_fixed(__u32 idx, void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 1;
  bpf_spin_lock(&v->lock);
  v->n++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: loop_lock_fixed: accept
SEC("tc")
int loop_lock_fixed(void *ctx) {
  bpf_loop(4, lock_cb_fixed, NULL, 0);
  return 0;
}

// A record handed to the caller through the context: the caller releases
// it (accepted); not reported.
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

// RB-025b: the callback must be static.
__attribute__((noinline)) long global_cb(struct bpf_dynptr *sample,
                                         void *ctx) {
  return 0;
}

// KERNEL-DAG: global_callback: reject: callback function not static
SEC("tc")
int global_callback(void *ctx) {
  bpf_user_ringbuf_drain(&requests, global_cb, NULL, 0);
  return 0;
}
// CHECK: callbacks.c:[[@LINE-3]]:{{[0-9]+}}: warning: the address of global function 'global_cb' is taken (as a callback) (verifier: "callback function not static") [bpflint-ringbuf-drain-callback-not-static]

// RB-027: a NULL drain context is a known 0 in the callback.
struct stats {
  __u64 samples;
};

static long count_cb(struct bpf_dynptr *sample, struct stats *st) {
  st->samples++;
  return 0;
}
// CHECK: callbacks.c:[[@LINE-3]]:{{[0-9]+}}: warning: load through R2, which is NULL: the bpf_user_ringbuf_drain call passes no context to its callback (verifier: "R%d invalid mem access 'scalar'") [bpflint-ringbuf-drain-null-context]

// KERNEL-DAG: drain_null_ctx: reject: R2 invalid mem access 'scalar'
SEC("tc")
int drain_null_ctx(void *ctx) {
  bpf_user_ringbuf_drain(&requests, count_cb, NULL, 0);
  return 0;
}

static long count_cb_fixed(struct bpf_dynptr *sample, struct stats *st) {
  if (!st)
    return 1;
  st->samples++;
  return 0;
}

// KERNEL-DAG: drain_null_ctx_fixed: accept
SEC("tc")
int drain_null_ctx_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, count_cb_fixed, NULL, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
