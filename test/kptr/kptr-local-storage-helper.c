// KPTR-023: local-storage maps (sk, inode, task, cgroup storage) go only to
// their own get/delete helpers (and bpf_kptr_xchg on their values); the
// generic map helpers refuse them, and the storage helpers refuse any other
// map (check_map_func_compatibility, both directions). Confirmed on 6.18.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";


struct task_ctx {
  struct bpf_cpumask __kptr *mask;
  __u64 runs;
};

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, 1 /* BPF_F_NO_PREALLOC */);
  __type(key, int);
  __type(value, struct task_ctx);
} task_ctxs SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, int);
  __type(value, struct task_ctx);
} by_pid SEC(".maps");

// Task storage is keyed by the task, not by a pid.
// KERNEL-DAG: lookup_by_pid: reject: cannot pass map_type 29 into func bpf_map_lookup_elem#1
SEC("syscall")
int lookup_by_pid(void *ctx) {
  int pid = bpf_get_current_task_btf()->pid;
  // OBJ: kptr-local-storage-helper.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_map_lookup_elem() is given local-storage map 'task_ctxs' (map type 29), which only its own storage helpers take (verifier: "cannot pass map_type %d into func %s#%d") [bpflint-kptr-local-storage-helper]
  struct task_ctx *t = bpf_map_lookup_elem(&task_ctxs, &pid); // expected-warning {{bpf_map_lookup_elem() cannot take local-storage map 'task_ctxs' (BPF_MAP_TYPE_TASK_STORAGE); use bpf_task_storage_get() (verifier: "cannot pass map_type 29 into func bpf_map_lookup_elem#1") [bpflint-kptr-local-storage-helper]}}
  if (t)
    t->runs++;
  return 0;
}

// KERNEL-DAG: lookup_by_pid_fixed: accept
SEC("syscall")
int lookup_by_pid_fixed(void *ctx) {
  struct task_ctx *t =
      bpf_task_storage_get(&task_ctxs, bpf_get_current_task_btf(), NULL, 0);
  if (t)
    t->runs++;
  return 0;
}

// KERNEL-DAG: clear_entry: reject: cannot pass map_type 29 into func bpf_map_delete_elem#3
SEC("syscall")
int clear_entry(void *ctx) {
  int pid = bpf_get_current_task_btf()->pid;
  // OBJ: kptr-local-storage-helper.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_map_delete_elem() is given local-storage map 'task_ctxs' {{.*}}[bpflint-kptr-local-storage-helper]
  bpf_map_delete_elem(&task_ctxs, &pid); // expected-warning {{bpf_map_delete_elem() cannot take local-storage map 'task_ctxs' (BPF_MAP_TYPE_TASK_STORAGE); use bpf_task_storage_delete()}}
  return 0;
}

// KERNEL-DAG: clear_entry_fixed: accept
SEC("syscall")
int clear_entry_fixed(void *ctx) {
  bpf_task_storage_delete(&task_ctxs, bpf_get_current_task_btf());
  return 0;
}

// The other direction: a task storage helper on a hash map.
// KERNEL-DAG: storage_get_hash: reject: cannot pass map_type 1 into func bpf_task_storage_get#156
SEC("syscall")
int storage_get_hash(void *ctx) {
  struct task_ctx *t =
      // OBJ: kptr-local-storage-helper.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_task_storage_get() is given map 'by_pid' of type 1, not BPF_MAP_TYPE_TASK_STORAGE {{.*}}[bpflint-kptr-local-storage-helper]
      bpf_task_storage_get(&by_pid, bpf_get_current_task_btf(), NULL, 0); // expected-warning {{bpf_task_storage_get() needs a BPF_MAP_TYPE_TASK_STORAGE map; 'by_pid' is BPF_MAP_TYPE_HASH (verifier: "cannot pass map_type 1 into func bpf_task_storage_get#156") [bpflint-kptr-local-storage-helper]}}
  if (t)
    t->runs++;
  return 0;
}

// KERNEL-DAG: storage_get_hash_fixed: accept
SEC("syscall")
int storage_get_hash_fixed(void *ctx) {
  int pid = bpf_get_current_task_btf()->pid;
  struct task_ctx *t = bpf_map_lookup_elem(&by_pid, &pid);
  if (t)
    t->runs++;
  return 0;
}
