// Precision: what the kernel knows at load time, the bytecode verifier must
// know too, or it reports leaks on paths the kernel proves dead. Every
// _fixed program here is accepted by the kernel and must be silent; the bad
// ones show that the same constructs do not hide real leaks.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o --stats > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
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

// Hides a value from clang's optimizer; no instruction is emitted, so the
// verifier still knows everything about it.
#define opaque(x) asm volatile("" : "+r"(x))

// The verifier knows x is in [0, 3]: the early return is dead code to it.
// KERNEL-DAG: dead_branch_fixed: accept
SEC("tc")
int dead_branch_fixed(void *ctx) {
  __u32 x = bpf_get_prandom_u32() & 3;
  opaque(x);
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (x > 5)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: live_branch: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int live_branch(void *ctx) {
  __u32 x = bpf_get_prandom_u32() & 7;
  opaque(x);
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (x > 5)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: precision.c:[[@LINE-1]]:1: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: in program 'live_branch'

// A const volatile global lives in .rodata, which libbpf freezes before
// loading: the kernel reads its value (1) and prunes the other branch. So
// do we, with the value the object was written with (a loader that sets
// another one before loading gets the verdict for that value).
const volatile int use_ringbuf = 1;
const volatile int submit_records = 0;

// KERNEL-DAG: rodata_fixed: accept
SEC("tc")
int rodata_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (!use_ringbuf)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The same with the flag written as 0: the kernel follows the leaking path.
// KERNEL-DAG: rodata_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int rodata_leak(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (!submit_records)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: precision.c:[[@LINE-1]]:1: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: in program 'rodata_leak'

// The record pointer is spilled to the stack around code that needs every
// callee-saved register, and filled again for the submit.
// KERNEL-DAG: spilled_fixed: accept
SEC("tc")
int spilled_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  asm volatile("" ::: "r6", "r7", "r8", "r9");
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: spilled_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int spilled_leak(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  asm volatile("" ::: "r6", "r7", "r8", "r9");
  if (bpf_get_prandom_u32() & 1)
    return 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: precision.c:[[@LINE-1]]:1: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: in program 'spilled_leak'

// A bounded loop: the kernel walks every iteration; so do we.
// KERNEL-DAG: loop_fixed: accept
SEC("tc")
int loop_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  __u64 sum = 0;
  for (int i = 0; i < 16; i++) {
    opaque(sum);
    sum += i;
  }
  e->ts = sum;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// CO-RE: libbpf patches the query's constant at load time; the kernel
// prunes the mixed paths (reserved from the ring buffer, "submitted" to the
// perf buffer), which we cannot, so we drop them.
struct bpf_ringbuf {
  int unused;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(int));
  __uint(value_size, sizeof(int));
} perf_events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct event);
} heap SEC(".maps");

static __always_inline void *reserve_buf(__u64 size) {
  static const int zero = 0;
  if (bpf_core_type_exists(struct bpf_ringbuf))
    return bpf_ringbuf_reserve(&events, size, 0);
  return bpf_map_lookup_elem(&heap, &zero);
}

static __always_inline long submit_buf(void *ctx, void *buf, __u64 size) {
  if (bpf_core_type_exists(struct bpf_ringbuf)) {
    bpf_ringbuf_submit(buf, 0);
    return 0;
  }
  return bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, buf,
                               size);
}

// KERNEL-DAG: core_compat_fixed: accept
SEC("tc")
int core_compat_fixed(void *ctx) {
  struct event *e = reserve_buf(sizeof(*e));
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  submit_buf(ctx, e, sizeof(*e));
  return 0;
}

// The statistics show the paths we dropped instead of guessing.
// CHECK: program 'rodata_fixed': {{.*}} 0 path(s) not followed
// CHECK: program 'core_compat_fixed'
// CHECK: path on a value the kernel knows better

char LICENSE[] SEC("license") = "GPL";
