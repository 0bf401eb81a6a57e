// KPTR-024: reading a kernel object loaded from a kptr field needs a
// GPL-compatible license. The fixed build (-DFIXED) is the same program
// under "Dual BSD/GPL".
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t-fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t-fixed.o | FileCheck %s --check-prefix=FIXED %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t-fixed.o
// RUN: %objcheck --kernel 6.1 %t.o

#include "kptr_test.h"

#ifdef FIXED
char _license[] SEC("license") = "Dual BSD/GPL";
#else
char _license[] SEC("license") = "Proprietary";
#endif

// fixed-no-diagnostics

struct owner {
  struct task_struct __kptr *task;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct owner);
} owners SEC(".maps");

// KERNEL-DAG: owner_pid: reject: Cannot access kernel 'struct task_struct' from non-GPL compatible program
// FIXED-DAG: owner_pid: accept
SEC("tc")
int owner_pid(void *ctx) {
  int key = 0;
  struct owner *o = bpf_map_lookup_elem(&owners, &key);
  if (!o)
    return 0;
  struct task_struct *t = o->task;
  // OBJ: kptr-non-gpl-access.c:[[@LINE+1]]:{{[0-9]+}}: warning: load through R{{[0-9]+}}, a kernel object (struct task_struct), in a program whose license 'Proprietary' is not GPL-compatible (verifier: "Cannot access kernel 'struct %s' from non-GPL compatible program") [bpflint-kptr-non-gpl-access]
  return t ? t->pid : 0; // expected-warning {{object 'struct task_struct' loaded from kptr field 'task' is a kernel object, which only GPL-compatible programs may read; the license is 'Proprietary' (verifier: "Cannot access kernel 'struct task_struct' from non-GPL compatible program") [bpflint-kptr-non-gpl-access]}}
}

// Keeps struct task_struct complete in BTF (KPTR-001); kfuncs need a GPL
// license too (not a kptr rule).
// KERNEL-DAG: keep_task: reject: cannot call kernel function from non-GPL compatible program
// FIXED-DAG: keep_task: accept
SEC("tc")
int keep_task(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (t)
    bpf_task_release(t);
  return 0;
}
