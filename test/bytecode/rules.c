// The bytecode layer's rules for helper arguments, memory accesses, calls in
// a critical section and early exits with a record held (RB-002/004/006/010/
// 011/012/013, LOCK-007/010/013/018/019/021/022), on programs written as
// naked functions in BPF assembly, so that each rejected instruction is the
// one written here whatever the compiler does. Each bad program has a
// _fixed twin that must stay silent; the KERNEL lines are the running
// kernel's verdicts on this very object, and every finding quotes the
// kernel's final line.
//
// RUN: %clang_bpf -c %s -o %t.o
// RUN: not %objcheck %t.o > %t.out
// RUN: FileCheck %s --input-file %t.out --implicit-check-not=warning:
// RUN: not %objcheck %t.o --kernel 6.1 | FileCheck %s --check-prefix=K61
// RUN: %objcheck %t.o --program null_deref_fixed --program write_after_submit_fixed --program submit_offset_fixed --program tail_call_held_fixed --program ld_abs_held_fixed --program nonconst_size_fixed --program reserve_wrong_map_fixed --program lock_helper_fixed --program lock_ld_abs_fixed --program unlock_different_fixed --program lock_unchecked_fixed --program array_lock_unchecked --program array_null_branch_leak --program lock_global_call_fixed --program lock_kfunc_fixed --program lock_direct_fixed --program var_index_past_end_fixed
// RUN: %if kernel-oracle %{ %oracle %t.o | FileCheck %s --check-prefix=KERNEL %}

#include "bpf_test.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} rb SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(int));
  __uint(value_size, sizeof(int));
} perf SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __uint(key_size, sizeof(int));
  __uint(value_size, sizeof(int));
} jmp SEC(".maps");

struct val {
  struct bpf_spin_lock lock;
  int data;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, int);
  __type(value, struct val);
} locked SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 2);
  __type(key, int);
  __type(value, struct val);
} hlocked SEC(".maps");

#define __naked __attribute__((naked))

// r0 = bpf_ringbuf_reserve(&rb, 8, 0)
#define RESERVE "r1 = %[rb] ll; r2 = 8; r3 = 0; call 131;"
// r0 = bpf_map_lookup_elem(&locked, &(int){0})
#define LOOKUP "*(u32 *)(r10 - 4) = 0; r1 = %[locked] ll; r2 = r10; r2 += -4; call 1;"
#define HLOOKUP "*(u32 *)(r10 - 4) = 0; r1 = %[hlocked] ll; r2 = r10; r2 += -4; call 1;"
#define MAPS                                                                   \
  [rb] "i"(&rb), [locked] "i"(&locked), [hlocked] "i"(&hlocked),             \
      [jmp] "i"(&jmp), [perf] "i"(&perf)

// RB-006.
// KERNEL-DAG: null_deref: reject: R0 invalid mem access 'ringbuf_mem_or_null'
SEC("tc") __naked int null_deref(void) {
  asm volatile(RESERVE "*(u32 *)(r0 + 0) = 1;" // the store
               "r1 = r0; r2 = 0; call 132; r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: ring buffer record in R0 is accessed before it is checked for NULL (verifier: "R%d invalid mem access 'ringbuf_mem_or_null'") [bpflint-ringbuf-use-before-null-check]
// CHECK: note: ring buffer record reserved here (insn tc+4, reference id=1)
// CHECK: note: R0 = ringbuf_mem_or_null(id=1,ref_obj_id=1)
// CHECK: note: in program 'null_deref' at insn tc+5 ('*(u32 *)(r0 + 0) = 1')
// K61: warning: ring buffer record in R0 is accessed before it is checked for NULL (verifier: "R%d invalid mem access 'alloc_mem_or_null'")

// KERNEL-DAG: null_deref_fixed: accept
SEC("tc") __naked int null_deref_fixed(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f; *(u32 *)(r0 + 0) = 1;"
               "r1 = r0; r2 = 0; call 132; 1: r0 = 0; exit;" ::MAPS);
}

// RB-010: a store through the record after the submit, and a second submit
// of a copy.
// KERNEL-DAG: write_after_submit: reject: R6 invalid mem access 'scalar'
SEC("tc") __naked int write_after_submit(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f; r6 = r0;"
               "r1 = r0; r2 = 0; call 132;"
               "*(u32 *)(r6 + 0) = 1;" // after the submit
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: ring buffer record in R6 is accessed after it was submitted or discarded (verifier: "R%d invalid mem access 'scalar'") [bpflint-ringbuf-use-after-release]

// KERNEL-DAG: double_submit: reject: R1 type=scalar expected=ringbuf_mem
SEC("tc") __naked int double_submit(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f; r6 = r0;"
               "r1 = r0; r2 = 0; call 132;"
               "r1 = r6; r2 = 0; call 133;" // discard after submit
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_ringbuf_discard is given a ring buffer record that was already submitted or discarded (verifier: "R1 type=scalar expected=ringbuf_mem") [bpflint-ringbuf-use-after-release]
// K61: "R1 type=scalar expected=alloc_mem"

// KERNEL-DAG: write_after_submit_fixed: accept
SEC("tc") __naked int write_after_submit_fixed(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f; r6 = r0;"
               "*(u32 *)(r6 + 0) = 1;"
               "r1 = r6; r2 = 0; call 132;"
               "r1 = r6; 1: r0 = 0; exit;" ::MAPS);
}

// RB-011, RB-012.
// KERNEL-DAG: submit_offset: reject: R1 must have zero offset when passed to release func or trusted arg to kfunc
SEC("tc") __naked int submit_offset(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f;"
               "r1 = r0; r1 += 4; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_ringbuf_submit is given a pointer 4 bytes into the ring buffer record, not the record itself (verifier: "R1 must have zero offset when passed to release func or trusted arg to kfunc") [bpflint-ringbuf-release-offset-pointer]
// CHECK: note: R1 = ringbuf_mem(id={{[0-9]+}},ref_obj_id={{[0-9]+}},off=4)
// K61: (verifier: "dereference of modified alloc_mem ptr R1 off=%d disallowed")

// KERNEL-DAG: submit_offset_fixed: accept
SEC("tc") __naked int submit_offset_fixed(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f;"
               "r1 = r0; r1 += 4; r1 += -4; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}

// KERNEL-DAG: submit_unchecked: reject: R1 type=ringbuf_mem_or_null expected=ringbuf_mem
SEC("tc") __naked int submit_unchecked(void) {
  asm volatile(RESERVE "r1 = r0; r2 = 0; call 132; r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_ringbuf_submit is given a ring buffer record that may be NULL (verifier: "R1 type=ringbuf_mem_or_null expected=ringbuf_mem") [bpflint-ringbuf-release-invalid-pointer]

// KERNEL-DAG: submit_stack: reject: R1 type=fp expected=ringbuf_mem
SEC("tc") __naked int submit_stack(void) {
  asm volatile("*(u64 *)(r10 - 8) = 0; r1 = r10; r1 += -8; r2 = 0;"
               "call 132; r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_ringbuf_submit is given a pointer to the stack, not a ring buffer record (verifier: "R1 type=fp expected=ringbuf_mem") [bpflint-ringbuf-release-invalid-pointer]

// KERNEL-DAG: discard_null: reject: R1 type=scalar expected=ringbuf_mem
SEC("tc") __naked int discard_null(void) {
  asm volatile("r1 = 0; r2 = 0; call 133; r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_ringbuf_discard is given NULL (verifier: "R1 type=scalar expected=ringbuf_mem") [bpflint-ringbuf-release-invalid-pointer]

// RB-013: a tail call or legacy packet load with the record held.
// KERNEL-DAG: tail_call_held: reject: tail_call would lead to reference leak
SEC("tc") __naked int tail_call_held(void) {
  asm volatile("r6 = r1;" RESERVE "if r0 == 0 goto 1f; r7 = r0;"
               "r1 = r6; r2 = %[jmp] ll; r3 = 0; call 12;"
               "r1 = r7; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_tail_call, which ends the program if it succeeds, while a ring buffer record is held (verifier: "Unreleased reference id=%d alloc_insn=%d", "tail_call would lead to reference leak") [bpflint-ringbuf-held-across-early-exit]
// CHECK: note: ring buffer record reserved here

// KERNEL-DAG: tail_call_held_fixed: accept
SEC("tc") __naked int tail_call_held_fixed(void) {
  asm volatile("r6 = r1;" RESERVE "if r0 == 0 goto 1f;"
               "r1 = r0; r2 = 0; call 132;"
               "r1 = r6; r2 = %[jmp] ll; r3 = 0; call 12;"
               "1: r0 = 0; exit;" ::MAPS);
}

// KERNEL-DAG: ld_abs_held: reject: BPF_LD_[ABS|IND] would lead to reference leak
SEC("tc") __naked int ld_abs_held(void) {
  asm volatile("r6 = r1;" RESERVE "if r0 == 0 goto 1f; r7 = r0;"
               "r0 = *(u8 *)skb[12];"
               "r1 = r7; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: legacy packet load (LD_ABS/LD_IND), which may end the program, while a ring buffer record is held (verifier: "Unreleased reference id=%d alloc_insn=%d", "BPF_LD_[ABS|IND] would lead to reference leak") [bpflint-ringbuf-held-across-early-exit]
// K61: "BPF_LD_[ABS|IND] cannot be mixed with socket references"

// KERNEL-DAG: ld_abs_held_fixed: accept
SEC("tc") __naked int ld_abs_held_fixed(void) {
  asm volatile("r6 = r1; r0 = *(u8 *)skb[12];" RESERVE "if r0 == 0 goto 1f;"
               "r1 = r0; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}

// RB-004: a size with known bounds [0, 63] is still not a constant.
// KERNEL-DAG: nonconst_size: reject: R2 is not a known constant'
SEC("tc") __naked int nonconst_size(void) {
  asm volatile("call 7; r2 = r0; r2 &= 63; r1 = %[rb] ll; r3 = 0; call 131;"
               "if r0 == 0 goto 1f; r1 = r0; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: the size passed to bpf_ringbuf_reserve in R2 is not a constant the verifier knows (verifier: "R2 is not a known constant'") [bpflint-ringbuf-non-constant-size]
// CHECK: note: R2 = scalar(umax=63)

// KERNEL-DAG: nonconst_size_fixed: accept
SEC("tc") __naked int nonconst_size_fixed(void) {
  asm volatile("call 7; r2 = r0; r2 &= 0; r2 += 16; r1 = %[rb] ll; r3 = 0;"
               "call 131; if r0 == 0 goto 1f; r1 = r0; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}

// RB-002.
// KERNEL-DAG: reserve_wrong_map: reject: cannot pass map_type 4 into func bpf_ringbuf_reserve#131
SEC("tc") __naked int reserve_wrong_map(void) {
  asm volatile("r1 = %[perf] ll; r2 = 8; r3 = 0; call 131;"
               "if r0 == 0 goto 1f; r1 = r0; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_ringbuf_reserve is given map 'perf' of type 4, not BPF_MAP_TYPE_RINGBUF (verifier: "cannot pass map_type %d into func %s#%d") [bpflint-ringbuf-map-type]

// KERNEL-DAG: reserve_wrong_map_fixed: accept
SEC("tc") __naked int reserve_wrong_map_fixed(void) {
  asm volatile("r1 = %[rb] ll; r2 = 8; r3 = 0; call 131;"
               "if r0 == 0 goto 1f; r1 = r0; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}

// LOCK-018, LOCK-010, LOCK-022, LOCK-021 inside a critical section.
// KERNEL-DAG: lock_helper: reject: function calls are not allowed while holding a lock
SEC("tc") __naked int lock_helper(void) {
  asm volatile(LOOKUP "if r0 == 0 goto 1f; r6 = r0; r1 = r0; call 93;"
               "call 5;" // bpf_ktime_get_ns
               "r1 = r6; call 94; 1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: call to helper bpf_ktime_get_ns while the lock in a value of map 'locked' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]
// CHECK: note: the lock in a value of map 'locked' (id={{[0-9]+}}) is taken here

// KERNEL-DAG: lock_helper_fixed: accept
SEC("tc") __naked int lock_helper_fixed(void) {
  asm volatile(LOOKUP "if r0 == 0 goto 1f; r6 = r0; call 5; r7 = r0;"
               "r1 = r6; call 93; *(u32 *)(r6 + 4) = r7;"
               "r1 = r6; call 94; 1: r0 = 0; exit;" ::MAPS);
}

// KERNEL-DAG: lock_nested: reject: function calls are not allowed while holding a lock
SEC("tc") __naked int lock_nested(void) {
  asm volatile(LOOKUP "if r0 == 0 goto 1f; r6 = r0; r1 = r0; call 93;"
               "r1 = r6; call 93;"
               "r1 = r6; call 94; 1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_spin_lock while the lock in a value of map 'locked' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-nested]

// KERNEL-DAG: lock_tail_call: reject: function calls are not allowed while holding a lock
SEC("tc") __naked int lock_tail_call(void) {
  asm volatile("r7 = r1;" LOOKUP "if r0 == 0 goto 1f; r6 = r0; r1 = r0;"
               "call 93; r1 = r7; r2 = %[jmp] ll; r3 = 0; call 12;"
               "r1 = r6; call 94; 1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_tail_call while the lock in a value of map 'locked' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-tail-call]

// KERNEL-DAG: lock_ld_abs: reject: BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region
SEC("tc") __naked int lock_ld_abs(void) {
  asm volatile("r7 = r1;" LOOKUP "if r0 == 0 goto 1f; r8 = r0; r6 = r7;"
               "r1 = r8; call 93; r0 = *(u8 *)skb[12];"
               "r1 = r8; call 94; 1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: legacy packet load (LD_ABS/LD_IND) while the lock in a value of map 'locked' (id={{[0-9]+}}) is held (verifier: "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region") [bpflint-lock-ld-abs]

// KERNEL-DAG: lock_ld_abs_fixed: accept
SEC("tc") __naked int lock_ld_abs_fixed(void) {
  asm volatile("r7 = r1;" LOOKUP "if r0 == 0 goto 1f; r8 = r0; r6 = r7;"
               "r0 = *(u8 *)skb[12]; r1 = r8; call 93;"
               "r1 = r8; call 94; 1: r0 = 0; exit;" ::MAPS);
}

// LOCK-013: the values of two lookups have two locks.
// KERNEL-DAG: unlock_different: reject: bpf_spin_unlock of different lock
SEC("tc") __naked int unlock_different(void) {
  asm volatile(LOOKUP "if r0 == 0 goto 1f; r6 = r0;" LOOKUP
               "if r0 == 0 goto 1f; r7 = r0;"
               "r1 = r6; call 93; r1 = r7; call 94;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_spin_unlock of the lock in a value of map 'locked' (id={{[0-9]+}}) while the lock held is the lock in a value of map 'locked' (id={{[0-9]+}}) (verifier: "bpf_spin_unlock of different lock") [bpflint-lock-unlock-different]

// KERNEL-DAG: unlock_different_fixed: accept
SEC("tc") __naked int unlock_different_fixed(void) {
  asm volatile(LOOKUP "if r0 == 0 goto 1f; r6 = r0;" LOOKUP
               "if r0 == 0 goto 1f; r7 = r0;"
               "r1 = r6; call 93; r1 = r6; call 94;"
               "1: r0 = 0; exit;" ::MAPS);
}

// LOCK-007: the value of a hash map lookup may be NULL.
// KERNEL-DAG: lock_unchecked: reject: R1 type=map_value_or_null expected=map_value, ptr_
SEC("tc") __naked int lock_unchecked(void) {
  asm volatile(HLOOKUP "r6 = r0; r1 = r0; call 93;"
               "r1 = r6; call 94; r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: bpf_spin_lock is given a map value that may be NULL (verifier: "R1 type=map_value_or_null expected=map_value, ptr_") [bpflint-lock-bad-pointer]
// K61: (verifier: "R1 type=map_value_or_null expected=map_value")

// KERNEL-DAG: lock_unchecked_fixed: accept
SEC("tc") __naked int lock_unchecked_fixed(void) {
  asm volatile(HLOOKUP "if r0 == 0 goto 1f; r6 = r0; r1 = r0; call 93;"
               "r1 = r6; call 94; 1: r0 = 0; exit;" ::MAPS);
}

// An array map lookup with a constant key in range is not NULL to kernels
// since 6.14 (the NULL case is elided): silent, on any profile.
// KERNEL-DAG: array_lock_unchecked: accept
SEC("tc") __naked int array_lock_unchecked(void) {
  asm volatile(LOOKUP "r6 = r0; r1 = r0; call 93;"
               "r1 = r6; call 94; r0 = 0; exit;" ::MAPS);
}

// Nor is its NULL branch a path to report on: the leak there is dead code
// to the kernel.
// KERNEL-DAG: array_null_branch_leak: accept
SEC("tc") __naked int array_null_branch_leak(void) {
  asm volatile(LOOKUP "if r0 != 0 goto 1f;" RESERVE "r0 = 0; exit;"
               "1: r0 = 0; exit;" ::MAPS);
}

// LOCK-018 for a kfunc off the allowlist (kfunc_spin_allowed).
// KERNEL-DAG: lock_kfunc: reject: function calls are not allowed while holding a lock
SEC("tc") int lock_kfunc(void *ctx) {
  int k = 0;
  unsigned long flags;
  struct val *v = bpf_map_lookup_elem(&hlocked, &k);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  bpf_local_irq_save(&flags);
  v->data++;
  bpf_local_irq_restore(&flags);
  bpf_spin_unlock(&v->lock);
  return 0;
}
// CHECK: warning: call to kfunc bpf_local_irq_save while the lock in a value of map 'hlocked' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]

// KERNEL-DAG: lock_kfunc_fixed: accept
SEC("tc") int lock_kfunc_fixed(void *ctx) {
  int k = 0;
  unsigned long flags;
  struct val *v = bpf_map_lookup_elem(&hlocked, &k);
  if (!v)
    return 0;
  bpf_local_irq_save(&flags);
  bpf_spin_lock(&v->lock);
  v->data++;
  bpf_spin_unlock(&v->lock);
  bpf_local_irq_restore(&flags);
  return 0;
}

// LOCK-023: the lock's bytes are not for loads and stores.
// KERNEL-DAG: lock_direct: reject: bpf_spin_lock cannot be accessed directly by load/store
SEC("tc") __naked int lock_direct(void) {
  asm volatile(HLOOKUP "if r0 == 0 goto 1f; *(u32 *)(r0 + 0) = 0;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: store to bytes 0..3 of a value of map 'hlocked', which overlap its bpf_spin_lock at offset 0 (verifier: "bpf_spin_lock cannot be accessed directly by load/store") [bpflint-lock-direct-access]

// KERNEL-DAG: lock_direct_fixed: accept
SEC("tc") __naked int lock_direct_fixed(void) {
  asm volatile(HLOOKUP "if r0 == 0 goto 1f; *(u32 *)(r0 + 4) = 0;"
               "1: r0 = 0; exit;" ::MAPS);
}

// LOCK-019: a global function called under the lock; a static one is fine
// since 6.9, and rejected (LOCK-018) before.
__noinline int global_fn(int x) { return x + 1; }
static __noinline int static_fn(int x) {
  asm volatile("" ::: "memory");
  return x + 2;
}

// KERNEL-DAG: lock_global_call: reject: use static function instead
SEC("tc") int lock_global_call(void *ctx) {
  int k = 0;
  struct val *v = bpf_map_lookup_elem(&locked, &k);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->data = global_fn(v->data);
  bpf_spin_unlock(&v->lock);
  return 0;
}
// CHECK: warning: call to global function 'global_fn' while the lock in a value of map 'locked' (id={{[0-9]+}}) is held (verifier: "global function calls are not allowed while holding a lock,", "use static function instead") [bpflint-lock-global-call-in-critical-section]

// KERNEL-DAG: lock_global_call_fixed: accept
SEC("tc") int lock_global_call_fixed(void *ctx) {
  int k = 0;
  struct val *v = bpf_map_lookup_elem(&locked, &k);
  if (!v)
    return 0;
  bpf_spin_lock(&v->lock);
  v->data = static_fn(v->data);
  bpf_spin_unlock(&v->lock);
  return 0;
}
// K61: warning: call to function 'static_fn' while the lock in a value of map 'locked' (id={{[0-9]+}}) is held (verifier: "function calls are not allowed while holding a lock") [bpflint-lock-call-in-critical-section]

// RB-008 at variable offsets (MemBounds.cpp): a bounded index whose maximum
// leaves the 8-byte record, and one that may be negative.
// KERNEL-DAG: var_index_past_end: reject: R1 max value is outside of the allowed memory range
SEC("tc") __naked int var_index_past_end(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f; r6 = r0;"
               "call 7; r0 &= 15; r1 = r6; r1 += r0; r0 = 0;"
               "*(u8 *)(r1 + 0) = r0;"
               "r1 = r6; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: store to bytes 15..16 of a ring buffer record of 8 bytes through R1; reserve the size of what the record holds, or check the index first (verifier: "invalid access to memory, mem_size=%u off=%d size=%d", "R%d max value is outside of the allowed memory range") [bpflint-ringbuf-access-out-of-bounds]
// CHECK: note: R1 = ringbuf_mem(id={{[0-9]+}},ref_obj_id={{[0-9]+}},var_off(umax=15))

// KERNEL-DAG: var_index_past_end_fixed: accept
SEC("tc") __naked int var_index_past_end_fixed(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f; r6 = r0;"
               "call 7; r0 &= 7; r1 = r6; r1 += r0; r0 = 0;"
               "*(u8 *)(r1 + 0) = r0;"
               "r1 = r6; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}

// KERNEL-DAG: var_index_negative: reject: R1 min value is negative, either use unsigned index or do a if (index >=0) check.
SEC("tc") __naked int var_index_negative(void) {
  asm volatile(RESERVE "if r0 == 0 goto 1f; r6 = r0;"
               "call 7; r0 &= 15; r0 -= 8; r1 = r6; r1 += r0; r0 = 0;"
               "*(u8 *)(r1 + 0) = r0;"
               "r1 = r6; r2 = 0; call 132;"
               "1: r0 = 0; exit;" ::MAPS);
}
// CHECK: warning: store to a ring buffer record of 8 bytes through R1 at an offset that may be negative; reserve the size of what the record holds, or check the index first (verifier: "R%d min value is negative, either use unsigned index or do a if (index >=0) check.") [bpflint-ringbuf-access-out-of-bounds]

char _license[] SEC("license") = "GPL";
