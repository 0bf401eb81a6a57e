// LOCK-002: one value cannot hold both a bpf_spin_lock and a
// bpf_res_spin_lock: the kernel rejects the program's BTF, libbpf loads the
// object without it, and every lock use fails. The corrected program is this
// file built with -DFIXED.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t.fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.fixed.o | FileCheck %s --check-prefix=KERNEL-FIXED %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.fixed.o
// OBJ: lock-and-res-lock-in-value.c:[[@LINE+30]]:{{[0-9]+}}: warning: bpf_spin_lock on map 'both_map', which is created without BTF: the kernel rejects the object's BTF, since struct both has both a bpf_spin_lock and a bpf_res_spin_lock (verifier: "map 'both_map' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-and-res-lock-in-value]

#include "bpf_test.h"

// fixed-no-diagnostics

struct both {
  struct bpf_spin_lock lock;
#ifndef FIXED
  struct bpf_res_spin_lock res_lock;
#endif
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct both);
} both_map SEC(".maps");

// KERNEL: use_plain_lock: reject: map 'both_map' has to have BTF in order to use bpf_spin_lock
// KERNEL-FIXED: use_plain_lock: accept
SEC("tc")
int use_plain_lock(void *ctx) {
  __u32 key = 0;
  struct both *b = bpf_map_lookup_elem(&both_map, &key);
  if (!b)
    return 0;
#ifndef FIXED
  bpf_spin_lock(&b->lock); // expected-warning {{the value of map 'both_map' has both a bpf_spin_lock and a bpf_res_spin_lock (verifier: "map 'both_map' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-and-res-lock-in-value]}}
#else
  bpf_spin_lock(&b->lock);
#endif
  b->counter++;
  bpf_spin_unlock(&b->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
