// Warnings by default; -Werror and the 'errors' argument make them errors
// (and no object is written); -w silences them; checks= selects them.
//
// RUN: rm -f %t.o
// RUN: %bpflint_cc -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: test -f %t.o
// WARN: severity.c:33:3: warning: bpf_spin_lock is still held when the program returns
// WARN: 1 warning generated.
//
// RUN: rm -f %t.o
// RUN: not %bpflint_cc -Werror -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=ERROR
// RUN: not test -f %t.o
// RUN: rm -f %t.o
// RUN: not %bpflint_cc -fplugin-arg-bpflint-errors -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=ERROR
// RUN: not test -f %t.o
// ERROR: severity.c:33:3: error: bpf_spin_lock is still held when the program returns
// ERROR: 1 error generated.
//
// RUN: %bpflint_cc -w -fsyntax-only %s 2>&1 | count 0
// RUN: %bpflint_cc -fplugin-arg-bpflint-checks=-lock-held-at-exit -fsyntax-only %s 2>&1 | count 0
// RUN: %bpflint_cc -fplugin-arg-bpflint-checks=-*,ringbuf-* -fsyntax-only %s 2>&1 | count 0
// RUN: %bpflint_cc -fplugin-arg-bpflint-checks=-*,LOCK-017 -fsyntax-only %s 2>&1 | FileCheck %s --check-prefix=WARN

#include "bpf_test.h"

struct bpf_spin_lock lock SEC(".data.l");
int counter SEC(".data.l");

SEC("tc")
int prog(void *ctx) {
  bpf_spin_lock(&lock);
  counter++;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
