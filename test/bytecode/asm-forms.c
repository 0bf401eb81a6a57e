// Instruction forms that C rarely produces on demand, written as naked
// functions in inline assembly (as the kernel's selftests do): spills and
// fills, partial stack writes, 32-bit jumps, ISA v4 instructions. Maps and
// line info still come from clang's BTF.
//
// RUN: %clang_bpf -mcpu=v4 -c %s -o %t.o
// RUN: not %objcheck %t.o --stats > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

#define __naked __attribute__((naked))

// The record goes through an 8-byte stack slot and back: the reference
// survives the spill, and the leak on the odd path is found.
// KERNEL-DAG: spill_fill_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
__naked int spill_fill_leak(void *ctx) {
  asm volatile("r1 = %[events] ll;"
               "r2 = 8;"
               "r3 = 0;"
               "call 131;"
               "if r0 == 0 goto 1f;"
               "*(u64 *)(r10 - 8) = r0;"
               "call 7;"
               "r6 = *(u64 *)(r10 - 8);"
               "if w0 & 1 goto 1f;"
               "r1 = r6;"
               "r2 = 0;"
               "call 132;"
               "1: r0 = 0;"
               "exit;" ::[events] "i"(&events)
               : "memory");
}
// CHECK: asm-forms.c:[[@LINE-16]]:{{[0-9]+}}: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: taking the jump at insn tc+{{[0-9]+}} ('if w0 & 1 goto +3')
// CHECK: note: at exit R6 = ringbuf_mem(id={{[0-9]+}},ref_obj_id={{[0-9]+}})
// CHECK: note: in program 'spill_fill_leak'

// w0 & 3 is at most 3: the 32-bit comparison with 5 is decided, the leak
// path is dead for the kernel and for us.
// KERNEL-DAG: jmp32_dead_fixed: accept
SEC("tc")
__naked int jmp32_dead_fixed(void *ctx) {
  asm volatile("call 7;"
               "w0 &= 3;"
               "r7 = r0;"
               "r1 = %[events] ll;"
               "r2 = 8;"
               "r3 = 0;"
               "call 131;"
               "if r0 == 0 goto 1f;"
               "if w7 > 5 goto 1f;"
               "r1 = r0;"
               "r2 = 0;"
               "call 133;"
               "1: r0 = 0;"
               "exit;" ::[events] "i"(&events)
               : "memory");
}

// A 4-byte store of zero: the kernel remembers the zero (STACK_ZERO, and
// sub-register spills in newer kernels), so the leak path is dead to it.
// We only know "4 bytes written": the path is dropped, not reported.
// KERNEL-DAG: partial_spill_fixed: accept
SEC("tc")
__naked int partial_spill_fixed(void *ctx) {
  asm volatile("r6 = 0;"
               "*(u32 *)(r10 - 8) = w6;"
               "r1 = %[events] ll;"
               "r2 = 8;"
               "r3 = 0;"
               "call 131;"
               "if r0 == 0 goto 1f;"
               "r1 = *(u32 *)(r10 - 8);"
               "if r1 != 0 goto 1f;"
               "r1 = r0;"
               "r2 = 0;"
               "call 133;"
               "1: r0 = 0;"
               "exit;" ::[events] "i"(&events)
               : "memory");
}

// ISA v4: sign-extending moves, signed division, bswap and a long jump
// are followed, not dropped.
// KERNEL-DAG: v4_forms_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
__naked int v4_forms_leak(void *ctx) {
  asm volatile("r1 = %[events] ll;"
               "r2 = 8;"
               "r3 = 0;"
               "call 131;"
               "if r0 == 0 goto 1f;"
               "r6 = r0;"
               "r1 = -6;"
               "r2 = (s8)r1;"
               "r2 s/= 3;"
               "r2 = bswap64 r2;"
               "r2 = bswap64 r2;"
               "if r2 != -2 goto 1f;"
               "gotol 2f;"
               "2: r1 = r6;"
               "r2 = 0;"
               "if r1 != 0 goto 1f;"
               "call 132;"
               "1: r0 = 0;"
               "exit;" ::[events] "i"(&events)
               : "memory");
}
// CHECK: asm-forms.c:[[@LINE-21]]:{{[0-9]+}}: warning: ring buffer record is neither submitted nor discarded
// CHECK: note: in program 'v4_forms_leak'

// CHECK: program 'spill_fill_leak': {{.*}} 0 path(s) not followed
// CHECK: program 'jmp32_dead_fixed': {{.*}} 0 path(s) not followed
// CHECK: program 'partial_spill_fixed': {{.*}} 2 path(s) not followed
// CHECK-NEXT: 2 x path on a value the kernel knows better
// CHECK: program 'v4_forms_leak': {{.*}} 0 path(s) not followed

char LICENSE[] SEC("license") = "GPL";
