// RB-003: bpf_user_ringbuf_drain takes only a BPF_MAP_TYPE_USER_RINGBUF map.
// The bad program is flagged, its _fixed twin is silent, and the KERNEL lines
// are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-user-ringbuf-map-type %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-user-ringbuf-map-type
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 256 * 1024);
} commands SEC(".maps");

struct command {
  __u32 op;
  __u32 arg;
};

static long handle_command(struct bpf_dynptr *dynptr, void *ctx) {
  struct command cmd;
  if (bpf_dynptr_read(&cmd, sizeof(cmd), dynptr, 0, 0))
    return 1;
  return 0;
}

// KERNEL-DAG: drain_ringbuf: reject: cannot pass map_type 27 into func bpf_user_ringbuf_drain#209
SEC("tc")
int drain_ringbuf(void *ctx) {
  return bpf_user_ringbuf_drain(&events, handle_command, NULL, 0); // expected-warning {{bpf_user_ringbuf_drain() needs a BPF_MAP_TYPE_USER_RINGBUF map; 'events' is BPF_MAP_TYPE_RINGBUF (map_type 27) (verifier: "cannot pass map_type 27 into func bpf_user_ringbuf_drain#209") [bpflint-ringbuf-user-ringbuf-map-type]}}
}

// KERNEL-DAG: drain_ringbuf_fixed: accept
SEC("tc")
int drain_ringbuf_fixed(void *ctx) {
  return bpf_user_ringbuf_drain(&commands, handle_command, NULL, 0);
}

char LICENSE[] SEC("license") = "GPL";
