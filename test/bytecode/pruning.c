// State pruning must be as strong as the kernel's where the kernel's is
// what makes a program verifiable: registers no path reads again (the
// kernel's liveness marks) are not compared. Each program below has 8
// branches in a row whose two sides differ only in such registers: 2^8
// paths without liveness (thousands of instructions), 2 x 8 with it.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o --stats > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

#define __naked __attribute__((naked))

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

// Step K loads a context field into r0 and sets rK to 5 or 6 on the two
// sides of a branch on it. Nothing reads r0 or rK again, so the kernel
// merges the two sides; comparing them would double the paths per step.
#define STEP(K)                                                                \
  "r0 = *(u32 *)(r9 + 0);"                                                     \
  "if r0 > 100 goto +2;"                                                       \
  "r" #K " = 5;"                                                               \
  "goto +1;"                                                                   \
  "r" #K " = 6;"
#define STEPS STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7) STEP(8)

// KERNEL-DAG: dead_registers_fixed: accept
SEC("tc")
__naked int dead_registers_fixed(void *ctx) {
  asm volatile("r9 = r1;" STEPS "r0 = 0;"
               "exit;" ::
                   : "memory");
}

// The same branches while a ring buffer record is held (spilled to the
// stack), which one path then leaks: the leak is found after them.
// KERNEL-DAG: dead_registers_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
__naked int dead_registers_leak(void *ctx) {
  asm volatile("r9 = r1;"
               "r1 = %[events] ll;"
               "r2 = 8;"
               "r3 = 0;"
               "call 131;"
               "if r0 == 0 goto 1f;"
               "*(u64 *)(r10 - 8) = r0;" STEPS "if r0 > 7 goto 1f;"
               "r1 = *(u64 *)(r10 - 8);"
               "r2 = 0;"
               "call 132;"
               "1: r0 = 0;"
               "exit;" ::[events] "i"(&events)
               : "memory");
}
// CHECK: pruning.c:{{[0-9]+}}:{{[0-9]+}}: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: in program 'dead_registers_leak'

// CHECK: program 'dead_registers_fixed': {{[0-9][0-9]?[0-9]?}} instructions processed, 0 finding(s), 0 path(s) not followed
// CHECK: program 'dead_registers_leak': {{[0-9][0-9]?[0-9]?}} instructions processed, 1 finding(s), 0 path(s) not followed

char LICENSE[] SEC("license") = "GPL";
