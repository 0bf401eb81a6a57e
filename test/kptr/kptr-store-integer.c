// KPTR-011: an unreferenced (__kptr_untrusted) kptr field holds NULL or a
// pointer of its type; a non-zero integer stored into it is rejected. What
// the kernel says depends on the instructions: with -mcpu=v4 clang stores
// small constants with BPF_ST (the immediate must be 0); otherwise the
// value goes through a register, which is a scalar, not a pointer. On 6.1
// `__kptr_untrusted` is unknown and the field is plain memory.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=reg -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -mcpu=v4 -fsyntax-only -Xclang -verify=imm -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -mcpu=v4 -c %s -o %t4.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefixes=OBJ,OBJ3 --implicit-check-not=warning:
// RUN: not %objcheck %t4.o | FileCheck %s --check-prefixes=OBJ,OBJ4 --implicit-check-not=warning:
// RUN: %objcheck %t.o --program keep_task_fixed --program poison_fixed --program store_pid_fixed
// RUN: %objcheck %t4.o --program keep_task_fixed --program poison_fixed --program store_pid_fixed
// RUN: %objcheck --kernel 6.1 %t.o
// RUN: %if kernel-oracle %{ %oracle %t4.o | FileCheck %s --check-prefix=KERNEL4 %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// k61-no-diagnostics

struct seen {
  struct task_struct __kptr_untrusted *last;
  __u64 count;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct seen);
} seen_map SEC(".maps");

// Keeps struct task_struct complete in BTF (KPTR-001).
// KERNEL-DAG: keep_task_fixed: accept
// KERNEL4-DAG: keep_task_fixed: accept
SEC("tc")
int keep_task_fixed(void *ctx) {
  struct task_struct *t = bpf_task_from_pid(1);
  if (t)
    bpf_task_release(t);
  return 0;
}

// A "poisoned" marker instead of NULL.
// KERNEL-DAG: poison: reject: invalid kptr access, R1 type=scalar expected=ptr_task_struct or untrusted_ptr_task_struct
// KERNEL4-DAG: poison: reject: BPF_ST imm must be 0 when storing to kptr at off=0
SEC("tc")
int poison(void *ctx) {
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  // OBJ3: kptr-store-integer.c:[[@LINE+3]]:{{[0-9]+}}: warning: store of R{{[0-9]+}} (scalar(1)) into the unreferenced kptr field at offset 0 of a value of map 'seen_map', which holds NULL or a pointer to struct task_struct (verifier: "invalid kptr access, R%d type=scalar expected=%s%s or %s%s") [bpflint-kptr-store-integer]
  // OBJ4: kptr-store-integer.c:[[@LINE+2]]:{{[0-9]+}}: warning: store of the constant 1 into the kptr field at offset 0 of a value of map 'seen_map' (only 0, i.e. NULL, may be stored as an immediate) (verifier: "BPF_ST imm must be 0 when storing to kptr at off=%u") [bpflint-kptr-store-integer]
  // (objcheck: the register store is KPTR-011's "register" variant.)
  s->last = (void *)1; // reg-warning {{stores an integer into kptr field 'last'; an unreferenced kptr holds NULL or a pointer to 'struct task_struct' (verifier: "invalid kptr access, R%d type=scalar expected=ptr_task_struct or untrusted_ptr_task_struct") [bpflint-kptr-store-integer]}} imm-warning {{(verifier: "BPF_ST imm must be 0 when storing to kptr at off=0")}}
  return 0;
}

// KERNEL-DAG: poison_fixed: accept
// KERNEL4-DAG: poison_fixed: accept
SEC("tc")
int poison_fixed(void *ctx) {
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  s->last = NULL;
  s->count = 1;
  return 0;
}

// A pid where a task pointer belongs (always a register): a value computed
// at run time that cannot be 0 here. bpflint reads a local variable's value;
// other computed expressions are a known gap (no report).
// KERNEL-DAG: store_pid: reject: invalid kptr access, R{{[0-9]}} type=scalar expected=ptr_task_struct or untrusted_ptr_task_struct
// KERNEL4-DAG: store_pid: reject: invalid kptr access, R{{[0-9]}} type=scalar expected=ptr_task_struct or untrusted_ptr_task_struct
SEC("tc")
int store_pid(void *ctx) {
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  __u64 pid = bpf_get_current_pid_tgid();
  if (!pid)
    return 0;
  // OBJ: kptr-store-integer.c:[[@LINE+1]]:{{[0-9]+}}: warning: store of R{{[0-9]+}} (scalar(umin=1)) into the unreferenced kptr field at offset 0 {{.*}}[bpflint-kptr-store-integer]
  s->last = (struct task_struct *)pid; // reg-warning {{stores an integer into kptr field 'last'; an unreferenced kptr holds NULL or a pointer to 'struct task_struct' (verifier: "invalid kptr access, R%d type=scalar expected=ptr_task_struct or untrusted_ptr_task_struct") [bpflint-kptr-store-integer]}} imm-warning {{(verifier: "invalid kptr access, R%d type=scalar expected=ptr_task_struct or untrusted_ptr_task_struct")}}
  return 0;
}

// The pid goes into a scalar field; the kptr field is cleared only when the
// computed value is known to be 0, which the verifier accepts.
// KERNEL-DAG: store_pid_fixed: accept
// KERNEL4-DAG: store_pid_fixed: accept
SEC("tc")
int store_pid_fixed(void *ctx) {
  int key = 0;
  struct seen *s = bpf_map_lookup_elem(&seen_map, &key);
  if (!s)
    return 0;
  __u64 pid = bpf_get_current_pid_tgid();
  s->count = pid;
  if (pid == 0)
    s->last = (struct task_struct *)pid;
  return 0;
}
