// KPTR-004: a direct load or store that touches a kptr field must be a
// whole 8-byte (BPF_DW) access: not through a narrower pointer, and not a
// sign-extending load (also narrower). The same on every profile (on 6.1
// `__kptr` is the unreferenced kind, but the rule is the same).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct owner {
  __u64 hits;
  struct task_struct __kptr *task;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct owner);
} owners SEC(".maps");

// "Is anything stashed?" through the low half of the pointer.
// KERNEL-DAG: peek_low_half: reject: kptr access size must be BPF_DW
SEC("tc")
int peek_low_half(void *ctx) {
  int key = 0;
  struct owner *o = bpf_map_lookup_elem(&owners, &key);
  if (!o)
    return 0;
  return *(volatile __u32 *)&o->task != 0; // expected-warning {{4-byte access to kptr field 'task'; kptr fields are accessed as whole 8-byte pointers (verifier: "kptr access size must be BPF_DW") [bpflint-kptr-access-size]}}
}

// KERNEL-DAG: peek_low_half_fixed: accept
SEC("tc")
int peek_low_half_fixed(void *ctx) {
  int key = 0;
  struct owner *o = bpf_map_lookup_elem(&owners, &key);
  if (!o)
    return 0;
  return o->task != NULL;
}

// A sign-extending 32-bit load of the field (BPF_MEMSX is narrower too).
// KERNEL-DAG: signed_peek: reject: kptr access size must be BPF_DW
SEC("tc")
int signed_peek(void *ctx) {
  int key = 0;
  struct owner *o = bpf_map_lookup_elem(&owners, &key);
  if (!o)
    return 0;
  long v = *(volatile int *)&o->task; // expected-warning {{4-byte access to kptr field 'task'}}
  return v > 0;
}

// Narrow stores are rejected too, even of zero.
// KERNEL-DAG: clear_low_half: reject: kptr access size must be BPF_DW
SEC("tc")
int clear_low_half(void *ctx) {
  int key = 0;
  struct owner *o = bpf_map_lookup_elem(&owners, &key);
  if (!o)
    return 0;
  *(volatile __u32 *)&o->task = 0; // expected-warning {{4-byte access to kptr field 'task'}}
  return 0;
}

// Clearing a referenced kptr means taking the object out.
// KERNEL-DAG: clear_low_half_fixed: accept
SEC("tc")
int clear_low_half_fixed(void *ctx) {
  int key = 0;
  struct owner *o = bpf_map_lookup_elem(&owners, &key);
  if (!o)
    return 0;
  // On 6.1 `__kptr` is the unreferenced kind: a plain store would do there.
  struct task_struct *old = bpf_kptr_xchg(&o->task, NULL); // k61-warning {{kptr isn't referenced kptr}}
  if (old)
    bpf_task_release(old);
  return 0;
}

// Accesses next to the field are fine.
// KERNEL-DAG: count_hits_fixed: accept
SEC("tc")
int count_hits_fixed(void *ctx) {
  int key = 0;
  struct owner *o = bpf_map_lookup_elem(&owners, &key);
  if (!o)
    return 0;
  *(volatile __u32 *)&o->hits += 1;
  __sync_fetch_and_add(&o->hits, 1);
  return 0;
}
