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

// Program-local types: bpf_obj_new() objects match by their own type only.
struct item {
  __u64 key;
  __u64 value;
};
struct item_v2 {
  __u64 key;
  __u64 value;
};

struct item_slot {
  struct item __kptr *item;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct item_slot);
} items SEC(".maps");

// KERNEL-DAG: stash_v2: reject: invalid kptr access, R2 type=ptr_item_v2 expected=ptr_item
SEC("tc")
int stash_v2(void *ctx) {
  int key = 0;
  struct item_slot *slot = bpf_map_lookup_elem(&items, &key);
  if (!slot)
    return 0;
  struct item_v2 *n = bpf_obj_new(struct item_v2);
  if (!n)
    return 0;
  struct item *old = bpf_kptr_xchg(&slot->item, n); // expected-warning {{bpf_kptr_xchg() stores a 'struct item_v2' into kptr field 'item' of type 'struct item'; the types must match exactly (verifier: "invalid kptr access, R2 type=ptr_item_v2 expected=ptr_item")}}
  if (old)
    bpf_obj_drop(old);
  return 0;
}

// KERNEL-DAG: stash_v2_fixed: accept
SEC("tc")
int stash_v2_fixed(void *ctx) {
  int key = 0;
  struct item_slot *slot = bpf_map_lookup_elem(&items, &key);
  if (!slot)
    return 0;
  struct item *n = bpf_obj_new(struct item);
  if (!n)
    return 0;
  struct item *old = bpf_kptr_xchg(&slot->item, n);
  if (old)
    bpf_obj_drop(old);
  return 0;
}
