// GRAPH-025: the list/rbtree nodes and roots and the bpf_refcount of an
// allocated object are opaque: only the kfuncs may read or write them.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o --program clear_node --program read_node | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck %t.o --program clear_node_fixed --program read_node_fixed
// OBJ: graph-direct-field-access.c:[[@LINE+27]]:{{[0-9]+}}: warning: store to the bpf_rb_node at offset 8 of struct node_data, an object from bpf_obj_new (verifier: "direct access to bpf_rb_node is disallowed") [bpflint-graph-direct-field-access]
// OBJ: graph-direct-field-access.c:[[@LINE+54]]:{{[0-9]+}}: warning: load from the bpf_rb_node at offset 8 of struct node_data, an object from bpf_obj_new (verifier: "direct access to bpf_rb_node is disallowed") [bpflint-graph-direct-field-access]
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct node_data {
  long key;
  struct bpf_rb_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_rb_root groot __contains(node_data, node);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct node_data, node)->key <
         container_of(b, struct node_data, node)->key;
}

// KERNEL-DAG: clear_node: reject: direct access to bpf_rb_node is disallowed
SEC("tc")
int clear_node(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  n->node.__opaque[0] = 0; // expected-warning {{field 'node' (bpf_rb_node) written directly; only the kfuncs may touch it (verifier: "direct access to bpf_rb_node is disallowed") [bpflint-graph-direct-field-access]}}
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}

// bpf_obj_new already initialises the node.
// KERNEL-DAG: clear_node_fixed: accept
SEC("tc")
int clear_node_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  n->key = 0;
  bpf_spin_lock(&glock);
  bpf_rbtree_add(&groot, &n->node, less);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: read_node: reject: direct access to bpf_rb_node is disallowed
SEC("tc")
int read_node(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  long x;
  if (!n)
    return 0;
  x = n->node.__opaque[1]; // expected-warning {{field 'node' (bpf_rb_node) read directly}}
  bpf_obj_drop(n);
  return x;
}

// KERNEL-DAG: read_node_fixed: accept
SEC("tc")
int read_node_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  long x;
  if (!n)
    return 0;
  x = n->key;
  bpf_obj_drop(n);
  return x;
}
