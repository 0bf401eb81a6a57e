// The plugin must not change what the compiler emits, and must not print
// anything of its own on a clean program (no -Wanalyzer-incompatible-plugin,
// no stray output).
//
// RUN: %clang_bpf -c %s -o %t.plain.o
// RUN: %bpflint_cc -c %s -o %t.plugin.o 2>&1 | count 0
// RUN: cmp %t.plain.o %t.plugin.o
// RUN: %clang_bpf -O0 -c %s -o %t.plain0.o
// RUN: %bpflint_cc -O0 -c %s -o %t.plugin0.o 2>&1 | count 0
// RUN: cmp %t.plain0.o %t.plugin0.o
// RUN: %bpflint_cc -fsyntax-only %s 2>&1 | count 0

#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  __u64 packets;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct val);
} stats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

SEC("xdp")
int count_packets(void *ctx) {
  __u32 key = 0;
  struct val *v = bpf_map_lookup_elem(&stats, &key);
  if (!v)
    return 2;
  bpf_spin_lock(&v->lock);
  v->packets++;
  bpf_spin_unlock(&v->lock);
  __u64 *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (e) {
    *e = v->packets;
    bpf_ringbuf_submit(e, 0);
  }
  return 2;
}

char LICENSE[] SEC("license") = "GPL";
