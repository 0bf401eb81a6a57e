/* An editor session's file: one bpflint finding (the lock is still held on
 * the early return) and one clang warning (the unused variable). */
#include "bpf_test.h"

struct val {
  struct bpf_spin_lock lock;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct val);
} vals SEC(".maps");

SEC("tc")
int count(void *ctx) {
  __u32 key = 0;
  int unused = 0;
  struct val *v = bpf_map_lookup_elem(&vals, &key);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  if (v->counter > 100)
    return 1;
  v->counter++;
  bpf_spin_unlock(&v->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
