// GRAPH-026, kernel objects: only what the program allocated (bpf_obj_new)
// and map values are writable. A trusted pointer to a kernel object (from
// bpf_get_current_task_btf, bpf_task_from_pid, bpf_task_acquire ...) is
// read-only in tc, xdp and syscall programs: copy the data into the node.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 '-fplugin-arg-bpflint-checks=-*,graph-*' -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// k61-no-diagnostics

#include "graph_test.h"
#include "kptr_test.h"

char _license[] SEC("license") = "GPL";


struct owner {
  int pid;
  int tgid;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head owners __contains(owner, node);

// KERNEL-DAG: write_current: reject: only read is supported
SEC("tc")
int write_current(void *ctx) {
  struct task_struct *t = bpf_get_current_task_btf();
  struct owner *o = bpf_obj_new(struct owner);

  if (!o)
    return 0;
  o->pid = 0;
  // OBJ: graph-pointer-field-deref-kernel.c:[[@LINE+1]]:{{[0-9]+}}: warning: store through R{{[0-9]+}}, a kernel object (struct task_struct): programs may only read kernel objects (verifier: "only read is supported") [bpflint-graph-pointer-field-deref]
  t->pid = o->pid; // expected-warning {{kernel object returned by bpf_get_current_task_btf() written; the verifier lets programs write only the objects they allocate (bpf_obj_new) and map values (verifier: "only read is supported") [bpflint-graph-pointer-field-deref]}}
  bpf_spin_lock(&glock);
  bpf_list_push_back(&owners, &o->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: write_current_fixed: accept
SEC("tc")
int write_current_fixed(void *ctx) {
  struct task_struct *t = bpf_get_current_task_btf();
  struct owner *o = bpf_obj_new(struct owner);

  if (!o)
    return 0;
  o->pid = t->pid;
  o->tgid = t->tgid;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&owners, &o->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: write_acquired: reject: only read is supported
SEC("tc")
int write_acquired(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);

  if (!t)
    return 0;
  // OBJ: graph-pointer-field-deref-kernel.c:[[@LINE+1]]:{{[0-9]+}}: warning: store through R{{[0-9]+}}, a kernel object (struct task_struct): {{.*}}[bpflint-graph-pointer-field-deref]
  t->tgid = 0; // expected-warning {{kernel object returned by bpf_task_from_pid() written}}
  bpf_task_release(t);
  return 0;
}

// KERNEL-DAG: write_acquired_fixed: accept
SEC("tc")
int write_acquired_fixed(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  struct owner *o;

  if (!t)
    return 0;
  o = bpf_obj_new(struct owner);
  if (o) {
    o->tgid = t->tgid;
    bpf_spin_lock(&glock);
    bpf_list_push_front(&owners, &o->node);
    bpf_spin_unlock(&glock);
  }
  bpf_task_release(t);
  return 0;
}
