/* Maps and values shared by the bpf_res_spin_lock tests (6.15+). */
#ifndef BPFLINT_TEST_RES_LOCK_TEST_H
#define BPFLINT_TEST_RES_LOCK_TEST_H

#include "bpf_test.h"

struct rval {
  struct bpf_res_spin_lock lock;
  __u64 counter;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __type(value, struct rval);
} rvals SEC(".maps");

#define RLOOKUP_OR_RETURN(v, key)                                              \
  __u32 v##_key = (key);                                                       \
  struct rval *v = bpf_map_lookup_elem(&rvals, &v##_key);                      \
  if (!v)                                                                      \
  return 0

#endif
