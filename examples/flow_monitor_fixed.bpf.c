// SPDX-License-Identifier: GPL-2.0
/* flow_monitor_fixed: flow_monitor.bpf.c with both bugs fixed. The kernel
 * verifier accepts it and bpflint reports nothing.
 */
#include <linux/bpf.h>
#define TC_ACT_OK 0 /* as in <linux/pkt_cls.h> */
#include <bpf/bpf_helpers.h>

#define MAX_FLOWS 4096
#define LARGE_FLOW_BYTES (1 << 20)

struct flow_key {
  __u32 ifindex;
  __u32 hash;
};

struct flow_stats {
  struct bpf_spin_lock lock;
  __u64 packets;
  __u64 bytes;
  __u64 last_seen_ns;
};

struct flow_event {
  struct flow_key key;
  __u64 bytes;
  __u32 kind;
};

enum { EVENT_NEW_FLOW = 1, EVENT_LARGE_FLOW = 2 };

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, MAX_FLOWS);
  __type(key, struct flow_key);
  __type(value, struct flow_stats);
} flows SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

#define SAMPLE_EVERY 16

static __always_inline int report_flow(const struct flow_key *key, __u64 bytes,
                                       __u32 kind) {
  struct flow_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return -1;
  e->key = *key;
  e->bytes = bytes;
  e->kind = kind;
  /* Sampling: drop most large-flow reports. */
  if (kind == EVENT_LARGE_FLOW && bpf_get_prandom_u32() % SAMPLE_EVERY) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

static __always_inline void flow_account(struct flow_stats *stats, __u64 len,
                                         const struct flow_key *key) {
  __u64 now = bpf_ktime_get_ns(); /* no helper calls under the lock */
  __u64 bytes;

  bpf_spin_lock(&stats->lock);
  stats->packets++;
  stats->bytes += len;
  stats->last_seen_ns = now;
  /* Ignore flows that went idle. */
  if (stats->packets == 0) {
    bpf_spin_unlock(&stats->lock);
    return;
  }
  bytes = stats->bytes;
  bpf_spin_unlock(&stats->lock);

  if (bytes >= LARGE_FLOW_BYTES && bytes - len < LARGE_FLOW_BYTES)
    report_flow(key, bytes, EVENT_LARGE_FLOW);
}

SEC("tc")
int flow_monitor_fixed(struct __sk_buff *skb) {
  struct flow_key key = {.ifindex = skb->ifindex, .hash = skb->hash};
  struct flow_stats *stats;

  stats = bpf_map_lookup_elem(&flows, &key);
  if (!stats) {
    struct flow_stats fresh = {};

    bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST);
    report_flow(&key, skb->len, EVENT_NEW_FLOW);
    return TC_ACT_OK;
  }
  flow_account(stats, skb->len, &key);
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
