// The bytecode verifier inside an ordinary compile (-fplugin, no other flag):
// it checks the object this compile emits and reports through clang's
// diagnostics, like the source checks.
//
// - c_leak: a C leak both layers find; it is shown once, as the source
//   finding (at the return that leaks), not again at the closing brace
//   where the bytecode layer finds it;
// - asm_leak: inline assembly, which only the bytecode layer sees (its
//   findings come after the source findings: codegen runs last);
// - clean: neither layer reports.
//
// RUN: %bpflint_cc -fno-caret-diagnostics -c %s -o %t.o 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=error: --implicit-check-not=remark:
// RUN: %bpflint_cc -fno-caret-diagnostics -O0 -c %s -o %t.O0.o 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=error: --implicit-check-not=remark:
//
// -fplugin-arg-bpflint-no-bytecode: the source finding only.
// RUN: %bpflint_cc -fno-caret-diagnostics -fplugin-arg-bpflint-no-bytecode -c %s -o %t.nb.o 2>&1 | FileCheck %s --check-prefix=NOBC --implicit-check-not=warning:
// NOBC: hook.c:{{[0-9]+}}:12: warning: ring buffer record is neither submitted nor discarded on this path
//
// Disabling the check disables it in both layers.
// RUN: %bpflint_cc -fno-caret-diagnostics -fplugin-arg-bpflint-checks=-ringbuf-leak -c %s -o %t.off.o 2>&1 | count 0
//
// -Werror and `errors`: bytecode findings are errors too, and no object is
// written. (An error from the source layer stops clang before code
// generation; the bytecode layer then does not run. -DONLY_ASM leaves the
// asm program alone.)
// RUN: rm -f %t.werror.o
// RUN: not %bpflint_cc -fno-caret-diagnostics -DONLY_ASM -Werror -c %s -o %t.werror.o 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not=error:
// RUN: not ls %t.werror.o
// RUN: not %bpflint_cc -fno-caret-diagnostics -DONLY_ASM -fplugin-arg-bpflint-errors -c %s -o %t.errors.o 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not=error:
// ERR: hook.c:{{[0-9]+}}:3: error: ring buffer record is neither submitted nor discarded on this path {{.*}}[bpflint-ringbuf-leak]
// ERR: note: in program 'asm_leak'
// RUN: %bpflint_cc -fno-caret-diagnostics -Werror -Wno-error -c %s -o %t.noerror.o 2>&1 | FileCheck %s
// The source error alone (no object to verify, no remark):
// RUN: not %bpflint_cc -fno-caret-diagnostics -Werror -c %s -o %t.srcerr.o 2>&1 | FileCheck %s --check-prefix=SRCERR --implicit-check-not=error: --implicit-check-not=remark:
// SRCERR: hook.c:{{[0-9]+}}:12: error: ring buffer record is neither submitted nor discarded on this path
//
// -w silences both layers; -verify sees both.
// RUN: %bpflint_cc -fno-caret-diagnostics -w -c %s -o %t.w.o 2>&1 | count 0
// RUN: %bpflint_cc -fno-caret-diagnostics -Xclang -verify -Xclang -verify-ignore-unexpected=note -c %s -o %t.verify.o
//
// Only compiles that emit an object run the hook.
// RUN: %bpflint_cc -fno-caret-diagnostics -S %s -o - 2>&1 | FileCheck %s --check-prefix=ASM
// ASM: hook.c:{{[0-9]+}}:3: warning: ring buffer record is neither
// RUN: %bpflint_cc -fno-caret-diagnostics -emit-llvm -S %s -o %t.ll 2>&1 | FileCheck %s --check-prefix=NOBC
// RUN: %bpflint_cc -fno-caret-diagnostics -fsyntax-only %s 2>&1 | FileCheck %s --check-prefix=NOBC
// RUN: %bpflint_cc -fno-caret-diagnostics -flto -c %s -o %t.bc 2>&1 | FileCheck %s --check-prefix=NOBC
//
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct event {
  __u32 pid;
  __u64 ts;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

#ifndef ONLY_ASM
// KERNEL-DAG: c_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int c_leak(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 0)
    // CHECK: hook.c:[[@LINE+1]]:12: warning: ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-leak]
    return 0; // expected-warning {{ring buffer record is neither submitted nor discarded on this path}}
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

#endif

// KERNEL-DAG: asm_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
__attribute__((naked)) int asm_leak(void *ctx) {
  // CHECK: hook.c:[[@LINE+2]]:3: warning: ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-leak]
  // expected-warning@+1 {{ring buffer record is neither submitted nor discarded on this path}}
  asm volatile("r1 = %[events] ll;"
               "r2 = 8;"
               "r3 = 0;"
               "call 131;"         // bpf_ringbuf_reserve
               "if r0 == 0 goto 1f;"
               "r6 = r0;"
               "call 7;"           // bpf_get_prandom_u32
               "if w0 & 1 goto 1f;"
               "r1 = r6;"
               "r2 = 0;"
               "call 132;"         // bpf_ringbuf_submit
               "1: r0 = 0;"
               "exit;" ::[events] "i"(&events)
               : "memory");
}
// CHECK: note: ring buffer record reserved here (insn tc+{{[0-9]+}}, reference id=1)
// CHECK: note: in program 'asm_leak' at insn tc+{{[0-9]+}} ('exit')

// KERNEL-DAG: clean: accept
SEC("tc")
int clean(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
