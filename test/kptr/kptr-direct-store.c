// KPTR-009: referenced (__kptr) and percpu kptr fields are written only by
// bpf_kptr_xchg(), never by a plain store, not even of NULL. Unreferenced
// (__kptr_untrusted) fields may be stored directly. Before 6.3 the tags
// meant something else: `__kptr` was the unreferenced kind, and
// `__kptr_untrusted` is unknown there (the record is invalid).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// k61-no-diagnostics

struct stash {
  struct bpf_cpumask __kptr *mask;
  struct task_struct __kptr_untrusted *last_seen;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

// "Clearing" the stash by hand.
// KERNEL-DAG: clear_mask: reject: store to referenced kptr disallowed
SEC("syscall")
int clear_mask(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  s->mask = NULL; // newest-warning {{direct store to referenced kptr field 'mask' of a map value; use bpf_kptr_xchg() and release the old object it returns (verifier: "store to referenced kptr disallowed") [bpflint-kptr-direct-store]}}
  return 0;
}

// KERNEL-DAG: clear_mask_fixed: accept
SEC("syscall")
int clear_mask_fixed(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *old = bpf_kptr_xchg(&s->mask, NULL);
  if (old)
    bpf_cpumask_release(old);
  return 0;
}

// Storing a freshly created mask directly.
// KERNEL-DAG: store_new_mask: reject: store to referenced kptr disallowed
SEC("syscall")
int store_new_mask(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  s->mask = mask; // newest-warning {{direct store to referenced kptr field 'mask'}}
  return 0;
}

// KERNEL-DAG: store_new_mask_fixed: accept
SEC("syscall")
int store_new_mask_fixed(void *ctx) {
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

// An unreferenced kptr may be cleared with a plain store.
// KERNEL-DAG: clear_untrusted_fixed: accept
SEC("tc")
int clear_untrusted_fixed(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  s->last_seen = NULL;
  // Keeps struct task_struct complete in BTF (KPTR-001).
  struct task_struct *t = bpf_task_from_pid(1);
  if (t)
    bpf_task_release(t);
  return 0;
}
