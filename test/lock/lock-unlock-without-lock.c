// LOCK-012: bpf_spin_unlock on a path where no lock is held.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  int counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct val);
} vals SEC(".maps");

// KERNEL-DAG: double_unlock: reject: bpf_spin_unlock without taking a lock
SEC("tc")
int double_unlock(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock); // expected-note {{lock released here}}
  bpf_spin_unlock(&v->lock); // expected-warning {{bpf_spin_unlock of 'v->lock' but no lock is held on this path (verifier: "bpf_spin_unlock without taking a lock") [bpflint-lock-unlock-without-lock]}}
  return 0;
}

// KERNEL-DAG: double_unlock_fixed: accept
SEC("tc")
int double_unlock_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// The lock is taken on one branch only, the unlock is unconditional.
// KERNEL-DAG: conditional_lock: reject: bpf_spin_unlock without taking a lock
SEC("tc")
int conditional_lock(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  __u32 r = bpf_get_prandom_u32();
  if (r & 1) // expected-note {{Taking false branch}}
    bpf_spin_lock(&v->lock);
  v->counter = 1;
  bpf_spin_unlock(&v->lock); // expected-warning {{no lock is held on this path}}
  return 0;
}

// KERNEL-DAG: conditional_lock_fixed: accept
SEC("tc")
int conditional_lock_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  __u32 r = bpf_get_prandom_u32();
  if (r & 1) {
    bpf_spin_lock(&v->lock);
    v->counter = 1;
    bpf_spin_unlock(&v->lock);
  }
  return 0;
}

// A static helper that only unlocks is not a program: it is checked through
// its callers, which hold the lock.
static __always_inline void release(struct val *v) {
  bpf_spin_unlock(&v->lock);
}

// Never called, so never verified: nothing to report.
static __attribute__((unused)) void orphan_unlock(struct val *v) {
  bpf_spin_unlock(&v->lock);
}

// KERNEL-DAG: unlock_helper_fixed: accept
SEC("tc")
int unlock_helper_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  release(v);
  return 0;
}

// Not static, so a copy stays in .text, but clang inlines it at -O2 and
// libbpf never loads that copy: the kernel never verifies it on its own.
void release_nonstatic(struct val *v) { bpf_spin_unlock(&v->lock); }

// KERNEL-DAG: nonstatic_helper_fixed: accept
SEC("tc")
int nonstatic_helper_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  release_nonstatic(v);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
