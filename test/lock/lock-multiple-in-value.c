// LOCK-001: a value type may hold only one bpf_spin_lock (an array of N
// locks counts as N). Since 6.2 the kernel then rejects the program's BTF,
// libbpf loads the whole object without it, and every lock use fails. The
// corrected program is the same file built with -DFIXED.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t.fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.fixed.o | FileCheck %s --check-prefix=KERNEL-FIXED %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.fixed.o
// OBJ: lock-multiple-in-value.c:[[@LINE+53]]:{{[0-9]+}}: warning: bpf_spin_lock on map 'stats', which is created without BTF: the kernel rejects the object's BTF, since struct stats has more than one bpf_spin_lock (verifier: "map 'stats' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-multiple-in-value]
// OBJ: lock-multiple-in-value.c:[[@LINE+67]]:{{[0-9]+}}: warning: bpf_spin_lock on map 'slots', which is created without BTF: the kernel rejects the object's BTF, since struct stats has more than one bpf_spin_lock (verifier: "map 'slots' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-multiple-in-value]
// OBJ: lock-multiple-in-value.c:[[@LINE+93]]:{{[0-9]+}}: warning: bpf_spin_lock on map 'good_vals', which is created without BTF: the kernel rejects the object's BTF, since struct stats has more than one bpf_spin_lock (verifier: "map 'good_vals' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-multiple-in-value]

#include "bpf_test.h"

// fixed-no-diagnostics

#ifndef FIXED
struct stats {
  struct bpf_spin_lock rx_lock;
  __u64 rx;
  struct bpf_spin_lock tx_lock;
  __u64 tx;
};
struct slots {
  struct bpf_spin_lock locks[2];
  __u64 counters[2];
};
#else
// The fix: one lock per value (here, one map per direction).
struct stats {
  struct bpf_spin_lock rx_lock;
  __u64 rx;
};
struct slots {
  struct bpf_spin_lock locks[1];
  __u64 counters[2];
};
#endif

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct stats);
} stats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct slots);
} slots SEC(".maps");

// KERNEL: count_rx: reject: map 'stats' has to have BTF in order to use bpf_spin_lock
// KERNEL-FIXED: count_rx: accept
SEC("tc")
int count_rx(void *ctx) {
  __u32 key = 0;
  struct stats *s = bpf_map_lookup_elem(&stats, &key);
  if (!s)
    return 0;
  bpf_spin_lock(&s->rx_lock); // newest-warning {{the value of map 'stats' has 2 bpf_spin_lock fields; the kernel allows one (verifier: "map 'stats' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-multiple-in-value]}} \
                                 k61-warning {{(verifier: "map 'stats' has more than one 'struct bpf_spin_lock'")}}
  s->rx++;
  bpf_spin_unlock(&s->rx_lock);
  return 0;
}

// KERNEL: count_slot: reject: map 'slots' has to have BTF in order to use bpf_spin_lock
// KERNEL-FIXED: count_slot: accept
SEC("tc")
int count_slot(void *ctx) {
  __u32 key = 0;
  struct slots *s = bpf_map_lookup_elem(&slots, &key);
  if (!s)
    return 0;
  bpf_spin_lock(&s->locks[0]); // newest-warning {{the value of map 'slots' has 2 bpf_spin_lock fields}} k61-warning {{more than one}}
  s->counters[0]++;
  bpf_spin_unlock(&s->locks[0]);
  return 0;
}

// A correct map in the same object loses its BTF too.
struct good {
  struct bpf_spin_lock lock;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, struct good);
} good_vals SEC(".maps");

// KERNEL: count_good: reject: map 'good_vals' has to have BTF in order to use bpf_spin_lock
// KERNEL-FIXED: count_good: accept
SEC("tc")
int count_good(void *ctx) {
  __u32 key = 0;
  struct good *g = bpf_map_lookup_elem(&good_vals, &key);
  if (!g)
    return 0;
  bpf_spin_lock(&g->lock); // newest-warning {{the value type of map 'stats' has more than one lock; the kernel rejects the object's BTF, so map 'good_vals' has no BTF either (verifier: "map 'good_vals' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-multiple-in-value]}}
  g->counter++;
  bpf_spin_unlock(&g->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
