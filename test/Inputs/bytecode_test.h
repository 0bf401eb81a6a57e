/* Shared by the bytecode (bpflint-objcheck) kptr tests: a map value with
 * an unreferenced and a referenced kptr to a program-local struct. */
#ifndef BPFLINT_TEST_BYTECODE_TEST_H
#define BPFLINT_TEST_BYTECODE_TEST_H

#include "bpf_test.h"

struct obj {
  long x;
};

/* Makes clang emit struct obj in full: through a type tag it would only
 * write a FWD, and the kernel wants a kptr's pointee to be a struct (else
 * the value has no kptr fields at all). */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct obj);
} objs SEC(".maps");

struct val {
  long data;                      /* offset 0 */
  struct obj __kptr_untrusted *u; /* offset 8 */
  struct obj __kptr *r;           /* offset 16 */
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct val);
} vals SEC(".maps");

static __always_inline struct val *get_val(void) {
  int key = 0;
  return bpf_map_lookup_elem(&vals, &key);
}

#endif
