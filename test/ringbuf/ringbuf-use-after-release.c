// RB-010: a ring buffer record used after bpf_ringbuf_submit or
// bpf_ringbuf_discard: read or written (COM-002), or released a second time
// (COM-003). Bad programs are flagged, their _fixed twins are silent, and the
// KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-RB-010 %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-use-after-release
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct event {
  __u32 pid;
  __u32 len;
  __u64 ts;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// KERNEL-DAG: write_after_submit: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int write_after_submit(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e) // expected-note {{Assuming 'e' is non-null}} expected-note {{Taking false branch}}
    return 0;
  e->pid = 1;
  bpf_ringbuf_submit(e, 0); // expected-note {{record submitted here}}
  e->ts = bpf_ktime_get_ns(); // expected-warning {{ring buffer record written after it was submitted (verifier: "R%d invalid mem access 'scalar'") [bpflint-ringbuf-use-after-release]}}
  return 0;
}

// KERNEL-DAG: write_after_submit_fixed: accept
SEC("tc")
int write_after_submit_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = 1;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// A copy of the pointer is dead too: the verifier invalidates every copy.
// KERNEL-DAG: read_copy_after_discard: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int read_copy_after_discard(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e) // expected-note {{Assuming 'e' is non-null}} expected-note {{Taking false branch}}
    return 0;
  struct event *copy = e;
  e->len = 3;
  bpf_ringbuf_discard(e, 0); // expected-note {{record discarded here}}
  return copy->len; // expected-warning {{ring buffer record read after it was discarded}}
}

// KERNEL-DAG: read_copy_after_discard_fixed: accept
SEC("tc")
int read_copy_after_discard_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  struct event *copy = e;
  e->len = 3;
  int len = copy->len;
  bpf_ringbuf_discard(e, 0);
  return len;
}

// A static helper submits the record; the caller discards it again on the
// error path.
static __always_inline int send(struct event *e) {
  int failed = e->pid == 0; // expected-note {{Assuming field 'pid' is equal to 0}}
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0); // expected-note {{record submitted here}}
  return failed;
}

// KERNEL-DAG: double_release: reject: R1 type=scalar expected=ringbuf_mem
SEC("tc")
int double_release(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e) // expected-note {{Assuming 'e' is non-null}} expected-note {{Taking false branch}}
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (send(e)) // expected-note {{Calling 'send'}} expected-note {{Returning from 'send'}} expected-note {{Taking true branch}}
    bpf_ringbuf_discard(e, 0); // newest-warning {{bpf_ringbuf_discard() of a ring buffer record that was already submitted (verifier: "R1 type=scalar expected=ringbuf_mem") [bpflint-ringbuf-use-after-release]}} \
                                  k61-warning {{bpf_ringbuf_discard() of a ring buffer record that was already submitted (verifier: "R1 type=scalar expected=alloc_mem") [bpflint-ringbuf-use-after-release]}}
  return 0;
}

static __always_inline int send_fixed(struct event *e) {
  e->ts = bpf_ktime_get_ns();
  if (e->pid == 0) {
    bpf_ringbuf_discard(e, 0);
    return 1;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: double_release_fixed: accept
SEC("tc")
int double_release_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  return send_fixed(e);
}

// A new reservation in each loop iteration is a new record: reusing the
// variable after a submit is fine.
// KERNEL-DAG: loop_fixed: accept
SEC("tc")
int loop_fixed(void *ctx) {
  for (int i = 0; i < 4; i++) {
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
      break;
    e->pid = i;
    bpf_ringbuf_submit(e, 0);
  }
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
