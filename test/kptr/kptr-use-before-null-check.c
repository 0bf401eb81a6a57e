// KPTR-013/018: bpf_kptr_xchg and acquire kfuncs such as bpf_cpumask_create
// and bpf_task_from_pid may return NULL. The pointer must be checked before
// it is dereferenced or passed to a kfunc or helper.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct stash {
  struct bpf_cpumask __kptr *mask;
  struct task_struct __kptr *task;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

#define LOOKUP_OR_RETURN(s)                                                    \
  int key = 0;                                                                 \
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);                       \
  if (!s)                                                                      \
    return 0

// KERNEL-DAG: old_task_deref: reject: R0 invalid mem access 'ptr_or_null_'
SEC("syscall")
int old_task_deref(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct task_struct *t = bpf_kptr_xchg(&s->task, NULL);
  int pid = t->pid; // expected-warning {{object read before the pointer is checked for NULL (verifier: "R%d invalid mem access 'ptr_or_null_'") [bpflint-kptr-use-before-null-check]}}
  if (t)
    bpf_task_release(t);
  return pid;
}

// KERNEL-DAG: old_task_deref_fixed: accept
SEC("syscall")
int old_task_deref_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct task_struct *t = bpf_kptr_xchg(&s->task, NULL);
  if (!t)
    return 0;
  int pid = t->pid;
  bpf_task_release(t);
  return pid;
}

// KERNEL-DAG: release_unchecked: reject: Possibly NULL pointer passed to trusted arg0
SEC("syscall")
int release_unchecked(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  bpf_cpumask_release(mask); // expected-warning {{bpf_cpumask_release() is given a pointer that may be NULL; check it first (verifier: "Possibly NULL pointer passed to trusted arg0")}}
  return 0;
}

// KERNEL-DAG: release_unchecked_fixed: accept
SEC("syscall")
int release_unchecked_fixed(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: set_cpu_unchecked: reject: Possibly NULL pointer passed to trusted arg1
SEC("syscall")
int set_cpu_unchecked(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  bpf_cpumask_set_cpu(0, mask); // expected-warning {{bpf_cpumask_set_cpu() is given a pointer that may be NULL; check it first (verifier: "Possibly NULL pointer passed to trusted arg1")}}
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: set_cpu_unchecked_fixed: accept
SEC("syscall")
int set_cpu_unchecked_fixed(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_set_cpu(0, mask);
  bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: stash_unchecked: reject: Possibly NULL pointer passed to helper arg2
SEC("syscall")
int stash_unchecked(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct bpf_cpumask *mask = bpf_cpumask_create();
  mask = bpf_kptr_xchg(&s->mask, mask); // expected-warning {{the object given to bpf_kptr_xchg() may be NULL; check it first (verifier: "Possibly NULL pointer passed to helper arg2")}}
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: stash_unchecked_fixed: accept
SEC("syscall")
int stash_unchecked_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  mask = bpf_kptr_xchg(&s->mask, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// A pointer loaded straight from a kptr field may be NULL (the field may be
// empty). In non-sleepable programs a referenced kptr to an RCU-protected or
// program-local type loads as an RCU pointer; otherwise it is untrusted.
struct obj {
  __u64 hits;
};

struct peek {
  struct task_struct __kptr *task;
  struct task_struct __kptr_untrusted *seen;
  struct obj __kptr *obj;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct peek);
} peeks SEC(".maps");

#define PEEK_OR_RETURN(p)                                                      \
  int key = 0;                                                                 \
  struct peek *p = bpf_map_lookup_elem(&peeks, &key);                          \
  if (!p)                                                                      \
    return 0

// Keeps struct obj complete in the program's BTF (KPTR-001).
static __always_inline void keep_obj_type(void) {
  struct obj *o = bpf_obj_new(struct obj);
  if (o)
    bpf_obj_drop(o);
}

// KERNEL-DAG: peek_task: reject: R1 invalid mem access 'rcu_ptr_or_null_'
SEC("tc")
int peek_task(void *ctx) {
  PEEK_OR_RETURN(p);
  struct task_struct *t = p->task;
  return t->pid; // expected-warning {{pointer loaded from kptr field 'task' is dereferenced before it is checked for NULL; the field may be empty (verifier: "R%d invalid mem access 'rcu_ptr_or_null_'")}}
}

// KERNEL-DAG: peek_task_fixed: accept
SEC("tc")
int peek_task_fixed(void *ctx) {
  PEEK_OR_RETURN(p);
  struct task_struct *t = p->task;
  if (!t)
    return 0;
  return t->pid;
}

// KERNEL-DAG: peek_seen: reject: R1 invalid mem access 'untrusted_ptr_or_null_'
SEC("tc")
int peek_seen(void *ctx) {
  PEEK_OR_RETURN(p);
  struct task_struct *t = p->seen;
  return t->pid; // expected-warning {{pointer loaded from kptr field 'seen' is dereferenced before it is checked for NULL; the field may be empty (verifier: "R%d invalid mem access 'untrusted_ptr_or_null_'")}}
}

// KERNEL-DAG: peek_obj: reject: R1 invalid mem access 'rcu_ptr_or_null_'
SEC("tc")
int peek_obj(void *ctx) {
  PEEK_OR_RETURN(p);
  keep_obj_type();
  struct obj *o = p->obj;
  return o->hits; // expected-warning {{pointer loaded from kptr field 'obj' is dereferenced before it is checked for NULL; the field may be empty (verifier: "R%d invalid mem access 'rcu_ptr_or_null_'")}}
}

// KERNEL-DAG: peek_obj_fixed: accept
SEC("tc")
int peek_obj_fixed(void *ctx) {
  PEEK_OR_RETURN(p);
  keep_obj_type();
  struct obj *o = p->obj;
  return o ? o->hits : 0;
}

// Sleepable programs are outside an RCU read section.
// KERNEL-DAG: peek_task_sleepable: reject: R1 invalid mem access 'untrusted_ptr_or_null_'
SEC("syscall")
int peek_task_sleepable(void *ctx) {
  PEEK_OR_RETURN(p);
  struct task_struct *t = p->task;
  return t->pid; // expected-warning {{(verifier: "R%d invalid mem access 'untrusted_ptr_or_null_'")}}
}

// KERNEL-DAG: peek_task_sleepable_fixed: accept
SEC("syscall")
int peek_task_sleepable_fixed(void *ctx) {
  PEEK_OR_RETURN(p);
  struct task_struct *t = p->task;
  if (!t)
    return 0;
  return t->pid;
}
