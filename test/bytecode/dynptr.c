// Ring buffer and local dynptrs at bytecode level (RB-016..023):
// bpflint-objcheck tracks the two stack slots of each dynptr and the
// reference a ring buffer dynptr holds from bpf_ringbuf_reserve_dynptr on,
// even when the reservation failed. Each bad program has a _fixed twin that
// must stay silent; the KERNEL lines are the running kernel's verdicts on
// this very object.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %objcheck %t.o --program failed_reservation_fixed --program double_discard_fixed --program submit_local_fixed --program read_bytes_fixed --program reserve_twice_fixed --program store_in_dynptr_fixed --program update_with_dynptr_fixed --program tail_call_dynptr_fixed --program slice_fixed --program slice_after_reinit_fixed --program submit_slice_fixed
// RUN: not %objcheck %t.o --kernel 6.1 --program failed_reservation --program reserve_twice --program submit_slice | FileCheck %s --check-prefix=K61
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4);
  __type(key, int);
  __type(value, struct bpf_dynptr);
} saved SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, sizeof(int));
  __uint(value_size, sizeof(int));
} jmp SEC(".maps");

// RB-018: the failure branch must discard the dynptr too.
// KERNEL-DAG: failed_reservation: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int failed_reservation(void *ctx) {
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp))
    return 0;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-1]]:{{[0-9]+}}: warning: ring buffer dynptr is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-dynptr-leak]
// CHECK: note: ring buffer dynptr reserved here (insn tc+{{[0-9]+}}, reference id={{[0-9]+}}); it must be submitted or discarded even if the reservation failed
// K61: warning: ring buffer dynptr is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d") [bpflint-ringbuf-dynptr-leak]

// KERNEL-DAG: failed_reservation_fixed: accept
SEC("tc")
int failed_reservation_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 v = bpf_ktime_get_ns();
  if (bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  bpf_dynptr_write(&dp, 0, &v, sizeof(v), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// RB-019.
// KERNEL-DAG: double_discard: reject: arg 1 is an unacquired reference
SEC("tc")
int double_discard(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_ringbuf_discard_dynptr is given fp-16, which holds no reserved dynptr (already submitted or discarded, or never initialised) (verifier: "arg 1 is an unacquired reference") [bpflint-ringbuf-dynptr-double-release]

// KERNEL-DAG: double_discard_fixed: accept
SEC("tc")
int double_discard_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// Local dynptrs over a global buffer (the kernel refuses stack memory).
char buf[16];

// RB-020: a local dynptr holds no reservation.
// KERNEL-DAG: submit_local: reject: arg 1 is an unacquired reference
SEC("tc")
int submit_local(void *ctx) {
  struct bpf_dynptr dp;
  bpf_dynptr_from_mem(buf, sizeof(buf), 0, &dp);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_ringbuf_submit_dynptr is given fp-16, a local dynptr (bpf_dynptr_from_mem), not a ring buffer dynptr (verifier: "arg 1 is an unacquired reference") [bpflint-ringbuf-dynptr-kind-mismatch]

// KERNEL-DAG: submit_local_fixed: accept
SEC("tc")
int submit_local_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 v = 0;
  bpf_dynptr_from_mem(buf, sizeof(buf), 0, &dp);
  bpf_dynptr_read(&v, sizeof(v), &dp, 0, 0);
  return v == 1;
}

// RB-023: the bytes of a dynptr are not memory.
// KERNEL-DAG: read_bytes: reject: invalid read from stack off -16+0 size 8
SEC("tc")
int read_bytes(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  __u64 first = *(volatile __u64 *)&dp;
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return first == 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: load of 8 bytes from the stack slots of a dynptr (verifier: "invalid read from stack off %d+%d size %d") [bpflint-ringbuf-dynptr-opaque]

// KERNEL-DAG: read_bytes_fixed: accept
SEC("tc")
int read_bytes_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 first = 0;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_dynptr_read(&first, sizeof(first), &dp, 0, 0);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return first == 0;
}

// RB-023, helper variant: bpf_map_update_elem reads the dynptr's bytes.
// KERNEL-DAG: update_with_dynptr: reject: invalid read from stack R3 off -16+0 size 16
SEC("tc")
int update_with_dynptr(void *ctx) {
  struct bpf_dynptr dp;
  int key = 0;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_map_update_elem(&saved, &key, &dp, 0);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: helper argument R3 (16 bytes at fp-16) covers the stack slots of a dynptr, which it would read (verifier: "invalid read from stack R%d off %d+%d size %d") [bpflint-ringbuf-dynptr-opaque]

// KERNEL-DAG: update_with_dynptr_fixed: accept
SEC("tc")
int update_with_dynptr_fixed(void *ctx) {
  struct bpf_dynptr dp, copy = {};
  int key = 0;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_map_update_elem(&saved, &key, &copy, 0);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// RB-017: reserving again into a dynptr that holds a reservation.
// KERNEL-DAG: reserve_twice: reject: cannot overwrite referenced dynptr
SEC("tc")
int reserve_twice(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 64, 0, &dp);
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_ringbuf_reserve_dynptr into fp-16, which holds a ring buffer dynptr not yet submitted or discarded (verifier: "cannot overwrite referenced dynptr") [bpflint-ringbuf-dynptr-reinit]
// K61: warning: bpf_ringbuf_reserve_dynptr into fp-16, which holds a ring buffer dynptr not yet submitted or discarded (verifier: "Dynptr has to be an uninitialized dynptr") [bpflint-ringbuf-dynptr-reinit]

// KERNEL-DAG: reserve_twice_fixed: accept
SEC("tc")
int reserve_twice_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 64, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// RB-017, store variant; a store into a local dynptr only destroys it.
// KERNEL-DAG: store_in_dynptr: reject: cannot overwrite referenced dynptr
SEC("tc")
int store_in_dynptr(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  *(volatile __u64 *)&dp = 0;
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: store into the stack slots of a ring buffer dynptr that holds a reservation (verifier: "cannot overwrite referenced dynptr") [bpflint-ringbuf-dynptr-reinit]

// KERNEL-DAG: store_in_dynptr_fixed: accept
SEC("tc")
int store_in_dynptr_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_dynptr_from_mem(buf, sizeof(buf), 0, &dp);
  *(volatile __u64 *)&dp = 0;
  return 0;
}

// RB-013 with a dynptr: the tail call ends the program holding it.
// KERNEL-DAG: tail_call_dynptr: reject: tail_call would lead to reference leak
SEC("tc")
int tail_call_dynptr(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_tail_call(ctx, &jmp, 0);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_tail_call, which ends the program if it succeeds, while a ring buffer dynptr is held (verifier: "Unreleased reference id=%d alloc_insn=%d", "tail_call would lead to reference leak") [bpflint-ringbuf-held-across-early-exit]

// KERNEL-DAG: tail_call_dynptr_fixed: accept
SEC("tc")
int tail_call_dynptr_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  bpf_tail_call(ctx, &jmp, 0);
  return 0;
}

// RB-022: a slice from bpf_dynptr_data may be NULL, has the length asked
// for, and dies with its ring buffer dynptr.
// KERNEL-DAG: slice_unchecked: reject: R{{[0-9]}} invalid mem access 'mem_or_null'
SEC("tc")
int slice_unchecked(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  __u64 *p = bpf_dynptr_data(&dp, 0, 8);
  *p = 1;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: slice from bpf_dynptr_data in R0 is accessed before it is checked for NULL (verifier: "R%d invalid mem access 'mem_or_null'") [bpflint-ringbuf-dynptr-slice]

// KERNEL-DAG: slice_past_len: reject: R{{[0-9]}} min value is outside of the allowed memory range
SEC("tc")
int slice_past_len(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  __u32 *p = bpf_dynptr_data(&dp, 0, 8);
  if (p)
    p[2] = 1;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: store to bytes [8, 12) of a 8-byte slice from bpf_dynptr_data in R0 (verifier: "invalid access to memory, mem_size=%u off=%d size=%d", "R%d min value is outside of the allowed memory range") [bpflint-ringbuf-dynptr-slice]

// KERNEL-DAG: slice_after_submit: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int slice_after_submit(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  __u64 *p = bpf_dynptr_data(&dp, 0, 8);
  if (!p) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  bpf_ringbuf_submit_dynptr(&dp, 0);
  *p = 1;
  return 0;
}
// CHECK: dynptr.c:[[@LINE-3]]:{{[0-9]+}}: warning: ring buffer record in R{{[0-9]}} is accessed after it was submitted or discarded (verifier: "R%d invalid mem access 'scalar'") [bpflint-ringbuf-use-after-release]

// KERNEL-DAG: slice_fixed: accept
SEC("tc")
int slice_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  __u32 *p = bpf_dynptr_data(&dp, 0, 12);
  if (p)
    p[2] = 1;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// A slice of a local dynptr dies when the dynptr is initialised again or
// overwritten (destroy_if_dynptr_stack_slot): it is an unknown scalar then.
struct buf {
  __u64 v[4];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct buf);
} bufs SEC(".maps");

// KERNEL-DAG: slice_after_reinit: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int slice_after_reinit(void *ctx) {
  int k = 0;
  struct bpf_dynptr dp;
  struct buf *b = bpf_map_lookup_elem(&bufs, &k);
  if (!b)
    return 0;
  bpf_dynptr_from_mem(b, sizeof(*b), 0, &dp);
  __u64 *p = bpf_dynptr_data(&dp, 0, 8);
  if (!p)
    return 0;
  bpf_dynptr_from_mem(b, sizeof(*b), 0, &dp);
  return *p;
}
// CHECK: dynptr.c:[[@LINE-2]]:{{[0-9]+}}: warning: dynptr slice in R{{[0-9]}} is accessed after its dynptr was overwritten or reinitialised (verifier: "R%d invalid mem access 'scalar'") [bpflint-ringbuf-dynptr-slice]

// KERNEL-DAG: slice_after_reinit_fixed: accept
SEC("tc")
int slice_after_reinit_fixed(void *ctx) {
  int k = 0;
  struct bpf_dynptr dp;
  struct buf *b = bpf_map_lookup_elem(&bufs, &k);
  if (!b)
    return 0;
  bpf_dynptr_from_mem(b, sizeof(*b), 0, &dp);
  __u64 *p = bpf_dynptr_data(&dp, 0, 8);
  if (!p)
    return 0;
  __u64 v = *p;
  bpf_dynptr_from_mem(b, sizeof(*b), 0, &dp);
  return v;
}

// KERNEL-DAG: slice_after_overwrite: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int slice_after_overwrite(void *ctx) {
  int k = 0;
  struct bpf_dynptr dp;
  struct buf *b = bpf_map_lookup_elem(&bufs, &k);
  if (!b)
    return 0;
  bpf_dynptr_from_mem(b, sizeof(*b), 0, &dp);
  __u64 *p = bpf_dynptr_data(&dp, 8, 8);
  if (!p)
    return 0;
  *(volatile __u64 *)&dp = 0;
  *p = 1;
  return 0;
}
// CHECK: dynptr.c:[[@LINE-3]]:{{[0-9]+}}: warning: dynptr slice in R{{[0-9]}} is accessed after its dynptr was overwritten or reinitialised

// RB-012: a slice of a ring buffer dynptr is no ring buffer record.
// KERNEL-DAG: submit_slice: reject: R1 type=mem expected=ringbuf_mem
SEC("tc")
int submit_slice(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  __u64 *p = bpf_dynptr_data(&dp, 0, 8);
  if (p)
    bpf_ringbuf_submit(p, 0);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}
// CHECK: dynptr.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_ringbuf_submit is given a slice from bpf_dynptr_data, not a ring buffer record (a ring buffer dynptr is released with bpf_ringbuf_submit_dynptr) (verifier: "R1 type=mem expected=ringbuf_mem") [bpflint-ringbuf-release-invalid-pointer]
// K61: (verifier: "R1 type=mem expected=alloc_mem")

// KERNEL-DAG: submit_slice_fixed: accept
SEC("tc")
int submit_slice_fixed(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  __u64 *p = bpf_dynptr_data(&dp, 0, 8);
  if (p)
    *p = 1;
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
