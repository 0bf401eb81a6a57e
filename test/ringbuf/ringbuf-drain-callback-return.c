// RB-025: a bpf_user_ringbuf_drain callback must return 0 (continue) or 1
// (stop). Constant returns outside that range are flagged, the _fixed twins
// are silent, and the KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-drain-callback-return %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-drain-callback-return
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct command {
  __u32 op;
  __u32 arg;
};

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
} commands SEC(".maps");

// An error code returned the way ordinary functions do.
static long apply_command(struct bpf_dynptr *dynptr, void *ctx) {
  struct command cmd;
  if (bpf_dynptr_read(&cmd, sizeof(cmd), dynptr, 0, 0))
    return -1;
  return 0;
}

// KERNEL-DAG: error_code: reject: At callback return the register R0 has smin=-1 smax=-1 should have been in [0, 1]
SEC("tc")
int error_code(void *ctx) {
  bpf_user_ringbuf_drain(&commands, apply_command, NULL, 0); // newest-warning {{'apply_command' returns -1; a bpf_user_ringbuf_drain callback returns 0 to continue or 1 to stop (verifier: "At callback return the register R0 has smin=-1 smax=-1 should have been in [0, 1]") [bpflint-ringbuf-drain-callback-return]}} \
                                                                k61-warning {{(verifier: "At callback return the register R0 has value 0xffffffffffffffff should have been in (0x0; 0x1)")}}
  return 0;
}

// A short sample stops the drain.
static long apply_command_fixed(struct bpf_dynptr *dynptr, void *ctx) {
  struct command cmd;
  if (bpf_dynptr_read(&cmd, sizeof(cmd), dynptr, 0, 0))
    return 1;
  return 0;
}

// KERNEL-DAG: error_code_fixed: accept
SEC("tc")
int error_code_fixed(void *ctx) {
  bpf_user_ringbuf_drain(&commands, apply_command_fixed, NULL, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
