// KPTR-021: the local kptr stash. A __kptr to a program-defined struct holds
// bpf_obj_new() objects, refcounted graph nodes included; what bpf_kptr_xchg
// returns is owned (KPTR-018), and since 6.12 the destination may also be a
// kptr field of a program-local object. All verdicts measured on 6.18:
//  - a stashed refcounted object loaded back is an RCU, non-owning pointer:
//    it may be written, bpf_refcount_acquire() on it may return NULL
//    (graph-use-before-null-check), and it cannot be dropped
//    (kptr-loaded-not-owned);
//  - a percpu object in a plain field is a type mismatch, a plain object in
//    a __percpu_kptr field is accepted (bpflint stays silent on it);
//  - the old object of a local-object destination must be released.
// 6.6 knows no local-object destination (not reported there) nor
// __percpu_kptr: the map's record is invalid there, and only the graph
// check speaks. On 6.1 there is no
// bpf_obj_new, and __kptr is the unreferenced kind: kptr-xchg-unreferenced.
// The local types must not share a name with a vmlinux struct (e.g. "node"):
// the kernel would take the kernel type, without destructor, and refuse the
// object's BTF.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,k612 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify=expected,k612 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program stash_rc_node_fixed --program peek_and_share_fixed --program percpu_into_plain_fixed --program plain_into_percpu_fixed --program nest_leak_fixed

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct rc_node {
  long key;
  struct bpf_refcount ref;
  struct bpf_rb_node rb;
};

struct counters {
  long a;
  long b;
};

struct inner {
  long x;
};

struct outer {
  long y;
  struct inner __kptr *in;
};

struct entry {
  struct rc_node __kptr *node;
  struct counters __kptr *plain;
  struct counters __percpu_kptr *pc;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct entry);
} entries SEC(".maps");

#define LOOKUP()                                                               \
  int k = 0;                                                                   \
  struct entry *e = bpf_map_lookup_elem(&entries, &k);                         \
  if (!e)                                                                      \
  return 0

// KERNEL-DAG: stash_rc_node_fixed: accept
SEC("tc")
int stash_rc_node_fixed(void *ctx) {
  LOOKUP();
  struct rc_node *n = bpf_obj_new(struct rc_node);
  if (!n)
    return 0;
  n->key = 5;
  n = bpf_kptr_xchg(&e->node, n);
  if (n)
    bpf_obj_drop(n);
  return 0;
}

// KERNEL-DAG: peek_and_share: reject: R0 invalid mem access 'ptr_or_null_'
SEC("tc")
int peek_and_share(void *ctx) {
  LOOKUP();
  struct rc_node *n = e->node;
  if (!n)
    return 0;
  struct rc_node *m = bpf_refcount_acquire(n);
  // OBJ: kptr-local-stash.c:[[@LINE+1]]:{{[0-9]+}}: warning: object from bpf_obj_new in R{{[0-9]+}} is accessed before it is checked for NULL (verifier: "R%d invalid mem access 'ptr_or_null_'") [bpflint-graph-use-before-null-check]
  m->key = 1; // expected-warning {{object written before the pointer is checked for NULL}}
  bpf_obj_drop(m);
  return 0;
}

// KERNEL-DAG: peek_and_share_fixed: accept
SEC("tc")
int peek_and_share_fixed(void *ctx) {
  LOOKUP();
  struct rc_node *n = e->node;
  if (!n)
    return 0;
  n->key++;
  struct rc_node *m = bpf_refcount_acquire(n);
  if (!m)
    return 0;
  m->key = 1;
  bpf_obj_drop(m);
  return 0;
}

// KERNEL-DAG: drop_peeked: reject: R1 must be referenced or trusted
SEC("tc")
int drop_peeked(void *ctx) {
  LOOKUP();
  struct rc_node *n = e->node;
  if (!n)
    return 0;
  // OBJ: kptr-local-stash.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_obj_drop() releases in R1 a pointer loaded from a kptr field, which the program does not own {{.*}}[bpflint-kptr-loaded-not-owned]
  bpf_obj_drop(n); // k612-warning {{bpf_obj_drop() releases a pointer loaded from kptr field 'node', which the program does not own}}
  return 0;
}

// KERNEL-DAG: percpu_into_plain: reject: invalid kptr access, R2 type=percpu_ptr_ expected=ptr_counters
SEC("tc")
int percpu_into_plain(void *ctx) {
  LOOKUP();
  struct counters *c = (struct counters *)bpf_percpu_obj_new(struct counters);
  if (!c)
    return 0;
  // OBJ: kptr-local-stash.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_kptr_xchg() stores a percpu object (bpf_percpu_obj_new) into the kptr field at offset 8 of a value of map 'entries', which is not __percpu_kptr (verifier: "invalid kptr access, R%d type=%s%s expected=%s%s") [bpflint-kptr-xchg-type-mismatch]
  c = bpf_kptr_xchg(&e->plain, c); // k612-warning {{bpf_kptr_xchg() stores a percpu object into kptr field 'plain', which is not __percpu_kptr; percpu and plain objects are not interchangeable (verifier: "invalid kptr access, R2 type=percpu_ptr_ expected=ptr_counters") [bpflint-kptr-xchg-type-mismatch]}}
  if (c)
    bpf_obj_drop(c);
  return 0;
}

// KERNEL-DAG: percpu_into_plain_fixed: accept
SEC("tc")
int percpu_into_plain_fixed(void *ctx) {
  LOOKUP();
  struct counters __percpu_kptr *c = bpf_percpu_obj_new(struct counters);
  if (!c)
    return 0;
  c = bpf_kptr_xchg(&e->pc, c);
  if (c)
    bpf_percpu_obj_drop(c);
  return 0;
}

// The other way round loads.
// KERNEL-DAG: plain_into_percpu_fixed: accept
SEC("tc")
int plain_into_percpu_fixed(void *ctx) {
  LOOKUP();
  struct counters *c = bpf_obj_new(struct counters);
  if (!c)
    return 0;
  c = bpf_kptr_xchg(&e->pc, c);
  if (c)
    bpf_percpu_obj_drop(c);
  return 0;
}

// KERNEL-DAG: nest_leak: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int nest_leak(void *ctx) {
  struct outer *o = bpf_obj_new(struct outer);
  if (!o)
    return 0;
  struct inner *i = bpf_obj_new(struct inner);
  if (!i) {
    bpf_obj_drop(o);
    return 0;
  }
  i = bpf_kptr_xchg(&o->in, i);
  bpf_obj_drop(o); // k612-warning {{reference is neither released nor stored in a kptr on this path}}
  return 0;
  // OBJ: kptr-local-stash.c:[[@LINE+1]]:{{[0-9]+}}: warning: reference is neither released nor stored in a kptr on this path {{.*}}[bpflint-kptr-leak]
}

// KERNEL-DAG: nest_leak_fixed: accept
SEC("tc")
int nest_leak_fixed(void *ctx) {
  struct outer *o = bpf_obj_new(struct outer);
  if (!o)
    return 0;
  struct inner *i = bpf_obj_new(struct inner);
  if (!i) {
    bpf_obj_drop(o);
    return 0;
  }
  i = bpf_kptr_xchg(&o->in, i);
  if (i)
    bpf_obj_drop(i);
  bpf_obj_drop(o);
  return 0;
}
