// KPTR-008: helpers may not read or write the bytes of a kptr field: a
// buffer argument that covers it, or a map value used as another map's key
// or value. Buffers that stay clear of the field are fine.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:

#include "kptr_owner_test.h"

// KERNEL-DAG: keep_task_fixed: accept

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct owner);
} history SEC(".maps");

// Snapshotting kernel memory over the whole value.
// KERNEL-DAG: snapshot: reject: kptr cannot be accessed indirectly by helper
SEC("tc")
int snapshot(struct __sk_buff *skb) {
  LOOKUP();
  // OBJ: kptr-helper-access.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_probe_read_kernel reads or writes bytes 0..31 of a value of map 'owners' (argument R1), which cover its kptr field at offset 8 (verifier: "%s cannot be accessed indirectly by helper") [bpflint-kptr-helper-access]
  bpf_probe_read_kernel(o, sizeof(*o), (void *)skb); // expected-warning {{argument 1 of bpf_probe_read_kernel() covers kptr field 'task' of a map value; helpers may not read or write kptr fields (verifier: "kptr cannot be accessed indirectly by helper") [bpflint-kptr-helper-access]}}
  return 0;
}

// KERNEL-DAG: snapshot_fixed: accept
SEC("tc")
int snapshot_fixed(struct __sk_buff *skb) {
  LOOKUP();
  bpf_probe_read_kernel(o->slots, sizeof(o->slots), (void *)skb);
  return 0;
}

// Copying the value into another map.
// KERNEL-DAG: archive: reject: kptr cannot be accessed indirectly by helper
SEC("tc")
int archive(void *ctx) {
  LOOKUP();
  // OBJ: kptr-helper-access.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_map_update_elem reads or writes bytes 0..31 of a value of map 'owners' (argument R3), {{.*}}[bpflint-kptr-helper-access]
  bpf_map_update_elem(&history, &key, o, BPF_ANY); // expected-warning {{argument 3 of bpf_map_update_elem() covers kptr field 'task'}}
  return 0;
}

// Copy the plain fields through the stack; the kptr stays where it is.
// KERNEL-DAG: archive_fixed: accept
SEC("tc")
int archive_fixed(void *ctx) {
  LOOKUP();
  struct owner copy = {.hits = o->hits};
  copy.slots[0] = o->slots[0];
  copy.slots[1] = o->slots[1];
  bpf_map_update_elem(&history, &key, &copy, BPF_ANY);
  return 0;
}
