// GRAPH-006: list heads and rbtree roots live in HASH, LRU_HASH and ARRAY
// map values (and global sections). A local storage map whose value holds
// one cannot be created: the kernel refuses it with BTF (-EOPNOTSUPP),
// local storage needs BTF, so libbpf's retry without it fails and no
// program of the object loads. The corrected program is the same file built
// with -DFIXED (a hash map keyed by pid).
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
// OBJ: graph-map-type.c:[[@LINE+40]]:{{[0-9]+}}: warning: map 'per_task' cannot be created: a BPF_MAP_TYPE_TASK_STORAGE value holds a bpf_list_head; libbpf then fails to load the whole object (verifier: "map 'per_task': failed to create: Invalid argument(-22)") [bpflint-graph-map-type]
// OBJ: graph-map-type.c:[[@LINE+48]]:{{[0-9]+}}: warning: map 'per_task' cannot be created: a BPF_MAP_TYPE_TASK_STORAGE value holds a bpf_list_head; libbpf then fails to load the whole object (verifier: "map 'per_task': failed to create: Invalid argument(-22)") [bpflint-graph-map-type]
// k61-no-diagnostics
// fixed-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";


struct event {
  __u64 ts;
  struct bpf_list_node node;
};

struct task_events {
  struct bpf_spin_lock lock;
  struct bpf_list_head events __contains(event, node);
};

#ifndef FIXED
struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct task_events);
} per_task SEC(".maps"); // expected-warning {{map 'per_task' is a BPF_MAP_TYPE_TASK_STORAGE, whose values cannot hold a bpf_list_head ('events'); the kernel refuses to create it and the object does not load: use a BPF_MAP_TYPE_HASH or BPF_MAP_TYPE_ARRAY map (verifier: "map 'per_task': failed to create: Invalid argument(-22)") [bpflint-graph-map-type]}}
#else
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, int);
  __type(value, struct task_events);
} per_task SEC(".maps");
#endif

// Every program of the object fails, also one that does not use the map.
// KERNEL: nothing: reject: map create failed: map 'per_task': Invalid argument (errno 22)
// KERNEL-FIXED: nothing: accept
SEC("tc")
int nothing(void *ctx) { return 0; }

// KERNEL: record: reject: map create failed: map 'per_task': Invalid argument (errno 22)
// KERNEL-FIXED: record: accept
SEC("tc")
int record(void *ctx) {
#ifndef FIXED
  // Task storage is reached with its own helper (kptr-local-storage-helper).
  struct task_events *te =
      bpf_task_storage_get(&per_task, bpf_get_current_task_btf(), 0, 0);
#else
  int pid = bpf_get_prandom_u32();
  struct task_events *te = bpf_map_lookup_elem(&per_task, &pid);
#endif
  struct event *e;

  if (!te)
    return 0;
  e = bpf_obj_new(struct event);
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_spin_lock(&te->lock);
  bpf_list_push_back(&te->events, &e->node);
  bpf_spin_unlock(&te->lock);
  return 0;
}
