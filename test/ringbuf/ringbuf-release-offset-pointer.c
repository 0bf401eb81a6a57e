// RB-011 (COM-004): bpf_ringbuf_submit/discard must get the pointer
// bpf_ringbuf_reserve returned, not a pointer into the record. Bad programs
// are flagged, their _fixed twins are silent, and the KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-release-offset-pointer %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-release-offset-pointer
// The fix-it passes the variable the reservation was stored in.
// RUN: %bpflint_cc -fsyntax-only -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s --check-prefix=FIX
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct hdr {
  __u32 type;
  __u32 len;
};

struct event {
  struct hdr hdr;
  __u64 ts;
  char payload[32];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// KERNEL-DAG: submit_payload: reject: R1 must have zero offset when passed to release func or trusted arg to kfunc
SEC("tc")
int submit_payload(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  char *p = e->payload;
  p[0] = 'x';
  // FIX: fix-it:"{{.*}}":{[[@LINE+1]]:22-[[@LINE+1]]:23}:"e"
  bpf_ringbuf_submit(p, 0); // newest-warning {{bpf_ringbuf_submit() is given a pointer 16 bytes into the record; pass the pointer bpf_ringbuf_reserve() returned (verifier: "R1 must have zero offset when passed to release func or trusted arg to kfunc") [bpflint-ringbuf-release-offset-pointer]}} \
                               k61-warning {{bpf_ringbuf_submit() is given a pointer 16 bytes into the record; pass the pointer bpf_ringbuf_reserve() returned (verifier: "dereference of modified alloc_mem ptr R1 off=%d disallowed") [bpflint-ringbuf-release-offset-pointer]}}
  return 0;
}

// KERNEL-DAG: submit_payload_fixed: accept
SEC("tc")
int submit_payload_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  char *p = e->payload;
  p[0] = 'x';
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The header sits at offset 0: a pointer to it is the record itself.
// KERNEL-DAG: discard_header_fixed: accept
SEC("tc")
int discard_header_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  struct hdr *h = &e->hdr;
  h->type = 1;
  bpf_ringbuf_discard(h, 0);
  return 0;
}

// A filler that walks a cursor through the record, then releases the cursor.
// KERNEL-DAG: discard_cursor: reject: R1 must have zero offset when passed to release func or trusted arg to kfunc
SEC("tc")
int discard_cursor(void *ctx) {
  char *buf = bpf_ringbuf_reserve(&events, 64, 0);
  if (!buf)
    return 0;
  char *cur = buf;
  *(__u64 *)cur = bpf_ktime_get_ns();
  cur += sizeof(__u64);
  *(__u32 *)cur = 42;
  cur += sizeof(__u32);
  // FIX: fix-it:"{{.*}}":{[[@LINE+1]]:23-[[@LINE+1]]:26}:"buf"
  bpf_ringbuf_discard(cur, 0); // newest-warning {{pointer 12 bytes into the record}} k61-warning {{pointer 12 bytes into the record}}
  return 0;
}

// KERNEL-DAG: discard_cursor_fixed: accept
SEC("tc")
int discard_cursor_fixed(void *ctx) {
  char *buf = bpf_ringbuf_reserve(&events, 64, 0);
  if (!buf)
    return 0;
  char *cur = buf;
  *(__u64 *)cur = bpf_ktime_get_ns();
  cur += sizeof(__u64);
  *(__u32 *)cur = 42;
  bpf_ringbuf_discard(buf, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
