// LOCK-007: the lock pointer must be a NULL-checked map value (or an
// allocated object): not a possibly-NULL lookup result, not the stack.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

// KERNEL-DAG: unchecked_lookup: reject: R1 type=map_value_or_null expected=map_value, ptr_
SEC("tc")
int unchecked_lookup(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  bpf_spin_lock(&v->lock); // newest-warning {{the map value may be NULL here; check the lookup result first (verifier: "R1 type=map_value_or_null expected=map_value, ptr_") [bpflint-lock-bad-pointer]}} \
                              k61-warning {{(verifier: "R1 type=map_value_or_null expected=map_value")}}
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: unchecked_lookup_fixed: accept
SEC("tc")
int unchecked_lookup_fixed(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: lock_on_stack: reject: R1 type=fp expected=map_value, ptr_
SEC("tc")
int lock_on_stack(void *ctx) {
  struct val local = {};
  bpf_spin_lock(&local.lock); // newest-warning {{the lock is on the stack; bpf_spin_lock works only on locks in map values or allocated objects (verifier: "R1 type=fp expected=map_value, ptr_") [bpflint-lock-bad-pointer]}} \
                                 k61-warning {{(verifier: "R1 type=fp expected=map_value")}}
  local.counter++;
  bpf_spin_unlock(&local.lock);
  return local.counter;
}

// A value prepared on the stack is fine as long as it is not locked there.
// KERNEL-DAG: lock_on_stack_fixed: accept
SEC("tc")
int lock_on_stack_fixed(void *ctx) {
  __u32 key = 7;
  struct val init = {.counter = 1};
  bpf_map_update_elem(&vals, &key, &init, BPF_NOEXIST);
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}
