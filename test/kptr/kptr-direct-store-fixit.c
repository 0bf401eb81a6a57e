// KPTR-009's fix-it: a direct store into a referenced kptr field, written as
// a statement of its own, becomes a bpf_kptr_xchg() that releases the old
// object with the release kfunc of the field's type. Applied, the file is
// clean and the kernel loads it.
//
// RUN: %bpflint_cc -fsyntax-only -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s
// RUN: cp %s %t.c
// RUN: %bpflint_cc -fsyntax-only -Xclang -fixit %t.c 2>/dev/null || true
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=fixed %t.c
// RUN: %clang_bpf -c %t.c -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// fixed-no-diagnostics

struct obj {
  __u64 hits;
};

struct stash {
  struct bpf_cpumask __kptr *mask;
  struct obj __kptr *obj;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

// KERNEL-DAG: clear_mask: accept
SEC("syscall")
int clear_mask(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  s->mask = NULL;
  // CHECK: fix-it:"{{.*}}":{[[@LINE-1]]:3-[[@LINE-1]]:18}:"{ struct bpf_cpumask *old_mask = bpf_kptr_xchg(&s->mask, NULL); if (old_mask) bpf_cpumask_release(old_mask); }"
  return 0;
}

// KERNEL-DAG: store_obj: accept
SEC("tc")
int store_obj(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct obj *o = bpf_obj_new(struct obj);
  if (!o)
    return 0;
  s->obj = o;
  // CHECK: fix-it:"{{.*}}":{[[@LINE-1]]:3-[[@LINE-1]]:14}:"{ struct obj *old_obj = bpf_kptr_xchg(&s->obj, o); if (old_obj) bpf_obj_drop(old_obj); }"
  return 0;
}

// Keeps struct bpf_cpumask complete in the program's BTF (KPTR-001).
// KERNEL-DAG: keep_types: accept
SEC("syscall")
int keep_types(void *ctx) {
  struct bpf_cpumask *m = bpf_cpumask_create();
  if (m)
    bpf_cpumask_release(m);
  return 0;
}
