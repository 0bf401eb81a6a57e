// bpf_res_spin_lock and IRQ flags at bytecode level (LOCK-011/013/014/015/
// 016/017/018): bpflint-objcheck forks at each bpf_res_spin_lock as the
// kernel does (lock held and R0 = 0, or not held and R0 in [-4095, -1]),
// keeps the held res locks and the saved IRQ flags in LIFO order, and the
// flags' stack slots. Each bad program has a _fixed twin that must stay
// silent; the KERNEL lines are the running kernel's verdicts on this very
// object. Before 6.15 (6.14 for the IRQ kfuncs) the kfuncs do not exist and
// the paths stop there.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %objcheck %t.o --program relock_fixed --program unchecked_fixed --program lifo_fixed --program irqsave_fixed --program helper_in_lock_fixed --program held_at_exit_fixed --program irq_order_fixed
// RUN: %objcheck %t.o --kernel 6.12
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "res_lock_test.h"

// LOCK-011.
// KERNEL-DAG: relock: reject: Acquiring the same lock again, AA deadlock detected
SEC("tc")
int relock(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  if (bpf_res_spin_lock(&v->lock))
    return 0;
  if (bpf_res_spin_lock(&v->lock)) {
    bpf_res_spin_unlock(&v->lock);
    return 0;
  }
  bpf_res_spin_unlock(&v->lock);
  bpf_res_spin_unlock(&v->lock);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-8]]:{{[0-9]+}}: warning: bpf_res_spin_lock of a lock already held on this path (verifier: "Acquiring the same lock again, AA deadlock detected") [bpflint-lock-res-deadlock]

// KERNEL-DAG: relock_fixed: accept
SEC("tc")
int relock_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(a, 0);
  RLOOKUP_OR_RETURN(b, 1);
  if (bpf_res_spin_lock(&a->lock))
    return 0;
  if (bpf_res_spin_lock(&b->lock)) {
    bpf_res_spin_unlock(&a->lock);
    return 0;
  }
  a->counter += b->counter;
  bpf_res_spin_unlock(&b->lock);
  bpf_res_spin_unlock(&a->lock);
  return 0;
}

// LOCK-016: the failure path unlocks too.
// KERNEL-DAG: unchecked: reject: bpf_res_spin_unlock without taking a lock
SEC("tc")
int unchecked(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  bpf_res_spin_lock(&v->lock);
  v->counter++;
  bpf_res_spin_unlock(&v->lock);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-3]]:{{[0-9]+}}: warning: bpf_res_spin_unlock on a path where bpf_res_spin_lock failed (its result is not checked) (verifier: "bpf_res_spin_unlock without taking a lock") [bpflint-lock-res-failure-path]

// KERNEL-DAG: unchecked_fixed: accept
SEC("tc")
int unchecked_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  int err = bpf_res_spin_lock(&v->lock);
  if (err)
    return err < -4095; // never true: the failure path's R0 is known
  v->counter++;
  bpf_res_spin_unlock(&v->lock);
  return 0;
}

// LOCK-014.
// KERNEL-DAG: fifo: reject: bpf_res_spin_unlock cannot be out of order
SEC("tc")
int fifo(void *ctx) {
  RLOOKUP_OR_RETURN(a, 0);
  RLOOKUP_OR_RETURN(b, 1);
  if (bpf_res_spin_lock(&a->lock))
    return 0;
  if (bpf_res_spin_lock(&b->lock)) {
    bpf_res_spin_unlock(&a->lock);
    return 0;
  }
  bpf_res_spin_unlock(&a->lock);
  bpf_res_spin_unlock(&b->lock);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-8]]:{{[0-9]+}}: warning: bpf_res_spin_unlock of a lock that is not the last one taken (verifier: "bpf_res_spin_unlock cannot be out of order") [bpflint-lock-res-out-of-order]

// KERNEL-DAG: lifo_fixed: accept
SEC("tc")
int lifo_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(a, 0);
  RLOOKUP_OR_RETURN(b, 1);
  if (bpf_res_spin_lock(&a->lock))
    return 0;
  if (bpf_res_spin_lock(&b->lock)) {
    bpf_res_spin_unlock(&a->lock);
    return 0;
  }
  bpf_res_spin_unlock(&b->lock);
  bpf_res_spin_unlock(&a->lock);
  return 0;
}

// LOCK-013 (res): a lock taken with irqsave is released with irqrestore.
// KERNEL-DAG: irqsave_plain_unlock: reject: bpf_res_spin_unlock of different lock
SEC("tc")
int irqsave_plain_unlock(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  unsigned long flags;
  if (bpf_res_spin_lock_irqsave(&v->lock, &flags))
    return 0;
  v->counter++;
  bpf_res_spin_unlock(&v->lock);
  bpf_local_irq_restore(&flags);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_res_spin_unlock of a lock not held with bpf_res_spin_lock (verifier: "bpf_res_spin_unlock of different lock") [bpflint-lock-unlock-different]

// KERNEL-DAG: irqsave_fixed: accept
SEC("tc")
int irqsave_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  unsigned long flags;
  if (bpf_res_spin_lock_irqsave(&v->lock, &flags))
    return 0;
  v->counter++;
  bpf_res_spin_unlock_irqrestore(&v->lock, &flags);
  return 0;
}

// LOCK-018: no helper calls while a res lock is held.
// KERNEL-DAG: helper_in_lock: reject: function calls are not allowed while holding a lock
SEC("tc")
int helper_in_lock(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  if (bpf_res_spin_lock(&v->lock))
    return 0;
  v->counter += bpf_get_prandom_u32();
  bpf_res_spin_unlock(&v->lock);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-4]]:{{[0-9]+}}: warning: call to helper bpf_get_prandom_u32 while a bpf_res_spin_lock is held (taken at insn tc+{{[0-9]+}}) (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]

// KERNEL-DAG: helper_in_lock_fixed: accept
SEC("tc")
int helper_in_lock_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  __u32 r = bpf_get_prandom_u32();
  if (bpf_res_spin_lock(&v->lock))
    return 0;
  v->counter += r;
  bpf_res_spin_unlock(&v->lock);
  return 0;
}

// LOCK-017 with a res lock.
// KERNEL-DAG: held_at_exit: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("tc")
int held_at_exit(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  if (bpf_res_spin_lock(&v->lock))
    return 0;
  v->counter++;
  if (v->counter > 10)
    return 1;
  bpf_res_spin_unlock(&v->lock);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-1]]:{{[0-9]+}}: warning: bpf_res_spin_lock is still held when the program returns (verifier: "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region") [bpflint-lock-held-at-exit]

// KERNEL-DAG: held_at_exit_fixed: accept
SEC("tc")
int held_at_exit_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  int ret = 0;
  if (bpf_res_spin_lock(&v->lock))
    return 0;
  v->counter++;
  if (v->counter > 10)
    ret = 1;
  bpf_res_spin_unlock(&v->lock);
  return ret;
}

// LOCK-015: IRQ flags are restored in LIFO order.
// KERNEL-DAG: irq_order: reject: cannot restore irq state out of order, expected id={{[0-9]+}} acquired at insn_idx={{[0-9]+}}
SEC("tc")
int irq_order(void *ctx) {
  unsigned long outer, inner;
  bpf_local_irq_save(&outer);
  bpf_local_irq_save(&inner);
  bpf_local_irq_restore(&outer);
  bpf_local_irq_restore(&inner);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-4]]:{{[0-9]+}}: warning: bpf_local_irq_restore restores an IRQ flag that is not the last one saved (verifier: "cannot restore irq state out of order, expected id=%d acquired at insn_idx=%d") [bpflint-lock-irq-flag]

// KERNEL-DAG: irq_order_fixed: accept
SEC("tc")
int irq_order_fixed(void *ctx) {
  unsigned long outer, inner;
  bpf_local_irq_save(&outer);
  bpf_local_irq_save(&inner);
  bpf_local_irq_restore(&inner);
  bpf_local_irq_restore(&outer);
  return 0;
}

// LOCK-015, exit variant.
// KERNEL-DAG: irq_never_restored: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_local_irq_save-ed region
SEC("tc")
int irq_never_restored(void *ctx) {
  unsigned long flags;
  bpf_local_irq_save(&flags);
  if (bpf_get_prandom_u32() & 1)
    return 1;
  bpf_local_irq_restore(&flags);
  return 0;
}
// CHECK: res-lock.c:[[@LINE-1]]:{{[0-9]+}}: warning: the program returns with IRQs disabled: the flag saved at insn tc+{{[0-9]+}} is never restored (verifier: "BPF_EXIT instruction in main prog cannot be used inside bpf_local_irq_save-ed region") [bpflint-lock-irq-flag]

char LICENSE[] SEC("license") = "GPL";
