// KPTR-007: only plain loads and stores (BPF_MEM) may touch a kptr field:
// an atomic read-modify-write builtin on it is rejected. An 8-byte one gets
// the instruction-mode message; a narrower one fails KPTR-004 first.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_owner_test.h"

// KERNEL-DAG: keep_task_fixed: accept

// Using the pointer as a generation counter.
// KERNEL-DAG: bump_pointer: reject: kptr in map can only be accessed using BPF_MEM instruction mode
SEC("tc")
int bump_pointer(void *ctx) {
  LOOKUP();
  __sync_fetch_and_add((long *)&o->task, 1); // expected-warning {{atomic operation on kptr field 'task'; use bpf_kptr_xchg() to exchange a referenced kptr, plain loads and stores otherwise (verifier: "kptr in map can only be accessed using BPF_MEM instruction mode") [bpflint-kptr-atomic-access]}}
  return 0;
}

// KERNEL-DAG: bump_pointer_fixed: accept
SEC("tc")
int bump_pointer_fixed(void *ctx) {
  LOOKUP();
  __sync_fetch_and_add(&o->hits, 1);
  return 0;
}

// An atomic exchange is not bpf_kptr_xchg.
// KERNEL-DAG: atomic_swap: reject: kptr in map can only be accessed using BPF_MEM instruction mode
SEC("tc")
int atomic_swap(void *ctx) {
  LOOKUP();
  long old = __atomic_exchange_n((long *)&o->task, 0, __ATOMIC_SEQ_CST); // expected-warning {{atomic operation on kptr field 'task'}}
  return old != 0;
}

// KERNEL-DAG: atomic_swap_fixed: accept
SEC("tc")
int atomic_swap_fixed(void *ctx) {
  LOOKUP();
  struct task_struct *old = bpf_kptr_xchg(&o->task, NULL); // k61-warning {{kptr isn't referenced kptr}}
  if (old)
    bpf_task_release(old);
  return old != NULL;
}

// A compare-and-swap of the pointer.
// KERNEL-DAG: cas_pointer: reject: kptr in map can only be accessed using BPF_MEM instruction mode
SEC("tc")
int cas_pointer(void *ctx) {
  LOOKUP();
  return __sync_val_compare_and_swap((long *)&o->task, 0, 0) != 0; // expected-warning {{atomic operation on kptr field 'task'}}
}

// 32 bits of it: the size is wrong first.
// KERNEL-DAG: bump_low_half: reject: kptr access size must be BPF_DW
SEC("tc")
int bump_low_half(void *ctx) {
  LOOKUP();
  __sync_fetch_and_add((int *)&o->task, 1); // expected-warning {{4-byte atomic access to kptr field 'task'; kptr fields are accessed as whole 8-byte pointers (verifier: "kptr access size must be BPF_DW") [bpflint-kptr-access-size]}}
  return 0;
}
