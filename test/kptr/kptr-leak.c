// KPTR-018 / COM-001: the old object bpf_kptr_xchg returns, and a kernel
// object from an acquire kfunc, are owned references: they must be released
// (or stored again) on every path.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct stash {
  struct bpf_cpumask __kptr *mask;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

// The old mask is taken out of the map and forgotten.
// KERNEL-DAG: take_out: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("syscall")
int take_out(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *old = bpf_kptr_xchg(&s->mask, NULL); // expected-note {{bpf_kptr_xchg() returns the old object here}}
  if (!old)
    return 0;
  bpf_cpumask_set_cpu(0, old);
  return 0; // newest-warning {{reference is neither released nor stored in a kptr on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-kptr-leak]}} \
               k66-warning {{reference is neither released nor stored in a kptr on this path (verifier: "Unreleased reference id=%d alloc_insn=%d") [bpflint-kptr-leak]}}
}

// KERNEL-DAG: take_out_fixed: accept
SEC("syscall")
int take_out_fixed(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *old = bpf_kptr_xchg(&s->mask, NULL);
  if (!old)
    return 0;
  bpf_cpumask_set_cpu(0, old);
  bpf_cpumask_release(old);
  return 0;
}

// A new mask is stashed, but the one it replaces is dropped on the floor.
// KERNEL-DAG: replace: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("syscall")
int replace(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_kptr_xchg(&s->mask, mask); // expected-note {{bpf_kptr_xchg() returns the old object here}}
  return 0; // newest-warning {{neither released nor stored}} k66-warning {{neither released nor stored}}
}

// KERNEL-DAG: replace_fixed: accept
SEC("syscall")
int replace_fixed(void *ctx) {
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

// The mask from an acquire kfunc leaks when the map lookup fails.
// KERNEL-DAG: create_then_lookup: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("syscall")
int create_then_lookup(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create(); // expected-note {{bpf_cpumask_create() acquires a reference here}}
  if (!mask)
    return 0;
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0; // newest-warning {{neither released nor stored}} k66-warning {{neither released nor stored}}
  mask = bpf_kptr_xchg(&s->mask, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: create_then_lookup_fixed: accept
SEC("syscall")
int create_then_lookup_fixed(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s) {
    bpf_cpumask_release(mask);
    return 0;
  }
  mask = bpf_kptr_xchg(&s->mask, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// A task looked up by pid in a tc program.
// KERNEL-DAG: task_by_pid: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int task_by_pid(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1); // expected-note {{bpf_task_from_pid() acquires a reference here}}
  if (!t)
    return 0;
  if (t->pid != 1)
    return 1; // newest-warning {{neither released nor stored}} k66-warning {{neither released nor stored}}
  bpf_task_release(t);
  return 0;
}

// KERNEL-DAG: task_by_pid_fixed: accept
SEC("tc")
int task_by_pid_fixed(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  int pid = t->pid;
  bpf_task_release(t);
  return pid != 1;
}
