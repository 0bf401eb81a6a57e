// RB-026: the sample a bpf_user_ringbuf_drain callback gets is a const
// dynptr owned by the kernel: it cannot be submitted, discarded,
// re-initialised or accessed directly. The bad programs are flagged, their
// _fixed twins are silent, and the KERNEL lines are the running kernel's
// verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-drain-dynptr-const %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-drain-dynptr-const
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k61-no-diagnostics

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} requests SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct request {
  __u32 op;
  __u32 arg;
};

// The callback treats the sample as if it owned it.
static long consume(struct bpf_dynptr *sample, void *ctx) {
  struct request req;
  if (bpf_dynptr_read(&req, sizeof(req), sample, 0, 0)) {
    bpf_ringbuf_discard_dynptr(sample, 0); // expected-warning {{bpf_ringbuf_discard_dynptr() of the sample dynptr of a bpf_user_ringbuf_drain callback; the sample is a const dynptr owned by the kernel: it is released by the drain itself (verifier: "cannot release unowned const bpf_dynptr") [bpflint-ringbuf-drain-dynptr-const]}}
    return 1;
  }
  return 0;
}

// KERNEL-DAG: release_sample: reject: cannot release unowned const bpf_dynptr
SEC("tc")
int release_sample(void *ctx) {
  bpf_user_ringbuf_drain(&requests, consume, NULL, 0);
  return 0;
}

static long consume_fixed(struct bpf_dynptr *sample, void *ctx) {
  struct request req;
  if (bpf_dynptr_read(&req, sizeof(req), sample, 0, 0))
    return 1;
  return 0;
}

// KERNEL-DAG: release_sample_fixed: accept
SEC("tc")
int release_sample_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, consume_fixed, NULL, 0);
  return 0;
}

// The release happens in a helper function the callback calls.
static void done(struct bpf_dynptr *d) {
  bpf_ringbuf_submit_dynptr(d, 0); // expected-warning {{bpf_ringbuf_submit_dynptr() of the sample dynptr}}
}

static long consume_via_helper(struct bpf_dynptr *sample, void *ctx) {
  done(sample);
  return 0;
}

// KERNEL-DAG: release_in_helper: reject: cannot release unowned const bpf_dynptr
SEC("tc")
int release_in_helper(void *ctx) {
  bpf_user_ringbuf_drain(&requests, consume_via_helper, NULL, 0);
  return 0;
}

// A dynptr of the callback's own is released there: fine.
static long forward_fixed(struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr out;
  struct request req;
  if (bpf_dynptr_read(&req, sizeof(req), sample, 0, 0))
    return 1;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(req), 0, &out);
  bpf_dynptr_write(&out, 0, &req, sizeof(req), 0);
  done(&out);
  return 0;
}

// KERNEL-DAG: release_in_helper_fixed: accept
SEC("tc")
int release_in_helper_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, forward_fixed, NULL, 0);
  return 0;
}

// The sample is reused as the target of a reservation.
static long forward(struct bpf_dynptr *sample, void *ctx) {
  if (bpf_ringbuf_reserve_dynptr(&events, 8, 0, sample)) { // expected-warning {{bpf_ringbuf_reserve_dynptr() of the sample dynptr of a bpf_user_ringbuf_drain callback; the sample is a const dynptr owned by the kernel: reserve into a dynptr of your own (verifier: "Dynptr has to be an uninitialized dynptr") [bpflint-ringbuf-drain-dynptr-const]}}
    bpf_ringbuf_discard_dynptr(sample, 0);
    return 1;
  }
  bpf_ringbuf_submit_dynptr(sample, 0);
  return 0;
}

// KERNEL-DAG: reinit_sample: reject: Dynptr has to be an uninitialized dynptr
SEC("tc")
int reinit_sample(void *ctx) {
  bpf_user_ringbuf_drain(&requests, forward, NULL, 0);
  return 0;
}

static long forward_own(struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr out;
  if (bpf_ringbuf_reserve_dynptr(&events, 8, 0, &out)) {
    bpf_ringbuf_discard_dynptr(&out, 0);
    return 1;
  }
  bpf_ringbuf_submit_dynptr(&out, 0);
  return 0;
}

// KERNEL-DAG: reinit_sample_fixed: accept
SEC("tc")
int reinit_sample_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, forward_own, NULL, 0);
  return 0;
}

static __u64 scratch[2];

static long wrap(struct bpf_dynptr *sample, void *ctx) {
  bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, sample); // expected-warning {{bpf_dynptr_from_mem() of the sample dynptr}}
  return 0;
}

// KERNEL-DAG: from_mem_sample: reject: Dynptr has to be an uninitialized dynptr
SEC("tc")
int from_mem_sample(void *ctx) {
  bpf_user_ringbuf_drain(&requests, wrap, NULL, 0);
  return 0;
}

static long wrap_fixed(struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr local;
  bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &local);
  return 0;
}

// KERNEL-DAG: from_mem_sample_fixed: accept
SEC("tc")
int from_mem_sample_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, wrap_fixed, NULL, 0);
  return 0;
}

// The bytes of the sample are read as if they were the data.
static long peek(struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr out;
  __u64 first = sample->__opaque[0]; // expected-warning {{the sample dynptr of a bpf_user_ringbuf_drain callback is accessed directly; read the sample with bpf_dynptr_read() or bpf_dynptr_data() (verifier: "R%d invalid mem access 'dynptr_ptr'") [bpflint-ringbuf-drain-dynptr-const]}}
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &out);
  bpf_dynptr_write(&out, 0, &first, sizeof(first), 0);
  bpf_ringbuf_submit_dynptr(&out, 0);
  return 0;
}

// KERNEL-DAG: access_sample: reject: R{{[0-9]}} invalid mem access 'dynptr_ptr'
SEC("tc")
int access_sample(void *ctx) {
  bpf_user_ringbuf_drain(&requests, peek, NULL, 0);
  return 0;
}

static long peek_fixed(struct bpf_dynptr *sample, void *ctx) {
  struct bpf_dynptr out;
  __u64 first;
  if (bpf_dynptr_read(&first, sizeof(first), sample, 0, 0))
    return 1;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &out);
  bpf_dynptr_write(&out, 0, &first, sizeof(first), 0);
  bpf_ringbuf_submit_dynptr(&out, 0);
  return 0;
}

// KERNEL-DAG: access_sample_fixed: accept
SEC("tc")
int access_sample_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, peek_fixed, NULL, 0);
  return 0;
}

// A store through the sample pointer.
static long clear(struct bpf_dynptr *sample, void *ctx) {
  *(long *)sample = 0; // expected-warning {{the sample dynptr of a bpf_user_ringbuf_drain callback is accessed directly}}
  return 0;
}

// KERNEL-DAG: store_sample: reject: R{{[0-9]}} invalid mem access 'dynptr_ptr'
SEC("tc")
int store_sample(void *ctx) {
  bpf_user_ringbuf_drain(&requests, clear, NULL, 0);
  return 0;
}

// Pointer arithmetic on the sample instead of an offset argument.
static long before(struct bpf_dynptr *sample, void *ctx) {
  struct request *req = bpf_dynptr_data(sample - 1, 0, sizeof(*req)); // expected-warning {{bpf_dynptr_data() is given a pointer 16 bytes before the sample dynptr of a bpf_user_ringbuf_drain callback; pass the sample itself and read at an offset with the helper (verifier: "negative offset dynptr_ptr ptr R1 off=-16 disallowed") [bpflint-ringbuf-drain-dynptr-const]}}
  return req && req->op;
}

// KERNEL-DAG: sample_minus_one: reject: negative offset dynptr_ptr ptr R1 off=-16 disallowed
SEC("tc")
int sample_minus_one(void *ctx) {
  bpf_user_ringbuf_drain(&requests, before, NULL, 0);
  return 0;
}

static long after(struct bpf_dynptr *sample, void *ctx) {
  struct request req;
  if (bpf_dynptr_read(&req, sizeof(req), sample + 1, 0, 0)) // expected-warning {{bpf_dynptr_read() is given a pointer 16 bytes after the sample dynptr of a bpf_user_ringbuf_drain callback; pass the sample itself and read at an offset with the helper (verifier: "dereference of modified dynptr_ptr ptr R3 off=16 disallowed") [bpflint-ringbuf-drain-dynptr-const]}}
    return 1;
  return 0;
}

// KERNEL-DAG: sample_plus_one: reject: dereference of modified dynptr_ptr ptr R3 off=16 disallowed
SEC("tc")
int sample_plus_one(void *ctx) {
  bpf_user_ringbuf_drain(&requests, after, NULL, 0);
  return 0;
}

static long after_fixed(struct bpf_dynptr *sample, void *ctx) {
  struct request req;
  if (bpf_dynptr_read(&req, sizeof(req), sample, sizeof(req), 0))
    return 1;
  return 0;
}

// KERNEL-DAG: sample_plus_one_fixed: accept
SEC("tc")
int sample_plus_one_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&requests, after_fixed, NULL, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
