// KPTR-022: bpf_kptr_xchg while a bpf_spin_lock is held. The running 6.18
// kernel rejects it (lock-call-in-critical-section, LOCK-018); kernels after
// 6.18 have it on the critical-section allowlist, so the newest profile
// (7.1) stays silent. The fixed twin exchanges after the unlock.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.18 -Xclang -verify=old -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify=old -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=old -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %objcheck %t.o
// RUN: not %objcheck --kernel 6.18 %t.o | FileCheck %s --check-prefix=OBJ618 --implicit-check-not=warning:

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// newest-no-diagnostics

struct slot {
  struct bpf_spin_lock lock;
  long generation;
  struct bpf_cpumask __kptr *mask;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct slot);
} slots SEC(".maps");

// KERNEL-DAG: swap_locked: reject: function calls are not allowed while holding a lock
SEC("syscall")
int swap_locked(void *ctx) {
  int key = 0;
  struct slot *s = bpf_map_lookup_elem(&slots, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_spin_lock(&s->lock);
  s->generation++;
  // OBJ618: kptr-xchg-under-lock.c:[[@LINE+1]]:{{[0-9]+}}: warning: call to helper bpf_kptr_xchg while the lock in a value of map 'slots' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]
  mask = bpf_kptr_xchg(&s->mask, mask); // old-warning {{function calls are not allowed while holding a lock}}
  bpf_spin_unlock(&s->lock);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: swap_locked_fixed: accept
SEC("syscall")
int swap_locked_fixed(void *ctx) {
  int key = 0;
  struct slot *s = bpf_map_lookup_elem(&slots, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_spin_lock(&s->lock);
  s->generation++;
  bpf_spin_unlock(&s->lock);
  mask = bpf_kptr_xchg(&s->mask, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}
