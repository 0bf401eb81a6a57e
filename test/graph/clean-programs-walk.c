// More realistic correct programs, with the 6.16+ walking kfuncs: a binary
// search on an rbtree with bpf_rbtree_root/left/right, in-place updates
// through non-owning references, a bounded trim loop, an always-inline
// insert helper, and a per-flow queue in a hash map peeked with
// bpf_list_front/back. The kernel (6.18) accepts all of them and bpflint
// must stay silent.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.18 -Xclang -verify %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// expected-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

struct kv {
  __u64 key;
  __u64 val;
  struct bpf_rb_node rb;
};

private(T) struct bpf_spin_lock tlock;
private(T) struct bpf_rb_root tree __contains(kv, rb);

static bool kv_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct kv, rb)->key <
         container_of(b, struct kv, rb)->key;
}

// KERNEL-DAG: lookup: accept
SEC("tc")
int lookup(void *ctx) {
  __u64 want = bpf_get_prandom_u32(), found = 0;
  struct bpf_rb_node *n;
  int i;

  bpf_spin_lock(&tlock);
  n = bpf_rbtree_root(&tree);
  for (i = 0; i < 16 && n; i++) {
    struct kv *e = container_of(n, struct kv, rb);
    if (e->key == want) {
      found = e->val;
      break;
    }
    if (want < e->key)
      n = bpf_rbtree_left(&tree, n);
    else
      n = bpf_rbtree_right(&tree, n);
  }
  bpf_spin_unlock(&tlock);
  return found;
}

// KERNEL-DAG: bump_first: accept
SEC("tc")
int bump_first(void *ctx) {
  struct bpf_rb_node *n;

  bpf_spin_lock(&tlock);
  n = bpf_rbtree_first(&tree);
  if (n)
    container_of(n, struct kv, rb)->val++;
  bpf_spin_unlock(&tlock);
  return 0;
}

static __always_inline int insert(struct kv *e) {
  bpf_spin_lock(&tlock);
  bpf_rbtree_add(&tree, &e->rb, kv_less);
  bpf_spin_unlock(&tlock);
  return 0;
}

// KERNEL-DAG: put: accept
SEC("tc")
int put(void *ctx) {
  struct kv *e = bpf_obj_new(struct kv);

  if (!e)
    return 0;
  e->key = bpf_get_prandom_u32();
  if (e->key == 0) {
    bpf_obj_drop(e);
    return 0;
  }
  return insert(e);
}

// KERNEL-DAG: trim: accept
SEC("tc")
int trim(void *ctx) {
  int i, n = 0;

  for (i = 0; i < 4; i++) {
    struct bpf_rb_node *r;

    bpf_spin_lock(&tlock);
    r = bpf_rbtree_first(&tree);
    if (!r) {
      bpf_spin_unlock(&tlock);
      break;
    }
    r = bpf_rbtree_remove(&tree, r);
    bpf_spin_unlock(&tlock);
    if (!r)
      break;
    bpf_obj_drop(container_of(r, struct kv, rb));
    n++;
  }
  return n;
}

struct ev {
  __u64 ts;
  struct bpf_list_node l;
};

struct q {
  struct bpf_spin_lock lock;
  struct bpf_list_head h __contains(ev, l);
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, struct q);
} qs SEC(".maps");

// KERNEL-DAG: q_age: accept
SEC("tc")
int q_age(void *ctx) {
  __u32 k = 1;
  struct q *q = bpf_map_lookup_elem(&qs, &k);
  __u64 now = bpf_ktime_get_ns(), ts = 0;
  struct bpf_list_node *f;

  if (!q)
    return 0;
  bpf_spin_lock(&q->lock);
  f = bpf_list_front(&q->h);
  if (f)
    ts = container_of(f, struct ev, l)->ts;
  f = bpf_list_back(&q->h);
  if (f)
    container_of(f, struct ev, l)->ts = now;
  bpf_spin_unlock(&q->lock);
  return now - ts > 1000;
}

// KERNEL-DAG: q_push: accept
SEC("tc")
int q_push(void *ctx) {
  __u32 k = bpf_get_prandom_u32() & 63;
  struct q init = {}, *q;
  struct ev *e;

  bpf_map_update_elem(&qs, &k, &init, BPF_NOEXIST);
  q = bpf_map_lookup_elem(&qs, &k);
  if (!q)
    return 0;
  e = bpf_obj_new(typeof(*e));
  if (!e)
    return 0;
  e->ts = bpf_ktime_get_ns();
  bpf_spin_lock(&q->lock);
  bpf_list_push_back(&q->h, &e->l);
  bpf_spin_unlock(&q->lock);
  return 0;
}
