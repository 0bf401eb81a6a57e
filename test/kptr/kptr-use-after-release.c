// KPTR-019 / COM-002 / COM-003: once bpf_kptr_xchg has stored an object, or
// a release kfunc has released it, the pointer is dead: no more accesses, no
// second release.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct stash {
  struct bpf_cpumask __kptr *mask;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

// The mask is modified after it was handed to the map.
// KERNEL-DAG: set_after_stash: reject: R2 type=scalar expected=fp
SEC("syscall")
int set_after_stash(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  struct bpf_cpumask *old = bpf_kptr_xchg(&s->mask, mask);
  if (old)
    bpf_cpumask_release(old);
  bpf_cpumask_set_cpu(0, mask); // expected-warning {{bpf_cpumask_set_cpu() is given an object that was already stored by bpf_kptr_xchg() (verifier: "R2 type=scalar expected=fp") [bpflint-kptr-use-after-release]}}
  return 0;
}

// KERNEL-DAG: set_after_stash_fixed: accept
SEC("syscall")
int set_after_stash_fixed(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_set_cpu(0, mask);
  struct bpf_cpumask *old = bpf_kptr_xchg(&s->mask, mask);
  if (old)
    bpf_cpumask_release(old);
  return 0;
}

// KERNEL-DAG: double_release: reject: R1 type=scalar expected=fp
SEC("syscall")
int double_release(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_release(mask); // expected-note {{reference released here}}
  bpf_cpumask_release(mask); // expected-warning {{bpf_cpumask_release() is given an object that was already released (verifier: "R1 type=scalar expected=fp")}}
  return 0;
}

// KERNEL-DAG: double_release_fixed: accept
SEC("syscall")
int double_release_fixed(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_release(mask);
  return 0;
}

// Stashing an object that was already released.
// KERNEL-DAG: stash_released: reject: R2 type=scalar expected=ptr_, trusted_ptr_, rcu_ptr_
SEC("syscall")
int stash_released(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_release(mask);
  mask = bpf_kptr_xchg(&s->mask, mask); // expected-warning {{bpf_kptr_xchg() is given an object that was already released (verifier: "R2 type=scalar expected=ptr_, trusted_ptr_, rcu_ptr_")}}
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: stash_released_fixed: accept
SEC("syscall")
int stash_released_fixed(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  mask = bpf_kptr_xchg(&s->mask, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// The task is read after it was released.
// KERNEL-DAG: read_after_release: reject: R{{[0-9]+}} invalid mem access 'scalar'
SEC("tc")
int read_after_release(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  bpf_task_release(t);
  return t->pid; // expected-warning {{object read after it was released (verifier: "R%d invalid mem access 'scalar'")}}
}

// KERNEL-DAG: read_after_release_fixed: accept
SEC("tc")
int read_after_release_fixed(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  int pid = t->pid;
  bpf_task_release(t);
  return pid;
}
