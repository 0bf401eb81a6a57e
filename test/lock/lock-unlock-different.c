// LOCK-013: unlocking a lock other than the one held. Two lookups of the same
// key are two map values to the verifier, so their locks differ too.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "lock_test.h"
#include "res_lock_test.h"

// KERNEL-DAG: second_lookup: reject: bpf_spin_unlock of different lock
SEC("tc")
int second_lookup(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  LOOKUP_OR_RETURN(again, 0);
  bpf_spin_lock(&v->lock); // expected-note {{lock 'v->lock' taken here}}
  v->counter++;
  bpf_spin_unlock(&again->lock); // expected-warning {{bpf_spin_unlock of 'again->lock', but the lock held is another one (two lookups are two different map values, even for the same key) (verifier: "bpf_spin_unlock of different lock") [bpflint-lock-unlock-different]}}
  return 0;
}

// KERNEL-DAG: second_lookup_fixed: accept
SEC("tc")
int second_lookup_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// The same value under another name is the same lock.
// KERNEL-DAG: alias_fixed: accept
SEC("tc")
int alias_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  struct val *same = v;
  bpf_spin_lock(&v->lock);
  same->counter++;
  bpf_spin_unlock(&same->lock);
  return 0;
}

// Objects from bpf_obj_new are distinct allocations, each with its own lock.
struct job {
  struct bpf_spin_lock lock;
  __u64 state;
};

// KERNEL-DAG: two_objects: reject: bpf_spin_unlock of different lock
SEC("tc")
int two_objects(void *ctx) {
  struct job *a = bpf_obj_new(struct job);
  if (!a)
    return 0;
  struct job *b = bpf_obj_new(struct job);
  if (!b) {
    bpf_obj_drop(a);
    return 0;
  }
  bpf_spin_lock(&a->lock);
  bpf_spin_unlock(&b->lock); // expected-warning {{bpf_spin_unlock of 'b->lock', but the lock held is another one}}
  bpf_obj_drop(a);
  bpf_obj_drop(b);
  return 0;
}

// KERNEL-DAG: two_objects_fixed: accept
SEC("tc")
int two_objects_fixed(void *ctx) {
  struct job *a = bpf_obj_new(struct job);
  if (!a)
    return 0;
  bpf_spin_lock(&a->lock);
  a->state = 1;
  bpf_spin_unlock(&a->lock);
  bpf_obj_drop(a);
  return 0;
}

// bpf_res_spin_lock_irqsave must be released by bpf_res_spin_unlock_irqrestore:
// any other pairing is a different lock to the verifier.
// KERNEL-DAG: irqsave_plain_unlock: reject: bpf_res_spin_unlock of different lock
SEC("tc")
int irqsave_plain_unlock(void *ctx) {
  RLOOKUP_OR_RETURN(r, 0);
  unsigned long flags;
  if (bpf_res_spin_lock_irqsave(&r->lock, &flags))
    return 0;
  r->counter++;
  bpf_res_spin_unlock(&r->lock); // expected-warning {{bpf_res_spin_unlock of 'r->lock', which was taken with bpf_res_spin_lock_irqsave; use the matching unlock (verifier: "bpf_res_spin_unlock of different lock") [bpflint-lock-unlock-different]}}
  bpf_local_irq_restore(&flags);
  return 0;
}
