// The same programs built by clang and by GCC's BPF back end (Debian gcc-bpf;
// GCC 12 emits BTF and CO-RE relocations but no line info, and its own
// instruction selection and register allocation): bpflint-objcheck gives
// each program the same verdict on both objects, and the kernel agrees.
//
// Except where the kernel itself differs: GCC 12's .BTF marks `signed char`
// both SIGNED and CHAR, which the kernel rejects ("Unsupported encoding");
// libbpf then loads without BTF, and a map value's bpf_spin_lock is no lock
// to the kernel (LOCK-005). objcheck sees that too. The lock programs are
// therefore rejected on the GCC object whatever they do.
//
// REQUIRES: bpf-gcc
// RUN: %clang_bpf -c %s -o %t.clang.o
// RUN: %bpf_gcc -c %s -o %t.gcc.o
// RUN: not %objcheck %t.clang.o --format json > %t.clang.json
// RUN: not %objcheck %t.gcc.o --format json > %t.gcc.json
// RUN: %python %S/Inputs/same-verdicts.py %t.clang.json %t.gcc.json --may-differ lock_held_fixed | FileCheck %s
// Without line info, GCC's findings are located by section and instruction.
// RUN: not %objcheck %t.gcc.o | FileCheck %s --check-prefix=GCC
// RUN: %if kernel-oracle %{ %oracle %t.clang.o | FileCheck %s --check-prefixes=KERNEL,KERNEL-CLANG %}
// RUN: %if kernel-oracle %{ %oracle %t.gcc.o | FileCheck %s --check-prefixes=KERNEL,KERNEL-GCC %}

#include "bpf_test.h"

struct event {
  __u32 pid;
  __u64 ts;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

struct val {
  struct bpf_spin_lock lock;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, struct val);
} vals SEC(".maps");

// CHECK: early_return: reject reject
// GCC: gcc.c.tmp.gcc.o:tc+{{[0-9]+}}: warning: ring buffer record is neither submitted nor discarded on this path
// GCC: note: in program 'early_return' at insn tc+{{[0-9]+}} ('exit')
// KERNEL-DAG: early_return: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int early_return(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 0)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// CHECK: early_return_fixed: accept accept
// KERNEL-DAG: early_return_fixed: accept
SEC("tc")
int early_return_fixed(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 0) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  e->ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// CHECK: use_after_submit: reject reject
// KERNEL-DAG: use_after_submit: reject: R{{[0-9]}} invalid mem access 'scalar'
SEC("tc")
int use_after_submit(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  bpf_ringbuf_submit(e, 0);
  e->ts = bpf_ktime_get_ns();
  return 0;
}

// CHECK: lock_held: reject reject
// GCC: gcc.c.tmp.gcc.o:tc+{{[0-9]+}}: warning: bpf_spin_lock on a lock in map 'vals', which is created without BTF: the kernel rejects the object's BTF (type [{{[0-9]+}}] INT has an unsupported encoding (3)) (verifier: "map 'vals' has to have BTF in order to use bpf_spin_lock") [bpflint-lock-map-without-btf]
// GCC: note: in program 'lock_held'
// KERNEL-CLANG-DAG: lock_held: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
// KERNEL-GCC-DAG: lock_held: reject: map 'vals' has to have BTF in order to use bpf_spin_lock
SEC("tc")
int lock_held(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  if (v->counter & 1)
    bpf_spin_unlock(&v->lock);
  return 0;
}

// CHECK: lock_held_fixed: accept reject (may differ)
// GCC: note: in program 'lock_held_fixed'
// KERNEL-CLANG-DAG: lock_held_fixed: accept
// KERNEL-GCC-DAG: lock_held_fixed: reject: map 'vals' has to have BTF in order to use bpf_spin_lock
SEC("tc")
int lock_held_fixed(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// CHECK: helper_in_lock: reject reject
// GCC: note: in program 'helper_in_lock'
// KERNEL-CLANG-DAG: helper_in_lock: reject: function calls are not allowed while holding a lock
// KERNEL-GCC-DAG: helper_in_lock: reject: map 'vals' has to have BTF in order to use bpf_spin_lock
SEC("tc")
int helper_in_lock(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter = bpf_ktime_get_ns();
  bpf_spin_unlock(&v->lock);
  return 0;
}

char _license[] SEC("license") = "GPL";
