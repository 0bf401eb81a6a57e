// LOCK-021: legacy packet loads (LD_ABS/LD_IND, from libbpf's load_byte()
// and friends) may end the program, so they are not allowed under a lock.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"

unsigned long long load_byte(void *skb, unsigned long long off)
    asm("llvm.bpf.load.byte");

// KERNEL-DAG: ld_abs_in_lock: reject: BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region
SEC("tc")
int ld_abs_in_lock(struct __sk_buff *skb) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->data = load_byte(skb, 23); // expected-warning {{legacy packet load 'load_byte' while a bpf_spin_lock is held (verifier: "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region") [bpflint-lock-ld-abs]}}
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: ld_abs_in_lock_fixed: accept
SEC("tc")
int ld_abs_in_lock_fixed(struct __sk_buff *skb) {
  LOOKUP_OR_RETURN(v, 0);
  __u64 proto = load_byte(skb, 23);
  bpf_spin_lock(&v->lock);
  v->data = proto;
  bpf_spin_unlock(&v->lock);
  return 0;
}
