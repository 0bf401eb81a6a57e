// list-checks prints the registry; the docs index is generated from it and
// must match what is committed; every check has a docs page and a lit test.
//
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-list-checks %s | FileCheck %s
// CHECK: bpflint checks for kernel {{[0-9]+\.[0-9]+}}:
// CHECK-DAG: [x] bpflint-lock-held-at-exit {{ *}}LOCK-017
// CHECK-DAG: [x] bpflint-lock-unlock-without-lock {{ *}}LOCK-012
// CHECK-DAG: [x] bpflint-ringbuf-leak {{ *}}RB-009
//
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-list-checks -fplugin-arg-bpflint-checks=-ringbuf-* %s | FileCheck %s --check-prefix=SELECTED
// SELECTED: [ ] bpflint-ringbuf-leak
//
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-list-checks=markdown %s > %t.md
// RUN: diff -u %docs/checks/README.md %t.md
// RUN: %python %S/../utils/check-registry.py %t.md %src_root

#include "bpf_test.h"
