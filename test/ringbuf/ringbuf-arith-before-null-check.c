// RB-007: pointer arithmetic on a ring buffer record before the NULL check.
// The compiler folds constant offsets into the access (that is RB-006) and
// sinks arithmetic that is only used after the check, so what the verifier
// sees is a pointer into the record passed to a helper, or a variable
// offset. Bad programs are flagged, their _fixed twins are silent, and the
// KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-arith-before-null-check %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-arith-before-null-check
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: not %objcheck --kernel 6.1 %t.o | FileCheck %s --check-prefix=OBJ61
// RUN: %objcheck %t.o --program comm_unchecked_fixed --program variable_index_fixed --program arith_used_after_check
// OBJ61: (verifier: "R%d pointer arithmetic on alloc_mem_or_null prohibited, null-check it first")

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

// KERNEL-DAG: comm_unchecked: reject: R1 pointer arithmetic on ringbuf_mem_or_null prohibited, null-check it first
SEC("tc")
int comm_unchecked(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  bpf_get_current_comm(e->comm, sizeof(e->comm)); // newest-warning {{a pointer into a ring buffer record is computed before the record is checked for NULL; check the result of bpf_ringbuf_reserve() first (verifier: "R%d pointer arithmetic on ringbuf_mem_or_null prohibited, null-check it first") [bpflint-ringbuf-arith-before-null-check]}} \
                                                     k61-warning {{(verifier: "R%d pointer arithmetic on alloc_mem_or_null prohibited, null-check it first")}}
  // OBJ: ringbuf-arith-before-null-check.c:[[@LINE-2]]:{{[0-9]+}}: warning: arithmetic on the ring buffer record in R{{[0-9]+}} before it is checked for NULL (verifier: "R%d pointer arithmetic on ringbuf_mem_or_null prohibited, null-check it first") [bpflint-ringbuf-arith-before-null-check]
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: comm_unchecked_fixed: accept
SEC("tc")
int comm_unchecked_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: variable_index: reject: R1 pointer arithmetic on ringbuf_mem_or_null prohibited, null-check it first
SEC("tc")
int variable_index(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  __u32 i = bpf_get_prandom_u32() & 7;
  e->comm[i] = 'x'; // newest-warning {{ring buffer record written at a variable offset before it is checked for NULL}} \
                       k61-warning {{ring buffer record written at a variable offset before it is checked for NULL}}
  // OBJ: ringbuf-arith-before-null-check.c:[[@LINE-2]]:{{[0-9]+}}: warning: arithmetic on the ring buffer record in R{{[0-9]+}} before it is checked for NULL
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: variable_index_fixed: accept
SEC("tc")
int variable_index_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  __u32 i = bpf_get_prandom_u32() & 7;
  if (!e)
    return 0;
  e->comm[i] = 'x';
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The address of a field, read into from a helper before the check.
// KERNEL-DAG: probe_into_field: reject: R{{[0-9]}} pointer arithmetic on ringbuf_mem_or_null prohibited, null-check it first
SEC("tc")
int probe_into_field(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  __u64 ts = 0;
  bpf_probe_read_kernel(&ts, sizeof(ts), &e->ts); // newest-warning {{computed before the record is checked for NULL}} \
                                                     k61-warning {{computed before the record is checked for NULL}}
  // OBJ: ringbuf-arith-before-null-check.c:[[@LINE-2]]:{{[0-9]+}}: warning: arithmetic on the ring buffer record in R{{[0-9]+}} before it is checked for NULL
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  return ts;
}

// Arithmetic written before the check but used only after it: the compiler
// computes it after the check, and the kernel accepts.
// KERNEL-DAG: arith_used_after_check: accept
SEC("tc")
int arith_used_after_check(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  char *comm = e->comm;
  if (!e)
    return 0;
  bpf_get_current_comm(comm, 16);
  bpf_ringbuf_submit(e, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
