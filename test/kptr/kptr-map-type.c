// KPTR-003: kptrs live only in hash, array and local-storage maps. Creating
// another map type with a kptr in its value's BTF fails; libbpf then creates
// the map without BTF, and bpf_kptr_xchg on it fails. The corrected program
// is the same file built with -DFIXED.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t.fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.fixed.o | FileCheck %s --check-prefix=KERNEL-FIXED %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// fixed-no-diagnostics

struct route_key {
  __u32 prefixlen;
  __u32 addr;
};

struct route {
  struct task_struct __kptr *owner;
};

#define BPF_MAP_TYPE_LPM_TRIE 11

struct {
#ifndef FIXED
  // A longest-prefix-match trie cannot hold kptrs.
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __uint(map_flags, 1); // BPF_F_NO_PREALLOC
#else
  __uint(type, BPF_MAP_TYPE_HASH);
#endif
  __uint(max_entries, 16);
  __type(key, struct route_key);
  __type(value, struct route);
} routes SEC(".maps");

// KERNEL-DAG: clear_owner: reject: map 'routes' has to have BTF in order to use bpf_kptr_xchg
// KERNEL-FIXED-DAG: clear_owner: accept
SEC("tc")
int clear_owner(void *ctx) {
  struct route_key key = {32, 0x0100007f};
  struct route *r = bpf_map_lookup_elem(&routes, &key);
  if (!r)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&r->owner, NULL); // expected-warning {{map 'routes' is a BPF_MAP_TYPE_LPM_TRIE, which cannot hold kptrs; the kernel refuses its BTF and libbpf creates it without; use a hash, array or local-storage map (verifier: "map 'routes' has to have BTF in order to use bpf_kptr_xchg") [bpflint-kptr-map-type]}}
  if (t)
    bpf_task_release(t);
  return 0;
}
