// LOCK-017 and LOCK-012 at bytecode level, with the messages of the newest
// kernel and of 6.1. The KERNEL lines are the running kernel's verdicts.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: not %objcheck --kernel=6.1 %t.o | FileCheck %s --check-prefix=K61
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct val {
  int counter;
  struct bpf_spin_lock lock;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct val);
} counters SEC(".maps");

// KERNEL-DAG: early_return: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("tc")
int early_return(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&counters, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    return 1;
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}
// CHECK: lock.c:[[@LINE-1]]:1: warning: bpf_spin_lock is still held when the program returns (verifier: "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region") [bpflint-lock-held-at-exit]
// CHECK-NEXT: lock.c:[[@LINE-10]]:{{[0-9]+}}: note: not taking the jump at insn tc+{{[0-9]+}} ('if r6 == 0 goto
// CHECK-NEXT: lock.c:[[@LINE-8]]:{{[0-9]+}}: note: taking the jump at insn tc+{{[0-9]+}}
// CHECK-NEXT: lock.c:[[@LINE-10]]:3: note: the lock in a value of map 'counters' (id=1) is taken here
// CHECK-NEXT: note: in program 'early_return' at insn tc+{{[0-9]+}} ('exit')
// K61: lock.c:[[@LINE-6]]:1: warning: bpf_spin_lock is still held when the program returns (verifier: "bpf_spin_unlock is missing") [bpflint-lock-held-at-exit]

// KERNEL-DAG: early_return_fixed: accept
SEC("tc")
int early_return_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&counters, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  if (v->counter > 100) {
    bpf_spin_unlock(&v->lock);
    return 1;
  }
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: double_unlock: reject: bpf_spin_unlock without taking a lock
SEC("tc")
int double_unlock(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&counters, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  bpf_spin_unlock(&v->lock);
  // CHECK: lock.c:[[@LINE-1]]:3: warning: bpf_spin_unlock of the lock in a value of map 'counters' (id=1) but no lock is held on this path (verifier: "bpf_spin_unlock without taking a lock") [bpflint-lock-unlock-without-lock]
  // CHECK: note: in program 'double_unlock' at insn tc+{{[0-9]+}} ('call 94')
  // K61: lock.c:[[@LINE-3]]:3: warning: bpf_spin_unlock of {{.*}}(verifier: "bpf_spin_unlock without taking a lock")
  return 0;
}

// A global lock: a direct map value (id 0), one lock per .data section.
struct bpf_spin_lock glock SEC(".data.glock");
int gcount SEC(".data.glock");

// KERNEL-DAG: global_missing_unlock: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("xdp")
int global_missing_unlock(void *ctx) {
  bpf_spin_lock(&glock);
  gcount++;
  if (gcount & 1)
    bpf_spin_unlock(&glock);
  return 2;
}
// CHECK: lock.c:[[@LINE-2]]:3: warning: bpf_spin_lock is still held
// CHECK: lock.c:[[@LINE-7]]:3: note: the lock in global data section '.data.glock' is taken here

// KERNEL-DAG: global_fixed: accept
SEC("xdp")
int global_fixed(void *ctx) {
  bpf_spin_lock(&glock);
  gcount++;
  bpf_spin_unlock(&glock);
  return 2;
}

// The lock is released by a static subprogram: allowed since 6.9.
static __noinline void put(struct val *v) { bpf_spin_unlock(&v->lock); }

// KERNEL-DAG: unlock_in_subprog_fixed: accept
SEC("tc")
int unlock_in_subprog_fixed(void *ctx) {
  int key = 0;
  struct val *v = bpf_map_lookup_elem(&counters, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  put(v);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
