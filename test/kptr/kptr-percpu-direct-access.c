// KPTR-020: a percpu object (a __percpu_kptr field, bpf_percpu_obj_new) is
// a set of per-CPU copies; the program reaches one copy with
// bpf_this_cpu_ptr() or bpf_per_cpu_ptr(), never by dereferencing the
// percpu pointer itself.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=k66 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck --kernel 6.6 %t.o

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// On 6.6 percpu kptrs do not exist: the record is invalid and bpflint says
// nothing about it.
// k66-no-diagnostics

struct pcpu_stats {
  __u64 packets;
  __u64 bytes;
};

struct slot {
  struct pcpu_stats __percpu_kptr *stats;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct slot);
} slots SEC(".maps");

#define LOOKUP_OR_RETURN(s)                                                    \
  int key = 0;                                                                 \
  struct slot *s = bpf_map_lookup_elem(&slots, &key);                          \
  if (!s)                                                                      \
    return 0

// KERNEL-DAG: count_direct: reject: R1 is ptr_pcpu_stats access percpu memory: off=0
SEC("tc")
int count_direct(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct pcpu_stats *st = s->stats;
  if (!st)
    return 0;
  // OBJ: kptr-percpu-direct-access.c:[[@LINE+1]]:{{[0-9]+}}: warning: load at offset 0 of the percpu object (struct pcpu_stats) in R{{[0-9]+}}: only bpf_this_cpu_ptr/bpf_per_cpu_ptr give a CPU's copy (verifier: "R%d is ptr_%s access percpu memory: off=%d") [bpflint-kptr-percpu-direct-access]
  st->packets++; // expected-warning {{percpu object 'struct pcpu_stats' accessed directly; get this CPU's copy with bpf_this_cpu_ptr() (or bpf_per_cpu_ptr()) first (verifier: "R%d is ptr_pcpu_stats access percpu memory: off=0") [bpflint-kptr-percpu-direct-access]}}
  return 0;
}

// KERNEL-DAG: count_direct_fixed: accept
SEC("tc")
int count_direct_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct pcpu_stats __percpu_kptr *st = s->stats;
  if (!st)
    return 0;
  struct pcpu_stats *mine = bpf_this_cpu_ptr(st);
  mine->packets++;
  return 0;
}

// KERNEL-DAG: read_taken_out: reject: R0 is ptr_pcpu_stats access percpu memory: off=8
SEC("tc")
int read_taken_out(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct pcpu_stats *st = bpf_kptr_xchg(&s->stats, NULL);
  if (!st)
    return 0;
  // OBJ: kptr-percpu-direct-access.c:[[@LINE+1]]:{{[0-9]+}}: warning: load at offset 8 of the percpu object (struct pcpu_stats) in R{{[0-9]+}}: {{.*}}[bpflint-kptr-percpu-direct-access]
  __u64 bytes = st->bytes; // expected-warning {{(verifier: "R%d is ptr_pcpu_stats access percpu memory: off=8")}}
  bpf_percpu_obj_drop(st);
  return bytes != 0;
}

// An object taken out of the map is owned; this kernel does not let
// bpf_this_cpu_ptr() read an owned percpu object (6.18: "R1 type=percpu_ptr_
// expected=percpu_ptr_, percpu_rcu_ptr_, percpu_trusted_ptr_"), so read it
// through the map before taking it out.
// KERNEL-DAG: read_taken_out_fixed: accept
SEC("tc")
int read_taken_out_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct pcpu_stats __percpu_kptr *cur = s->stats;
  if (!cur)
    return 0;
  __u64 bytes = ((struct pcpu_stats *)bpf_this_cpu_ptr(cur))->bytes;
  struct pcpu_stats __percpu_kptr *st = bpf_kptr_xchg(&s->stats, NULL);
  if (st)
    bpf_percpu_obj_drop(st);
  return bytes != 0;
}

// Keeps struct pcpu_stats complete in the program's BTF (KPTR-001).
// KERNEL-DAG: install_fixed: accept
SEC("tc")
int install_fixed(void *ctx) {
  LOOKUP_OR_RETURN(s);
  struct pcpu_stats __percpu_kptr *st = bpf_percpu_obj_new(struct pcpu_stats);
  if (!st)
    return 0;
  st = bpf_kptr_xchg(&s->stats, st);
  if (st)
    bpf_percpu_obj_drop(st);
  return 0;
}
