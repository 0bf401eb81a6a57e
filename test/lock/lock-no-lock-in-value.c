// LOCK-006: the lock pointer must point into a value type that has a lock.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program integer_lock | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program integer_lock_fixed
// OBJ: lock-no-lock-in-value.c:[[@LINE+24]]:{{[0-9]+}}: warning: bpf_spin_lock on map 'hand_rolled_map', whose value has no bpf_spin_lock field (verifier: "map 'hand_rolled_map' has no valid bpf_spin_lock") [bpflint-lock-no-lock-in-value]

#include "lock_test.h"

// The lock is declared as a plain integer, so the map value has none.
struct hand_rolled {
  __u32 lock;
  __u32 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, struct hand_rolled);
} hand_rolled_map SEC(".maps");

// KERNEL-DAG: integer_lock: reject: map 'hand_rolled_map' has no valid bpf_spin_lock
SEC("tc")
int integer_lock(void *ctx) {
  __u32 key = 0;
  struct hand_rolled *h = bpf_map_lookup_elem(&hand_rolled_map, &key);
  if (!h)
    return 0;
  bpf_spin_lock((struct bpf_spin_lock *)&h->lock); // newest-warning {{the value of map 'hand_rolled_map' has no bpf_spin_lock field (verifier: "map 'hand_rolled_map' has no valid bpf_spin_lock") [bpflint-lock-no-lock-in-value]}} \
                                                    k61-warning {{(verifier: "map 'hand_rolled_map' doesn't have 'struct bpf_spin_lock'")}}
  h->counter++;
  bpf_spin_unlock((struct bpf_spin_lock *)&h->lock);
  return 0;
}

// KERNEL-DAG: integer_lock_fixed: accept
SEC("tc")
int integer_lock_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}
