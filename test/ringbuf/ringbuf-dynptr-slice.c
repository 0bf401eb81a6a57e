// RB-022: slices of a ring buffer dynptr (bpf_dynptr_data, and the
// bpf_dynptr_slice(_rdwr) kfuncs of 6.4+): NULL-able, bounded by the length
// asked for, read-only for bpf_dynptr_slice, and (for bpf_dynptr_data)
// invalid once the dynptr is released. Bad programs are flagged, their
// _fixed twins are silent, and the KERNEL lines are the running kernel's
// verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-slice %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-slice
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program data_unchecked_fixed --program data_after_submit_fixed --program data_past_len_fixed --program slice_unchecked_fixed --program slice_write_readonly_fixed --program slice_after_submit_accepted

#include "ringbuf_test.h"

struct event {
  __u64 ts;
  __u32 pid;
  __u32 len;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

// KERNEL-DAG: data_unchecked: reject: R{{[0-9]}} invalid mem access 'mem_or_null'
SEC("tc")
int data_unchecked(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_data(&dp, 0, sizeof(*e));
  e->ts = bpf_ktime_get_ns(); // expected-warning {{slice from bpf_dynptr_data() written before it is checked for NULL; it is NULL when the range is outside the dynptr or the reservation failed (verifier: "R%d invalid mem access 'mem_or_null'") [bpflint-ringbuf-dynptr-slice]}}
  // OBJ: ringbuf-dynptr-slice.c:[[@LINE-1]]:{{[0-9]+}}: warning: slice from bpf_dynptr_data in R{{[0-9]+}} is accessed before it is checked for NULL (verifier: "R%d invalid mem access 'mem_or_null'") [bpflint-ringbuf-dynptr-slice]
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: data_unchecked_fixed: accept
SEC("tc")
int data_unchecked_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_data(&dp, 0, sizeof(*e));
  if (!e) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: data_after_submit: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int data_after_submit(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_data(&dp, 0, sizeof(*e));
  if (!e) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit_dynptr(&dp, 0);
  e->pid = 1; // expected-warning {{slice from bpf_dynptr_data() written after its dynptr was submitted or discarded (verifier: "R%d invalid mem access 'scalar'")}}
  // OBJ: ringbuf-dynptr-slice.c:[[@LINE-1]]:{{[0-9]+}}: warning: ring buffer record in R{{[0-9]+}} is accessed after it was submitted or discarded (verifier: "R%d invalid mem access 'scalar'")
  return 0;
}

// KERNEL-DAG: data_after_submit_fixed: accept
SEC("tc")
int data_after_submit_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_data(&dp, 0, sizeof(*e));
  if (!e) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  e->ts = bpf_ktime_get_ns();
  e->pid = 1;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// Only 8 bytes were asked for.
// KERNEL-DAG: data_past_len: reject: R{{[0-9]}} min value is outside of the allowed memory range
SEC("tc")
int data_past_len(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_data(&dp, 0, sizeof(e->ts));
  if (e)
    e->pid = 1; // expected-warning {{write to bytes 8..12 of a dynptr slice of 8 bytes (verifier: "invalid access to memory, mem_size=8 off=8 size=4", "R%d min value is outside of the allowed memory range")}}
    // OBJ: ringbuf-dynptr-slice.c:[[@LINE-1]]:{{[0-9]+}}: warning: store to bytes [8, 12) of a 8-byte slice from bpf_dynptr_data in R{{[0-9]+}}
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: data_past_len_fixed: accept
SEC("tc")
int data_past_len_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_data(&dp, 0, sizeof(*e));
  if (e)
    e->pid = 1;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: slice_unchecked: reject: R{{[0-9]}} invalid mem access 'rdonly_mem_or_null'
SEC("tc")
int slice_unchecked(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_slice(&dp, 0, NULL, sizeof(*e));
  __u32 pid = e->pid; // expected-warning {{slice from bpf_dynptr_slice() read before it is checked for NULL; it is NULL when the range is outside the dynptr or the reservation failed (verifier: "R%d invalid mem access 'rdonly_mem_or_null'")}}
  // The compiler may sink the load past the discard:
  // OBJ: ringbuf-dynptr-slice.c:{{[0-9]+}}:{{[0-9]+}}: warning: slice from bpf_dynptr_slice in R{{[0-9]+}} is accessed before it is checked for NULL (verifier: "R%d invalid mem access 'rdonly_mem_or_null'") [bpflint-ringbuf-dynptr-slice]
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return pid;
}

// KERNEL-DAG: slice_unchecked_fixed: accept
SEC("tc")
int slice_unchecked_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u32 pid = 0;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_slice(&dp, 0, NULL, sizeof(*e));
  if (e)
    pid = e->pid;
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return pid;
}

// KERNEL-DAG: slice_write_readonly: reject: R{{[0-9]}} cannot write into rdonly_mem
SEC("tc")
int slice_write_readonly(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_slice(&dp, 0, NULL, sizeof(*e));
  if (e)
    e->pid = 1; // expected-warning {{slice from bpf_dynptr_slice() is read-only; use bpf_dynptr_slice_rdwr() to write (verifier: "R%d cannot write into rdonly_mem")}}
    // OBJ: ringbuf-dynptr-slice.c:[[@LINE-1]]:{{[0-9]+}}: warning: store through the read-only slice from bpf_dynptr_slice in R{{[0-9]+}}; use bpf_dynptr_slice_rdwr to write (verifier: "R%d cannot write into rdonly_mem") [bpflint-ringbuf-dynptr-slice]
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: slice_write_readonly_fixed: accept
SEC("tc")
int slice_write_readonly_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_slice_rdwr(&dp, 0, NULL, sizeof(*e));
  if (e)
    e->pid = 1;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// A kfunc slice does not take the dynptr's reference: 6.18 accepts a read
// after the submit (it is still a bug at run time, but not a verifier
// error), so bpflint stays silent.
// KERNEL-DAG: slice_after_submit_accepted: accept
SEC("tc")
int slice_after_submit_accepted(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  struct event *e = bpf_dynptr_slice_rdwr(&dp, 0, NULL, sizeof(*e));
  if (!e) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return e->pid;
}

char LICENSE[] SEC("license") = "GPL";
