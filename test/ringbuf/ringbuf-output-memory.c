// RB-015: bpf_ringbuf_output reads size bytes of its data. Reads that leave
// the object for certain are reported: past a looked-up map value, or more
// than the stack holds. Bad programs are flagged, their _fixed twins are
// silent, and the KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-output-memory %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-output-memory
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program output_past_value_fixed --program output_from_field_fixed --program output_huge_stack_fixed --program output_partly_initialised_accepted

#include "bpf_test.h"

struct event {
  __u64 ts;
  __u32 pid;
  __u32 len;
  char comm[16];
};

struct event_ext {
  struct event base;
  __u64 extra;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct event);
} scratch SEC(".maps");

// The size of the extended struct, but the map holds the base one.
// KERNEL-DAG: output_past_value: reject: R2 min value is outside of the allowed memory range
SEC("tc")
int output_past_value(void *ctx) {
  __u32 key = 0;
  struct event *e = bpf_map_lookup_elem(&scratch, &key);
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, e, sizeof(struct event_ext), 0); // expected-warning {{bpf_ringbuf_output() reads bytes 0..40 of a value of 'scratch', which has 32 bytes (verifier: "invalid access to map value, value_size=32 off=0 size=40", "R2 min value is outside of the allowed memory range") [bpflint-ringbuf-output-memory]}}
  // OBJ: ringbuf-output-memory.c:[[@LINE-1]]:{{[0-9]+}}: warning: bpf_ringbuf_output reads bytes 0..40 of a value of map 'scratch', which has 32 bytes (verifier: "invalid access to map value, value_size=%d off=%d size=%d", "R2 min value is outside of the allowed memory range") [bpflint-ringbuf-output-memory]
  return 0;
}

// KERNEL-DAG: output_past_value_fixed: accept
SEC("tc")
int output_past_value_fixed(void *ctx) {
  __u32 key = 0;
  struct event *e = bpf_map_lookup_elem(&scratch, &key);
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, e, sizeof(*e), 0);
  return 0;
}

// From a field to the end of the value, and one field too far.
// KERNEL-DAG: output_from_field: reject: R2 min value is outside of the allowed memory range
SEC("tc")
int output_from_field(void *ctx) {
  __u32 key = 0;
  struct event *e = bpf_map_lookup_elem(&scratch, &key);
  if (!e)
    return 0;
  bpf_ringbuf_output(&events, e->comm, sizeof(e->comm) + 8, 0); // expected-warning {{bpf_ringbuf_output() reads bytes 16..40 of a value of 'scratch', which has 32 bytes}}
  // OBJ: ringbuf-output-memory.c:[[@LINE-1]]:{{[0-9]+}}: warning: bpf_ringbuf_output reads bytes 16..40 of a value of map 'scratch', which has 32 bytes
  return 0;
}

// KERNEL-DAG: output_from_field_fixed: accept
SEC("tc")
int output_from_field_fixed(void *ctx) {
  __u32 key = 0;
  struct event *e = bpf_map_lookup_elem(&scratch, &key);
  if (!e)
    return 0;
  bpf_ringbuf_output(&events, e->comm, sizeof(e->comm), 0);
  return 0;
}

// A record too large for the stack.
// KERNEL-DAG: output_huge_stack: reject: invalid read from stack R2 off={{-?[0-9]+}} size=600
SEC("tc")
int output_huge_stack(void *ctx) {
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, &ts, 600, 0); // expected-warning {{bpf_ringbuf_output() reads 600 bytes from the stack, which holds at most 512 (verifier: "invalid read from stack R2 off=%d size=600")}}
  // OBJ: ringbuf-output-memory.c:[[@LINE-1]]:{{[0-9]+}}: warning: bpf_ringbuf_output reads 600 bytes at fp-{{[0-9]+}}, past the 512 bytes of the stack (verifier: "invalid read from stack R2 off=%d size=%d")
  return 0;
}

// KERNEL-DAG: output_huge_stack_fixed: accept
SEC("tc")
int output_huge_stack_fixed(void *ctx) {
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, &ts, sizeof(ts), 0);
  return 0;
}

// A privileged loader may read uninitialised stack: the kernel accepts
// this (the padding and pid go out as whatever was on the stack), and
// bpflint stays silent.
// KERNEL-DAG: output_partly_initialised_accepted: accept
SEC("tc")
int output_partly_initialised_accepted(void *ctx) {
  struct event e;
  e.ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, &e, sizeof(e), 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
