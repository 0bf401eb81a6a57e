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
/* As the running kernels' BTF has it (6.15+: a single u32); the verifier
 * matches the field by name and size. */
struct bpf_res_spin_lock {
  __u32 val;
};
struct bpf_dynptr {
  __u64 __opaque[2];
} __attribute__((aligned(8)));
struct bpf_list_head {
  __u64 __opaque[2];
} __attribute__((aligned(8)));
struct bpf_list_node {
  __u64 __opaque[3];
} __attribute__((aligned(8)));
struct bpf_rb_root {
  __u64 __opaque[2];
} __attribute__((aligned(8)));
struct bpf_rb_node {
  __u64 __opaque[4];
} __attribute__((aligned(8)));
struct bpf_refcount {
  __u32 __opaque[1];
} __attribute__((aligned(4)));
struct bpf_timer {
  __u64 __opaque[2];
} __attribute__((aligned(8)));
struct bpf_iter_num {
  __u64 __opaque[1];
} __attribute__((aligned(8)));
struct __sk_buff;
struct xdp_md;

enum bpf_map_type {
  BPF_MAP_TYPE_HASH = 1,
  BPF_MAP_TYPE_ARRAY = 2,
  BPF_MAP_TYPE_PERCPU_HASH = 5,
  BPF_MAP_TYPE_PERCPU_ARRAY = 6,
  BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
  BPF_MAP_TYPE_PROG_ARRAY = 3,
  BPF_MAP_TYPE_LRU_HASH = 9,
  BPF_MAP_TYPE_LRU_PERCPU_HASH = 10,
  BPF_MAP_TYPE_ARRAY_OF_MAPS = 12,
  BPF_MAP_TYPE_HASH_OF_MAPS = 13,
  BPF_MAP_TYPE_CGROUP_STORAGE = 19,
  BPF_MAP_TYPE_QUEUE = 22,
  BPF_MAP_TYPE_STACK = 23,
  BPF_MAP_TYPE_SK_STORAGE = 24,
  BPF_MAP_TYPE_INODE_STORAGE = 28,
  BPF_MAP_TYPE_TASK_STORAGE = 29,
  BPF_MAP_TYPE_CGRP_STORAGE = 32,
  BPF_MAP_TYPE_RINGBUF = 27,
  BPF_MAP_TYPE_USER_RINGBUF = 31,
};

enum {
  BPF_RB_NO_WAKEUP = (1ULL << 0),
  BPF_RB_FORCE_WAKEUP = (1ULL << 1),
};

enum {
  BPF_RB_AVAIL_DATA = 0,
  BPF_RB_RING_SIZE = 1,
  BPF_RB_CONS_POS = 2,
  BPF_RB_PROD_POS = 3,
};

enum {
  BPF_F_NO_PREALLOC = (1U << 0),
  BPF_F_NUMA_NODE = (1U << 2),
  BPF_F_RDONLY_PROG = (1U << 7),
  BPF_F_WRONLY_PROG = (1U << 8),
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
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#define __contains(name, node)                                                 \
  __attribute__((btf_decl_tag("contains:" #name ":" #node)))
#define private(name) SEC(".data." #name) __attribute__((aligned(8)))
#define __weak __attribute__((weak))
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
static long (*bpf_tail_call)(void *ctx, void *prog_array_map,
                             __u32 index) = (void *)12;
static long (*bpf_probe_read_kernel_str)(void *dst, __u32 size,
                                         const void *unsafe_ptr) = (void *)115;
static long (*bpf_for_each_map_elem)(void *map, void *callback_fn,
                                     void *callback_ctx,
                                     __u64 flags) = (void *)164;
static long (*bpf_loop)(__u32 nr_loops, void *callback_fn, void *callback_ctx,
                        __u64 flags) = (void *)181;
struct task_struct;
static void *(*bpf_task_storage_get)(void *map, struct task_struct *task,
                                     void *value, __u64 flags) = (void *)156;
static long (*bpf_task_storage_delete)(void *map,
                                       struct task_struct *task) = (void *)157;
static struct task_struct *(*bpf_get_current_task_btf)(void) = (void *)158;
static void *(*bpf_kptr_xchg)(void *dst, void *ptr) = (void *)194;
static long (*bpf_dynptr_from_mem)(void *data, __u32 size, __u64 flags,
                                   struct bpf_dynptr *ptr) = (void *)197;
static long (*bpf_ringbuf_reserve_dynptr)(void *ringbuf, __u32 size,
                                          __u64 flags,
                                          struct bpf_dynptr *ptr) = (void *)198;
static void (*bpf_ringbuf_submit_dynptr)(struct bpf_dynptr *ptr,
                                         __u64 flags) = (void *)199;
static void (*bpf_ringbuf_discard_dynptr)(struct bpf_dynptr *ptr,
                                          __u64 flags) = (void *)200;
static long (*bpf_dynptr_read)(void *dst, __u32 len,
                               const struct bpf_dynptr *src, __u32 offset,
                               __u64 flags) = (void *)201;
static long (*bpf_dynptr_write)(const struct bpf_dynptr *dst, __u32 offset,
                                void *src, __u32 len,
                                __u64 flags) = (void *)202;
static void *(*bpf_dynptr_data)(const struct bpf_dynptr *ptr, __u32 offset,
                                __u32 len) = (void *)203;
static long (*bpf_user_ringbuf_drain)(void *map, void *callback_fn, void *ctx,
                                      __u64 flags) = (void *)209;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size,
                                  __u64 flags) = (void *)130;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size,
                                    __u64 flags) = (void *)131;
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)132;
static void (*bpf_ringbuf_discard)(void *data, __u64 flags) = (void *)133;
static __u64 (*bpf_ringbuf_query)(void *ringbuf, __u64 flags) = (void *)134;

/* kfuncs (extern __ksym, as libbpf and the kernel's selftests declare
 * them; the _impl forms take a hidden BTF type id argument). */
extern void *bpf_obj_new_impl(__u64 local_type_id, void *meta) __ksym;
extern void bpf_obj_drop_impl(void *kptr, void *meta) __ksym;
extern void *bpf_refcount_acquire_impl(void *kptr, void *meta) __ksym;
extern int bpf_list_push_front_impl(struct bpf_list_head *head,
                                    struct bpf_list_node *node, void *meta,
                                    __u64 off) __ksym;
extern int bpf_list_push_back_impl(struct bpf_list_head *head,
                                   struct bpf_list_node *node, void *meta,
                                   __u64 off) __ksym;
extern struct bpf_list_node *
bpf_list_pop_front(struct bpf_list_head *head) __ksym;
extern struct bpf_list_node *
bpf_list_pop_back(struct bpf_list_head *head) __ksym;
extern int bpf_rbtree_add_impl(struct bpf_rb_root *root,
                               struct bpf_rb_node *node,
                               bool (*less)(struct bpf_rb_node *a,
                                            const struct bpf_rb_node *b),
                               void *meta, __u64 off) __ksym;
extern struct bpf_rb_node *bpf_rbtree_remove(struct bpf_rb_root *root,
                                             struct bpf_rb_node *node) __ksym;
extern struct bpf_rb_node *bpf_rbtree_first(struct bpf_rb_root *root) __ksym;
extern int bpf_res_spin_lock(struct bpf_res_spin_lock *lock) __ksym __weak;
extern void bpf_res_spin_unlock(struct bpf_res_spin_lock *lock) __ksym __weak;
extern int bpf_res_spin_lock_irqsave(struct bpf_res_spin_lock *lock,
                                     unsigned long *flags) __ksym __weak;
extern void bpf_res_spin_unlock_irqrestore(struct bpf_res_spin_lock *lock,
                                           unsigned long *flags) __ksym __weak;
extern void bpf_local_irq_save(unsigned long *flags) __ksym __weak;
extern void bpf_local_irq_restore(unsigned long *flags) __ksym __weak;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;

#define bpf_core_type_id_local(type)                                           \
  __builtin_btf_type_id(*(typeof(type) *)0, 0)
#define bpf_obj_new(type)                                                      \
  ((type *)bpf_obj_new_impl(bpf_core_type_id_local(type), NULL))
#define bpf_obj_drop(kptr) bpf_obj_drop_impl(kptr, NULL)
#define bpf_refcount_acquire(kptr) bpf_refcount_acquire_impl(kptr, NULL)
#define bpf_list_push_front(head, node)                                        \
  bpf_list_push_front_impl(head, node, NULL, 0)
#define bpf_list_push_back(head, node)                                         \
  bpf_list_push_back_impl(head, node, NULL, 0)
#define bpf_rbtree_add(head, node, less)                                       \
  bpf_rbtree_add_impl(head, node, less, NULL, 0)
#define container_of(ptr, type, member)                                        \
  ((type *)((void *)(ptr) - __builtin_offsetof(type, member)))

#endif
