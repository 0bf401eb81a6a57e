// LOCK-004: only hash, array and local-storage maps can hold a
// bpf_spin_lock. Creating another map with a lock in its value and BTF fails;
// libbpf then creates it without BTF, and taking the lock fails. The
// corrected program is the same file built with -DFIXED.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t.fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.fixed.o | FileCheck %s --check-prefix=KERNEL-FIXED %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.fixed.o
// OBJ: lock-map-type.c:[[@LINE+38]]:{{[0-9]+}}: warning: bpf_spin_lock on map 'sessions', a BPF_MAP_TYPE_LRU_HASH, which cannot hold a bpf_spin_lock: creating it with BTF fails and libbpf creates it without (verifier: "map 'sessions' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-map-type]

#include "bpf_test.h"

// fixed-no-diagnostics

struct session {
  struct bpf_spin_lock lock;
  __u64 bytes;
};

#ifndef FIXED
// An LRU map evicts entries behind the program's back: no locks there.
// Declaring it is fine; taking the lock is what fails.
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, struct session);
} sessions SEC(".maps");
#else
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, struct session);
} sessions SEC(".maps");
#endif

// KERNEL: account: reject: map 'sessions' has to have BTF in order to use bpf_spin_lock
// KERNEL-FIXED: account: accept
SEC("tc")
int account(void *ctx) {
  __u32 key = 0;
  struct session *s = bpf_map_lookup_elem(&sessions, &key);
  if (!s)
    return 0;
#ifndef FIXED
  bpf_spin_lock(&s->lock); // expected-warning {{map 'sessions' is a BPF_MAP_TYPE_LRU_HASH, which cannot hold a bpf_spin_lock (use BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY or a local storage map) (verifier: "map 'sessions' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-map-type]}}
#else
  bpf_spin_lock(&s->lock);
#endif
  s->bytes += 64;
  bpf_spin_unlock(&s->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
