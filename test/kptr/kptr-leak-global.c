// KPTR-018 for a kptr in global data: a `__kptr` global (.bss) is part of
// the section's record, and bpf_kptr_xchg() on it returns the old object,
// owned and NULL-able, like on a map value (measured on 6.18). Whether older
// kernels take kptrs in global data was not measured; the leak is reported
// with every profile, since a kernel that refuses the exchange rejects the
// program too.
//
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.18 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:
// RUN: %objcheck --kernel 6.12 %t.o

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct bpf_cpumask __kptr *global_mask;

// The previous mask is dropped on the floor.
// KERNEL-DAG: install_mask: reject: BPF_EXIT instruction in main prog would lead to reference leak
SEC("syscall")
int install_mask(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_set_cpu(0, mask);
  bpf_kptr_xchg(&global_mask, mask);
  // OBJ: kptr-leak-global.c:[[@LINE+2]]:{{[0-9]+}}: warning: reference is neither released nor stored in a kptr on this path {{.*}}[bpflint-kptr-leak]
  return 0; // expected-warning {{reference is neither released nor stored in a kptr on this path}}
}

// KERNEL-DAG: install_mask_fixed: accept
SEC("syscall")
int install_mask_fixed(void *ctx) {
  struct bpf_cpumask *mask = bpf_cpumask_create();
  if (!mask)
    return 0;
  bpf_cpumask_set_cpu(0, mask);
  mask = bpf_kptr_xchg(&global_mask, mask);
  if (mask)
    bpf_cpumask_release(mask);
  return 0;
}
