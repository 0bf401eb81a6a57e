/* Maps and values shared by the spin lock tests: a hash map and an array
 * map whose values hold a bpf_spin_lock, as real programs declare them. */
#ifndef BPFLINT_TEST_LOCK_TEST_H
#define BPFLINT_TEST_LOCK_TEST_H

#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  __u64 counter;
  __u64 data;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, struct val);
} vals SEC(".maps");

/* Looks the value for key up; the lookup result is what the verifier keys
 * the lock by. */
#define LOOKUP_OR_RETURN(v, key)                                               \
  __u32 v##_key = (key);                                                       \
  struct val *v = bpf_map_lookup_elem(&vals, &v##_key);                        \
  if (!v)                                                                      \
  return 0

char LICENSE[] SEC("license") = "GPL";

#endif
