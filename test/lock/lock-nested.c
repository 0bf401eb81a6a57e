// LOCK-010: a second bpf_spin_lock while one is held. The verifier's call
// allowlist rejects the call before its "two locks" check can.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

// KERNEL-DAG: two_values: reject: function calls are not allowed while holding a lock
SEC("tc")
int two_values(void *ctx) {
  LOOKUP_OR_RETURN(a, 0);
  LOOKUP_OR_RETURN(b, 1);
  bpf_spin_lock(&a->lock); // expected-note {{lock 'a->lock' taken here}}
  bpf_spin_lock(&b->lock); // expected-warning {{bpf_spin_lock while a bpf_spin_lock is held; only one lock may be held at a time (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-nested]}}
  a->counter += b->counter;
  bpf_spin_unlock(&b->lock);
  bpf_spin_unlock(&a->lock);
  return 0;
}

// KERNEL-DAG: two_values_fixed: accept
SEC("tc")
int two_values_fixed(void *ctx) {
  LOOKUP_OR_RETURN(a, 0);
  LOOKUP_OR_RETURN(b, 1);
  __u64 add;
  bpf_spin_lock(&b->lock);
  add = b->counter;
  bpf_spin_unlock(&b->lock);
  bpf_spin_lock(&a->lock);
  a->counter += add;
  bpf_spin_unlock(&a->lock);
  return 0;
}
