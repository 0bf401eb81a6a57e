// KPTR-012: an unreferenced (__kptr_untrusted) kptr field is written with a
// plain store, but only NULL or a pointer to the field's own type (or to a
// struct whose first member has that type) may go there.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program remember_wrong | FileCheck %s --check-prefix=OBJ
// RUN: %objcheck %t.o --program remember_wrong_fixed

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct obj {
  __u64 hits;
};

struct last {
  struct task_struct __kptr_untrusted *task;
  struct obj __kptr_untrusted *obj;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct last);
} lasts SEC(".maps");

// KERNEL-DAG: remember_wrong: reject: invalid kptr access, R0 type=ptr_obj expected=ptr_task_struct or untrusted_ptr_task_struct
SEC("tc")
int remember_wrong(void *ctx) {
  int key = 0;
  struct last *l = bpf_map_lookup_elem(&lasts, &key);
  if (!l)
    return 0;
  struct obj *o = bpf_obj_new(struct obj);
  if (!o)
    return 0;
  // OBJ: kptr-untrusted-store-type.c:[[@LINE+1]]:{{[0-9]+}}: warning: store of R{{[0-9]+}} (ptr_struct obj({{.*}})) into the unreferenced kptr field at offset 0 of a value of map 'lasts', which holds NULL or a pointer to struct task_struct (verifier: "invalid kptr access, R%d type=%s%s expected=%s%s or %s%s") [bpflint-kptr-untrusted-store-type]
  l->task = (void *)o; // expected-warning {{stores a 'struct obj' into kptr field 'task' of type 'struct task_struct' (verifier: "invalid kptr access, R%d type=ptr_obj expected=ptr_task_struct or untrusted_ptr_task_struct") [bpflint-kptr-untrusted-store-type]}}
  bpf_obj_drop(o);
  return 0;
}

// KERNEL-DAG: remember_wrong_fixed: accept
SEC("tc")
int remember_wrong_fixed(void *ctx) {
  int key = 0;
  struct last *l = bpf_map_lookup_elem(&lasts, &key);
  if (!l)
    return 0;
  struct obj *o = bpf_obj_new(struct obj);
  if (!o)
    return 0;
  l->obj = o;
  bpf_obj_drop(o);
  struct task_struct *t = bpf_task_from_pid(1);
  if (!t)
    return 0;
  l->task = t;
  bpf_task_release(t);
  return 0;
}
