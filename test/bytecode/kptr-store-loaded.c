// Register stores into an unreferenced kptr field (KPTR-011 "register",
// KPTR-012) at bytecode level: what the interpreter loads from a kptr field
// of a map it does not model (task storage, global data) is a pointer to
// the kernel, not a scalar, so storing it after a NULL check is accepted
// and objcheck must stay silent; a scalar it knows exactly is rejected.
// The KERNEL lines are the running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o | FileCheck %s --implicit-check-not=warning:
// RUN: %objcheck %t.o --program from_task_storage_fixed --program from_global_fixed --program current_task_fixed
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct seen {
  struct task_struct __kptr_untrusted *last;
  __u64 count;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4);
  __type(key, int);
  __type(value, struct seen);
} seen_map SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, 1 /* BPF_F_NO_PREALLOC */);
  __type(key, int);
  __type(value, struct seen);
} task_seen SEC(".maps");

struct task_struct __kptr_untrusted *global_last;

// KERNEL-DAG: from_task_storage_fixed: accept
SEC("syscall")
int from_task_storage_fixed(void *ctx) {
  struct seen *t =
      bpf_task_storage_get(&task_seen, bpf_get_current_task_btf(), NULL, 0);
  if (!t)
    return 0;
  struct task_struct *p = t->last;
  if (!p)
    return 0;
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  s->last = p;
  return 0;
}

// KERNEL-DAG: from_global_fixed: accept
SEC("syscall")
int from_global_fixed(void *ctx) {
  struct task_struct *p = global_last;
  if (!p)
    return 0;
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  s->last = p;
  return 0;
}

// The current task is a trusted task_struct: it may be remembered.
// KERNEL-DAG: current_task_fixed: accept
SEC("syscall")
int current_task_fixed(void *ctx) {
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  s->last = bpf_get_current_task_btf();
  return 0;
}

// A count where the task belongs.
// KERNEL-DAG: count_as_task: reject: invalid kptr access, R{{[0-9]}} type=scalar expected=ptr_task_struct or untrusted_ptr_task_struct
SEC("syscall")
int count_as_task(void *ctx) {
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  s->last = (struct task_struct *)(s->count | 1);
  return 0;
}
// CHECK: kptr-store-loaded.c:[[@LINE-3]]:{{[0-9]+}}: warning: store of R{{[0-9]+}} ({{.*}}) into the unreferenced kptr field at offset 0 of a value of map 'seen_map', which holds NULL or a pointer to struct task_struct (verifier: "invalid kptr access, R%d type=scalar expected=%s%s or %s%s") [bpflint-kptr-store-integer]
