// The full shape of a diagnostic: the warning with the kernel message and the
// check name, then the path that leads there, step by step.
//
// RUN: %bpflint_cc -fsyntax-only %s 2>&1 | FileCheck %s --match-full-lines --strict-whitespace

#include "bpf_test.h"

struct event {
  __u32 pid;
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tc")
int prog(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
  if (!e)
    return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  if (e->pid == 1)
    return 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// CHECK:{{.*}}path-notes.c:24:12: warning: ring buffer record is neither submitted nor discarded on this path (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_EXIT instruction in main prog would lead to reference leak") [bpflint-ringbuf-leak]
// CHECK:{{.*}}path-notes.c:19:21: note: record reserved here
// CHECK:{{.*}}path-notes.c:20:7: note: Assuming 'e' is non-null
// CHECK:{{.*}}path-notes.c:20:3: note: Taking false branch
// CHECK:{{.*}}path-notes.c:23:7: note: Assuming field 'pid' is equal to 1
// CHECK:{{.*}}path-notes.c:23:3: note: Taking true branch
// CHECK-NOT: note:
// CHECK:1 warning generated.

char LICENSE[] SEC("license") = "GPL";
