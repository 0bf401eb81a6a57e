// NOLINT comments, the same in the plugin and the driver: on the line of the
// finding, the NEXTLINE form on the line before, a BEGIN and END pair around
// lines;
// with a list of check names, rule ids or globs, or none (all checks). A
// list that names other checks suppresses nothing.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %python %S/Inputs/expect-exit.py 1 %bpflint %s -- -target bpf -I%inputs > %t.txt
// RUN: FileCheck %s --input-file=%t.txt --implicit-check-not=warning:
// RUN: %python %S/Inputs/expect-exit.py 1 %bpflint %s --format=json -- -target bpf -I%inputs | FileCheck %s --check-prefix=JSON --implicit-check-not='"check":'

#include "lock_test.h"


SEC("tc")
int on_the_line(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    return 1; // NOLINT(bpflint-lock-held-at-exit)
  bpf_spin_unlock(&v->lock);
  return 0;
}

SEC("tc")
int next_line_by_rule_id(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    // NOLINTNEXTLINE(LOCK-017)
    return 1;
  bpf_spin_unlock(&v->lock);
  return 0;
}

SEC("tc")
int plain_nolint(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    return 1; /* NOLINT */
  bpf_spin_unlock(&v->lock);
  return 0;
}

// NOLINTBEGIN(bpflint-lock-*)
SEC("tc")
int in_a_region(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    return 1;
  bpf_spin_unlock(&v->lock);
  return 0;
}
// NOLINTEND(bpflint-lock-*)

SEC("tc")
int other_checks_named(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    return 1; // NOLINT(bpflint-ringbuf-leak, clang-analyzer-*) expected-warning {{bpf_spin_lock is still held}}
  bpf_spin_unlock(&v->lock);
  return 0;
}
// CHECK: suppressions.c:[[@LINE-4]]:5: warning: bpf_spin_lock is still held when the program returns
// JSON: "check": "bpflint-lock-held-at-exit",

SEC("tc")
int nolint_on_the_wrong_line(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock); // NOLINT
  if (v->counter > 100)
    return 1; // expected-warning {{bpf_spin_lock is still held}}
  bpf_spin_unlock(&v->lock);
  return 0;
}
// CHECK: suppressions.c:[[@LINE-4]]:5: warning: bpf_spin_lock is still held when the program returns
// JSON: "check": "bpflint-lock-held-at-exit",

