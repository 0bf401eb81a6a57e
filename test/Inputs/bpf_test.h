/* bpf_test.h: the subset of <linux/bpf.h>, <bpf/bpf_helpers.h> and
 * <bpf/bpf_helper_defs.h> that bpflint's tests use, written in libbpf's
 * style: helpers are function-pointer variables initialised with their
 * BPF_FUNC_* id, kfuncs are extern __ksym declarations. Programs built with
 * it load into a real kernel (the tests' oracle does exactly that). */
#ifndef BPFLINT_TEST_BPF_TEST_H
#define BPFLINT_TEST_BPF_TEST_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

/* <linux/bpf.h> */
struct bpf_spin_lock {
  __u32 val;
};

enum bpf_map_type {
  BPF_MAP_TYPE_HASH = 1,
  BPF_MAP_TYPE_ARRAY = 2,
  BPF_MAP_TYPE_PERCPU_HASH = 5,
  BPF_MAP_TYPE_PERCPU_ARRAY = 6,
  BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
  BPF_MAP_TYPE_LRU_HASH = 9,
  BPF_MAP_TYPE_RINGBUF = 27,
  BPF_MAP_TYPE_USER_RINGBUF = 31,
};

enum {
  BPF_RB_NO_WAKEUP = (1ULL << 0),
  BPF_RB_FORCE_WAKEUP = (1ULL << 1),
};

#define BPF_F_CURRENT_CPU 0xffffffffULL

enum {
  BPF_ANY = 0,
  BPF_NOEXIST = 1,
  BPF_EXIST = 2,
  BPF_F_LOCK = 4,
};

/* <bpf/bpf_helpers.h> */
#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int(*name)[val]
#define __type(name, val) typeof(val) *name
#define __ksym __attribute__((section(".ksyms")))
#define __always_inline inline __attribute__((always_inline))
#define __noinline __attribute__((noinline))

/* <bpf/bpf_core_read.h> */
enum bpf_type_info_kind {
  BPF_TYPE_EXISTS = 0,
  BPF_TYPE_SIZE = 1,
  BPF_TYPE_MATCHES = 2,
};
#define bpf_core_type_exists(type)                                             \
  __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)

/* <bpf/bpf_helper_defs.h> */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key,
                                   const void *value, __u64 flags) = (void *)2;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static __u64 (*bpf_ktime_get_ns)(void) = (void *)5;
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size,
                                ...) = (void *)6;
static __u32 (*bpf_get_prandom_u32)(void) = (void *)7;
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;
static long (*bpf_get_current_comm)(void *buf, __u32 size_of_buf) = (void *)16;
static long (*bpf_perf_event_output)(void *ctx, void *map, __u64 flags,
                                     void *data, __u64 size) = (void *)25;
static long (*bpf_spin_lock)(struct bpf_spin_lock *lock) = (void *)93;
static long (*bpf_spin_unlock)(struct bpf_spin_lock *lock) = (void *)94;
static long (*bpf_probe_read_kernel)(void *dst, __u32 size,
                                     const void *unsafe_ptr) = (void *)113;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size,
                                  __u64 flags) = (void *)130;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size,
                                    __u64 flags) = (void *)131;
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)132;
static void (*bpf_ringbuf_discard)(void *data, __u64 flags) = (void *)133;
static __u64 (*bpf_ringbuf_query)(void *ringbuf, __u64 flags) = (void *)134;

#endif
