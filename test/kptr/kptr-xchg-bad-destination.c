// KPTR-014: the first argument of bpf_kptr_xchg must point exactly at a
// kptr field of a map value.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct stash {
  struct task_struct __kptr *task;
  __u64 last_pid;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

struct counters {
  __u64 hits;
  struct task_struct *task; // no tag: not a kptr
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct counters);
} plain SEC(".maps");

// KERNEL-DAG: xchg_wrong_field: reject: off=8 doesn't point to kptr
SEC("tc")
int xchg_wrong_field(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->last_pid, NULL); // expected-warning {{bpf_kptr_xchg() destination is offset 8 of the value of map 'stashes', which is not a kptr field (verifier: "off=8 doesn't point to kptr") [bpflint-kptr-xchg-bad-destination]}}
  if (t)
    bpf_task_release(t);
  return 0;
}

// KERNEL-DAG: xchg_wrong_field_fixed: accept
SEC("tc")
int xchg_wrong_field_fixed(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->task, NULL);
  if (t)
    bpf_task_release(t);
  return 0;
}

// The pointer field lacks the __kptr tag, so the value has no kptr at all.
// KERNEL-DAG: xchg_untagged: reject: R1 has no valid kptr
SEC("tc")
int xchg_untagged(void *ctx) {
  int key = 0;
  struct counters *c = bpf_map_lookup_elem(&plain, &key);
  if (!c)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&c->task, NULL); // expected-warning {{bpf_kptr_xchg() on a value of map 'plain', whose type has no kptr field (verifier: "R1 has no valid kptr")}}
  if (t)
    bpf_task_release(t);
  return 0;
}
