// LOCK-024: socket filters and tracing programs (kprobe, tracepoint,
// perf_event, raw_tp) may not use a map whose value holds a bpf_spin_lock.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// The bytecode layer sees the same in the object (the map's BTF has the
// lock, the section names the program type):
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program count_opens_fixed --program count_packets_fixed
// OBJ: lock-program-type.c:[[@LINE+20]]:{{[0-9]+}}: warning: a kprobe program uses map 'vals', whose value holds a bpf_spin_lock (verifier: "tracing progs cannot use bpf_spin_lock yet") [bpflint-lock-program-type]
// OBJ: lock-program-type.c:[[@LINE+32]]:{{[0-9]+}}: warning: a socket_filter program uses map 'vals', whose value holds a bpf_spin_lock

#include "lock_test.h"

struct plain {
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct plain);
} percpu_counts SEC(".maps");

// KERNEL-DAG: count_opens: reject: tracing progs cannot use bpf_spin_lock yet
SEC("kprobe/do_sys_openat2")
int count_opens(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key); // expected-warning {{a kprobe program uses map 'vals', whose value holds a bpf_spin_lock (verifier: "tracing progs cannot use bpf_spin_lock yet") [bpflint-lock-program-type]}}
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// KERNEL-DAG: count_packets: reject: socket filter progs cannot use bpf_spin_lock yet
SEC("socket")
int count_packets(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key); // expected-warning {{a socket_filter program uses map 'vals', whose value holds a bpf_spin_lock (verifier: "socket filter progs cannot use bpf_spin_lock yet") [bpflint-lock-program-type]}}
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

// In a tracing program, count per CPU instead: no lock needed.
// KERNEL-DAG: count_opens_fixed: accept
SEC("kprobe/do_sys_openat2")
int count_opens_fixed(void *ctx) {
  __u32 key = 0;
  struct plain *p = bpf_map_lookup_elem(&percpu_counts, &key);
  if (!p)
    return 0;
  p->counter++;
  return 0;
}

// The same locked map is fine from a tc program.
// KERNEL-DAG: count_packets_fixed: accept
SEC("tc")
int count_packets_fixed(void *ctx) {
  LOOKUP_OR_RETURN(v, 0);
  bpf_spin_lock(&v->lock);
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}
