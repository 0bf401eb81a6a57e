// KPTR-015: only referenced kptr fields can be exchanged. On current
// kernels that is `__kptr` (btf_type_tag("kptr")); `__kptr_untrusted` fields
// are plain stores. Before 6.3, btf_type_tag("kptr") was the *unreferenced*
// kind and btf_type_tag("kptr_ref") the referenced one.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=expected,newest -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.1 -Xclang -verify=k61 -Xclang -verify-ignore-unexpected=note -DOLD_TAGS %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

#ifdef OLD_TAGS
// On 6.1 both of these are unreferenced.
#undef __kptr_untrusted
#define __kptr_untrusted __attribute__((btf_type_tag("kptr")))
#endif

struct stash {
  struct task_struct __kptr *task;
  struct task_struct __kptr_untrusted *seen;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct stash);
} stashes SEC(".maps");

// KERNEL-DAG: xchg_untrusted: reject: off=8 kptr isn't referenced kptr
SEC("tc")
int xchg_untrusted(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->seen, NULL); // newest-warning {{bpf_kptr_xchg() on kptr field 'seen', which is not a referenced kptr; declare it __kptr (not __kptr_untrusted) (verifier: "off=8 kptr isn't referenced kptr") [bpflint-kptr-xchg-unreferenced]}} \
                                                             k61-warning {{bpf_kptr_xchg() on kptr field 'seen', which is not a referenced kptr; on this kernel a referenced kptr is tagged btf_type_tag("kptr_ref") (verifier: "off=8 kptr isn't referenced kptr")}}
  if (t)
    bpf_task_release(t);
  return 0;
}

// On 6.1 the `__kptr` field is unreferenced too.
// KERNEL-DAG: xchg_untrusted_fixed: accept
SEC("tc")
int xchg_untrusted_fixed(void *ctx) {
  int key = 0;
  struct stash *s = bpf_map_lookup_elem(&stashes, &key);
  if (!s)
    return 0;
  struct task_struct *t = bpf_kptr_xchg(&s->task, NULL); // k61-warning {{off=0 kptr isn't referenced kptr}}
  if (t)
    bpf_task_release(t);
  return 0;
}
