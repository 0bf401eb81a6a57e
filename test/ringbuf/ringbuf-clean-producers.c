// Realistic ring buffer producers and a user ring buffer consumer, written
// the way the docs recommend: bpflint reports nothing on them, and the
// kernel accepts every program. The four kinds of producer of issue 4 are
// here: event structs (reserve, fill, submit), variable-size records through
// a ring buffer dynptr (with the discard on the failure path), early exits
// that discard, and helper functions (inlined and real subprograms) that
// fill, reserve or release records; also bpf_loop callback producers and
// user ring buffer consumers (bpf_dynptr_read and bpf_dynptr_data).
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

// expected-no-diagnostics

#include "ringbuf_test.h"

#define MAX_PAYLOAD 256

struct header {
  __u32 kind;
  __u32 len;
  __u64 ts;
};

struct exec_event {
  struct header hdr;
  __u32 pid;
  char comm[16];
};

struct command {
  __u32 op;
  __u32 arg;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 64 * 1024);
} commands SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, char[MAX_PAYLOAD]);
} payload_buf SEC(".maps");

static __always_inline void fill_header(struct header *h, __u32 kind,
                                        __u32 len) {
  h->kind = kind;
  h->len = len;
  h->ts = bpf_ktime_get_ns();
}

static __always_inline void fill_exec(struct exec_event *e) {
  fill_header(&e->hdr, 1, sizeof(*e));
  e->pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
}

// Fixed-size record filled by helper functions.
// KERNEL-DAG: exec_fixed_record: accept
SEC("tc")
int exec_fixed_record(void *ctx) {
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  fill_exec(e);
  if (e->pid == 0) {
    bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// Variable-size record: header and a payload of run-time length through a
// ring buffer dynptr.
// KERNEL-DAG: variable_size_dynptr: accept
SEC("tc")
int variable_size_dynptr(void *ctx) {
  __u32 key = 0;
  char *payload = bpf_map_lookup_elem(&payload_buf, &key);
  if (!payload)
    return 0;
  __u32 len = bpf_get_prandom_u32() % MAX_PAYLOAD;
  struct header hdr = {};
  fill_header(&hdr, 2, len);

  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, sizeof(hdr) + len, 0, &dp)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  if (bpf_dynptr_write(&dp, 0, &hdr, sizeof(hdr), 0) ||
      bpf_dynptr_write(&dp, sizeof(hdr), payload, len, 0)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// The header is written in place through a slice of the dynptr.
// KERNEL-DAG: dynptr_slice_header: accept
SEC("tc")
int dynptr_slice_header(void *ctx) {
  struct bpf_dynptr dp;
  bpf_ringbuf_reserve_dynptr(&events, sizeof(struct exec_event), 0, &dp);
  struct exec_event *e = bpf_dynptr_data(&dp, 0, sizeof(*e));
  if (!e) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 0;
  }
  fill_exec(e);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// Copy-out producer: the record is built in a per-CPU map value.
// KERNEL-DAG: output_from_scratch: accept
SEC("tc")
int output_from_scratch(void *ctx) {
  __u32 key = 0;
  char *buf = bpf_map_lookup_elem(&payload_buf, &key);
  if (!buf)
    return 0;
  fill_header((struct header *)buf, 3, sizeof(struct header));
  bpf_ringbuf_output(&events, buf, sizeof(struct header), BPF_RB_FORCE_WAKEUP);
  return 0;
}

struct drain_ctx {
  __u64 sum;
  __u32 seen;
};

static long handle_command(struct bpf_dynptr *dynptr, void *data) {
  struct drain_ctx *dc = data;
  struct command cmd;
  if (bpf_dynptr_read(&cmd, sizeof(cmd), dynptr, 0, 0))
    return 1; // a short sample: stop draining
  dc->sum += cmd.arg;
  dc->seen++;
  return cmd.op == 0 ? 1 : 0;
}

// User ring buffer consumer: commands from user space, summed, and the
// result reported through the kernel-to-user ring buffer.
// KERNEL-DAG: drain_commands: accept
SEC("tc")
int drain_commands(void *ctx) {
  struct drain_ctx dc = {};
  long n = bpf_user_ringbuf_drain(&commands, handle_command, &dc, 0);
  if (n <= 0)
    return 0;
  struct header *h = bpf_ringbuf_reserve(&events, sizeof(*h), 0);
  if (!h)
    return 0;
  fill_header(h, 4, dc.seen);
  bpf_ringbuf_submit(h, 0);
  return 0;
}

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} cfg SEC(".maps");

// Helper functions that are real BPF subprograms (not inlined): one fills
// the record, one releases it, one reserves it for its caller.
static __noinline int fill_event(struct exec_event *e, __u32 kind) {
  e->pid = bpf_get_current_pid_tgid() >> 32;
  e->hdr.kind = kind;
  e->hdr.ts = bpf_ktime_get_ns();
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  return e->pid == 0;
}

static __noinline void emit_event(struct exec_event *e, int drop) {
  if (drop) {
    bpf_ringbuf_discard(e, 0);
    return;
  }
  bpf_ringbuf_submit(e, 0);
}

static __noinline struct exec_event *reserve_event(__u32 kind) {
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (e)
    e->hdr.kind = kind;
  return e;
}

// KERNEL-DAG: noinline_fill: accept
SEC("tc")
int noinline_fill(void *ctx) {
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  if (fill_event(e, 1)) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// KERNEL-DAG: noinline_emit: accept
SEC("tc")
int noinline_emit(void *ctx) {
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  int drop = fill_event(e, 2);
  emit_event(e, drop);
  return 0;
}

// KERNEL-DAG: noinline_reserve: accept
SEC("tc")
int noinline_reserve(void *ctx) {
  struct exec_event *e = reserve_event(3);
  if (!e)
    return 0;
  e->hdr.ts = bpf_ktime_get_ns();
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// Filters after the reservation: every early exit discards the record.
// KERNEL-DAG: early_exits: accept
SEC("tc")
int early_exits(void *ctx) {
  __u32 key = 0;
  __u64 *min_ts = bpf_map_lookup_elem(&cfg, &key);
  if (!min_ts)
    return 0;
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  e->hdr.ts = bpf_ktime_get_ns();
  if (e->hdr.ts < *min_ts) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 1) {
    bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
    return 1;
  }
  if (bpf_get_current_comm(e->comm, sizeof(e->comm)) < 0)
    goto drop;
  bpf_ringbuf_submit(e, 0);
  return 0;
drop:
  bpf_ringbuf_discard(e, 0);
  return 0;
}

// The record kept in a struct field.
struct slot {
  struct exec_event *rec;
  __u32 kind;
};

// KERNEL-DAG: via_struct_field: accept
SEC("tc")
int via_struct_field(void *ctx) {
  struct slot s = {.kind = 5};
  s.rec = bpf_ringbuf_reserve(&events, sizeof(struct exec_event), 0);
  if (!s.rec)
    return 0;
  s.rec->hdr.kind = s.kind;
  bpf_ringbuf_submit(s.rec, 0);
  return 0;
}

// One record per iteration of a bounded loop.
// KERNEL-DAG: loop_of_records: accept
SEC("tc")
int loop_of_records(void *ctx) {
  for (int i = 0; i < 4; i++) {
    struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
      break;
    e->hdr.kind = i;
    bpf_ringbuf_submit(e, 0);
  }
  return 0;
}

// bpf_loop callbacks that produce records: each reservation is released
// inside the callback.
struct loop_ctx {
  __u32 emitted;
};

static long emit_one(__u32 i, void *data) {
  struct loop_ctx *lc = data;
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 1;
  e->hdr.kind = i;
  if (i == 3) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  lc->emitted++;
  return 0;
}

// KERNEL-DAG: bpf_loop_producer: accept
SEC("tc")
int bpf_loop_producer(void *ctx) {
  struct loop_ctx lc = {};
  bpf_loop(8, emit_one, &lc, 0);
  return lc.emitted ? 1 : 0;
}

static long emit_dynptr(__u32 i, void *data) {
  struct bpf_dynptr dp;
  if (bpf_ringbuf_reserve_dynptr(&events, 16, 0, &dp)) {
    bpf_ringbuf_discard_dynptr(&dp, 0);
    return 1;
  }
  __u64 v = i;
  bpf_dynptr_write(&dp, 0, &v, sizeof(v), 0);
  bpf_ringbuf_submit_dynptr(&dp, 0);
  return 0;
}

// KERNEL-DAG: bpf_loop_dynptr_producer: accept
SEC("tc")
int bpf_loop_dynptr_producer(void *ctx) {
  bpf_loop(4, emit_dynptr, NULL, 0);
  return 0;
}

// A user ring buffer consumer that reads samples in place through
// bpf_dynptr_data and forwards some of them as ring buffer records.
struct drain_state {
  __u64 sum;
};

static long consume(struct bpf_dynptr *dynptr, void *data) {
  struct drain_state *ds = data;
  const struct command *c = bpf_dynptr_data(dynptr, 0, sizeof(*c));
  if (!c)
    return 1;
  ds->sum += c->arg;
  if (c->op == 2) {
    struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
      return 1;
    e->hdr.kind = c->arg;
    bpf_ringbuf_submit(e, 0);
  }
  return 0;
}

// KERNEL-DAG: drain_with_data: accept
SEC("tc")
int drain_with_data(void *ctx) {
  struct drain_state ds = {};
  bpf_user_ringbuf_drain(&commands, consume, &ds, BPF_RB_NO_WAKEUP);
  return ds.sum > 10;
}

char LICENSE[] SEC("license") = "GPL";
