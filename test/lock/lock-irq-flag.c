// LOCK-015: IRQ flags saved by bpf_local_irq_save (6.14) and
// bpf_res_spin_lock_irqsave (6.15) are tracked like references: a stack slot,
// saved once, restored in LIFO order, restored before the program exits.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify=old %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "res_lock_test.h"

// No IRQ kfuncs before 6.14.
// old-no-diagnostics

unsigned long global_flags;

// KERNEL-DAG: flag_not_on_stack: reject: arg#0 doesn't point to an irq flag on stack
SEC("tc")
int flag_not_on_stack(void *ctx) {
  bpf_local_irq_save(&global_flags); // expected-warning {{the IRQ flag must be a local variable (a stack slot), not global or map memory (verifier: "arg#0 doesn't point to an irq flag on stack") [bpflint-lock-irq-flag]}}
  bpf_local_irq_restore(&global_flags);
  return 0;
}

// KERNEL-DAG: saved_twice: reject: expected uninitialized irq flag as arg#0
SEC("tc")
int saved_twice(void *ctx) {
  unsigned long flags;
  bpf_local_irq_save(&flags);
  bpf_local_irq_save(&flags); // expected-warning {{the IRQ flag already holds a saved state that was not restored (verifier: "expected uninitialized irq flag as arg#0")}}
  bpf_local_irq_restore(&flags);
  return 0;
}

// KERNEL-DAG: restore_without_save: reject: expected an initialized irq flag as arg#0
SEC("tc")
int restore_without_save(void *ctx) {
  unsigned long flags;
  if (bpf_get_prandom_u32() & 1)
    bpf_local_irq_save(&flags);
  bpf_local_irq_restore(&flags); // expected-warning {{restore from an IRQ flag that holds no saved state on this path (verifier: "expected an initialized irq flag as arg#0")}}
  return 0;
}

// KERNEL-DAG: never_restored: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_local_irq_save-ed region
SEC("tc")
int never_restored(void *ctx) {
  unsigned long flags;
  bpf_local_irq_save(&flags);
  return 0; // expected-warning {{the program returns with an IRQ state saved by bpf_local_irq_save that was never restored (verifier: "BPF_EXIT instruction in main prog cannot be used inside bpf_local_irq_save-ed region")}}
}

// KERNEL-DAG: fifo_restore: reject: cannot restore irq state out of order, expected id={{[0-9]+}} acquired at insn_idx={{[0-9]+}}
SEC("tc")
int fifo_restore(void *ctx) {
  unsigned long outer, inner;
  bpf_local_irq_save(&outer);
  bpf_local_irq_save(&inner);
  bpf_local_irq_restore(&outer); // expected-warning {{IRQ flags must be restored in reverse order of saving; a flag saved later is still saved (verifier: "cannot restore irq state out of order, expected id=%d acquired at insn_idx=%d")}}
  bpf_local_irq_restore(&inner);
  return 0;
}

// KERNEL-DAG: nested_fixed: accept
SEC("tc")
int nested_fixed(void *ctx) {
  unsigned long outer, inner;
  bpf_local_irq_save(&outer);
  bpf_local_irq_save(&inner);
  bpf_local_irq_restore(&inner);
  bpf_local_irq_restore(&outer);
  return 0;
}

// KERNEL-DAG: res_irqsave_fixed: accept
SEC("tc")
int res_irqsave_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  unsigned long flags;
  // On failure nothing is saved (and nothing may be restored).
  if (bpf_res_spin_lock_irqsave(&v->lock, &flags))
    return 0;
  v->counter++;
  bpf_res_spin_unlock_irqrestore(&v->lock, &flags);
  return 0;
}

// A flag saved by bpf_local_irq_save handed to the lock's irqrestore: the
// verifier checks who saved the flag before the order of restores.
// KERNEL-DAG: restored_by_other_class: reject: irq flag acquired by native kfuncs cannot be restored with lock kfuncs
SEC("tc")
int restored_by_other_class(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  unsigned long outer, inner;
  bpf_local_irq_save(&outer);
  if (bpf_res_spin_lock_irqsave(&v->lock, &inner)) {
    bpf_local_irq_restore(&outer);
    return 0;
  }
  v->counter++;
  bpf_res_spin_unlock_irqrestore(&v->lock, &outer); // expected-warning {{the IRQ flag was saved by bpf_local_irq_save and must be restored by bpf_local_irq_restore (verifier: "irq flag acquired by native kfuncs cannot be restored with lock kfuncs") [bpflint-lock-irq-flag]}}
  bpf_local_irq_restore(&inner);
  return 0;
}

// KERNEL-DAG: restored_by_other_class_fixed: accept
SEC("tc")
int restored_by_other_class_fixed(void *ctx) {
  RLOOKUP_OR_RETURN(v, 0);
  unsigned long outer, inner;
  bpf_local_irq_save(&outer);
  if (bpf_res_spin_lock_irqsave(&v->lock, &inner)) {
    bpf_local_irq_restore(&outer);
    return 0;
  }
  v->counter++;
  bpf_res_spin_unlock_irqrestore(&v->lock, &inner);
  bpf_local_irq_restore(&outer);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
