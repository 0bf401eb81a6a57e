// The bytecode hook verifies the object clang writes, read back after code
// generation: that object is byte-identical to a compile without the plugin,
// at -O0 and -O2, with findings (warnings) or without the hook.
// BPFLINT_HOOK_OBJECT makes the hook write the object it verified: the very
// object clang writes.
//
// RUN: %clang_bpf -c %s -o %t.plain.o
// RUN: env BPFLINT_HOOK_OBJECT=%t.hook.o %bpflint_cc -c %s -o %t.plugin.o 2>&1 | FileCheck %s
// RUN: cmp %t.plain.o %t.plugin.o
// RUN: cmp %t.plain.o %t.hook.o
// RUN: %bpflint_cc -fplugin-arg-bpflint-no-bytecode -c %s -o %t.nobc.o
// RUN: cmp %t.plain.o %t.nobc.o
//
// RUN: %clang_bpf -O0 -c %s -o %t.plain0.o
// RUN: env BPFLINT_HOOK_OBJECT=%t.hook0.o %bpflint_cc -O0 -c %s -o %t.plugin0.o 2>&1 | FileCheck %s
// RUN: cmp %t.plain0.o %t.plugin0.o
// RUN: cmp %t.plain0.o %t.hook0.o
// RUN: %bpflint_cc -O0 -fplugin-arg-bpflint-no-bytecode -c %s -o %t.nobc0.o
// RUN: cmp %t.plain0.o %t.nobc0.o
//
// The object read back, not a private code generation: the private one
// stays off when LLVM writes an optimization record, this does not.
// RUN: %bpflint_cc -c %s -o %t.rec.o -fsave-optimization-record -foptimization-record-file=%t.yaml 2>&1 | FileCheck %s
// RUN: cmp %t.plain.o %t.rec.o
//
// No object file to read (standard output, assembly): a private code
// generation of the final module. At -O2 it is the object clang writes; at
// -O0 the code is the same (BTF type order may differ).
// RUN: env BPFLINT_HOOK_OBJECT=%t.stdout-hook.o %bpflint_cc -c %s -o - 2>%t.stdout.txt > %t.stdout.o
// RUN: FileCheck %s < %t.stdout.txt
// RUN: cmp %t.plain.o %t.stdout.o
// RUN: cmp %t.plain.o %t.stdout-hook.o
// RUN: %bpflint_cc -S %s -o %t.s 2>&1 | FileCheck %s
// RUN: env BPFLINT_HOOK_OBJECT=%t.s-hook0.o %bpflint_cc -O0 -S %s -o %t.0.s 2>&1 | FileCheck %s
// RUN: llvm-objdump -d --no-show-raw-insn %t.plain0.o | tail -n +3 > %t.plain0.dis
// RUN: llvm-objdump -d --no-show-raw-insn %t.s-hook0.o | tail -n +3 > %t.hook0.dis
// RUN: cmp %t.plain0.dis %t.hook0.dis
//
// Other targets: the hook does not run, nothing is printed.
// RUN: %clang -target x86_64-linux-gnu -fplugin=%bpflint_so -c -x c /dev/null -o %t.x86.o 2>&1 | count 0

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

// CHECK: warning: ring buffer record is neither submitted nor discarded on this path
SEC("tc")
__attribute__((naked)) int asm_leak(void *ctx) {
  asm volatile("r1 = %[rb] ll;"
               "r2 = 8;"
               "r3 = 0;"
               "call 131;"
               "if r0 == 0 goto 1f;"
               "r6 = r0;"
               "call 7;"
               "if w0 & 1 goto 1f;"
               "r1 = r6;"
               "r2 = 0;"
               "call 132;"
               "1: r0 = 0;"
               "exit;" ::[rb] "i"(&rb)
               : "memory");
}

SEC("xdp")
int counter(void *ctx) {
  __u64 *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (e) {
    *e = bpf_ktime_get_ns();
    bpf_ringbuf_submit(e, 0);
  }
  return 2;
}

char LICENSE[] SEC("license") = "GPL";
