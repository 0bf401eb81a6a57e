// KPTR-006: a direct access that overlaps a kptr field must start exactly
// at the field: reading the value as an array of words that is shifted by
// half a word, or the high half of the pointer, is rejected.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:

#include "kptr_owner_test.h"

// KERNEL-DAG: keep_task_fixed: accept

// The upper half of the pointer.
// KERNEL-DAG: high_half: reject: kptr access misaligned expected=8 off=12
SEC("tc")
int high_half(void *ctx) {
  LOOKUP();
  // OBJ: kptr-access-misaligned.c:[[@LINE+1]]:{{[0-9]+}}: warning: a 4-byte load at offset 12 inside the kptr field at offset 8 {{.*}}[bpflint-kptr-access-misaligned]
  return *(volatile __u32 *)((char *)&o->task + 4) != 0; // expected-warning {{access at offset 12 of the map value overlaps kptr field 'task' (offset 8) without starting at it (verifier: "kptr access misaligned expected=8 off=12") [bpflint-kptr-access-misaligned]}}
}

// KERNEL-DAG: high_half_fixed: accept
SEC("tc")
int high_half_fixed(void *ctx) {
  LOOKUP();
  return o->task != NULL;
}

// An 8-byte read at offset 4 spans the counter and the pointer.
// KERNEL-DAG: straddle: reject: kptr access misaligned expected=8 off=4
SEC("tc")
int straddle(void *ctx) {
  LOOKUP();
  // OBJ: kptr-access-misaligned.c:[[@LINE+1]]:{{[0-9]+}}: warning: a 8-byte load at offset 4 overlapping the kptr field at offset 8 of a value of map 'owners' (verifier: "%s access misaligned expected=%u off=%llu") [bpflint-kptr-access-misaligned]
  return *(volatile __u64 *)((char *)o + 4) != 0; // expected-warning {{access at offset 4 of the map value overlaps kptr field 'task' (offset 8)}}
}

// KERNEL-DAG: straddle_fixed: accept
SEC("tc")
int straddle_fixed(void *ctx) {
  LOOKUP();
  return *(volatile __u32 *)((char *)o + 4) != 0;
}
