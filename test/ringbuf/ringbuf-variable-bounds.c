// RB-008 and RB-015 with variable offsets and sizes: a record written at an
// index, or bpf_ringbuf_output given a size, that the path does not bound.
// Only values the verifier knows nothing about either are reported (loads
// from a writable map value, bpf_get_prandom_u32() and friends), used at
// their own C type: then the path's range is the verifier's, and so is the
// message. Bad programs are flagged, their _fixed twins are silent, and the
// KERNEL lines are the running kernel's verdicts.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 %s 2>&1 | FileCheck %s --check-prefix=K61
// K61: "math between alloc_mem pointer and register with unbounded min value is not allowed"
// K61: "value %lld makes alloc_mem pointer be out of bounds"
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-checks=-ringbuf-access-out-of-bounds,-ringbuf-output-memory %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: warning
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// The bytecode layer judges the ranges the verifier has (index_converted
// too: in the object the conversion is explicit). index_s32_non_negative and
// output_size_s32 are reported only when the compiler sign-extends before
// the check: clang 22 compares the 32-bit halves (jmp32), whose signed
// bounds objcheck does not track, and then it stays silent.
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ
// RUN: %objcheck %t.o --program index_u32_unbounded_fixed --program index_s32_non_negative_fixed --program index_masked --program output_size_u32_fixed --program output_size_s32_fixed --program output_str_length

#include "ringbuf_test.h"

struct rec {
  __u32 n;
  char buf[64];
};

struct config {
  __u64 u64_index;
  __s64 s64_index;
  int s32_index;
  __u32 u32_index;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct config);
} cfg SEC(".maps");

#define LOOKUP_CONFIG(v)                                                       \
  struct config *v;                                                            \
  {                                                                            \
    __u32 k = 0;                                                               \
    v = bpf_map_lookup_elem(&cfg, &k);                                         \
    if (!v)                                                                    \
      return 0;                                                                \
  }
#define RESERVE(e)                                                             \
  struct rec *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);                     \
  if (!e)                                                                      \
    return 0

// KERNEL-DAG: index_u32_unbounded: reject: R{{[0-9]+}} unbounded memory access, make sure to bounds check any such access
SEC("tc")
int index_u32_unbounded(void *ctx) {
  __u32 i = bpf_get_prandom_u32();
  RESERVE(e);
  e->buf[i] = 1; // expected-warning {{ring buffer record written at an index that has no upper bound on this path; check the index against the size of the array first (verifier: "R%d unbounded memory access, make sure to bounds check any such access") [bpflint-ringbuf-access-out-of-bounds]}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: store to a ring buffer record of 68 bytes through R{{[0-9]+}} at an index that has no upper bound; reserve the size of what the record holds, or check the index first (verifier: "R%d unbounded memory access, make sure to bounds check any such access") [bpflint-ringbuf-access-out-of-bounds]
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: index_u32_unbounded_fixed: accept
SEC("tc")
int index_u32_unbounded_fixed(void *ctx) {
  __u32 i = bpf_get_prandom_u32();
  RESERVE(e);
  if (i < sizeof(e->buf))
    e->buf[i] = 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: index_u64_from_map: reject: math between ringbuf_mem pointer and register with unbounded min value is not allowed
SEC("tc")
int index_u64_from_map(void *ctx) {
  LOOKUP_CONFIG(v);
  RESERVE(e);
  e->buf[v->u64_index] = 1; // expected-warning {{ring buffer record written at an index that may have its sign bit set on this path; check the index against the size of the array first (verifier: "math between ringbuf_mem pointer and register with unbounded min value is not allowed")}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: the offset added to the ring buffer record in R{{[0-9]+}} may have its sign bit set; check the index against the size of the record first (verifier: "math between ringbuf_mem pointer and register with unbounded min value is not allowed")
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: index_s64_from_map: reject: math between ringbuf_mem pointer and register with unbounded min value is not allowed
SEC("tc")
int index_s64_from_map(void *ctx) {
  LOOKUP_CONFIG(v);
  RESERVE(e);
  e->buf[v->s64_index] = 1; // expected-warning {{index that may have its sign bit set on this path}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: the offset added to the ring buffer record in R{{[0-9]+}} may have its sign bit set
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: index_s32_from_map: reject: value -2147483648 makes ringbuf_mem pointer be out of bounds
SEC("tc")
int index_s32_from_map(void *ctx) {
  LOOKUP_CONFIG(v);
  RESERVE(e);
  e->buf[v->s32_index] = 1; // expected-warning {{ring buffer record written at an index that may be negative on this path; check the index against the size of the array first (verifier: "value %lld makes ringbuf_mem pointer be out of bounds")}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: the offset added to the ring buffer record in R{{[0-9]+}} may be -2147483648; check the index against the size of the record first (verifier: "value %lld makes ringbuf_mem pointer be out of bounds")
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// A lower bound alone is not enough.
// KERNEL-DAG: index_s32_non_negative: reject: R{{[0-9]+}} unbounded memory access, make sure to bounds check any such access
SEC("tc")
int index_s32_non_negative(void *ctx) {
  LOOKUP_CONFIG(v);
  RESERVE(e);
  int i = v->s32_index;
  if (i < 0) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  e->buf[i] = 1; // expected-warning {{index that has no upper bound on this path}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: index_s32_non_negative_fixed: accept
SEC("tc")
int index_s32_non_negative_fixed(void *ctx) {
  LOOKUP_CONFIG(v);
  RESERVE(e);
  int i = v->s32_index;
  if (i < 0 || i >= sizeof(e->buf)) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  e->buf[i] = 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: index_increment: reject: R{{[0-9]+}} unbounded memory access, make sure to bounds check any such access
SEC("tc")
int index_increment(void *ctx) {
  LOOKUP_CONFIG(v);
  RESERVE(e);
  e->buf[v->u32_index]++; // expected-warning {{index that has no upper bound on this path}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: load from a ring buffer record of 68 bytes through R{{[0-9]+}} at an index that has no upper bound
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// A mask bounds the index for the verifier.
// KERNEL-DAG: index_masked: accept
SEC("tc")
int index_masked(void *ctx) {
  LOOKUP_CONFIG(v);
  RESERVE(e);
  e->buf[v->u32_index & (sizeof(e->buf) - 1)]++;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: output_size_u32: reject: R{{[0-9]+}} unbounded memory access, use 'var &= const' or 'if (var < const)'
SEC("tc")
int output_size_u32(void *ctx) {
  LOOKUP_CONFIG(v);
  char buf[32] = {};
  __u32 n = v->u32_index;
  bpf_ringbuf_output(&rb, buf, n, 0); // expected-warning {{the size given to bpf_ringbuf_output() has no upper bound on this path; check it against the size of the data first (verifier: "R3 unbounded memory access, use 'var &= const' or 'if (var < const)'") [bpflint-ringbuf-output-memory]}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: the size given to bpf_ringbuf_output in R3 has no upper bound; check it against the size of the data first (verifier: "R3 unbounded memory access, use 'var &= const' or 'if (var < const)'") [bpflint-ringbuf-output-memory]
  return 0;
}

// KERNEL-DAG: output_size_u32_fixed: accept
SEC("tc")
int output_size_u32_fixed(void *ctx) {
  LOOKUP_CONFIG(v);
  char buf[32] = {};
  __u32 n = v->u32_index;
  if (n <= sizeof(buf))
    bpf_ringbuf_output(&rb, buf, n, 0);
  return 0;
}

// An upper bound alone is not enough for a signed size.
// KERNEL-DAG: output_size_s32: reject: R{{[0-9]+}} min value is negative, either use unsigned or 'var &= const'
SEC("tc")
int output_size_s32(void *ctx) {
  LOOKUP_CONFIG(v);
  int n = v->s32_index;
  if (n > 16)
    return 0;
  bpf_ringbuf_output(&rb, v, n, 0); // expected-warning {{the size given to bpf_ringbuf_output() may be negative on this path; check it first (verifier: "R3 min value is negative, either use unsigned or 'var &= const'")}}
  return 0;
}

// KERNEL-DAG: output_size_s32_fixed: accept
SEC("tc")
int output_size_s32_fixed(void *ctx) {
  LOOKUP_CONFIG(v);
  int n = v->s32_index;
  if (n > 16 || n < 0)
    return 0;
  bpf_ringbuf_output(&rb, v, n, 0);
  return 0;
}

// A u64 size may be negative as the verifier sees it (S64_MIN...).
// KERNEL-DAG: output_size_u64: reject: R{{[0-9]+}} min value is negative, either use unsigned or 'var &= const'
SEC("tc")
int output_size_u64(void *ctx) {
  LOOKUP_CONFIG(v);
  bpf_ringbuf_output(&rb, v, v->u64_index, 0); // expected-warning {{size given to bpf_ringbuf_output() may be negative}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: the size given to bpf_ringbuf_output in R3 may be negative; check it first (verifier: "R3 min value is negative, either use unsigned or 'var &= const'") [bpflint-ringbuf-output-memory]
  return 0;
}

// KERNEL-DAG: output_size_u64_large: reject: R{{[0-9]+}} unbounded memory access, use 'var &= const' or 'if (var < const)'
SEC("tc")
int output_size_u64_large(void *ctx) {
  LOOKUP_CONFIG(v);
  __u64 n = v->u64_index;
  if (n > (1ULL << 40))
    return 0;
  bpf_ringbuf_output(&rb, v, n, 0); // expected-warning {{size given to bpf_ringbuf_output() has no upper bound}}
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: the size given to bpf_ringbuf_output in R3 has no upper bound
  return 0;
}

// Not reported (the analyzer does not model the conversion the compiler
// emits, so the verifier's range is not the path's): an int holding a u32
// helper result, and helper results the verifier gives a range of its own.
// KERNEL-DAG: index_converted: reject: value -2147483648 makes ringbuf_mem pointer be out of bounds
SEC("tc")
int index_converted(void *ctx) {
  int i = bpf_get_prandom_u32();
  RESERVE(e);
  e->buf[i] = 1;
  // OBJ: ringbuf-variable-bounds.c:[[@LINE-1]]:{{[0-9]+}}: warning: the offset added to the ring buffer record in R{{[0-9]+}} may be -2147483648
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// bpf_probe_read_kernel_str returns at most the size of the buffer.
// KERNEL-DAG: output_str_length: accept
SEC("tc")
int output_str_length(void *ctx) {
  char buf[32];
  long n = bpf_probe_read_kernel_str(buf, sizeof(buf), ctx);
  if (n > 0)
    bpf_ringbuf_output(&rb, buf, n, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
