// clang -O0 emits BTF the kernel refuses: the prototypes of functions keep
// their arguments unnamed, and btf_func_check() rejects a FUNC with an
// unnamed argument ("Invalid arg#1"). libbpf then loads the programs
// without BTF, so maps have no key/value types and the kernel knows no
// bpf_spin_lock in them: a store to the lock's bytes is accepted, a
// bpf_spin_lock call is not. objcheck must see the object as the kernel
// does, or the first program is a FALSE-REJECT.
//
// RUN: %clang_bpf -O0 -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %objcheck %t.o --program plain --program store_lock_bytes
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
//
// Optimized, the same object keeps its BTF and the store is rejected:
// RUN: %clang_bpf -c %s -o %t.O2.o
// RUN: not %objcheck %t.O2.o --program store_lock_bytes | FileCheck %s --check-prefix=O2
// RUN: %if kernel-oracle %{ %oracle %t.O2.o store_lock_bytes | FileCheck %s --check-prefix=KERNEL-O2 %}

#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  int count;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct val);
} hlocked SEC(".maps");

#define __naked __attribute__((naked))
#define HLOOKUP                                                                \
  "*(u32 *)(r10 - 4) = 0;"                                                     \
  "r1 = %[hlocked] ll;"                                                        \
  "r2 = r10;"                                                                  \
  "r2 += -4;"                                                                  \
  "call 1;"

// The function whose unnamed argument makes the kernel refuse the BTF.
// KERNEL-DAG: plain: accept
SEC("tc") int plain(void *ctx) { return 0; }

// KERNEL-DAG: store_lock_bytes: accept
// KERNEL-O2: store_lock_bytes: reject: bpf_spin_lock cannot be accessed directly by load/store
SEC("tc") __naked int store_lock_bytes(void) {
  asm volatile(HLOOKUP "if r0 == 0 goto 1f;"
                       "*(u32 *)(r0 + 0) = 0;"
                       "1: r0 = 0;"
                       "exit;" ::[hlocked] "i"(&hlocked));
}
// O2: warning: store to bytes 0..3 of a value of map 'hlocked'{{.*}}[bpflint-lock-direct-access]

// KERNEL-DAG: take_lock: reject: map 'hlocked' has to have BTF in order to use bpf_spin_lock
SEC("tc") __naked int take_lock(void) {
  asm volatile(HLOOKUP "if r0 == 0 goto 1f;"
                       "r1 = r0;"
                       "call 93;"
                       "1: r0 = 0;"
                       "exit;" ::[hlocked] "i"(&hlocked));
}
// CHECK: warning: bpf_spin_lock on a lock in map 'hlocked', which is created without BTF: the kernel rejects the object's BTF (type [{{[0-9]+}}] FUNC has an unnamed argument (Invalid arg#1)){{.*}}[bpflint-lock-map-without-btf]

char LICENSE[] SEC("license") = "GPL";
