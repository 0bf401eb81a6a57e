// LOCK-017: a bpf_spin_lock still held when the program returns.
// Each bad program is flagged; its corrected twin (suffix _fixed) is silent;
// the KERNEL lines are the verdicts of the running kernel's verifier.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.18 -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  int counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct val);
} counters SEC(".maps");

// KERNEL-DAG: early_return: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("tc")
int early_return(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&counters, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock); // expected-note {{lock 'v->lock' taken here}}
  if (v->counter > 100)
    return 1; // newest-warning {{bpf_spin_lock is still held when the program returns (verifier: "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region") [bpflint-lock-held-at-exit]}} \
                 k61-warning {{bpf_spin_lock is still held when the program returns (verifier: "bpf_spin_unlock is missing") [bpflint-lock-held-at-exit]}}
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: early_return_fixed: accept
SEC("tc")
int early_return_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&counters, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  if (v->counter > 100) {
    bpf_spin_unlock(&v->lock);
    return 1;
  }
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// A global lock: the verifier keys it by the .data map (id 0).
struct bpf_spin_lock glock SEC(".data.glock");
int gcount SEC(".data.glock");

// KERNEL-DAG: global_lock_missing_unlock: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("xdp")
int global_lock_missing_unlock(void *ctx) {
  bpf_spin_lock(&glock); // expected-note {{lock 'glock' taken here}}
  gcount++;
  if (gcount & 1) {
    bpf_spin_unlock(&glock);
  }
  return 2; // newest-warning {{bpf_spin_lock is still held}} k61-warning {{bpf_spin_lock is still held}}
}

// KERNEL-DAG: global_lock_fixed: accept
SEC("xdp")
int global_lock_fixed(void *ctx) {
  bpf_spin_lock(&glock);
  gcount++;
  bpf_spin_unlock(&glock);
  return 2;
}

// Unlocking in a static helper that the program calls is fine: only the
// program's own exit counts.
static __always_inline void put(struct val *v) { bpf_spin_unlock(&v->lock); }

// KERNEL-DAG: unlock_in_static_helper_fixed: accept
SEC("tc")
int unlock_in_static_helper_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&counters, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  put(v);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
