// RB-009 at bytecode level: bpflint-objcheck on the object clang emits.
// Each bad program is reported at its exit instruction (mapped back to the
// source line through .BTF.ext) with the path and the reservation as notes;
// each _fixed twin is silent. The KERNEL lines are the running kernel's
// verdicts on the very same object.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: not %objcheck --kernel 6.6 %t.o | FileCheck %s --check-prefix=K66
// RUN: %objcheck %t.o --program early_return_fixed --program subprog_fixed --program ctx_null_leak_fixed
// RUN: not %objcheck %t.o --format json | FileCheck %s --check-prefix=JSON
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

// KERNEL-DAG: early_return: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int early_return(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 0)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: ringbuf-leak.c:[[@LINE-1]]:1: warning: ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-leak]
// CHECK-NEXT: ringbuf-leak.c:[[@LINE-10]]:{{[0-9]+}}: note: not taking the jump at insn tc+{{[0-9]+}} ('if r6 == 0 goto
// CHECK-NEXT: ringbuf-leak.c:[[@LINE-8]]:{{[0-9]+}}: note: taking the jump at insn tc+{{[0-9]+}}
// CHECK-NEXT: ringbuf-leak.c:[[@LINE-13]]:21: note: ring buffer record reserved here (insn tc+4, reference id=1)
// CHECK-NEXT: ringbuf-leak.c:[[@LINE-5]]:1: note: at exit R6 = ringbuf_mem(id=1,ref_obj_id=1)
// CHECK-NEXT: ringbuf-leak.c:[[@LINE-6]]:1: note: in program 'early_return' at insn tc+{{[0-9]+}} ('exit')
// K66: ringbuf-leak.c:[[@LINE-7]]:1: warning: ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d") [bpflint-ringbuf-leak]

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

// Reserved and never looked at again: the reference is tracked without a
// NULL check, and no register holds it at the exit.
// KERNEL-DAG: never_checked: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int never_checked(void *ctx) {
  bpf_ringbuf_reserve(&events, sizeof(struct event), 0);
  return 0;
}
// CHECK: ringbuf-leak.c:[[@LINE-2]]:3: warning: ring buffer record is neither submitted nor discarded
// CHECK-NEXT: ringbuf-leak.c:[[@LINE-4]]:3: note: ring buffer record reserved here
// CHECK-NEXT: note: at exit no register holds the record
// CHECK-NEXT: note: in program 'never_checked'

// A static (not inlined) subprogram: a real bpf-to-bpf call, verified with
// the caller's state. It submits only when its argument is non-zero.
static __noinline int maybe_submit(struct event *e, __u32 x) {
  if (x)
    bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: subprog_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int subprog_leak(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  return maybe_submit(e, bpf_get_prandom_u32() & 1);
}
// CHECK: ringbuf-leak.c:[[@LINE-1]]:1: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: in program 'subprog_leak'

static __noinline int always_submit(struct event *e) {
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: subprog_fixed: accept
SEC("tc")
int subprog_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  return always_submit(e);
}

// A global function is verified on its own; its leak rejects every program
// that calls it, and is reported once.
__noinline int emit_global(__u32 x) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (x)
    return 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: ringbuf-leak.c:[[@LINE-1]]:1: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: in programs 'calls_global', 'calls_global_too'

// KERNEL-DAG: calls_global: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int calls_global(void *ctx) { return emit_global(bpf_get_prandom_u32() & 1); }

// KERNEL-DAG: calls_global_too: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int calls_global_too(void *ctx) { return emit_global(0); }

// JSON: "findings": [
// JSON: "check": "bpflint-ringbuf-leak",
// JSON: "kernel_message": "Unreleased reference id=%d alloc_insn=%d\nBPF_EXIT instruction in main prog would lead to reference leak",
// JSON: "file": "{{.*}}ringbuf-leak.c",
// JSON: "programs": [
// JSON-NEXT: "early_return"
// JSON: "rule": "RB-009"

// The verifier does not take a context pointer for non-NULL
// (reg_not_null): it explores the NULL branch too.
// KERNEL-DAG: ctx_null_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int ctx_null_leak(void *ctx) {
  __u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (!ctx)
    return 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
// CHECK: ringbuf-leak.c:[[@LINE-1]]:1: warning: ring buffer record is neither submitted nor discarded on this path
// CHECK: note: in program 'ctx_null_leak'

// KERNEL-DAG: ctx_null_leak_fixed: accept
SEC("tc")
int ctx_null_leak_fixed(void *ctx) {
  __u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (!ctx) {
    bpf_ringbuf_discard(e, 0);
    return 1;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
