//===- Scalar.h - Abstract scalar values ------------------------*- C++ -*-===//
//
// The kernel's scalar domain, reduced: a tnum (known bits) plus unsigned and
// signed 64-bit ranges, kept consistent the way reg_bounds_sync() does.
//
// Precision rule: we must never know *less* than the kernel about a value
// that decides a branch, or we would explore a path the kernel proves dead
// and report a finding it never sees. Wherever our transfer function may be
// weaker than the kernel's (an operation we approximate, a value the loader
// fixes: CO-RE constants, .rodata, __kconfig), the result is marked
// Imprecise; a branch that we cannot decide and that depends on an Imprecise
// value taints the path, and findings on tainted paths are dropped.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_SCALAR_H
#define BPFLINT_BYTECODE_SCALAR_H

#include <cstdint>
#include <optional>
#include <string>

namespace bpflint::bc {

/// Known bits: bit i is known iff Mask bit i is 0, then it equals Value's.
struct Tnum {
  uint64_t Value = 0;
  uint64_t Mask = ~0ull;

  static Tnum constant(uint64_t V) { return {V, 0}; }
  static Tnum unknown() { return {0, ~0ull}; }
  /// The tightest tnum containing [Min, Max].
  static Tnum range(uint64_t Min, uint64_t Max);
  bool isConst() const { return Mask == 0; }
  bool contains(Tnum Other) const; ///< Every value of Other is in *this.
  std::optional<Tnum> intersect(Tnum Other) const;
  Tnum add(Tnum B) const;
  Tnum sub(Tnum B) const;
  Tnum bitAnd(Tnum B) const;
  Tnum bitOr(Tnum B) const;
  Tnum bitXor(Tnum B) const;
  Tnum shl(unsigned S) const { return {Value << S, Mask << S}; }
  Tnum lshr(unsigned S) const { return {Value >> S, Mask >> S}; }
  Tnum ashr(unsigned S) const;
  Tnum cast(unsigned Bytes) const; ///< Truncate to the low Bytes bytes.
  friend bool operator==(Tnum A, Tnum B) {
    return A.Value == B.Value && A.Mask == B.Mask;
  }
};

struct Scalar {
  Tnum Bits = Tnum::unknown();
  uint64_t UMin = 0, UMax = ~0ull;
  int64_t SMin = INT64_MIN, SMax = INT64_MAX;
  /// We may know less than the kernel about this value.
  bool Imprecise = false;
  /// Loaded from the context with 4 or 8 bytes: possibly a packet or BTF
  /// pointer in the kernel's eyes (skb->data, tracing arguments).
  bool FromCtx = false;

  static Scalar constant(uint64_t V);
  static Scalar unknown() { return Scalar(); }
  /// An unknown value of Bytes bytes, zero-extended.
  static Scalar unknownOfSize(unsigned Bytes);
  static Scalar imprecise() {
    Scalar S;
    S.Imprecise = true;
    return S;
  }

  bool isConst() const { return Bits.isConst(); }
  uint64_t constValue() const { return Bits.Value; }
  bool fitsU32() const { return UMax <= UINT32_MAX; }
  /// Brings ranges and tnum into agreement; false if they are contradictory
  /// (the value set is empty: an infeasible branch).
  bool normalize();
  /// Every value of Other is a value of *this.
  bool contains(const Scalar &Other) const;
  std::string str() const;
  friend bool operator==(const Scalar &A, const Scalar &B) {
    return A.Bits == B.Bits && A.UMin == B.UMin && A.UMax == B.UMax &&
           A.SMin == B.SMin && A.SMax == B.SMax && A.Imprecise == B.Imprecise &&
           A.FromCtx == B.FromCtx;
  }
};

/// ALU transfer functions. Op is the BPF_OP field (AluAdd, ...); Is32 for
/// the ALU (32-bit) class: the result is zero-extended as on real hardware.
/// Signed selects sdiv/smod.
Scalar aluScalar(uint8_t Op, const Scalar &Dst, const Scalar &Src, bool Is32,
                 bool Signed = false);

/// Outcome of a conditional jump between two scalars: 1 taken, 0 not taken,
/// -1 unknown. Op is the BPF_OP field of a JMP/JMP32 instruction.
int branchTaken(uint8_t Op, const Scalar &A, const Scalar &B, bool Is32);

/// Refines A and B assuming the comparison has outcome Taken. Returns false
/// if that outcome is impossible. Only 64-bit comparisons, and 32-bit ones on
/// values that fit in 32 bits, are refined; Refined says whether we did.
bool refineBranch(uint8_t Op, Scalar &A, Scalar &B, bool Is32, bool Taken,
                  bool &Refined);

} // namespace bpflint::bc

#endif
