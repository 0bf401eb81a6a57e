// RB-012: bpf_ringbuf_submit/discard take only a checked ring buffer record:
// not a pointer that may be NULL, not NULL, not the stack, not a map value.
// Bad programs are flagged, their _fixed twins are silent, and the KERNEL
// lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-release-invalid-pointer %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-release-invalid-pointer
// RUN: %clang_bpf -c %s -o %t.o
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

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct event);
} scratch SEC(".maps");

// KERNEL-DAG: submit_unchecked: reject: R1 type=ringbuf_mem_or_null expected=ringbuf_mem
SEC("tc")
int submit_unchecked(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  bpf_ringbuf_submit(e, 0); // newest-warning {{bpf_ringbuf_submit() of a ring buffer record that may be NULL; check the result of bpf_ringbuf_reserve() first (verifier: "R1 type=ringbuf_mem_or_null expected=ringbuf_mem") [bpflint-ringbuf-release-invalid-pointer]}} \
                               k61-warning {{(verifier: "R1 type=alloc_mem_or_null expected=alloc_mem")}}
  return 0;
}

// KERNEL-DAG: submit_unchecked_fixed: accept
SEC("tc")
int submit_unchecked_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (e)
    bpf_ringbuf_submit(e, 0);
  return 0;
}

// The failure branch "cleans up" a record that is NULL there.
// KERNEL-DAG: discard_null: reject: R1 type=scalar expected=ringbuf_mem
SEC("tc")
int discard_null(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    bpf_ringbuf_discard(e, 0); // newest-warning {{bpf_ringbuf_discard() of a NULL pointer (verifier: "R1 type=scalar expected=ringbuf_mem")}} \
                                  k61-warning {{(verifier: "R1 type=scalar expected=alloc_mem")}}
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: discard_null_fixed: accept
SEC("tc")
int discard_null_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// An event built on the stack cannot be submitted: reserve it instead (or
// copy it with bpf_ringbuf_output).
// KERNEL-DAG: submit_stack: reject: R1 type=fp expected=ringbuf_mem
SEC("tc")
int submit_stack(void *ctx) {
  struct event e = {.pid = 1};
  bpf_ringbuf_submit(&e, 0); // newest-warning {{bpf_ringbuf_submit() of a pointer to the stack, not to a ring buffer record (verifier: "R1 type=fp expected=ringbuf_mem")}} \
                                k61-warning {{(verifier: "R1 type=fp expected=alloc_mem")}}
  return 0;
}

// KERNEL-DAG: submit_stack_fixed: accept
SEC("tc")
int submit_stack_fixed(void *ctx) {
  struct event e = {.pid = 1};
  bpf_ringbuf_output(&events, &e, sizeof(e), 0);
  return 0;
}

// KERNEL-DAG: submit_map_value: reject: R1 type=map_value expected=ringbuf_mem
SEC("tc")
int submit_map_value(void *ctx) {
  int zero = 0;
  struct event *e = bpf_map_lookup_elem(&scratch, &zero);
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0); // newest-warning {{bpf_ringbuf_submit() of a pointer to a map value, not to a ring buffer record (verifier: "R1 type=map_value expected=ringbuf_mem")}} \
                               k61-warning {{(verifier: "R1 type=map_value expected=alloc_mem")}}
  return 0;
}

// KERNEL-DAG: submit_map_value_fixed: accept
SEC("tc")
int submit_map_value_fixed(void *ctx) {
  int zero = 0;
  struct event *e = bpf_map_lookup_elem(&scratch, &zero);
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, e, sizeof(*e), 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
