/* kptr_test.h: kernel types and kfuncs for the kptr tests (RULES.md
 * section 4), in the shape of the kernel's selftests. The kernel matches a
 * kptr's pointee type by name against vmlinux BTF, so a complete (even if
 * abridged) local definition of a kernel struct is enough; a forward
 * declaration is not (KPTR-001). */
#ifndef BPFLINT_TEST_KPTR_TEST_H
#define BPFLINT_TEST_KPTR_TEST_H

#include "bpf_test.h"

#define __uptr __attribute__((btf_type_tag("uptr")))

struct bpf_cpumask {
  __u64 cpumask[1];
} __attribute__((preserve_access_index));
struct cpumask {
  __u64 bits[1];
} __attribute__((preserve_access_index));
struct task_struct {
  int pid;
  int tgid;
} __attribute__((preserve_access_index));
struct cgroup {
  int level;
} __attribute__((preserve_access_index));

/* kernel/bpf/cpumask.c (tracing, struct_ops and syscall programs). */
extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym __weak;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym __weak;
extern struct bpf_cpumask *
bpf_cpumask_acquire(struct bpf_cpumask *cpumask) __ksym __weak;
extern void bpf_cpumask_set_cpu(__u32 cpu,
                                struct bpf_cpumask *cpumask) __ksym __weak;
extern bool bpf_cpumask_test_cpu(__u32 cpu,
                                 const struct cpumask *cpumask) __ksym __weak;
/* kernel/bpf/helpers.c (generic kfuncs: tc, xdp, tracing, syscall ...). */
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
extern struct cgroup *bpf_cgroup_acquire(struct cgroup *cgrp) __ksym __weak;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym __weak;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void *bpf_percpu_obj_new_impl(__u64 local_type_id, void *meta) __ksym;
extern void bpf_percpu_obj_drop_impl(void *kptr, void *meta) __ksym;
#define bpf_percpu_obj_new(type)                                               \
  ((type __percpu_kptr *)bpf_percpu_obj_new_impl(bpf_core_type_id_local(type), \
                                                 NULL))
#define bpf_percpu_obj_drop(kptr) bpf_percpu_obj_drop_impl(kptr, NULL)

static void *(*bpf_this_cpu_ptr)(const void *percpu_ptr) = (void *)154;

#endif
