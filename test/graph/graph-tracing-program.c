// GRAPH-007: kprobe, tracepoint, perf_event and raw_tp programs cannot use a
// map or global section that holds a list head or rbtree root. The kernel
// checks this when the program is loaded, before verifying it (and before
// the bpf_spin_lock check of LOCK-024).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program trace_pop --program kprobe_lookup | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program trace_pop_fixed --program kprobe_lookup_fixed --program push
// OBJ: graph-tracing-program.c:[[@LINE+30]]:{{[0-9]+}}: warning: a tracing program uses global data section '.data.A', which holds a bpf_list_head (verifier: "tracing progs cannot use bpf_{list_head,rb_root} yet") [bpflint-graph-tracing-program]
// OBJ: graph-tracing-program.c:[[@LINE+55]]:{{[0-9]+}}: warning: a tracing program uses map 'lists', which holds a bpf_list_head (verifier: "tracing progs cannot use bpf_{list_head,rb_root} yet") [bpflint-graph-tracing-program]

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(item, node);

struct map_value {
  struct bpf_spin_lock lock;
  struct bpf_list_head head __contains(item, node);
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct map_value);
} lists SEC(".maps");

static __always_inline int pop_one(struct bpf_spin_lock *lock,
                                   struct bpf_list_head *head) {
  struct bpf_list_node *l;
  bpf_spin_lock(lock);
  l = bpf_list_pop_front(head);
  bpf_spin_unlock(lock);
  if (l)
    bpf_obj_drop(container_of(l, struct item, node));
  return 0;
}

// KERNEL-DAG: trace_pop: reject: tracing progs cannot use bpf_{list_head,rb_root} yet
SEC("tracepoint/syscalls/sys_enter_nanosleep")
int trace_pop(void *ctx) {
  return pop_one(&glock, &ghead); // expected-warning {{a tracepoint program uses 'glock', which holds a list head or rbtree root; use a tc, xdp, syscall or fentry program (verifier: "tracing progs cannot use bpf_{list_head,rb_root} yet") [bpflint-graph-tracing-program]}} \
                                     k61-warning {{a tracepoint program uses map 'glock', whose value holds a bpf_spin_lock}}
}

// KERNEL-DAG: trace_pop_fixed: accept
SEC("tc")
int trace_pop_fixed(void *ctx) {
  return pop_one(&glock, &ghead);
}

// On 6.1 there are no graph roots; the lock rule (LOCK-024) speaks.
// KERNEL-DAG: kprobe_lookup: reject: tracing progs cannot use bpf_{list_head,rb_root} yet
SEC("kprobe/do_nanosleep")
int kprobe_lookup(void *ctx) {
  int key = 0;
  struct map_value *v = bpf_map_lookup_elem(&lists, &key); // expected-warning {{a kprobe program uses 'lists', which holds a list head or rbtree root}} \
                                                              k61-warning {{a kprobe program uses map 'lists', whose value holds a bpf_spin_lock}}
  if (!v)
    return 0;
  return pop_one(&v->lock, &v->head);
}

// KERNEL-DAG: kprobe_lookup_fixed: accept
SEC("tc")
int kprobe_lookup_fixed(void *ctx) {
  int key = 0;
  struct map_value *v = bpf_map_lookup_elem(&lists, &key);
  if (!v)
    return 0;
  return pop_one(&v->lock, &v->head);
}

// Keeps struct item in the BTF.
// KERNEL-DAG: push: accept
SEC("tc")
int push(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}
