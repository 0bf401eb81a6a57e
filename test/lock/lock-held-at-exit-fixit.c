// LOCK-017's fix-it: the missing bpf_spin_unlock before the return, on a line
// of its own, or with braces around an unbraced `if (...) return`. No fix-it
// when the lock expression may not be in scope at the return.
//
// RUN: %bpflint_cc -fsyntax-only -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s
// RUN: cp %s %t.c
// RUN: %bpflint_cc -fsyntax-only -Xclang -fixit %t.c 2>/dev/null || true
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=fixed -Xclang -verify-ignore-unexpected=note %t.c
// RUN: %clang_bpf -c %t.c -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

// The inner scope of `inner` means no fix-it is offered there; the applied
// fixes make the rest of the file clean, and the kernel agrees.
// fixed-warning@* 1 {{bpf_spin_lock is still held}}

// KERNEL-DAG: own_line: accept
SEC("tc")
int own_line(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  if (v->counter > 100) {
    return 1;
  }
  // CHECK: fix-it:"{{.*}}":{[[@LINE-2]]:5-[[@LINE-2]]:5}:"bpf_spin_unlock(&v->lock);\n    "
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: unbraced: accept
SEC("tc")
int unbraced(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    return 1;
  // CHECK: fix-it:"{{.*}}":{[[@LINE-1]]:5-[[@LINE-1]]:5}:"{ bpf_spin_unlock(&v->lock); "
  // CHECK: fix-it:"{{.*}}":{[[@LINE-2]]:14-[[@LINE-2]]:14}:" }"
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: inner: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("tc")
int inner(void *ctx) {
  for (__u32 i = 0; i < 1; i++) {
    struct val *w = bpf_map_lookup_elem(&vals, &i);
    if (!w)
      return 0;
    bpf_spin_lock(&w->lock);
    if (w->counter)
      return 1;
    bpf_spin_unlock(&w->lock);
  }
  return 0;
}
// CHECK-NOT: fix-it:
