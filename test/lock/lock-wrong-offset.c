// LOCK-009: the lock pointer must point exactly at the bpf_spin_lock field.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct tail_locked {
  __u64 counter;
  struct bpf_spin_lock lock;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct tail_locked);
} tails SEC(".maps");

// Casting the value to a lock assumes the lock comes first.
// KERNEL-DAG: cast_value: reject: off 0 doesn't point to 'struct bpf_spin_lock' that is at 8
SEC("tc")
int cast_value(void *ctx) {
  __u32 key = 0;
  struct tail_locked *v = bpf_map_lookup_elem(&tails, &key);
  if (!v)
    return 0;
  bpf_spin_lock((struct bpf_spin_lock *)v); // newest-warning {{the pointer is at offset 0, the bpf_spin_lock field at offset 8 (verifier: "off 0 doesn't point to 'struct bpf_spin_lock' that is at 8") [bpflint-lock-wrong-offset]}} \
                                               k61-warning {{(verifier: "off 0 doesn't point to 'struct bpf_spin_lock'")}}
  v->counter++;
  bpf_spin_unlock((struct bpf_spin_lock *)v);
  return 0;
}

// KERNEL-DAG: cast_value_fixed: accept
SEC("tc")
int cast_value_fixed(void *ctx) {
  __u32 key = 0;
  struct tail_locked *v = bpf_map_lookup_elem(&tails, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
