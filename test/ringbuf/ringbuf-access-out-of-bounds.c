// RB-008: a ring buffer record written beyond the size that was reserved,
// directly or by a helper the record is handed to. Bad programs are
// flagged, their _fixed twins are silent, and the KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-access-out-of-bounds %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-access-out-of-bounds
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program wrong_sizeof_fixed --program helper_past_end_fixed --program header_and_payload_fixed

#include "bpf_test.h"

struct header {
  __u32 kind;
};

struct event {
  __u32 kind;
  __u64 ts;
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// The size of the wrong struct is reserved.
// KERNEL-DAG: wrong_sizeof: reject: R{{[0-9]}} min value is outside of the allowed memory range
SEC("tc")
int wrong_sizeof(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(struct header), 0);
  if (!e)
    return 0;
  e->kind = 1;
  e->ts = bpf_ktime_get_ns(); // expected-warning {{write to bytes 8..16 of a ring buffer record of 4 bytes; reserve the size of what the record holds (verifier: "invalid access to memory, mem_size=4 off=8 size=8", "R%d min value is outside of the allowed memory range") [bpflint-ringbuf-access-out-of-bounds]}}
  // OBJ: ringbuf-access-out-of-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: store to bytes 8..16 of a ring buffer record of 4 bytes through R{{[0-9]+}}; reserve the size of what the record holds, or check the index first (verifier: "invalid access to memory, mem_size=%u off=%d size=%d", "R%d min value is outside of the allowed memory range") [bpflint-ringbuf-access-out-of-bounds]
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: wrong_sizeof_fixed: accept
SEC("tc")
int wrong_sizeof_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->kind = 1;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// A helper fills a field that lies past the reservation.
// KERNEL-DAG: helper_past_end: reject: R1 min value is outside of the allowed memory range
SEC("tc")
int helper_past_end(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, 16, 0);
  if (!e)
    return 0;
  e->kind = 2;
  bpf_get_current_comm(e->comm, sizeof(e->comm)); // expected-warning {{bpf_get_current_comm() is given bytes 16..32 of a ring buffer record of 16 bytes; reserve the size of what the record holds (verifier: "invalid access to memory, mem_size=16 off=16 size=16", "R%d min value is outside of the allowed memory range")}}
  // OBJ: ringbuf-access-out-of-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: bpf_get_current_comm is given bytes 16..32 of a ring buffer record of 16 bytes in R1; reserve the size of what the record holds
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: helper_past_end_fixed: accept
SEC("tc")
int helper_past_end_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, 32, 0);
  if (!e)
    return 0;
  e->kind = 2;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// A header followed by a payload of a constant size: every byte written
// is inside the reservation.
// KERNEL-DAG: header_and_payload_fixed: accept
SEC("tc")
int header_and_payload_fixed(void *ctx) {
  char *rec = bpf_ringbuf_reserve(&events, sizeof(struct header) + 16, 0);
  if (!rec)
    return 0;
  ((struct header *)rec)->kind = 3;
  bpf_get_current_comm(rec + sizeof(struct header), 16);
  bpf_ringbuf_submit(rec, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
