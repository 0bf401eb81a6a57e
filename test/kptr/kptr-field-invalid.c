// KPTR-001: a kptr field must be a pointer to a complete struct with exactly
// one type tag. Otherwise the kernel ignores every special field of the
// value (COM-007): the map loads, but the first bpf_kptr_xchg on it fails.
// bpflint reports at that exchange, naming the field.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct opaque_state; /* never defined: a BTF forward declaration */

struct node_data {
  long key;
};

struct fwd_value {
  struct opaque_state __kptr *state;
};
struct int_value {
  int __kptr *counter;
};
struct twice_value {
  struct node_data __kptr __attribute__((btf_type_tag("kptr"))) *node;
};
struct good_value {
  struct node_data __kptr *node;
};

#define ARRAY_OF(name, vtype)                                                  \
  struct {                                                                     \
    __uint(type, BPF_MAP_TYPE_ARRAY);                                          \
    __uint(max_entries, 1);                                                    \
    __type(key, int);                                                          \
    __type(value, vtype);                                                      \
  } name SEC(".maps")

ARRAY_OF(fwd_map, struct fwd_value);
ARRAY_OF(int_map, struct int_value);
ARRAY_OF(twice_map, struct twice_value);
ARRAY_OF(good_map, struct good_value);

// KERNEL-DAG: take_state: reject: R1 has no valid kptr
SEC("tc")
int take_state(void *ctx) {
  int key = 0;
  struct fwd_value *v = bpf_map_lookup_elem(&fwd_map, &key);
  if (!v)
    return 0;
  void *old = bpf_kptr_xchg(&v->state, NULL); // expected-warning {{bpf_kptr_xchg() on a value of map 'fwd_map', whose kptrs the kernel ignores: kptr field 'state' is invalid because 'struct opaque_state' is only declared, never defined, so its BTF is a forward declaration (verifier: "R1 has no valid kptr") [bpflint-kptr-field-invalid]}}
  if (old)
    bpf_obj_drop(old);
  return 0;
}

// KERNEL-DAG: take_counter: reject: R1 has no valid kptr
SEC("tc")
int take_counter(void *ctx) {
  int key = 0;
  struct int_value *v = bpf_map_lookup_elem(&int_map, &key);
  if (!v)
    return 0;
  void *old = bpf_kptr_xchg(&v->counter, NULL); // expected-warning {{kptr field 'counter' is invalid because it does not point to a struct}}
  if (old)
    bpf_obj_drop(old);
  return 0;
}

// KERNEL-DAG: take_twice: reject: R1 has no valid kptr
SEC("tc")
int take_twice(void *ctx) {
  int key = 0;
  struct twice_value *v = bpf_map_lookup_elem(&twice_map, &key);
  if (!v)
    return 0;
  void *old = bpf_kptr_xchg(&v->node, NULL); // expected-warning {{kptr field 'node' is invalid because it has more than one type tag}}
  if (old)
    bpf_obj_drop(old);
  return 0;
}

// One tag, a complete program-local struct.
// KERNEL-DAG: take_node_fixed: accept
SEC("tc")
int take_node_fixed(void *ctx) {
  int key = 0;
  struct good_value *v = bpf_map_lookup_elem(&good_map, &key);
  if (!v)
    return 0;
  struct node_data *n = bpf_obj_new(typeof(*n));
  if (!n)
    return 0;
  n = bpf_kptr_xchg(&v->node, n);
  if (n)
    bpf_obj_drop(n);
  return 0;
}
