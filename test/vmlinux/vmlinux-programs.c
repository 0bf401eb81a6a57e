// Real-world shape: a vmlinux.h generated from the running kernel's BTF and
// the system's libbpf headers, CO-RE reads of kernel structures. bpflint
// must flag the bad programs and nothing else in 130k lines of kernel types.
//
// REQUIRES: vmlinux
// RUN: %clang_bpf_sys -I%vmlinux_dir -fplugin=%bpflint_so -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf_sys -I%vmlinux_dir -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

struct exec_event {
  __u32 pid;
  __u32 ppid;
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct exec_count {
  struct bpf_spin_lock lock;
  __u64 execs;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, struct exec_count);
} counts SEC(".maps");

// KERNEL-DAG: exec_events: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("tp/sched/sched_process_exec")
int exec_events(void *ctx) {
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); // expected-note {{record reserved here}}
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  e->ppid = BPF_CORE_READ(task, real_parent, tgid);
  if (bpf_get_current_comm(e->comm, sizeof(e->comm)) < 0)
    return 0; // expected-warning {{ring buffer record is neither submitted nor discarded on this path}}
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: exec_events_fixed: accept
SEC("tp/sched/sched_process_exec")
int exec_events_fixed(void *ctx) {
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  e->ppid = BPF_CORE_READ(task, real_parent, tgid);
  if (bpf_get_current_comm(e->comm, sizeof(e->comm)) < 0) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// Spin locks are not for tracepoints: the lock programs are tc programs.
// KERNEL-DAG: count_by_mark: reject: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
SEC("tc")
int count_by_mark(struct __sk_buff *skb) {
  __u32 mark = skb->mark;
  struct exec_count *c = bpf_map_lookup_elem(&counts, &mark);
  if (!c)
    return 0;
  bpf_spin_lock(&c->lock); // expected-note {{lock 'c->lock' taken here}}
  if (c->execs == (__u64)-1)
    return 0; // expected-warning {{bpf_spin_lock is still held when the program returns}}
  c->execs++;
  bpf_spin_unlock(&c->lock);
  return 0;
}

// KERNEL-DAG: count_by_mark_fixed: accept
SEC("tc")
int count_by_mark_fixed(struct __sk_buff *skb) {
  __u32 mark = skb->mark;
  struct exec_count *c = bpf_map_lookup_elem(&counts, &mark);
  if (!c)
    return 0;
  bpf_spin_lock(&c->lock);
  if (c->execs != (__u64)-1)
    c->execs++;
  bpf_spin_unlock(&c->lock);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
