/* Shared by the tests of direct kptr field accesses (test/kptr/kptr-access-
 * *.c, kptr-atomic-access.c, kptr-helper-access.c): a map value with a
 * referenced task kptr between two scalar fields, and LOOKUP(), which
 * declares `o` (the value) or returns 0. */
#ifndef BPFLINT_TEST_KPTR_OWNER_TEST_H
#define BPFLINT_TEST_KPTR_OWNER_TEST_H

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct owner {
  __u64 hits;
  struct task_struct __kptr *task;
  __u64 slots[2];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct owner);
} owners SEC(".maps");

#define LOOKUP()                                                               \
  int key = 0;                                                                 \
  struct owner *o = bpf_map_lookup_elem(&owners, &key);                        \
  if (!o)                                                                      \
  return 0

/* Keeps struct task_struct complete in BTF (else it is a FWD and the kernel
 * ignores the kptr field: kptr-field-invalid). Each test's KERNEL lines
 * declare that it loads. */
SEC("tc")
int keep_task_fixed(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (t)
    bpf_task_release(t);
  return 0;
}

#endif
