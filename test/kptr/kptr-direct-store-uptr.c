// KPTR-010: a __uptr field of a task storage value (6.13+) points to user
// memory that user space registers with the map update; BPF programs may
// read through it (after a NULL check) but never store the field, not even
// NULL. 6.12 does not know the "uptr" tag: the value's record is invalid
// there, the field is plain memory, and bpflint says nothing.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.18 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify=k612 %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=k612 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program forget_udata | FileCheck %s --check-prefix=OBJ
// RUN: %objcheck %t.o --program forget_udata_fixed
// RUN: %objcheck --kernel 6.12 %t.o

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// k612-no-diagnostics


struct user_data {
  int a;
  int b;
};

// clang emits a struct seen only through a tagged pointer member as a BTF
// forward declaration, and the kernel then ignores the field (KPTR-001): the
// last copy of the user data, a global, keeps the type complete.
struct user_data last_udata;

struct task_value {
  long seen;
  struct user_data __uptr *udata;
};

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, 1 /* BPF_F_NO_PREALLOC */);
  __type(key, int);
  __type(value, struct task_value);
} task_values SEC(".maps");

// Dropping the user's buffer from the BPF side.
// KERNEL-DAG: forget_udata: reject: store to uptr disallowed
SEC("syscall")
int forget_udata(void *ctx) {
  struct task_value *v =
      bpf_task_storage_get(&task_values, bpf_get_current_task_btf(), NULL, 0);
  if (!v)
    return 0;
  v->seen++;
  // OBJ: kptr-direct-store-uptr.c:[[@LINE+1]]:{{[0-9]+}}: warning: store to the uptr field at offset 8 of a value of map 'task_values' (user space sets uptr fields) (verifier: "store to uptr disallowed") [bpflint-kptr-direct-store]
  v->udata = NULL; // expected-warning {{store to uptr field 'udata' of a map value; uptr fields are set by user space only (verifier: "store to uptr disallowed") [bpflint-kptr-direct-store]}}
  return 0;
}

// The fixed twin reads through the field and leaves it alone.
// KERNEL-DAG: forget_udata_fixed: accept
SEC("syscall")
int forget_udata_fixed(void *ctx) {
  struct task_value *v =
      bpf_task_storage_get(&task_values, bpf_get_current_task_btf(), NULL, 0);
  if (!v)
    return 0;
  v->seen++;
  struct user_data *u = v->udata;
  if (u) {
    u->b = u->a + 1;
    last_udata = *u;
  }
  return 0;
}
