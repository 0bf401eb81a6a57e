// LOCK-003: kernels before 6.10 look for the lock only among the value's
// own members, not inside a nested struct member. 6.10+ find it there.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

// newest-no-diagnostics

struct header {
  struct bpf_spin_lock lock;
  __u32 flags;
};
struct nested {
  struct header hdr;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct nested);
} nested_vals SEC(".maps");

// The running kernel (6.10+) accepts this; 6.6 and 6.1 would not.
// KERNEL-DAG: lock_in_nested_struct: accept
SEC("tc")
int lock_in_nested_struct(void *ctx) {
  __u32 key = 0;
  struct nested *n = bpf_map_lookup_elem(&nested_vals, &key);
  if (!n)
    return 0;
  bpf_spin_lock(&n->hdr.lock); // k66-warning {{the bpf_spin_lock is inside a nested struct, which kernels before 6.10 do not search (verifier: "map 'nested_vals' has no valid bpf_spin_lock") [bpflint-lock-misplaced]}} \
                                  k61-warning {{(verifier: "map 'nested_vals' doesn't have 'struct bpf_spin_lock'")}}
  n->counter++;
  bpf_spin_unlock(&n->hdr.lock);
  return 0;
}

// The portable layout: the lock as a direct member.
struct flat {
  struct bpf_spin_lock lock;
  __u32 flags;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct flat);
} flat_vals SEC(".maps");

// KERNEL-DAG: lock_in_nested_struct_fixed: accept
SEC("tc")
int lock_in_nested_struct_fixed(void *ctx) {
  __u32 key = 0;
  struct flat *f = bpf_map_lookup_elem(&flat_vals, &key);
  if (!f)
    return 0;
  bpf_spin_lock(&f->lock);
  f->counter++;
  bpf_spin_unlock(&f->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
