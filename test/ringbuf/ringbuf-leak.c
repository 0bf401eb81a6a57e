// RB-009: a ring buffer reservation neither submitted nor discarded on some
// path. Bad programs are flagged, their _fixed twins are silent, and the
// KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct event {
  __u32 pid;
  __u64 ts;
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// KERNEL-DAG: early_return: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int early_return(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 0)
    return 0; // newest-warning {{ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-leak]}} \
                 k66-warning {{ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d") [bpflint-ringbuf-leak]}}
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: early_return_fixed: accept
SEC("tc")
int early_return_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 0) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The record is filled and released by a static helper, which forgets the
// release when bpf_get_current_comm fails.
static __always_inline int fill_and_submit(struct event *e) {
  if (bpf_get_current_comm(e->comm, sizeof(e->comm)))
    return -1;
  bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
  return 0;
}

// KERNEL-DAG: leak_in_helper: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int leak_in_helper(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  fill_and_submit(e);
  return 0; // newest-warning {{neither submitted nor discarded}} k66-warning {{neither submitted nor discarded}}
}

static __always_inline int fill_and_submit_fixed(struct event *e) {
  if (bpf_get_current_comm(e->comm, sizeof(e->comm))) {
    bpf_ringbuf_discard(e, 0);
    return -1;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: leak_in_helper_fixed: accept
SEC("tc")
int leak_in_helper_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  return fill_and_submit_fixed(e);
}

// Reserved and never looked at again: the verifier tracks the reference even
// without a NULL check.
// KERNEL-DAG: never_released: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int never_released(void *ctx) {
  bpf_ringbuf_reserve(&events, sizeof(struct event), 0); // expected-note {{record reserved here}}
  return 0; // newest-warning {{neither submitted nor discarded}} k66-warning {{neither submitted nor discarded}}
}

// A global (non-static, __noinline) function is verified on its own, with
// unknown arguments; its leak rejects every program that calls it.
__noinline int emit_global(__u32 x) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  if (x)
    return 1; // newest-warning {{neither submitted nor discarded}} k66-warning {{neither submitted nor discarded}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: calls_global: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int calls_global(void *ctx) { return emit_global(bpf_get_prandom_u32() & 1); }

// libbpf-tools' compat pattern: ring buffer where the kernel has one, perf
// buffer otherwise, decided by a CO-RE query in two functions. The kernel
// sees the query's constant and prunes the mixed paths; so must we.
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

char LICENSE[] SEC("license") = "GPL";
