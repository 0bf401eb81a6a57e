// Realistic, correct programs that use kptrs: bpflint must report nothing,
// and the running kernel must load every one of them.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.18 -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL --implicit-check-not=reject %}

#include "kptr_test.h"

// expected-no-diagnostics

char _license[] SEC("license") = "GPL";

#define BPF_LOCAL_STORAGE_GET_F_CREATE 1
#define BPF_F_NO_PREALLOC 1

// 1. A per-task stash of a cpumask: each task keeps the mask of the CPUs
// it was seen on, created on first use.
struct task_ctx {
  struct bpf_cpumask __kptr *seen_on;
  __u64 samples;
};

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct task_ctx);
} task_ctxs SEC(".maps");

// KERNEL-DAG: record_cpu: accept
SEC("syscall")
int record_cpu(void *ctx) {
  struct task_struct *task = bpf_get_current_task_btf();
  struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, task, NULL,
                                               BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (!tctx)
    return 0;
  tctx->samples++;

  struct bpf_cpumask *mask = bpf_kptr_xchg(&tctx->seen_on, NULL);
  if (!mask) {
    mask = bpf_cpumask_create();
    if (!mask)
      return 0;
  }
  bpf_cpumask_set_cpu(0, mask);
  mask = bpf_kptr_xchg(&tctx->seen_on, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}

// KERNEL-DAG: forget_task: accept
SEC("syscall")
int forget_task(void *ctx) {
  struct task_struct *task = bpf_get_current_task_btf();
  struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, task, NULL, 0);
  if (!tctx)
    return 0;
  struct bpf_cpumask *old = bpf_kptr_xchg(&tctx->seen_on, NULL);
  if (old)
    bpf_cpumask_release(old);
  tctx->samples = 0;
  return 0;
}

// 2. Program-local objects swapped in and out of a hash map: a session
// object is parked in the map, taken out to be updated, and put back.
struct session {
  __u64 created_ns;
  __u64 bytes;
  __u32 packets;
};

struct slot {
  struct session __kptr *sess;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, struct slot);
} slots SEC(".maps");

// KERNEL-DAG: session_update: accept
SEC("tc")
int session_update(void *ctx) {
  __u32 key = bpf_get_prandom_u32() & 1023;
  struct slot *slot = bpf_map_lookup_elem(&slots, &key);
  if (!slot) {
    struct slot empty = {};
    bpf_map_update_elem(&slots, &key, &empty, BPF_NOEXIST);
    slot = bpf_map_lookup_elem(&slots, &key);
    if (!slot)
      return 0;
  }
  struct session *s = bpf_kptr_xchg(&slot->sess, NULL);
  if (!s) {
    s = bpf_obj_new(struct session);
    if (!s)
      return 0;
    s->created_ns = bpf_ktime_get_ns();
  }
  s->packets++;
  s->bytes += 64;
  s = bpf_kptr_xchg(&slot->sess, s);
  if (s)
    bpf_obj_drop(s);
  return 0;
}

// KERNEL-DAG: session_expire: accept
SEC("tc")
int session_expire(void *ctx) {
  __u32 key = bpf_get_prandom_u32() & 1023;
  struct slot *slot = bpf_map_lookup_elem(&slots, &key);
  if (!slot)
    return 0;
  struct session *s = bpf_kptr_xchg(&slot->sess, NULL);
  if (!s)
    return 0;
  if (bpf_ktime_get_ns() - s->created_ns < 1000000000ull) {
    // Still fresh: put it back; whatever raced in meanwhile is dropped.
    s = bpf_kptr_xchg(&slot->sess, s);
    if (s)
      bpf_obj_drop(s);
    return 0;
  }
  bpf_obj_drop(s);
  bpf_map_delete_elem(&slots, &key);
  return 0;
}

// 3. A task kept referenced in an array map: swapped for the current one.
struct watched {
  struct task_struct __kptr *task;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct watched);
} watch SEC(".maps");

// KERNEL-DAG: watch_pid: accept
SEC("tc")
int watch_pid(void *ctx) {
  __u32 key = bpf_get_prandom_u32() & 3;
  struct watched *w = bpf_map_lookup_elem(&watch, &key);
  if (!w)
    return 0;
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  t = bpf_kptr_xchg(&w->task, t);
  if (t)
    bpf_task_release(t);
  return 0;
}

// 4. Percpu objects: a per-CPU counter block allocated once and installed in
// a map, then bumped on the local CPU.
struct pcpu_counter {
  __u64 packets;
  __u64 bytes;
};

struct pcpu_slot {
  struct pcpu_counter __percpu_kptr *ctr;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct pcpu_slot);
} pslots SEC(".maps");

// KERNEL-DAG: percpu_install: accept
SEC("syscall")
int percpu_install(void *ctx) {
  int key = 0;
  struct pcpu_slot *slot = bpf_map_lookup_elem(&pslots, &key);
  if (!slot)
    return 0;
  struct pcpu_counter __percpu_kptr *c =
      bpf_percpu_obj_new(struct pcpu_counter);
  if (!c)
    return 0;
  c = bpf_kptr_xchg(&slot->ctr, c);
  if (c)
    bpf_percpu_obj_drop(c);
  return 0;
}

// KERNEL-DAG: percpu_count: accept
SEC("tc")
int percpu_count(void *ctx) {
  int key = 0;
  struct pcpu_slot *slot = bpf_map_lookup_elem(&pslots, &key);
  if (!slot)
    return 0;
  struct pcpu_counter __percpu_kptr *c = slot->ctr;
  if (!c)
    return 0;
  struct pcpu_counter *mine = bpf_this_cpu_ptr(c);
  mine->packets++;
  mine->bytes += 64;
  return 0;
}

// KERNEL-DAG: percpu_uninstall: accept
SEC("syscall")
int percpu_uninstall(void *ctx) {
  int key = 0;
  struct pcpu_slot *slot = bpf_map_lookup_elem(&pslots, &key);
  if (!slot)
    return 0;
  struct pcpu_counter __percpu_kptr *c = bpf_kptr_xchg(&slot->ctr, NULL);
  if (c)
    bpf_percpu_obj_drop(c);
  return 0;
}

// 5. A kptr in global data (.bss): the section's record holds it.
struct bpf_cpumask __kptr *global_mask;

// KERNEL-DAG: global_stash: accept
SEC("syscall")
int global_stash(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  mask = bpf_kptr_xchg(&global_mask, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}
