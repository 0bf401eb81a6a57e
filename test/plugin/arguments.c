// Plugin arguments: each is accepted, and bad ones are clear errors that name
// the valid arguments.
//
// RUN: not %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernal=6.1 %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: bpflint: unknown argument 'kernal=6.1'; valid arguments are: kernel=<X.Y|newest>, checks=<globs>, severity=<glob>:<error|warning>, errors, no-bytecode, report-incomplete, list-checks[=markdown], help
//
// RUN: not %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=six %s 2>&1 | FileCheck %s --check-prefix=BADKERNEL
// BADKERNEL: error: bpflint: invalid kernel version 'six' (expected X.Y such as 6.1, or 'newest')
//
// RUN: not %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=5.10 %s 2>&1 | FileCheck %s --check-prefix=OLDKERNEL
// OLDKERNEL: error: bpflint: kernel 5.10 is older than the oldest kernel bpflint models (6.1)
//
// RUN: not %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=lock-held-at-exits %s 2>&1 | FileCheck %s --check-prefix=BADCHECK
// BADCHECK: error: bpflint: unknown check 'lock-held-at-exits' (list them with -fplugin-arg-bpflint-list-checks)
//
// A rule id without a check of its own names the check that reports it, or
// says why bpflint does not (include/bpflint/Rules/Coverage.def).
// RUN: not %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-GRAPH-022 %s 2>&1 | FileCheck %s --check-prefix=COVERED
// COVERED: error: bpflint: rule GRAPH-022 has no check of its own: select bpflint-lock-call-in-critical-section (LOCK-018), which reports it
// RUN: not %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=rb-030 %s 2>&1 | FileCheck %s --check-prefix=UNCHECKED
// UNCHECKED: error: bpflint: rule RB-030 is not checked by bpflint: helper availability depends on the loader's privileges
//
// RUN: not %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-errors=yes %s 2>&1 | FileCheck %s --check-prefix=BADERRORS
// BADERRORS: error: bpflint: unknown argument 'errors=yes'
//
// Every valid argument at once is fine, and the file is clean.
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -fplugin-arg-bpflint-checks=-*,lock-* -fplugin-arg-bpflint-errors -Xclang -verify %s
//
// The help text.
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-help %s | FileCheck %s --check-prefix=HELP
// HELP: bpflint: compile-time checks for BPF programs
// HELP: kernel=<X.Y>
// HELP: checks=<globs>

#include "bpf_test.h"

// expected-no-diagnostics
SEC("tc")
int clean(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
