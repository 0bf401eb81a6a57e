// KPTR-017: bpf_kptr_xchg() matches the new object's type exactly against
// the kptr field's type, for kernel and program-local types alike.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct stash {
  struct task_struct __kptr *task;
  struct bpf_cpumask __kptr *mask;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

// KERNEL-DAG: mask_into_task: reject: invalid kptr access, R2 type=ptr_bpf_cpumask expected=ptr_task_struct
SEC("syscall")
int mask_into_task(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  struct task_struct *old = bpf_kptr_xchg(&s->task, mask); // expected-warning {{bpf_kptr_xchg() stores a 'struct bpf_cpumask' into kptr field 'task' of type 'struct task_struct'; the types must match exactly (verifier: "invalid kptr access, R2 type=ptr_bpf_cpumask expected=ptr_task_struct") [bpflint-kptr-xchg-type-mismatch]}}
  if (old)
    bpf_task_release(old);
  return 0;
}

// KERNEL-DAG: mask_into_task_fixed: accept
SEC("syscall")
int mask_into_task_fixed(void *ctx) {
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
  return 0;
}
