// RB-013: no ring buffer record or dynptr may be held across bpf_tail_call
// (the tail-called program never returns) or a legacy packet load (LD_ABS/
// LD_IND from libbpf's load_byte() and friends, which end the program when
// the load fails). A reservation not yet checked for NULL counts as held.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

unsigned long long load_byte(void *skb, unsigned long long off)
    asm("llvm.bpf.load.byte");

struct event {
  __u32 proto;
  __u32 len;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} next_stage SEC(".maps");

// KERNEL-DAG: tail_call_held: reject: tail_call would lead to reference leak
SEC("tc")
int tail_call_held(struct __sk_buff *skb) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  e->len = 1;
  bpf_tail_call(skb, &next_stage, 0); // expected-warning {{bpf_tail_call() while a ring buffer record is reserved; a tail call does not return: submit or discard the record first (verifier: "Unreleased reference id=%d alloc_insn=%d", "tail_call would lead to reference leak") [bpflint-ringbuf-held-across-early-exit]}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: tail_call_held_fixed: accept
SEC("tc")
int tail_call_held_fixed(struct __sk_buff *skb) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->len = 1;
  bpf_ringbuf_submit(e, 0);
  bpf_tail_call(skb, &next_stage, 0);
  return 0;
}

// Not yet checked for NULL: the verifier still tracks the reference.
// KERNEL-DAG: tail_call_unchecked: reject: tail_call would lead to reference leak
SEC("tc")
int tail_call_unchecked(struct __sk_buff *skb) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  bpf_tail_call(skb, &next_stage, 0); // expected-warning {{bpf_tail_call() while a ring buffer record is reserved}}
  if (e)
    bpf_ringbuf_submit(e, 0);
  return 0;
}

// On the path where the reservation failed nothing is held.
// KERNEL-DAG: tail_call_unchecked_fixed: accept
SEC("tc")
int tail_call_unchecked_fixed(struct __sk_buff *skb) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    bpf_tail_call(skb, &next_stage, 0);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// A dynptr holds its reference even when the reservation failed.
// KERNEL-DAG: tail_call_dynptr: reject: tail_call would lead to reference leak
SEC("tc")
int tail_call_dynptr(struct __sk_buff *skb) {
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp)) // expected-note {{dynptr reserved here}}
    bpf_tail_call(skb, &next_stage, 0); // expected-warning {{bpf_tail_call() while a ring buffer dynptr is reserved; a tail call does not return: submit or discard the dynptr first (verifier: "Unreleased reference id=%d alloc_insn=%d", "tail_call would lead to reference leak") [bpflint-ringbuf-held-across-early-exit]}}
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: tail_call_dynptr_fixed: accept
SEC("tc")
int tail_call_dynptr_fixed(struct __sk_buff *skb) {
  struct bpf_dynptr dp;
  long err = bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  if (err)
    bpf_tail_call(skb, &next_stage, 0);
  return 0;
}

// KERNEL-DAG: ld_abs_held: reject: BPF_LD_[ABS|IND] would lead to reference leak
SEC("socket")
int ld_abs_held(struct __sk_buff *skb) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  e->proto = load_byte(skb, 23); // newest-warning {{legacy packet load 'load_byte' while a ring buffer record is reserved; a failed load ends the program: submit or discard the record first (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_LD_[ABS|IND] would lead to reference leak") [bpflint-ringbuf-held-across-early-exit]}} \
                                    k66-warning {{legacy packet load 'load_byte' while a ring buffer record is reserved; a failed load ends the program: submit or discard the record first (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_LD_[ABS|IND] cannot be mixed with socket references") [bpflint-ringbuf-held-across-early-exit]}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// Load first, then reserve.
// KERNEL-DAG: ld_abs_held_fixed: accept
SEC("socket")
int ld_abs_held_fixed(struct __sk_buff *skb) {
  __u32 proto = load_byte(skb, 23);
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->proto = proto;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: ld_abs_dynptr: reject: BPF_LD_[ABS|IND] would lead to reference leak
SEC("tc")
int ld_abs_dynptr(struct __sk_buff *skb) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  __u32 proto = load_byte(skb, 23); // expected-warning {{legacy packet load 'load_byte' while a ring buffer dynptr is reserved}}
  bpf_dynptr_write(&dp, 0, &proto, sizeof(proto), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: ld_abs_dynptr_fixed: accept
SEC("tc")
int ld_abs_dynptr_fixed(struct __sk_buff *skb) {
  struct bpf_dynptr dp;
  __u32 proto = load_byte(skb, 23);
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct event), 0, &dp);
  bpf_dynptr_write(&dp, 0, &proto, sizeof(proto), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
