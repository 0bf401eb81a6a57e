// RB-006: a ring buffer record accessed before the NULL check. Bad programs
// are flagged, their _fixed twins are silent, and the KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-use-before-null-check %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-use-before-null-check
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

// KERNEL-DAG: write_unchecked: reject: R0 invalid mem access 'ringbuf_mem_or_null'
SEC("tc")
int write_unchecked(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  e->pid = 1; // newest-warning {{ring buffer record written before it is checked for NULL; bpf_ringbuf_reserve() returns NULL when the buffer is full (verifier: "R%d invalid mem access 'ringbuf_mem_or_null'") [bpflint-ringbuf-use-before-null-check]}} \
                 k61-warning {{ring buffer record written before it is checked for NULL; bpf_ringbuf_reserve() returns NULL when the buffer is full (verifier: "R%d invalid mem access 'alloc_mem_or_null'") [bpflint-ringbuf-use-before-null-check]}}
  if (e)
    bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: write_unchecked_fixed: accept
SEC("tc")
int write_unchecked_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The record is filled by a static helper that trusts its caller to have
// checked it; the caller did not.
static __always_inline void fill(struct event *e) {
  e->pid = bpf_get_current_pid_tgid() >> 32; // newest-warning {{before it is checked for NULL}} k61-warning {{before it is checked for NULL}}
  e->ts = bpf_ktime_get_ns();
}

// KERNEL-DAG: helper_unchecked: reject: R{{[0-9]}} invalid mem access 'ringbuf_mem_or_null'
SEC("tc")
int helper_unchecked(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  fill(e); // expected-note {{Calling 'fill'}}
  if (e)
    bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: helper_unchecked_fixed: accept
SEC("tc")
int helper_unchecked_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  fill(e);
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The record is kept in a struct on the stack and checked there: one NULL
// check covers every copy.
struct output {
  struct event *e;
  int n;
};

// KERNEL-DAG: struct_field_fixed: accept
SEC("tc")
int struct_field_fixed(void *ctx) {
  struct output out = {};
  out.e = bpf_ringbuf_reserve(&events, sizeof(*out.e), 0);
  if (out.e == NULL)
    return 0;
  out.e->pid = 7;
  fill(out.e);
  bpf_ringbuf_submit(out.e, BPF_RB_FORCE_WAKEUP);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
