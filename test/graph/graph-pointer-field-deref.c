// GRAPH-026 (allocated objects): a pointer stored in a bpf_obj_new object
// is not a pointer when loaded back: a pointer to a struct becomes a scalar,
// even after a NULL check; since 6.18 a pointer to scalars is read-only
// untrusted memory (reads are accepted, writes are not).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,k618 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected,k66 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct peer {
  long id;
  long hits;
  long *counter;
  struct peer *next;
};

// KERNEL-DAG: follow_next: reject: R1 invalid mem access 'scalar'
SEC("tc")
int follow_next(void *ctx) {
  struct peer *p = bpf_obj_new(struct peer);
  long r = 0;

  if (!p)
    return 0;
  if (p->next)
    r = p->next->id; // expected-warning {{pointer field 'next' of an allocated object read through; the verifier does not track pointers stored in objects (store an id, or a __kptr with bpf_kptr_xchg) (verifier: "R%d invalid mem access 'scalar'") [bpflint-graph-pointer-field-deref]}}
  bpf_obj_drop(p);
  return r;
}

// KERNEL-DAG: follow_next_fixed: accept
SEC("tc")
int follow_next_fixed(void *ctx) {
  struct peer *p = bpf_obj_new(struct peer);
  long r;

  if (!p)
    return 0;
  r = p->id;
  bpf_obj_drop(p);
  return r;
}

// KERNEL-DAG: write_through_counter: reject: R1 cannot write into rdonly_untrusted_mem
SEC("tc")
int write_through_counter(void *ctx) {
  struct peer *p = bpf_obj_new(struct peer);

  if (!p)
    return 0;
  *p->counter = 1; // k618-warning {{pointer field 'counter' of an allocated object written through; the verifier does not track pointers stored in objects (store an id, or a __kptr with bpf_kptr_xchg) (verifier: "R%d cannot write into rdonly_untrusted_mem") [bpflint-graph-pointer-field-deref]}} k66-warning {{(verifier: "R%d invalid mem access 'scalar'")}}
  bpf_obj_drop(p);
  return 0;
}

// Reading through it is accepted on 6.18 (untrusted read-only memory); the
// check stays silent on reads of scalars on every profile.
// KERNEL-DAG: write_through_counter_fixed: accept
SEC("tc")
int write_through_counter_fixed(void *ctx) {
  struct peer *p = bpf_obj_new(struct peer);
  long r;

  if (!p)
    return 0;
  p->hits = 1;
  r = *p->counter;
  bpf_obj_drop(p);
  return r;
}

// A pointer written into the object and read back as a value is fine.
// KERNEL-DAG: store_and_compare: accept
SEC("tc")
int store_and_compare(void *ctx) {
  struct peer *p = bpf_obj_new(struct peer);
  long r;

  if (!p)
    return 0;
  p->next = 0;
  r = p->next != 0;
  bpf_obj_drop(p);
  return r;
}
