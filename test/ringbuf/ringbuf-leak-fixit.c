// RB-009's fix-it: discard the record before a return that leaks it, on a
// line of its own, or with braces around an unbraced `if (...) return`.
// Offered only when the record is known not to be NULL there and the
// variable holding it is in scope at the return and holds nothing else.
//
// RUN: %bpflint_cc -fsyntax-only -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s
// RUN: cp %s %t.c
// RUN: %bpflint_cc -fsyntax-only -Xclang -fixit %t.c 2>/dev/null || true
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=fixed -Xclang -verify-ignore-unexpected=note %t.c
// RUN: %clang_bpf -c %t.c -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct event {
  __u32 pid;
  __u64 ts;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

// The programs without a fix-it (inner_scope, reassigned) still leak after
// the fixes are applied; the others are clean, and the kernel agrees.
// fixed-warning@* 2 {{ring buffer record is neither submitted nor discarded}}

// KERNEL-DAG: own_line: accept
SEC("tc")
int own_line(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 0) {
    return 1;
  }
  // CHECK: fix-it:"{{.*}}":{[[@LINE-2]]:5-[[@LINE-2]]:5}:"bpf_ringbuf_discard(e, 0);\n    "
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: unbraced: accept
SEC("tc")
int unbraced(void *ctx) {
  struct event *e;
  e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  if (e->ts & 1)
    return 1;
  // CHECK: fix-it:"{{.*}}":{[[@LINE-1]]:5-[[@LINE-1]]:5}:"{ bpf_ringbuf_discard(e, 0); "
  // CHECK: fix-it:"{{.*}}":{[[@LINE-2]]:14-[[@LINE-2]]:14}:" }"
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The record variable is out of scope at the return that leaks.
// KERNEL-DAG: inner_scope: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int inner_scope(void *ctx) {
  if (bpf_get_prandom_u32() & 1) {
    struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
    if (!e)
      return 0;
    e->ts = bpf_ktime_get_ns();
    if (e->ts & 1)
      return 2;
    bpf_ringbuf_submit(e, 0);
  }
  return 0;
}

// The variable no longer holds the record at the return.
// KERNEL-DAG: reassigned: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int reassigned(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return 0;
  struct event *f = e;
  e = 0;
  f->ts = bpf_ktime_get_ns();
  if (f->ts & 1)
    return 2;
  bpf_ringbuf_submit(f, 0);
  return 0;
}
// CHECK-NOT: fix-it:

char LICENSE[] SEC("license") = "GPL";
