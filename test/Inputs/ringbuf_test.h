/* Declarations for the ring buffer tests that bpf_test.h does not have:
 * dynptr slice kfuncs, as the kernel's selftests declare them. */
#ifndef BPFLINT_RINGBUF_TEST_H
#define BPFLINT_RINGBUF_TEST_H

#include "bpf_test.h"

extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset,
                              void *buffer__opt, __u32 buffer__szk) __ksym;
extern void *bpf_dynptr_slice_rdwr(const struct bpf_dynptr *p, __u32 offset,
                                   void *buffer__opt, __u32 buffer__szk) __ksym;

#endif
