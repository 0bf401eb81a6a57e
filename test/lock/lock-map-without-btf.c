// LOCK-005: the verifier finds the lock through the map's BTF value type; a
// map declared with key_size/value_size has none.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program sized_map | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program sized_map_fixed
// OBJ: lock-map-without-btf.c:[[@LINE+30]]:{{[0-9]+}}: warning: bpf_spin_lock on map 'sized', which is defined with key_size/value_size: it has no BTF value type (verifier: "map 'sized' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-map-without-btf]

#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(struct val));
} sized SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, struct val);
} typed SEC(".maps");

// KERNEL-DAG: sized_map: reject: map 'sized' has to have BTF in order to use bpf_spin_lock
SEC("tc")
int sized_map(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&sized, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock); // expected-warning {{map 'sized' is defined with key_size/value_size; use __type(key, ...) and __type(value, ...) so the kernel sees the lock (verifier: "map 'sized' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-map-without-btf]}}
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: sized_map_fixed: accept
SEC("tc")
int sized_map_fixed(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&typed, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
