// KPTR-011 at bytecode level (bpflint-objcheck). The KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o | FileCheck %s --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bytecode_test.h"

// KERNEL-DAG: bad: reject: BPF_ST imm must be 0 when storing to kptr at off=8
SEC("tc")
int bad(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  asm volatile("*(u64 *)(%[p] + 8) = 1" : : [p] "r"(v) : "memory");
  return 0;
}
// CHECK: kptr-store-integer.c:[[@LINE-3]]:{{[0-9]+}}: warning: store of the constant 1 into the kptr field at offset 8 of a value of map 'vals' (only 0, i.e. NULL, may be stored as an immediate) (verifier: "BPF_ST imm must be 0 when storing to kptr at off=%u") [bpflint-kptr-store-integer]

// KERNEL-DAG: fixed: accept
SEC("tc")
int fixed(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  asm volatile("*(u64 *)(%[p] + 8) = 0" : : [p] "r"(v) : "memory");
  return 0;
}

char _license[] SEC("license") = "GPL";
