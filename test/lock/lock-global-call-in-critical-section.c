// LOCK-019: a global function is verified on its own, without the caller's
// lock; calling one while a lock is held is rejected.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

__noinline __u64 scale(__u64 x) { return x * 3 / 2; }
static __noinline __u64 scale_static(__u64 x) { return x * 3 / 2; }

// KERNEL-DAG: global_in_lock: reject: use static function instead
SEC("tc")
int global_in_lock(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock); // expected-note {{lock 'v->lock' taken here}}
  v->counter = scale(v->counter); // newest-warning {{call to global function 'scale' while a bpf_spin_lock is held; make it static (verifier: "global function calls are not allowed while holding a lock,", "use static function instead") [bpflint-lock-global-call-in-critical-section]}} \
                                     k66-warning {{(verifier: "function calls are not allowed while holding a lock") [bpflint-lock-global-call-in-critical-section]}}
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: global_in_lock_fixed: accept
SEC("tc")
int global_in_lock_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->counter = scale_static(v->counter); // k66-warning {{call to subprogram 'scale_static'}}
  bpf_spin_unlock(&v->lock);
  return 0;
}
