// KPTR-001 with a defined pointee that clang-19 still emits as a BTF forward
// declaration: a struct reached only through tagged pointer members (kptr
// fields) and from no other BTF root (global, function prototype, CO-RE
// relocation, bpf_obj_new). The kernel then ignores the value's kptr fields
// and accepts plain stores into them, so bpflint must not report those
// stores (a false positive otherwise). Built with -DCOMPLETE, a global makes
// both types complete: the same stores are rejected and reported.
// clang-22 emits such pointees in full (no forward declaration): LLVM 19
// only.
//
// REQUIRES: llvm-19
// RUN: %bpflint_cc -fsyntax-only -Xclang -verify=fwd %s
// RUN: %bpflint_cc -fsyntax-only -DCOMPLETE -Xclang -verify=complete -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_bpf -c %s -o %t.o
// RUN: %clang_bpf -DCOMPLETE -c %s -o %t.complete.o
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}
// RUN: %if kernel-oracle %{ %oracle %t.complete.o | FileCheck %s --check-prefix=KERNELC %}
// RUN: %objcheck %t.o
// RUN: not %objcheck %t.complete.o | FileCheck %s --check-prefix=OBJC --implicit-check-not=warning:

#include "kptr_test.h"

char _license[] SEC("license") = "GPL";

// fwd-no-diagnostics

struct blob {
  long a;
};

struct ticket {
  long id;
};

struct holder {
  struct blob __kptr_untrusted *blob;
  struct ticket __kptr *ticket;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, struct holder);
} holders SEC(".maps");

#ifdef COMPLETE
struct blob last_blob;
struct ticket last_ticket;
#endif

// KERNEL-DAG: mark_blob: accept
// KERNELC-DAG: mark_blob: reject: invalid kptr access, R{{[0-9]}} type=scalar expected=ptr_blob or untrusted_ptr_blob
SEC("tc")
int mark_blob(void *ctx) {
  int key = 0;
  struct holder *h = bpf_map_lookup_elem(&holders, &key);
  if (!h)
    return 0;
  // OBJC: kptr-field-invalid-fwd.c:[[@LINE+1]]:{{[0-9]+}}: warning: store of R{{[0-9]+}} (scalar(1)) into the unreferenced kptr field at offset 0 of a value of map 'holders', which holds NULL or a pointer to struct blob (verifier: "invalid kptr access, R%d type=scalar expected=%s%s or %s%s") [bpflint-kptr-store-integer]
  h->blob = (void *)1; // complete-warning {{stores an integer into kptr field 'blob'}}
  return 0;
}

// KERNEL-DAG: clear_ticket: accept
// KERNELC-DAG: clear_ticket: reject: store to referenced kptr disallowed
SEC("tc")
int clear_ticket(void *ctx) {
  int key = 0;
  struct holder *h = bpf_map_lookup_elem(&holders, &key);
  if (!h)
    return 0;
  // OBJC: kptr-field-invalid-fwd.c:[[@LINE+1]]:{{[0-9]+}}: warning: direct store to the referenced kptr field at offset 8 {{.*}}[bpflint-kptr-direct-store]
  h->ticket = NULL; // complete-warning {{direct store to referenced kptr field 'ticket'}}
  return 0;
}
