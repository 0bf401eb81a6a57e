// Realistic, correct programs that use locks: bpflint must report nothing,
// and the running kernel must load every one of them.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL --implicit-check-not=reject %}

#include "bpf_test.h"

// expected-no-diagnostics

struct flow_key {
  __u32 saddr, daddr;
  __u16 sport, dport;
  __u32 proto;
};

struct flow_stats {
  struct bpf_spin_lock lock;
  __u64 packets;
  __u64 bytes;
  __u64 first_ns, last_ns;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16384);
  __type(key, struct flow_key);
  __type(value, struct flow_stats);
} flows SEC(".maps");

struct histogram {
  struct bpf_spin_lock lock;
  __u64 slots[16];
  __u64 total;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct histogram);
} hists SEC(".maps");

// Global state behind a lock in its own section (the private(A) idiom).
struct bpf_spin_lock glock private(G);
__u64 gpackets private(G);
__u64 gmax private(G);

static __always_inline __u32 log2_slot(__u64 v) {
  __u32 slot = 0;
  for (int i = 0; i < 15 && v > 1; i++) {
    v >>= 1;
    slot++;
  }
  return slot;
}

static __always_inline void account(struct flow_stats *s, __u64 len,
                                    __u64 now) {
  s->packets++;
  s->bytes += len;
  s->last_ns = now;
}

// KERNEL-DAG: flow_stats_update: accept
SEC("tc")
int flow_stats_update(struct __sk_buff *skb) {
  struct flow_key key = {.proto = 6};
  __u64 now = bpf_ktime_get_ns();
  __u64 len = bpf_get_prandom_u32() & 0xffff;
  struct flow_stats *s = bpf_map_lookup_elem(&flows, &key);
  if (!s) {
    struct flow_stats init = {.packets = 1, .bytes = len, .first_ns = now,
                              .last_ns = now};
    bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
    return 0;
  }
  bpf_spin_lock(&s->lock);
  account(s, len, now);
  bpf_spin_unlock(&s->lock);
  return 0;
}

// Early exits inside the critical section, each one unlocking.
// KERNEL-DAG: histogram_update: accept
SEC("tc")
int histogram_update(struct __sk_buff *skb) {
  __u32 key = bpf_get_prandom_u32() & 3;
  __u64 value = bpf_get_prandom_u32();
  __u32 slot = log2_slot(value);
  struct histogram *h = bpf_map_lookup_elem(&hists, &key);
  if (!h)
    return 0;
  bpf_spin_lock(&h->lock);
  if (h->total == (__u64)-1) {
    bpf_spin_unlock(&h->lock);
    return 0;
  }
  if (slot < 16)
    h->slots[slot]++;
  h->total++;
  bpf_spin_unlock(&h->lock);
  return 0;
}

// Lock only when needed, with the decision kept in a local.
// KERNEL-DAG: conditional_locking: accept
SEC("tc")
int conditional_locking(struct __sk_buff *skb) {
  __u32 key = 0;
  bool sample = bpf_get_prandom_u32() % 8 == 0;
  struct histogram *h = bpf_map_lookup_elem(&hists, &key);
  if (!h)
    return 0;
  if (sample)
    bpf_spin_lock(&h->lock);
  if (sample) {
    h->total++;
    bpf_spin_unlock(&h->lock);
  }
  return 0;
}

// A global lock around global counters.
// KERNEL-DAG: global_counters: accept
SEC("xdp")
int global_counters(struct xdp_md *ctx) {
  __u64 len = bpf_get_prandom_u32() & 0xfff;
  bpf_spin_lock(&glock);
  gpackets++;
  if (len > gmax)
    gmax = len;
  bpf_spin_unlock(&glock);
  return 2;
}

// Lock and unlock in separate static helpers (an acquire/release pair).
static __always_inline struct flow_stats *lock_flow(struct flow_key *key) {
  struct flow_stats *s = bpf_map_lookup_elem(&flows, key);
  if (s)
    bpf_spin_lock(&s->lock);
  return s;
}

static __always_inline void unlock_flow(struct flow_stats *s) {
  bpf_spin_unlock(&s->lock);
}

// KERNEL-DAG: lock_helpers: accept
SEC("tc")
int lock_helpers(struct __sk_buff *skb) {
  struct flow_key key = {.proto = 17};
  struct flow_stats *s = lock_flow(&key);
  if (!s)
    return 0;
  s->packets++;
  unlock_flow(s);
  return 0;
}

// A static subprogram called under the lock (6.9+).
static __noinline void reset_stats(struct flow_stats *s) {
  s->packets = 0;
  s->bytes = 0;
}

// KERNEL-DAG: subprog_under_lock: accept
SEC("tc")
int subprog_under_lock(struct __sk_buff *skb) {
  struct flow_key key = {};
  struct flow_stats *s = bpf_map_lookup_elem(&flows, &key);
  if (!s)
    return 0;
  bpf_spin_lock(&s->lock);
  if (s->bytes > (1ULL << 40))
    reset_stats(s);
  bpf_spin_unlock(&s->lock);
  return 0;
}

// Visit several elements, one lock at a time.
// KERNEL-DAG: loop_of_critical_sections: accept
SEC("tc")
int loop_of_critical_sections(struct __sk_buff *skb) {
  __u64 sum = 0;
#pragma clang loop unroll(full)
  for (__u32 i = 0; i < 4; i++) {
    __u32 key = i;
    struct histogram *h = bpf_map_lookup_elem(&hists, &key);
    if (!h)
      continue;
    bpf_spin_lock(&h->lock);
    sum += h->total;
    bpf_spin_unlock(&h->lock);
  }
  return sum > 1000;
}

// An object of the program's own type, with a lock in it.
struct job {
  struct bpf_spin_lock lock;
  __u64 state;
};

// KERNEL-DAG: allocated_object_lock: accept
SEC("tc")
int allocated_object_lock(struct __sk_buff *skb) {
  struct job *j = bpf_obj_new(struct job);
  if (!j)
    return 0;
  bpf_spin_lock(&j->lock);
  j->state = 1;
  bpf_spin_unlock(&j->lock);
  bpf_obj_drop(j);
  return 0;
}

// Per-cgroup storage: bpf_get_local_storage never returns NULL.
struct bpf_cgroup_storage_key {
  __u64 cgroup_inode_id;
  __u32 attach_type;
};

struct {
  __uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
  __type(key, struct bpf_cgroup_storage_key);
  __type(value, struct flow_stats);
} cgroup_stats SEC(".maps");

static long (*bpf_get_local_storage)(void *map, __u64 flags) = (void *)81;

// KERNEL-DAG: cgroup_storage: accept
SEC("cgroup_skb/egress")
int cgroup_storage(struct __sk_buff *skb) {
  struct flow_stats *s = (void *)bpf_get_local_storage(&cgroup_stats, 0);
  bpf_spin_lock(&s->lock);
  s->packets++;
  bpf_spin_unlock(&s->lock);
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
