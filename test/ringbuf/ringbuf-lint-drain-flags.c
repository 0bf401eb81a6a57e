// RB-028 (lint): bpf_user_ringbuf_drain flags that make every call fail with
// -EINVAL. The kernel loads both programs.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-lint-* %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-lint
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 256 * 1024);
} commands SEC(".maps");

static long handle(struct bpf_dynptr *dynptr, void *ctx) {
  __u32 op;
  if (bpf_dynptr_read(&op, sizeof(op), dynptr, 0, 0))
    return 1;
  return 0;
}

// KERNEL-DAG: drain_both_wakeups: accept
SEC("tc")
int drain_both_wakeups(void *ctx) {
  return bpf_user_ringbuf_drain(&commands, handle, NULL, BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP); // expected-warning {{bpf_user_ringbuf_drain() with flags 3 always fails with -EINVAL: pass 0, BPF_RB_NO_WAKEUP or BPF_RB_FORCE_WAKEUP [bpflint-ringbuf-lint-drain-flags]}}
}

// KERNEL-DAG: drain_both_wakeups_fixed: accept
SEC("tc")
int drain_both_wakeups_fixed(void *ctx) {
  return bpf_user_ringbuf_drain(&commands, handle, NULL, BPF_RB_FORCE_WAKEUP);
}

char LICENSE[] SEC("license") = "GPL";
