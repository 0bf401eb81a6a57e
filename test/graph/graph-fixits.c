// The graph checks' fix-its: a leaked bpf_obj_new object is dropped before
// the return it leaks at (on a line of its own, or with braces around an
// unbraced `if (...) return`), and bpf_obj_drop(&n->node) becomes
// bpf_obj_drop(n) (COM-004). No fix-it when the returned value still uses
// the object, or when no single variable holds it.
//
// RUN: %bpflint_cc -fsyntax-only -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s
// RUN: cp %s %t.c
// RUN: %bpflint_cc -fsyntax-only -Xclang -fixit %t.c 2>/dev/null || true
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=fixed -Xclang -verify-ignore-unexpected=note %t.c
// RUN: %clang_bpf -c %t.c -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

// `uses_object` keeps its leak: the fix-its make the rest of the file
// clean, and the kernel agrees.
// fixed-warning@* 1 {{neither dropped, inserted}}

struct item {
  long key;
  struct bpf_list_node node;
};

private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(item, node);

// KERNEL-DAG: own_line: accept
SEC("tc")
int own_line(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  it->key = bpf_get_prandom_u32();
  if (it->key & 1) {
    return 1;
  }
  // CHECK: fix-it:"{{.*}}":{[[@LINE-2]]:5-[[@LINE-2]]:5}:"bpf_obj_drop(it);\n    "
  bpf_spin_lock(&glock);
  bpf_list_push_back(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: unbraced: accept
SEC("tc")
int unbraced(void *ctx) {
  struct item *it;
  long key = bpf_get_prandom_u32();

  it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  if (key > 100)
    return 1;
  // CHECK: fix-it:"{{.*}}":{[[@LINE-1]]:5-[[@LINE-1]]:5}:"{ bpf_obj_drop(it); "
  // CHECK: fix-it:"{{.*}}":{[[@LINE-2]]:14-[[@LINE-2]]:14}:" }"
  it->key = key;
  bpf_spin_lock(&glock);
  bpf_list_push_front(&ghead, &it->node);
  bpf_spin_unlock(&glock);
  return 0;
}

// KERNEL-DAG: drop_node: accept
SEC("tc")
int drop_node(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  bpf_obj_drop(&it->node);
  // CHECK: fix-it:"{{.*}}":{[[@LINE-1]]:16-[[@LINE-1]]:25}:"it"
  return 0;
}

// The return reads the object: dropping it first would be a use after
// drop, so no fix-it.
// KERNEL-DAG: uses_object: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tc")
int uses_object(void *ctx) {
  struct item *it = bpf_obj_new(struct item);
  if (!it)
    return 0;
  it->key = 7;
  return it->key;
}
// CHECK-NOT: fix-it:
