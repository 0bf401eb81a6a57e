// RB-001: ring buffer map definitions the kernel refuses to create. One bad
// map makes libbpf fail the whole object, so each bad definition is its own
// build (-DBAD=n), and the corrected maps are the build without BAD. A size
// that is not a power of 2 is fine: libbpf rounds it up before creating the
// map (confirmed on 6.18).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=fixed %s
// RUN: %bpflint_cc -fsyntax-only -DBAD=1 -Xclang -verify=bad1 %s
// RUN: %bpflint_cc -fsyntax-only -DBAD=2 -Xclang -verify=bad2 %s
// RUN: %bpflint_cc -fsyntax-only -DBAD=3 -fplugin-arg-bpflint-kernel=6.18 -Xclang -verify=bad3 %s
// RUN: %bpflint_cc -fsyntax-only -DBAD=3 -Xclang -verify=fixed %s
// RUN: %bpflint_cc -fsyntax-only -DBAD=4 -Xclang -verify=bad4 %s
// RUN: %bpflint_cc -fsyntax-only -DBAD=1 -fplugin-arg-bpflint-checks=-ringbuf-map-definition %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: ringbuf-map-definition
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DBAD=1 -c %s -o %t.1.o
// RUN: %clang_bpf -DBAD=2 -c %s -o %t.2.o
// RUN: %clang_bpf -DBAD=3 -c %s -o %t.3.o
// RUN: %clang_bpf -DBAD=4 -c %s -o %t.4.o
// The bytecode layer reads the same definitions from the object's BTF and
// reports them for every program (libbpf creates all maps first):
// RUN: %objcheck %t.o
// RUN: not %objcheck %t.1.o | FileCheck %s --check-prefix=OBJ1
// RUN: not %objcheck %t.2.o | FileCheck %s --check-prefix=OBJ2
// RUN: not %objcheck --kernel 6.18 %t.3.o | FileCheck %s --check-prefix=OBJ3
// RUN: %objcheck %t.3.o
// RUN: not %objcheck %t.4.o | FileCheck %s --check-prefix=OBJ4
// In a compile both layers see it; the user sees it once (at the map):
// RUN: %bpflint_cc -DBAD=1 -c %s -o %t.p1.o 2>&1 | FileCheck %s --check-prefix=ONCE --implicit-check-not=warning:
// ONCE: ringbuf-map-definition.c:[[@LINE+36]]:{{[0-9]+}}: warning: ring buffer map 'events' cannot be created
// OBJ1: warning: ring buffer map 'events' cannot be created: its max_entries (the ring size in bytes) is missing or 0; libbpf then fails to load the whole object (verifier: "map 'events': failed to create: Invalid argument(-22)") [bpflint-ringbuf-map-definition]
// OBJ2: warning: ring buffer map 'events' cannot be created: it has a key; ring buffers take no key
// OBJ3: warning: ring buffer map 'events' cannot be created: map_flags 1 has flags other than BPF_F_NUMA_NODE
// OBJ4: warning: user ring buffer map 'samples' cannot be created: it has a value type; ring buffers take no value
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.1.o | FileCheck %s --check-prefix=KERNEL-BAD1 %}
// RUN: %if kernel-oracle %{ %oracle %t.2.o | FileCheck %s --check-prefix=KERNEL-BAD2 %}
// RUN: %if kernel-oracle %{ %oracle %t.3.o | FileCheck %s --check-prefix=KERNEL-BAD3 %}
// RUN: %if kernel-oracle %{ %oracle %t.4.o | FileCheck %s --check-prefix=KERNEL-BAD4 %}

#include "bpf_test.h"

// fixed-no-diagnostics

#ifndef BAD
#define BAD 0
#endif

// KERNEL-BAD1: produce: reject: map create failed: map 'events': Invalid argument (errno 22)
// KERNEL-BAD2: produce: reject: map create failed: map 'events': Invalid argument (errno 22)
// KERNEL-BAD3: produce: reject: map create failed: map 'events': Invalid argument (errno 22)
struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
#if BAD != 1
  // 3 pages: libbpf creates a 4-page ring.
  __uint(max_entries, 3 * 4096);
#endif
#if BAD == 2
  __type(key, __u32);
#endif
#if BAD == 3
  __uint(map_flags, 1); // BPF_F_NO_PREALLOC
#else
  __uint(map_flags, 4); // BPF_F_NUMA_NODE
#endif
} events SEC(".maps"); // bad1-warning {{ring buffer map 'events' cannot be created: its max_entries (the ring size in bytes) is missing or 0; libbpf then fails to load the whole object (verifier: "map 'events': failed to create: Invalid argument(-22)") [bpflint-ringbuf-map-definition]}} \
                          bad2-warning {{ring buffer map 'events' cannot be created: it has a key; ring buffers take no key}} \
                          bad3-warning {{ring buffer map 'events' cannot be created: map_flags 1 has flags other than BPF_F_NUMA_NODE}}

// KERNEL-BAD4: produce: reject: map create failed: map 'samples': Invalid argument (errno 22)
struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
#if BAD == 4
  __uint(value_size, 8);
#endif
} samples SEC(".maps"); // bad4-warning {{user ring buffer map 'samples' cannot be created: it has a value type; ring buffers take no value}}

static long count_sample(struct bpf_dynptr *dynptr, void *ctx) {
  return 0;
}

// KERNEL: produce: accept
SEC("tc")
int produce(void *ctx) {
  __u64 ts = bpf_ktime_get_ns();
  bpf_ringbuf_output(&events, &ts, sizeof(ts), 0);
  bpf_user_ringbuf_drain(&samples, count_sample, NULL, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
