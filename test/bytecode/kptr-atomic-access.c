// KPTR-007 at bytecode level (bpflint-objcheck). The KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o | FileCheck %s --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bytecode_test.h"

// KERNEL-DAG: bad: reject: kptr in map can only be accessed using BPF_MEM instruction mode
SEC("tc")
int bad(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  __sync_fetch_and_add((long *)&v->u, 1);
  return 0;
}
// CHECK: kptr-atomic-access.c:[[@LINE-3]]:{{[0-9]+}}: warning: an atomic operation on the kptr field at offset 8 of a value of map 'vals' (only plain loads and stores may access it) (verifier: "kptr in map can only be accessed using BPF_MEM instruction mode") [bpflint-kptr-atomic-access]

// KERNEL-DAG: fixed: accept
SEC("tc")
int fixed(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  __sync_fetch_and_add(&v->data, 1);
  return 0;
}

char _license[] SEC("license") = "GPL";
