#include "bpf_test.h"
#include "helpers.h"

struct val {
  struct bpf_spin_lock lock;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct val);
} vals SEC(".maps");

SEC("tc")
int both(void *ctx) {
  __u32 k0 = 0, k1 = 1;
  struct val *u = bpf_map_lookup_elem(&vals, &k0);
  struct val *p = bpf_map_lookup_elem(&vals, &k1);
  if (!u || !p)
    return 0;
  lock_both(&u->lock, &p->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
