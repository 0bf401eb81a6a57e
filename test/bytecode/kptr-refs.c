// Kernel object references at bytecode level (bpflint-objcheck): acquire
// and release kfuncs (KPTR-018 leaks, KPTR-019 use after release, KPTR-013
// NULL-able trusted arguments), bpf_kptr_xchg (KPTR-014/015/017, the old
// value an owned NULL-able reference) and loads of kptr fields (KPTR-013
// 'rcu_ptr_or_null_', KPTR-016 releasing a pointer not owned). The KERNEL
// lines are the running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// Findings are printed by section (syscall, then tc): CHECK-DAG.
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// Before 6.4 kptr loads and kfunc trust differ: nothing is judged there.
// RUN: %objcheck --kernel=6.1 %t.o | count 0

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct stash {
  struct bpf_cpumask __kptr *mask;
  struct task_struct __kptr *task;
  struct task_struct __kptr_untrusted *seen;
  long plain;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

static __always_inline struct stash *get_stash(void) {
  int key = 0;
  return bpf_map_lookup_elem(&stashes, &key);
}

// KERNEL-DAG: create_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("syscall")
int create_leak(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_set_cpu(0, mask);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-1]]:{{[0-9]+}}: warning: reference is neither released nor stored in a kptr on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-kptr-leak]

// KERNEL-DAG: create_leak_fixed: accept
SEC("syscall")
int create_leak_fixed(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_set_cpu(0, mask);
  bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: release_unchecked: reject: Possibly NULL pointer passed to trusted arg0
SEC("syscall")
int release_unchecked(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  bpf_cpumask_release(mask);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_cpumask_release() is given in R1 a pointer that may be NULL as its trusted arg0 (verifier: "Possibly NULL pointer passed to trusted arg%d") [bpflint-kptr-use-before-null-check]

// KERNEL-DAG: double_release: reject: R1 type=scalar expected=fp
SEC("syscall")
int double_release(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_release(mask);
  bpf_cpumask_release(mask);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_cpumask_release() is given in R1 a kernel object reference that was already released or stored with bpf_kptr_xchg() (verifier: "R%d type=scalar expected=fp") [bpflint-kptr-use-after-release]

// KERNEL-DAG: task_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int task_leak(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  if (t->pid != 1)
    return 1;
  bpf_task_release(t);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-1]]:{{[0-9]+}}: warning: reference is neither released nor stored in a kptr on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-kptr-leak]

// KERNEL-DAG: task_leak_fixed: accept
SEC("tc")
int task_leak_fixed(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  int pid = t->pid;
  bpf_task_release(t);
  return pid != 1;
}

// KERNEL-DAG: read_after_release: reject: R6 invalid mem access 'scalar'
SEC("tc")
int read_after_release(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  bpf_task_release(t);
  return t->pid;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-2]]:{{[0-9]+}}: warning: kernel object in R6 is accessed after it was released or stored with bpf_kptr_xchg() (verifier: "R%d invalid mem access 'scalar'") [bpflint-kptr-use-after-release]

// KERNEL-DAG: old_unchecked: reject: R0 invalid mem access 'ptr_or_null_'
SEC("tc")
int old_unchecked(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->task, NULL);
  int pid = t->pid;
  bpf_task_release(t);
  return pid;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-4]]:{{[0-9]+}}: warning: kernel object reference in R0 is dereferenced before it is checked for NULL (verifier: "R%d invalid mem access 'ptr_or_null_'") [bpflint-kptr-use-before-null-check]

// KERNEL-DAG: take_out: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int take_out(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->task, NULL);
  if (!t)
    return 0;
  return t->pid;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-1]]:{{[0-9]+}}: warning: reference is neither released nor stored in a kptr on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-kptr-leak]

// KERNEL-DAG: swap_fixed: accept
SEC("tc")
int swap_fixed(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  t = bpf_kptr_xchg(&s->task, t);
  if (t)
    bpf_task_release(t);
  return 0;
}

// KERNEL-DAG: wrong_field: reject: off=24 doesn't point to kptr
SEC("tc")
int wrong_field(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->plain, NULL);
  if (t)
    bpf_task_release(t);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-5]]:{{[0-9]+}}: warning: bpf_kptr_xchg() is given offset 24 of a value of map 'stashes', which is not a kptr field (verifier: "off=%d doesn't point to kptr") [bpflint-kptr-xchg-bad-destination]

// KERNEL-DAG: untrusted_field: reject: off=16 kptr isn't referenced kptr
SEC("tc")
int untrusted_field(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->seen, NULL);
  if (t)
    bpf_task_release(t);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-5]]:{{[0-9]+}}: warning: bpf_kptr_xchg() on the unreferenced (__kptr_untrusted) field at offset 16 of a value of map 'stashes' (verifier: "off=%d kptr isn't referenced kptr") [bpflint-kptr-xchg-unreferenced]

// KERNEL-DAG: mask_into_task: reject: invalid kptr access, R2 type=ptr_bpf_cpumask expected=ptr_task_struct
SEC("syscall")
int mask_into_task(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  struct task_struct *old = bpf_kptr_xchg(&s->task, mask);
  if (old)
    bpf_task_release(old);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-5]]:{{[0-9]+}}: warning: bpf_kptr_xchg() stores struct bpf_cpumask into the kptr field at offset 8 of a value of map 'stashes', which holds struct task_struct (verifier: "invalid kptr access, R%d type=%s%s expected=%s%s") [bpflint-kptr-xchg-type-mismatch]

// KERNEL-DAG: peek_unchecked: reject: R1 invalid mem access 'rcu_ptr_or_null_'
SEC("tc")
int peek_unchecked(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = s->task;
  return t->pid;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-2]]:{{[0-9]+}}: warning: pointer loaded from the kptr field at offset 8 in R1 is dereferenced before it is checked for NULL (verifier: "R%d invalid mem access 'rcu_ptr_or_null_'") [bpflint-kptr-use-before-null-check]

// KERNEL-DAG: peek_fixed: accept
SEC("tc")
int peek_fixed(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = s->task;
  if (!t)
    return 0;
  return t->pid;
}

// KERNEL-DAG: release_loaded: reject: R1 must be referenced or trusted
SEC("tc")
int release_loaded(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = s->task;
  if (t)
    bpf_task_release(t);
  return 0;
}
// CHECK-DAG: kptr-refs.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_task_release() releases in R1 a pointer loaded from a kptr field, which the program does not own (verifier: "R%d must be referenced or trusted") [bpflint-kptr-loaded-not-owned]

// KERNEL-DAG: acquire_loaded_fixed: accept
SEC("tc")
int acquire_loaded_fixed(void *ctx) {
  struct stash *s = get_stash();
  if (!s)
    return 0;
  struct task_struct *t = s->task;
  if (!t)
    return 0;
  t = bpf_task_acquire(t);
  if (!t)
    return 0;
  bpf_task_release(t);
  return 0;
}

struct locked_stash {
  struct bpf_spin_lock lock;
  struct task_struct __kptr *task;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct locked_stash);
} locked SEC(".maps");

// bpf_kptr_xchg in a critical section: 6.18 rejects it (LOCK-018), later
// kernels allow it, so the newest profile stays silent.
// RUN: not %objcheck --kernel=6.18 --program swap_locked %t.o | FileCheck %s --check-prefix=K618
// KERNEL-DAG: swap_locked: reject: function calls are not allowed while holding a lock
SEC("tc")
int swap_locked(void *ctx) {
  int key = 0;
  struct locked_stash *s = bpf_map_lookup_elem(&locked, &key);
  if (!s)
    return 0;
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  bpf_spin_lock(&s->lock);
  t = bpf_kptr_xchg(&s->task, t);
  bpf_spin_unlock(&s->lock);
  if (t)
    bpf_task_release(t);
  return 0;
}
// K618: kptr-refs.c:[[@LINE-6]]:{{[0-9]+}}: warning: call to helper bpf_kptr_xchg while the lock in a value of map 'locked' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]
