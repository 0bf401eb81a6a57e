// KPTR-002: a referenced kptr to a kernel type needs a destructor kfunc
// (task_struct, cgroup, bpf_cpumask, bpf_crypto_ctx ...). Without one the
// kernel ignores the value's kptrs and the first bpf_kptr_xchg fails. An
// unreferenced kptr (__kptr_untrusted) to the same type is fine.
//
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %bpflint_cc -fsyntax-only -fplugin-arg-bpflint-kernel=6.6 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: not %objcheck %t.o | FileCheck %s --check-prefix=OBJ --implicit-check-not=warning:

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

struct sock {
  int sk_mark;
} __attribute__((preserve_access_index));

struct ref_value {
  struct sock __kptr *sk;
};
struct unref_value {
  struct sock __kptr_untrusted *sk;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct ref_value);
} ref_socks SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, int);
  __type(value, struct unref_value);
} unref_socks SEC(".maps");

// KERNEL-DAG: forget_socket: reject: map 'ref_socks' has to have BTF in order to use bpf_kptr_xchg
SEC("tc")
int forget_socket(void *ctx) {
  int key = 0;
  struct ref_value *v = bpf_map_lookup_elem(&ref_socks, &key);
  if (!v)
    return 0;
  // OBJ: kptr-no-destructor.c:[[@LINE+1]]:{{[0-9]+}}: warning: bpf_kptr_xchg() on a value of map 'ref_socks', whose kptr field at offset 0 points to struct sock, a kernel type without a destructor kfunc: libbpf creates the map without BTF (verifier: "map '%s' has to have BTF in order to use bpf_kptr_xchg") [bpflint-kptr-no-destructor]
  struct sock *old = bpf_kptr_xchg(&v->sk, NULL); // expected-warning {{kptr field 'sk' is invalid because kernel type 'struct sock' has no destructor kfunc, so it cannot be a referenced kptr; use __kptr_untrusted (verifier: "map 'ref_socks' has to have BTF in order to use bpf_kptr_xchg") [bpflint-kptr-no-destructor]}}
  return old != NULL;
}

// KERNEL-DAG: forget_socket_fixed: accept
SEC("tc")
int forget_socket_fixed(void *ctx) {
  int key = 0;
  struct unref_value *v = bpf_map_lookup_elem(&unref_socks, &key);
  if (!v)
    return 0;
  v->sk = NULL;
  // Makes clang-19 emit struct sock in full: used through pointers only, it
  // would be a BTF forward declaration, which the kernel ignores for another
  // reason (kptr-field-invalid, "R1 has no valid kptr"). clang-22 emits it
  // in full anyway.
  return __builtin_preserve_type_info(*(struct sock *)0, 0 /* exists */) - 1;
}

