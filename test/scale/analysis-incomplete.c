// When the analyzer's budgets cut a program's analysis short, bpflint says so
// once per program (an opt-in remark in the plugin, always a field of the
// driver's JSON and SARIF output), so that silence is not mistaken for a
// clean bill of health. Programs analysed completely get no remark.
//
// The remark is opt-in; -verify rejects any remark not expected below (none
// of these small programs hits a limit: the constant-bound loops are
// unrolled to their end).
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-report-incomplete -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
//
// A generated chain of 48 if/else (2^48 paths) runs out of the node budget:
// one remark for the program, none without the argument.
// RUN: %python %S/Inputs/gen-stress.py branches 48 > %t.branches.c
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-report-incomplete %t.branches.c 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BRANCHES --implicit-check-not=remark:
// BRANCHES: branches.c:3:15: remark: bpflint: analysis of 'branches' was cut short (node budget of 50000 reached); findings may be missing [bpflint-analysis-incomplete]
// RUN: %bpflint_cc -fsyntax-only %t.branches.c 2>&1 | count 0
// The remark does not become an error with -Werror, and the object is written.
// RUN: %bpflint_cc -c -Werror -fplugin-arg-bpflint-report-incomplete %t.branches.c -o %t.branches.o 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BRANCHES --implicit-check-not=error:
// An explicit budget (other than clang's default) wins over bpflint's.
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-report-incomplete -Xclang -analyzer-config -Xclang max-nodes=3000 %t.branches.c 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BUDGET
// BUDGET: remark: bpflint: analysis of 'branches' was cut short (node budget of 3000 reached)
// A chain of 6 (64 paths) is analysed completely.
// RUN: %python %S/Inputs/gen-stress.py branches 6 > %t.small.c
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-report-incomplete %t.small.c 2>&1 | count 0

#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  __u64 c[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct val);
} m SEC(".maps");

// A loop of 16 iterations: followed to its end (clang's default is to drop
// the path after 4 iterations, which would hide the missing unlock).
// KERNEL-DAG: loop_then_exit_locked: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("tc")
int loop_then_exit_locked(void *ctx) {
  __u32 k = 0;
  struct val *v = bpf_map_lookup_elem(&m, &k);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  for (int i = 0; i < 16; i++)
    v->c[i]++;
  return 0; // expected-warning {{bpf_spin_lock is still held when the program returns}}
}

// KERNEL-DAG: loop_then_exit_locked_fixed: accept
SEC("tc")
int loop_then_exit_locked_fixed(void *ctx) {
  __u32 k = 0;
  struct val *v = bpf_map_lookup_elem(&m, &k);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  for (int i = 0; i < 16; i++)
    v->c[i]++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
