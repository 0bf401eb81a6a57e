// RB-023: the 16 bytes of a dynptr are opaque. Reading them, or handing
// the dynptr to a helper as memory to read or write, is rejected while the
// dynptr is initialised (a ring buffer or a local dynptr). Bad programs are
// flagged, their _fixed twins are silent, and the KERNEL lines are the
// running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=expected,k61 -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-dynptr-opaque %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-dynptr-opaque
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, struct bpf_dynptr);
} saved SEC(".maps");

char scratch[16];

// KERNEL-DAG: read_bytes: reject: invalid read from stack off -16+0 size 8
SEC("tc")
int read_bytes(void *ctx) {
  struct bpf_dynptr dp;
  bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &dp);
  return *(volatile __u64 *)&dp; // expected-warning {{the bytes of a dynptr are read directly; a dynptr is opaque: read its data with bpf_dynptr_read() or a slice (verifier: "invalid read from stack off %d+%d size %d") [bpflint-ringbuf-dynptr-opaque]}}
}

// KERNEL-DAG: read_bytes_fixed: accept
SEC("tc")
int read_bytes_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 word = 0;
  bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &dp);
  bpf_dynptr_read(&word, sizeof(word), &dp, 0, 0);
  return word;
}

// Saving a ring buffer dynptr in a map copies its bytes.
// KERNEL-DAG: store_in_map: reject: invalid read from stack R3 off -16+0 size 16
SEC("tc")
int store_in_map(void *ctx) {
  struct bpf_dynptr dp;
  __u32 key = 0;
  bpf_ringbuf_reserve_dynptr(&events, 8, 0, &dp);
  bpf_map_update_elem(&saved, &key, &dp, 0); // expected-warning {{bpf_map_update_elem() is given the dynptr itself as memory to read; a dynptr is opaque: pass the data through bpf_dynptr_read/write or a slice (verifier: "invalid read from stack R%d off %d+%d size %d")}}
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: store_in_map_fixed: accept
SEC("tc")
int store_in_map_fixed(void *ctx) {
  struct bpf_dynptr dp;
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_reserve_dynptr(&events, sizeof(ts), 0, &dp);
  bpf_dynptr_write(&dp, 0, &ts, sizeof(ts), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// A helper told to write into the dynptr instead of into its data.
// KERNEL-DAG: helper_writes_dynptr: reject: potential write to dynptr at off=-16 disallowed
SEC("tc")
int helper_writes_dynptr(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  bpf_get_current_comm(&dp, 16); // newest-warning {{bpf_get_current_comm() is given the dynptr itself as memory to write; a dynptr is opaque: pass the data through bpf_dynptr_read/write or a slice (verifier: "potential write to dynptr at off=%d disallowed")}}
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: helper_writes_dynptr_fixed: accept
SEC("tc")
int helper_writes_dynptr_fixed(void *ctx) {
  struct bpf_dynptr dp;
  char comm[16];
  bpf_ringbuf_reserve_dynptr(&events, sizeof(comm), 0, &dp);
  bpf_get_current_comm(comm, sizeof(comm));
  bpf_dynptr_write(&dp, 0, comm, sizeof(comm), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// Once released, the slots are plain stack again: the kernel accepts.
// KERNEL-DAG: read_after_release_accepted: accept
SEC("tc")
int read_after_release_accepted(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp);
  bpf_ringbuf_discard_dynptr(&dp, 0);
  return *(volatile __u64 *)&dp;
}

char LICENSE[] SEC("license") = "GPL";
