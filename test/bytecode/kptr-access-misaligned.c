// KPTR-006 at bytecode level (bpflint-objcheck). The KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o | FileCheck %s --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bytecode_test.h"

// KERNEL-DAG: bad: reject: kptr access misaligned expected=8 off=12
SEC("tc")
int bad(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  *(volatile __u32 *)((char *)&v->u + 4) = 0;
  return 0;
}
// CHECK: kptr-access-misaligned.c:[[@LINE-3]]:{{[0-9]+}}: warning: a 4-byte store at offset 12 inside the kptr field at offset 8 of a value of map 'vals' (verifier: "%s access misaligned expected=%u off=%llu") [bpflint-kptr-access-misaligned]

// KERNEL-DAG: fixed: accept
SEC("tc")
int fixed(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  *(volatile __u32 *)((char *)&v->data + 4) = 0;
  return 0;
}

char _license[] SEC("license") = "GPL";
