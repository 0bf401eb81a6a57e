// Only what matters is analysed path by path: the programs of the main file,
// with the functions they call inlined into them. A header's inline functions
// are not analysed on their own (clang analyses only the main file's
// functions as roots), a static function a program calls is not analysed
// again on its own, and a function of the main file that no program calls
// stops at its first node (the modeling checker ends the path: the verifier
// never runs it on its own).
//
// RUN: %bpflint_cc -fsyntax-only -I%S/Inputs -Xclang -analyzer-display-progress %s 2>&1 \
// RUN:   | grep "ANALYZE (Path" | FileCheck %s --implicit-check-not=hdr_fn --implicit-check-not=subprog
// CHECK-DAG: ANALYZE (Path{{.*}} prog
// CHECK-DAG: ANALYZE (Path{{.*}} unused_static
//
// RUN: %bpflint_cc -fsyntax-only -I%S/Inputs -fplugin-arg-bpflint-report-incomplete -Xclang -verify %s
// expected-no-diagnostics

#include "bpf_test.h"
#include "roots_header.h"

static __attribute__((noinline)) int subprog(int x) { return hdr_fn1(x) + 1; }

static int unused_static(int x) { return hdr_fn2(x); }

SEC("tc")
int prog(void *ctx) {
  return subprog(bpf_get_prandom_u32()) & 1;
}

char LICENSE[] SEC("license") = "GPL";
