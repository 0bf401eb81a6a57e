// GRAPH-008: bpf_obj_new and the graph kfuncs are registered only for some
// program types. kprobe and socket filter programs cannot call them (6.2
// through 6.18; tracepoint programs can on 6.18).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program kprobe_alloc --program socket_alloc | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program kprobe_alloc_fixed --program socket_alloc_fixed --program tracepoint_alloc
// OBJ: graph-kfunc-program-type.c:[[@LINE+13]]:{{[0-9]+}}: warning: a kprobe program calls kfunc bpf_obj_new_impl, which its program type does not have (verifier: "calling kernel function bpf_obj_new_impl is not allowed") [bpflint-graph-kfunc-program-type]
// OBJ: graph-kfunc-program-type.c:[[@LINE+37]]:{{[0-9]+}}: warning: a socket_filter program calls kfunc bpf_obj_new_impl, which its program type does not have (verifier: "calling kernel function bpf_obj_new_impl is not allowed") [bpflint-graph-kfunc-program-type]
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct scratch {
  long a, b;
};

static __always_inline long use_scratch(void) {
  struct scratch *s = bpf_obj_new(struct scratch); // expected-warning {{a kprobe program cannot call bpf_obj_new_impl; use a tc, xdp, syscall or fentry program (verifier: "calling kernel function bpf_obj_new_impl is not allowed") [bpflint-graph-kfunc-program-type]}}
  long r;
  if (!s)
    return 0;
  s->a = 1;
  r = s->a + s->b;
  bpf_obj_drop(s);
  return r;
}

// KERNEL-DAG: kprobe_alloc: reject: calling kernel function bpf_obj_new_impl is not allowed
SEC("kprobe/do_nanosleep")
int kprobe_alloc(void *ctx) {
  return use_scratch(); // the call in use_scratch() is reported
}

// KERNEL-DAG: kprobe_alloc_fixed: accept
SEC("tc")
int kprobe_alloc_fixed(void *ctx) {
  return use_scratch();
}

// KERNEL-DAG: socket_alloc: reject: calling kernel function bpf_obj_new_impl is not allowed
SEC("socket")
int socket_alloc(void *ctx) {
  struct scratch *s = bpf_obj_new(struct scratch); // expected-warning {{a socket_filter program cannot call bpf_obj_new_impl}}
  if (s)
    bpf_obj_drop(s);
  return 0;
}

// KERNEL-DAG: socket_alloc_fixed: accept
SEC("xdp")
int socket_alloc_fixed(void *ctx) {
  struct scratch *s = bpf_obj_new(struct scratch);
  if (s)
    bpf_obj_drop(s);
  return 0;
}

// Tracepoint programs may call them on 6.18.
// KERNEL-DAG: tracepoint_alloc: accept
SEC("tracepoint/syscalls/sys_enter_nanosleep")
int tracepoint_alloc(void *ctx) {
  return use_scratch();
}
