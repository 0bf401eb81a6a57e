// GRAPH-001 in a map value: the value type is in the program's BTF, whose
// struct records the kernel parses at load; an invalid one rejects the BTF,
// libbpf loads without it and bpf_obj_new fails.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %bpflint_cc -fsyntax-only -DFIXED -Xclang -verify=fixed %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DFIXED -c %s -o %t.fixed.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.fixed.o | FileCheck %s --check-prefix=KERNEL-FIXED %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.fixed.o
// OBJ: graph-root-without-contains-map.c:[[@LINE+38]]:{{[0-9]+}}: warning: bpf_obj_new without program BTF: the kernel rejects the object's BTF, since struct map_value has a graph root without a __contains tag (verifier: "bpf_obj_new/bpf_percpu_obj_new requires prog BTF") [bpflint-graph-root-without-contains]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct item {
  long data;
  struct bpf_list_node node;
};

struct map_value {
  struct bpf_spin_lock lock;
#ifndef FIXED
  struct bpf_list_head head; // expected-warning {{'head' is a bpf_list_head without a __contains(type, field) tag naming what it holds (verifier: "bpf_obj_new/bpf_percpu_obj_new requires prog BTF") [bpflint-graph-root-without-contains]}}
#else
  struct bpf_list_head head __contains(item, node);
#endif
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct map_value);
} queues SEC(".maps");

// KERNEL: push: reject: bpf_obj_new/bpf_percpu_obj_new requires prog BTF
// KERNEL-FIXED: push: accept
SEC("tc")
int push(void *ctx) {
  int key = 0;
  struct map_value *v = bpf_map_lookup_elem(&queues, &key);
  struct item *it;
  if (!v)
    return 0;
  it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&v->lock);
  bpf_list_push_back(&v->head, &it->node);
  bpf_spin_unlock(&v->lock);
  return 0;
}
