#include "bpf_experimental.h"
#include <bpf/bpf_helpers.h>
#include <vmlinux.h>

struct foo {
  struct bpf_spin_lock lock;
  int data;
};
struct array_map {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, int);
  __type(value, struct foo);
  __uint(max_entries, 1);
} array_map SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, int);
  __array(values, struct array_map);
} map_of_maps SEC(".maps") = {.values = {[0] = &array_map}};

SEC("tc")
int kptr_kptr(void *ctx) {
  struct foo *f1, *f2;
  f1 = bpf_obj_new(typeof(*f1));
  if (!f1)
    return 0;
  f2 = bpf_obj_new(typeof(*f2));
  if (!f2) {
    bpf_obj_drop(f1);
    return 0;
  }
  bpf_spin_lock(&f1->lock);
  bpf_spin_unlock(&f2->lock); /* kernel: bpf_spin_unlock of different lock */
  bpf_obj_drop(f1);
  bpf_obj_drop(f2);
  return 0;
}

SEC("tc")
int inner_inner(void *ctx) {
  int key = 0;
  struct foo *f1, *f2;
  void *map = bpf_map_lookup_elem(&map_of_maps, &key);
  if (!map)
    return 0;
  f1 = bpf_map_lookup_elem(map, &key);
  if (!f1)
    return 0;
  f2 = bpf_map_lookup_elem(map, &key);
  if (!f2)
    return 0;
  bpf_spin_lock(&f1->lock);
  bpf_spin_unlock(&f2->lock); /* kernel: bpf_spin_unlock of different lock */
  return 0;
}
char _license[] SEC("license") = "GPL";
