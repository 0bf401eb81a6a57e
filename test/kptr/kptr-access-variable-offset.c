// KPTR-005: a direct access at a variable offset of a map value must not
// possibly touch a kptr field, even if its bounds are known. Indexing an
// array that ends before the field is fine.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// clang-22 compares the index with a 32-bit jump, whose bounds objcheck does
// not track as precisely as the kernel: bounded_wrongly is then a (silent)
// miss, so its OBJ19 line is checked on LLVM 19 only.
// RUN: not %objcheck %t.o | FileCheck %s --check-prefixes=OBJ%if llvm-19 %{,OBJ19%} --implicit-check-not=warning:

#include "kptr_owner_test.h"

// KERNEL-DAG: keep_task_fixed: accept

// The value read as words, with an index that may reach the pointer.
// KERNEL-DAG: word_at: reject: kptr access cannot have variable offset
SEC("tc")
int word_at(void *ctx) {
  LOOKUP();
  __u32 i = bpf_get_prandom_u32() & 3;
  // OBJ: kptr-access-variable-offset.c:[[@LINE+1]]:{{[0-9]+}}: warning: an access of 8 bytes at offsets 0..31 (a variable offset) of a value of map 'owners' may touch its kptr field at offset 8 (verifier: "%s access cannot have variable offset") [bpflint-kptr-access-variable-offset]
  ((volatile __u64 *)o)[i] = 0; // expected-warning {{access at a variable offset of the map value may touch kptr field 'task'; the kernel allows only constant offsets there (verifier: "kptr access cannot have variable offset") [bpflint-kptr-access-variable-offset]}}
  return 0;
}

// The same words, indexed only within the slots after the pointer.
// KERNEL-DAG: word_at_fixed: accept
SEC("tc")
int word_at_fixed(void *ctx) {
  LOOKUP();
  __u32 i = bpf_get_prandom_u32() & 1;
  o->slots[i] = 0;
  return 0;
}

// Index checked against the wrong bound (3 words past the counter).
// KERNEL-DAG: bounded_wrongly: reject: kptr access cannot have variable offset
SEC("tc")
int bounded_wrongly(void *ctx) {
  LOOKUP();
  __u32 i = bpf_get_prandom_u32();
  if (i > 2)
    return 0;
  // OBJ19: kptr-access-variable-offset.c:[[@LINE+1]]:{{[0-9]+}}: warning: an access of 8 bytes at offsets 8..31 (a variable offset) {{.*}}[bpflint-kptr-access-variable-offset]
  ((volatile __u64 *)&o->task)[i] = 1; // expected-warning {{may touch kptr field 'task'}}
  return 0;
}

// KERNEL-DAG: bounded_wrongly_fixed: accept
SEC("tc")
int bounded_wrongly_fixed(void *ctx) {
  LOOKUP();
  __u32 i = bpf_get_prandom_u32();
  if (i > 1)
    return 0;
  ((volatile __u64 *)&o->slots)[i] = 1;
  return 0;
}
