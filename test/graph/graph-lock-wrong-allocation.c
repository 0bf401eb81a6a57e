// GRAPH-016: the lock held must be the one in the root's own allocation:
// the same map element (one lookup), the same global section, or the same
// object. The kernel prints "held lock and object are not in the same
// allocation", then the GRAPH-015 line.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify=expected -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// k61-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct node_data {
  long key;
  struct bpf_rb_node node;
};

struct item {
  long data;
  struct bpf_list_node node;
};

// Two sections, each a root and its lock (the selftests' private() idiom).
private(A) struct bpf_spin_lock lock_a;
private(A) struct bpf_rb_root root_a __contains(node_data, node);
private(B) struct bpf_spin_lock lock_b;
private(B) struct bpf_rb_root root_b __contains(node_data, node);

struct map_value {
  struct bpf_spin_lock lock;
  struct bpf_list_head head __contains(item, node);
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, int);
  __type(value, struct map_value);
} lists SEC(".maps");

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct node_data *na = container_of(a, struct node_data, node);
  struct node_data *nb = container_of(b, struct node_data, node);
  return na->key < nb->key;
}

// KERNEL-DAG: other_section: reject: bpf_spin_lock at off={{[0-9]+}} must be held for bpf_rb_root
SEC("tc")
int other_section(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&lock_b);
  bpf_rbtree_add(&root_a, &n->node, less); // expected-warning {{bpf_rbtree_add() while holding a lock of another allocation; the bpf_rb_root is protected by the bpf_spin_lock in its own map value, global section or object (verifier: "held lock and object are not in the same allocation", "bpf_spin_lock at off=%d must be held for bpf_rb_root") [bpflint-graph-lock-wrong-allocation]}}
  bpf_spin_unlock(&lock_b);
  return 0;
}

// KERNEL-DAG: other_section_fixed: accept
SEC("tc")
int other_section_fixed(void *ctx) {
  struct node_data *n = bpf_obj_new(struct node_data);
  if (!n)
    return 0;
  bpf_spin_lock(&lock_a);
  bpf_rbtree_add(&root_a, &n->node, less);
  bpf_spin_unlock(&lock_a);
  return 0;
}

// Two elements of one map: element 0's lock does not protect element 1's
// list.
// KERNEL-DAG: other_element: reject: bpf_spin_lock at off=0 must be held for bpf_list_head
SEC("tc")
int other_element(void *ctx) {
  int k0 = 0, k1 = 1;
  struct map_value *v0 = bpf_map_lookup_elem(&lists, &k0);
  struct map_value *v1 = bpf_map_lookup_elem(&lists, &k1);
  struct item *it;
  if (!v0 || !v1)
    return 0;
  it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&v0->lock);
  bpf_list_push_back(&v1->head, &it->node); // expected-warning {{bpf_list_push_back() while holding a lock of another allocation; the bpf_list_head is protected by the bpf_spin_lock in its own map value, global section or object (verifier: "held lock and object are not in the same allocation", "bpf_spin_lock at off=0 must be held for bpf_list_head") [bpflint-graph-lock-wrong-allocation]}}
  bpf_spin_unlock(&v0->lock);
  return 0;
}

// KERNEL-DAG: other_element_fixed: accept
SEC("tc")
int other_element_fixed(void *ctx) {
  int k1 = 1;
  struct map_value *v1 = bpf_map_lookup_elem(&lists, &k1);
  struct item *it;
  if (!v1)
    return 0;
  it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_spin_lock(&v1->lock);
  bpf_list_push_back(&v1->head, &it->node);
  bpf_spin_unlock(&v1->lock);
  return 0;
}
