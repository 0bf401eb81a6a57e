// Realistic correct programs using allocated objects, lists and rbtrees: a
// priority queue on an rbtree, a FIFO on a list, refcounted nodes in both a
// tree and a list, and objects stashed in a map kptr and taken back. The
// kernel accepts all of them and bpflint must stay silent.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.12 -Xclang -verify %s
// On 6.1 the graph kfuncs do not exist and __kptr meant an unreferenced
// kptr (the kptr checks say so); the graph checks stay silent there.
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 '-fplugin-arg-bpflint-checks=-*,graph-*' -Xclang -verify %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// expected-no-diagnostics

#include "graph_test.h"

char _license[] SEC("license") = "GPL";

/* --- A priority queue on an rbtree ------------------------------------- */

struct task {
  __u64 deadline;
  __u32 pid;
  struct bpf_rb_node rb;
};

private(PQ) struct bpf_spin_lock pq_lock;
private(PQ) struct bpf_rb_root pq_root __contains(task, rb);
private(PQ) __u64 pq_len;

static bool task_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  struct task *ta = container_of(a, struct task, rb);
  struct task *tb = container_of(b, struct task, rb);
  return ta->deadline < tb->deadline;
}

// KERNEL-DAG: pq_enqueue: accept
SEC("tc")
int pq_enqueue(void *ctx) {
  struct task *t = bpf_obj_new(struct task);
  if (!t)
    return 0;
  t->deadline = bpf_ktime_get_ns() + 1000;
  t->pid = bpf_get_prandom_u32();
  bpf_spin_lock(&pq_lock);
  bpf_rbtree_add(&pq_root, &t->rb, task_less);
  pq_len++;
  bpf_spin_unlock(&pq_lock);
  return 0;
}

// KERNEL-DAG: pq_dequeue: accept
SEC("tc")
int pq_dequeue(void *ctx) {
  struct bpf_rb_node *n;
  struct task *t;
  __u32 pid;

  bpf_spin_lock(&pq_lock);
  n = bpf_rbtree_first(&pq_root);
  if (!n) {
    bpf_spin_unlock(&pq_lock);
    return 0;
  }
  n = bpf_rbtree_remove(&pq_root, n);
  if (n)
    pq_len--;
  bpf_spin_unlock(&pq_lock);
  if (!n)
    return 0;
  t = container_of(n, struct task, rb);
  pid = t->pid;
  bpf_obj_drop(t);
  return pid;
}

// Peek at the earliest deadline without removing it.
// KERNEL-DAG: pq_peek: accept
SEC("tc")
int pq_peek(void *ctx) {
  struct bpf_rb_node *n;
  __u64 deadline = 0;

  bpf_spin_lock(&pq_lock);
  n = bpf_rbtree_first(&pq_root);
  if (n)
    deadline = container_of(n, struct task, rb)->deadline;
  bpf_spin_unlock(&pq_lock);
  return deadline > bpf_ktime_get_ns();
}

/* --- A FIFO on a list, in a map value ---------------------------------- */

struct msg {
  __u64 payload;
  struct bpf_list_node link;
};

struct fifo {
  struct bpf_spin_lock lock;
  struct bpf_list_head head __contains(msg, link);
  __u64 count;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 4);
  __type(key, int);
  __type(value, struct fifo);
} fifos SEC(".maps");

// KERNEL-DAG: fifo_push: accept
SEC("tc")
int fifo_push(void *ctx) {
  int key = bpf_get_prandom_u32() & 3;
  struct fifo *f = bpf_map_lookup_elem(&fifos, &key);
  struct msg *m;

  if (!f)
    return 0;
  m = bpf_obj_new(struct msg);
  if (!m)
    return 0;
  m->payload = bpf_ktime_get_ns();
  bpf_spin_lock(&f->lock);
  bpf_list_push_back(&f->head, &m->link);
  f->count++;
  bpf_spin_unlock(&f->lock);
  return 0;
}

// KERNEL-DAG: fifo_pop: accept
SEC("tc")
int fifo_pop(void *ctx) {
  int key = 0;
  struct fifo *f = bpf_map_lookup_elem(&fifos, &key);
  struct bpf_list_node *l;
  struct msg *m;
  __u64 payload;

  if (!f)
    return 0;
  bpf_spin_lock(&f->lock);
  l = bpf_list_pop_front(&f->head);
  if (l)
    f->count--;
  bpf_spin_unlock(&f->lock);
  if (!l)
    return 0;
  m = container_of(l, struct msg, link);
  payload = m->payload;
  if (payload & 1) {
    // Not done with it yet: put it back at the end.
    bpf_spin_lock(&f->lock);
    bpf_list_push_back(&f->head, &m->link);
    bpf_spin_unlock(&f->lock);
    return 1;
  }
  bpf_obj_drop(m);
  return 0;
}

/* --- Refcounted nodes in a tree and a list ----------------------------- */

struct shared {
  __u64 key;
  struct bpf_refcount ref;
  struct bpf_rb_node rb;
  struct bpf_list_node link;
};

private(S) struct bpf_spin_lock s_lock;
private(S) struct bpf_rb_root s_tree __contains(shared, rb);
private(S) struct bpf_list_head s_list __contains(shared, link);

static bool shared_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct shared, rb)->key <
         container_of(b, struct shared, rb)->key;
}

// KERNEL-DAG: shared_insert: accept
SEC("tc")
int shared_insert(void *ctx) {
  struct shared *s = bpf_obj_new(struct shared), *s2;
  if (!s)
    return 0;
  s->key = bpf_get_prandom_u32();
  // A second owning reference to the same object.
  s2 = bpf_refcount_acquire(s);
  bpf_spin_lock(&s_lock);
  bpf_rbtree_add(&s_tree, &s->rb, shared_less);
  bpf_list_push_front(&s_list, &s2->link);
  bpf_spin_unlock(&s_lock);
  return 0;
}

// Take the list's reference and drop it; the tree keeps the object.
// KERNEL-DAG: shared_unlink: accept
SEC("tc")
int shared_unlink(void *ctx) {
  struct bpf_list_node *l;
  bpf_spin_lock(&s_lock);
  l = bpf_list_pop_back(&s_list);
  bpf_spin_unlock(&s_lock);
  if (l)
    bpf_obj_drop(container_of(l, struct shared, link));
  return 0;
}

// An owning reference that outlives the critical section.
// KERNEL-DAG: shared_keep: accept
SEC("tc")
int shared_keep(void *ctx) {
  struct bpf_rb_node *n;
  struct shared *s = NULL;
  __u64 key = 0;

  bpf_spin_lock(&s_lock);
  n = bpf_rbtree_first(&s_tree);
  if (n)
    s = bpf_refcount_acquire(container_of(n, struct shared, rb));
  bpf_spin_unlock(&s_lock);
  if (!s)
    return 0;
  key = s->key;
  bpf_obj_drop(s);
  return key;
}

/* --- Objects stashed in a map kptr and taken back ---------------------- */

struct stash_obj {
  __u64 value;
};

struct stash_slot {
  struct stash_obj __kptr *obj;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct stash_slot);
} stash SEC(".maps");

// KERNEL-DAG: stash_put: accept
SEC("tc")
int stash_put(void *ctx) {
  int key = 0;
  struct stash_slot *slot = bpf_map_lookup_elem(&stash, &key);
  struct stash_obj *o, *old;

  if (!slot)
    return 0;
  o = bpf_obj_new(struct stash_obj);
  if (!o)
    return 0;
  o->value = bpf_ktime_get_ns();
  old = bpf_kptr_xchg(&slot->obj, o);
  if (old)
    bpf_obj_drop(old);
  return 0;
}

// KERNEL-DAG: stash_take: accept
SEC("tc")
int stash_take(void *ctx) {
  int key = 0;
  struct stash_slot *slot = bpf_map_lookup_elem(&stash, &key);
  struct stash_obj *o;
  __u64 value;

  if (!slot)
    return 0;
  o = bpf_kptr_xchg(&slot->obj, NULL);
  if (!o)
    return 0;
  value = o->value;
  bpf_obj_drop(o);
  return value;
}

/* --- Nodes stashed in a map kptr, taken back and re-added -------------- */

struct job {
  __u64 prio;
  struct bpf_rb_node rb;
};

struct job_slot {
  struct job __kptr *job;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 8);
  __type(key, int);
  __type(value, struct job_slot);
} job_slots SEC(".maps");

private(J) struct bpf_spin_lock jobs_lock;
private(J) struct bpf_rb_root jobs __contains(job, rb);

static bool job_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct job, rb)->prio <
         container_of(b, struct job, rb)->prio;
}

// Park a new job in a slot; whatever was parked there goes to the tree.
// KERNEL-DAG: job_park: accept
SEC("tc")
int job_park(void *ctx) {
  int key = bpf_get_prandom_u32() & 7;
  struct job_slot *slot = bpf_map_lookup_elem(&job_slots, &key);
  struct job *j, *old;

  if (!slot)
    return 0;
  j = bpf_obj_new(struct job);
  if (!j)
    return 0;
  j->prio = bpf_ktime_get_ns();
  old = bpf_kptr_xchg(&slot->job, j);
  if (!old)
    return 0;
  bpf_spin_lock(&jobs_lock);
  bpf_rbtree_add(&jobs, &old->rb, job_less);
  bpf_spin_unlock(&jobs_lock);
  return 1;
}

// Take a parked job back: re-add it to the tree, or drop it when stale.
// KERNEL-DAG: job_unpark: accept
SEC("tc")
int job_unpark(void *ctx) {
  int key = 0;
  struct job_slot *slot = bpf_map_lookup_elem(&job_slots, &key);
  struct job *j;

  if (!slot)
    return 0;
  j = bpf_kptr_xchg(&slot->job, NULL);
  if (!j)
    return 0;
  if (j->prio < 1000) {
    bpf_obj_drop(j);
    return 0;
  }
  bpf_spin_lock(&jobs_lock);
  bpf_rbtree_add(&jobs, &j->rb, job_less);
  bpf_spin_unlock(&jobs_lock);
  return 1;
}

// Move the first job of the tree into a slot, dropping what was there.
// KERNEL-DAG: job_to_slot: accept
SEC("tc")
int job_to_slot(void *ctx) {
  int key = 1;
  struct job_slot *slot = bpf_map_lookup_elem(&job_slots, &key);
  struct bpf_rb_node *n;
  struct job *j;

  if (!slot)
    return 0;
  bpf_spin_lock(&jobs_lock);
  n = bpf_rbtree_first(&jobs);
  if (!n) {
    bpf_spin_unlock(&jobs_lock);
    return 0;
  }
  n = bpf_rbtree_remove(&jobs, n);
  bpf_spin_unlock(&jobs_lock);
  if (!n)
    return 0;
  j = container_of(n, struct job, rb);
  j = bpf_kptr_xchg(&slot->job, j);
  if (j)
    bpf_obj_drop(j);
  return 0;
}

/* --- A refcounted node in a tree and in a map kptr at once ------------- */

struct entry {
  __u64 key;
  struct bpf_refcount ref;
  struct bpf_rb_node rb;
};

struct entry_slot {
  struct entry __kptr *e;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, struct entry_slot);
} entry_slots SEC(".maps");

private(E) struct bpf_spin_lock entries_lock;
private(E) struct bpf_rb_root entries __contains(entry, rb);

static bool entry_less(struct bpf_rb_node *a, const struct bpf_rb_node *b) {
  return container_of(a, struct entry, rb)->key <
         container_of(b, struct entry, rb)->key;
}

// KERNEL-DAG: entry_insert: accept
SEC("tc")
int entry_insert(void *ctx) {
  __u32 key = bpf_get_prandom_u32() & 15;
  struct entry_slot zero = {}, *slot;
  struct entry *e, *ref;

  bpf_map_update_elem(&entry_slots, &key, &zero, BPF_NOEXIST);
  slot = bpf_map_lookup_elem(&entry_slots, &key);
  if (!slot)
    return 0;
  e = bpf_obj_new(struct entry);
  if (!e)
    return 0;
  e->key = key;
  ref = bpf_refcount_acquire(e);
  bpf_spin_lock(&entries_lock);
  bpf_rbtree_add(&entries, &e->rb, entry_less);
  bpf_spin_unlock(&entries_lock);
  ref = bpf_kptr_xchg(&slot->e, ref);
  if (ref)
    bpf_obj_drop(ref);
  return 0;
}

// Take the map's reference back and unlink the entry from the tree too.
// KERNEL-DAG: entry_delete: accept
SEC("tc")
int entry_delete(void *ctx) {
  __u32 key = 0;
  struct entry_slot *slot = bpf_map_lookup_elem(&entry_slots, &key);
  struct bpf_rb_node *n;
  struct entry *e;

  if (!slot)
    return 0;
  e = bpf_kptr_xchg(&slot->e, NULL);
  if (!e)
    return 0;
  bpf_spin_lock(&entries_lock);
  n = bpf_rbtree_remove(&entries, &e->rb);
  bpf_spin_unlock(&entries_lock);
  bpf_obj_drop(e);
  if (n)
    bpf_obj_drop(container_of(n, struct entry, rb));
  return 0;
}
