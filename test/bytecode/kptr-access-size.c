// KPTR-004 at bytecode level (bpflint-objcheck). The KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o | FileCheck %s --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bytecode_test.h"

// KERNEL-DAG: bad: reject: kptr access size must be BPF_DW
SEC("tc")
int bad(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  *(volatile __u32 *)&v->u = 0;
  return 0;
}
// CHECK: kptr-access-size.c:[[@LINE-3]]:{{[0-9]+}}: warning: a 4-byte store of the kptr field at offset 8 of a value of map 'vals' (kptrs are accessed 8 bytes at a time) (verifier: "%s access size must be BPF_DW") [bpflint-kptr-access-size]

// KERNEL-DAG: fixed: accept
SEC("tc")
int fixed(void *ctx) {
  struct val *v = get_val();
  if (!v)
    return 0;
  v->u = 0;
  return 0;
}

char _license[] SEC("license") = "GPL";
