// KPTR-016 / COM-003: a pointer loaded from a kptr field is borrowed; the map
// still owns the object. Releasing it, or storing it elsewhere with
// bpf_kptr_xchg, is rejected. Take the object out with bpf_kptr_xchg() to
// own it, or acquire a reference of your own (bpf_task_acquire on an RCU
// pointer).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct obj {
  __u64 hits;
};

struct stash {
  struct task_struct __kptr *task;
  struct obj __kptr *obj;
  struct task_struct __kptr *other;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

// Keeps struct obj complete in the program's BTF: a kptr to a struct that
// is only forward-declared there makes the kernel reject the BTF (KPTR-001).
static __always_inline void keep_obj_type(void) {
  struct obj *o = bpf_obj_new(struct obj);
  if (o)
    bpf_obj_drop(o);
}

#define LOOKUP_OR_RETURN(s)                                                    \
  int key = 0;                                                                 \
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);                       \
  if (!s)                                                                      \
    return 0;                                                                  \
  keep_obj_type()

// KERNEL-DAG: release_loaded: reject: R1 must be referenced or trusted
SEC("tc")
int release_loaded(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct task_struct *t = s->task;
  if (t)
    bpf_task_release(t); // expected-warning {{bpf_task_release() releases a pointer loaded from kptr field 'task', which the program does not own; take the object out with bpf_kptr_xchg() to own it (verifier: "R1 must be referenced or trusted") [bpflint-kptr-loaded-not-owned]}}
  return 0;
}

// KERNEL-DAG: release_loaded_fixed: accept
SEC("tc")
int release_loaded_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct task_struct *t = bpf_kptr_xchg(&s->task, NULL);
  if (t)
    bpf_task_release(t);
  return 0;
}

// KERNEL-DAG: drop_loaded: reject: R1 must be referenced or trusted
SEC("tc")
int drop_loaded(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct obj *o = s->obj;
  if (o)
    bpf_obj_drop(o); // expected-warning {{bpf_obj_drop() releases a pointer loaded from kptr field 'obj'}}
  return 0;
}

// KERNEL-DAG: drop_loaded_fixed: accept
SEC("tc")
int drop_loaded_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct obj *o = bpf_kptr_xchg(&s->obj, NULL);
  if (o)
    bpf_obj_drop(o);
  return 0;
}

// Copying a task from one kptr field to another.
// KERNEL-DAG: copy_loaded: reject: R2 must be referenced when passed to release function
SEC("tc")
int copy_loaded(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct task_struct *t = s->task;
  if (!t)
    return 0;
  t = bpf_kptr_xchg(&s->other, t); // expected-warning {{bpf_kptr_xchg() is given a pointer loaded from kptr field 'task', which the program does not own; only owned references can be stored (verifier: "R2 must be referenced when passed to release function")}}
  if (t)
    bpf_task_release(t);
  return 0;
}

// Acquire a reference of its own first (the loaded pointer is RCU-protected
// in a tc program).
// KERNEL-DAG: copy_loaded_fixed: accept
SEC("tc")
int copy_loaded_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct task_struct *t = s->task;
  if (!t)
    return 0;
  t = bpf_task_acquire(t);
  if (!t)
    return 0;
  t = bpf_kptr_xchg(&s->other, t);
  if (t)
    bpf_task_release(t);
  return 0;
}
