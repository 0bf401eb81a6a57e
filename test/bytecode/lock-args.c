// Lock arguments whose verdict the BTF makes clear, at bytecode level: a
// lock in a const global (.rodata, which libbpf freezes and the kernel keeps
// no special fields for: COM-006) and a pointer at another offset than the
// value's one bpf_spin_lock (LOCK-009). Each bad program has a _fixed twin
// that must stay silent; the KERNEL lines are the running kernel's verdicts
// on this very object.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: %objcheck %t.o --program rodata_lock_fixed --program rodata_res_lock_fixed --program cast_value_fixed
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "res_lock_test.h"

struct counted {
  struct bpf_spin_lock lock;
  int counter;
};

struct res_counted {
  struct bpf_res_spin_lock lock;
  int counter;
};

const volatile struct counted ro_counted = {};
struct counted rw_counted = {};
// Res locks in sections of their own: a data section whose value has both
// kinds of lock has no valid lock at all.
const volatile struct res_counted ro_res SEC(".rodata.res") = {};
struct res_counted rw_res SEC(".data.res") = {};

struct tail_locked {
  __u64 counter;
  struct bpf_spin_lock lock;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct tail_locked);
} tails SEC(".maps");

// KERNEL-DAG: rodata_lock: reject: map '{{.*}}.rodata' has no valid bpf_spin_lock
SEC("tc")
int rodata_lock(void *ctx) {
  bpf_spin_lock((struct bpf_spin_lock *)&ro_counted.lock);
  int c = ro_counted.counter;
  bpf_spin_unlock((struct bpf_spin_lock *)&ro_counted.lock);
  return c;
}
// CHECK: lock-args.c:[[@LINE-5]]:{{[0-9]+}}: warning: bpf_spin_lock on a lock in read-only global data section '.rodata' (verifier: "map '%s' has no valid bpf_spin_lock") [bpflint-lock-read-only-map]

// KERNEL-DAG: rodata_lock_fixed: accept
SEC("tc")
int rodata_lock_fixed(void *ctx) {
  bpf_spin_lock(&rw_counted.lock);
  int c = rw_counted.counter;
  bpf_spin_unlock(&rw_counted.lock);
  return c;
}

// KERNEL-DAG: rodata_res_lock: reject: map '{{.*}}.rodata{{.*}}' has no valid bpf_res_spin_lock
SEC("tc")
int rodata_res_lock(void *ctx) {
  if (bpf_res_spin_lock((struct bpf_res_spin_lock *)&ro_res.lock))
    return 0;
  int c = ro_res.counter;
  bpf_res_spin_unlock((struct bpf_res_spin_lock *)&ro_res.lock);
  return c;
}
// CHECK: lock-args.c:[[@LINE-6]]:{{[0-9]+}}: warning: bpf_res_spin_lock on a lock in read-only global data section '.rodata.res' (verifier: "map '.rodata.res' has no valid bpf_res_spin_lock") [bpflint-lock-read-only-map]

// KERNEL-DAG: rodata_res_lock_fixed: accept
SEC("tc")
int rodata_res_lock_fixed(void *ctx) {
  if (bpf_res_spin_lock(&rw_res.lock))
    return 0;
  int c = rw_res.counter;
  bpf_res_spin_unlock(&rw_res.lock);
  return c;
}

// LOCK-009: casting the value to a lock assumes the lock comes first.
// KERNEL-DAG: cast_value: reject: off 0 doesn't point to 'struct bpf_spin_lock' that is at 8
SEC("tc")
int cast_value(void *ctx) {
  __u32 key = 0;
  struct tail_locked *v = bpf_map_lookup_elem(&tails, &key);
  if (!v)
    return 0;
  bpf_spin_lock((struct bpf_spin_lock *)v);
  v->counter++;
  bpf_spin_unlock((struct bpf_spin_lock *)v);
  return 0;
}
// CHECK: lock-args.c:[[@LINE-5]]:{{[0-9]+}}: warning: bpf_spin_lock is given a pointer at offset 0 of a value of map 'tails' whose bpf_spin_lock is at offset 8 (verifier: "off 0 doesn't point to 'struct bpf_spin_lock' that is at 8") [bpflint-lock-wrong-offset]

// KERNEL-DAG: cast_value_fixed: accept
SEC("tc")
int cast_value_fixed(void *ctx) {
  __u32 key = 0;
  struct tail_locked *v = bpf_map_lookup_elem(&tails, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
