//===- Scalar.cpp - Abstract scalar values --------------------------------===//
//
// Tnum operations follow kernel/bpf/tnum.c; range rules follow the kernel's
// scalar_min_max_*() helpers in verifier.c, in their simplest (oldest) form.
// Where a newer kernel is smarter than what we do, the result is marked
// Imprecise (see Scalar.h).
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/Scalar.h"
#include "bpflint/Bytecode/Insn.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

using namespace llvm;

namespace bpflint::bc {

//===-- Tnum --------------------------------------------------------------===//

Tnum Tnum::range(uint64_t Min, uint64_t Max) {
  uint64_t Chi = Min ^ Max;
  unsigned Bits = Chi ? 64 - countl_zero(Chi) : 0;
  if (Bits > 63)
    return unknown();
  uint64_t Delta = (1ull << Bits) - 1;
  return {Min & ~Delta, Delta};
}

bool Tnum::contains(Tnum B) const {
  if (B.Mask & ~Mask)
    return false;
  return Value == (B.Value & ~Mask);
}

std::optional<Tnum> Tnum::intersect(Tnum B) const {
  // Bits known in both must agree.
  if ((Value ^ B.Value) & ~(Mask | B.Mask))
    return std::nullopt;
  uint64_t V = Value | B.Value, Mu = Mask & B.Mask;
  return Tnum{V & ~Mu, Mu};
}

Tnum Tnum::add(Tnum B) const {
  uint64_t Sm = Mask + B.Mask, Sv = Value + B.Value;
  uint64_t Sigma = Sm + Sv, Chi = Sigma ^ Sv, Mu = Chi | Mask | B.Mask;
  return {Sv & ~Mu, Mu};
}

Tnum Tnum::sub(Tnum B) const {
  uint64_t Dv = Value - B.Value, Alpha = Dv + Mask, Beta = Dv - B.Mask;
  uint64_t Chi = Alpha ^ Beta, Mu = Chi | Mask | B.Mask;
  return {Dv & ~Mu, Mu};
}

Tnum Tnum::bitAnd(Tnum B) const {
  uint64_t Alpha = Value | Mask, Beta = B.Value | B.Mask, V = Value & B.Value;
  return {V, Alpha & Beta & ~V};
}

Tnum Tnum::bitOr(Tnum B) const {
  uint64_t V = Value | B.Value, Mu = Mask | B.Mask;
  return {V, Mu & ~V};
}

Tnum Tnum::bitXor(Tnum B) const {
  uint64_t V = Value ^ B.Value, Mu = Mask | B.Mask;
  return {V & ~Mu, Mu};
}

Tnum Tnum::ashr(unsigned S) const {
  return {uint64_t(int64_t(Value) >> S), uint64_t(int64_t(Mask) >> S)};
}

Tnum Tnum::cast(unsigned Bytes) const {
  if (Bytes >= 8)
    return *this;
  uint64_t M = (1ull << (Bytes * 8)) - 1;
  return {Value & M, Mask & M};
}

//===-- Scalar ------------------------------------------------------------===//

Scalar Scalar::constant(uint64_t V) {
  Scalar S;
  S.Bits = Tnum::constant(V);
  S.UMin = S.UMax = V;
  S.SMin = S.SMax = int64_t(V);
  return S;
}

Scalar Scalar::unknownOfSize(unsigned Bytes) {
  Scalar S;
  if (Bytes < 8) {
    S.Bits = Tnum::unknown().cast(Bytes);
    S.normalize();
  }
  return S;
}

bool Scalar::normalize() {
  for (int Round = 0; Round < 2; ++Round) {
    UMin = std::max(UMin, Bits.Value);
    UMax = std::min(UMax, Bits.Value | Bits.Mask);
    // Unsigned bounds that do not cross the sign boundary are signed bounds.
    if (int64_t(UMin) <= int64_t(UMax)) {
      SMin = std::max(SMin, int64_t(UMin));
      SMax = std::min(SMax, int64_t(UMax));
    }
    // Signed bounds of one sign are unsigned bounds.
    if (SMin >= 0 || SMax < 0) {
      UMin = std::max(UMin, uint64_t(SMin));
      UMax = std::min(UMax, uint64_t(SMax));
    }
    if (UMin > UMax || SMin > SMax)
      return false;
    std::optional<Tnum> T = Bits.intersect(Tnum::range(UMin, UMax));
    if (!T)
      return false;
    Bits = *T;
  }
  if (UMin == UMax) {
    if (!Bits.contains(Tnum::constant(UMin)))
      return false;
    uint64_t V = UMin;
    bool Imp = Imprecise, Ctx = FromCtx;
    *this = constant(V);
    Imprecise = Imp;
    FromCtx = Ctx;
  }
  return true;
}

bool Scalar::contains(const Scalar &O) const {
  return Bits.contains(O.Bits) && UMin <= O.UMin && O.UMax <= UMax &&
         SMin <= O.SMin && O.SMax <= SMax;
}

std::string Scalar::str() const {
  std::string Out;
  raw_string_ostream OS(Out);
  if (isConst()) {
    OS << "scalar(" << int64_t(constValue()) << ")";
  } else {
    OS << "scalar(";
    bool First = true;
    auto sep = [&] {
      if (!First)
        OS << ",";
      First = false;
    };
    if (UMin != 0) {
      sep();
      OS << "umin=" << UMin;
    }
    if (UMax != ~0ull) {
      sep();
      OS << "umax=" << UMax;
    }
    if (SMin != INT64_MIN && int64_t(UMin) != SMin) {
      sep();
      OS << "smin=" << SMin;
    }
    if (SMax != INT64_MAX && int64_t(UMax) != SMax) {
      sep();
      OS << "smax=" << SMax;
    }
    OS << ")";
  }
  if (Imprecise)
    OS << "?";
  return Out;
}

//===-- ALU ---------------------------------------------------------------===//

namespace {

// A scalar built from a tnum alone; ranges follow from the bits.
Scalar fromBits(Tnum T) {
  Scalar S;
  S.Bits = T;
  S.normalize();
  return S;
}

// The low 32 bits of V as a value in [0, 2^32), with what the kernel's
// 32-bit bounds would know: the tnum's low half, and the 64-bit ranges' low
// halves when their upper halves agree (__reg32_deduce_bounds).
Scalar view32(const Scalar &V) {
  if (V.fitsU32())
    return V;
  Scalar S;
  if (V.isConst()) {
    S = Scalar::constant(uint32_t(V.constValue()));
  } else {
    S = fromBits(V.Bits.cast(4));
    constexpr uint64_t Low = UINT32_MAX;
    if ((V.UMin >> 32) == (V.UMax >> 32)) {
      S.UMin = std::max(S.UMin, V.UMin & Low);
      S.UMax = std::min(S.UMax, V.UMax & Low);
    }
    if ((uint64_t(V.SMin) >> 32) == (uint64_t(V.SMax) >> 32) &&
        (uint64_t(V.SMin) & Low) <= (uint64_t(V.SMax) & Low)) {
      S.UMin = std::max(S.UMin, uint64_t(V.SMin) & Low);
      S.UMax = std::min(S.UMax, uint64_t(V.SMax) & Low);
    }
    if (!S.normalize())
      S = fromBits(V.Bits.cast(4));
  }
  S.Imprecise = V.Imprecise;
  S.FromCtx = V.FromCtx;
  return S;
}

// Truncates a 64-bit result of a 32-bit operation to 32 bits (zero-extended).
Scalar trunc32(Scalar R) {
  if (R.fitsU32())
    return R;
  if (R.isConst()) {
    Scalar S = Scalar::constant(uint32_t(R.constValue()));
    S.Imprecise = R.Imprecise;
    S.FromCtx = R.FromCtx;
    return S;
  }
  Scalar S = fromBits(R.Bits.cast(4));
  // Wrapped ranges: the kernel's u32 bounds can do better.
  S.Imprecise = true;
  S.FromCtx = R.FromCtx;
  return S;
}

uint64_t evalConst(uint8_t Op, uint64_t A, uint64_t B, bool Is32, bool Signed) {
  unsigned Bits = Is32 ? 32 : 64;
  switch (Op) {
  case AluAdd:
    return A + B;
  case AluSub:
    return A - B;
  case AluMul:
    return A * B;
  case AluOr:
    return A | B;
  case AluAnd:
    return A & B;
  case AluXor:
    return A ^ B;
  case AluLsh:
    return A << (B & (Bits - 1));
  case AluRsh:
    return A >> (B & (Bits - 1));
  case AluArsh:
    if (Is32)
      return uint32_t(int32_t(uint32_t(A)) >> (B & 31));
    return uint64_t(int64_t(A) >> (B & 63));
  case AluDiv:
    if (B == 0)
      return 0;
    if (!Signed)
      return A / B;
    if (Is32) {
      int32_t SA = int32_t(uint32_t(A)), SB = int32_t(uint32_t(B));
      if (SA == INT32_MIN && SB == -1)
        return uint32_t(SA);
      return uint32_t(SA / SB);
    }
    if (int64_t(A) == INT64_MIN && int64_t(B) == -1)
      return A;
    return uint64_t(int64_t(A) / int64_t(B));
  case AluMod:
    if (B == 0)
      return A;
    if (!Signed)
      return A % B;
    if (Is32) {
      int32_t SA = int32_t(uint32_t(A)), SB = int32_t(uint32_t(B));
      if (SB == -1)
        return 0;
      return uint32_t(SA % SB);
    }
    if (int64_t(B) == -1)
      return 0;
    return uint64_t(int64_t(A) % int64_t(B));
  default:
    return 0;
  }
}

Scalar alu64(uint8_t Op, const Scalar &D, const Scalar &S, bool Signed) {
  if (D.isConst() && S.isConst())
    return Scalar::constant(evalConst(Op, D.constValue(), S.constValue(),
                                      /*Is32=*/false, Signed));
  Scalar R;
  switch (Op) {
  case AluAdd: {
    R.Bits = D.Bits.add(S.Bits);
    uint64_t Lo, Hi;
    if (!__builtin_add_overflow(D.UMin, S.UMin, &Lo) &&
        !__builtin_add_overflow(D.UMax, S.UMax, &Hi)) {
      R.UMin = Lo;
      R.UMax = Hi;
    }
    int64_t SLo, SHi;
    if (!__builtin_add_overflow(D.SMin, S.SMin, &SLo) &&
        !__builtin_add_overflow(D.SMax, S.SMax, &SHi)) {
      R.SMin = SLo;
      R.SMax = SHi;
    }
    break;
  }
  case AluSub: {
    R.Bits = D.Bits.sub(S.Bits);
    if (D.UMin >= S.UMax) {
      R.UMin = D.UMin - S.UMax;
      R.UMax = D.UMax - S.UMin;
    }
    int64_t SLo, SHi;
    if (!__builtin_sub_overflow(D.SMin, S.SMax, &SLo) &&
        !__builtin_sub_overflow(D.SMax, S.SMin, &SHi)) {
      R.SMin = SLo;
      R.SMax = SHi;
    }
    break;
  }
  case AluAnd:
    R.Bits = D.Bits.bitAnd(S.Bits);
    R.UMax = std::min(D.UMax, S.UMax);
    break;
  case AluOr:
    R.Bits = D.Bits.bitOr(S.Bits);
    R.UMin = std::max(D.UMin, S.UMin);
    break;
  case AluXor:
    R.Bits = D.Bits.bitXor(S.Bits);
    break;
  case AluLsh:
  case AluRsh:
  case AluArsh: {
    if (!S.isConst() || S.constValue() >= 64)
      return Scalar::imprecise();
    unsigned K = S.constValue();
    if (Op == AluLsh) {
      R.Bits = D.Bits.shl(K);
      if (K == 0 || D.UMax <= (~0ull >> K)) {
        R.UMin = D.UMin << K;
        R.UMax = D.UMax << K;
      }
    } else if (Op == AluRsh) {
      R.Bits = D.Bits.lshr(K);
      R.UMin = D.UMin >> K;
      R.UMax = D.UMax >> K;
    } else {
      R.Bits = D.Bits.ashr(K);
      R.SMin = D.SMin >> K;
      R.SMax = D.SMax >> K;
    }
    break;
  }
  case AluMul: {
    // The kernel also tracks tnum_mul bits; we only keep ranges.
    uint64_t Lo, Hi;
    if (!__builtin_mul_overflow(D.UMin, S.UMin, &Lo) &&
        !__builtin_mul_overflow(D.UMax, S.UMax, &Hi)) {
      R.UMin = Lo;
      R.UMax = Hi;
    }
    R.Imprecise = true;
    break;
  }
  default:
    // div, mod: newer kernels track ranges for some cases.
    return Scalar::imprecise();
  }
  if (!R.normalize())
    return Scalar::imprecise();
  return R;
}

} // namespace

Scalar aluScalar(uint8_t Op, const Scalar &Dst, const Scalar &Src, bool Is32,
                 bool Signed) {
  Scalar R;
  if (!Is32) {
    R = alu64(Op, Dst, Src, Signed);
  } else {
    Scalar D = view32(Dst), S = view32(Src);
    if (D.isConst() && S.isConst()) {
      R = Scalar::constant(uint32_t(
          evalConst(Op, D.constValue(), S.constValue(), true, Signed)));
    } else if (Op == AluArsh) {
      // Arithmetic shift of a 32-bit value that may be negative as s32.
      if (D.UMax < (1ull << 31))
        R = alu64(AluRsh, D, S, false);
      else
        R = Scalar::imprecise();
    } else if ((Op == AluLsh || Op == AluRsh) &&
               (!S.isConst() || S.constValue() >= 32)) {
      R = Scalar::imprecise();
    } else if (Signed) {
      R = Scalar::imprecise();
    } else {
      R = alu64(Op, D, S, false);
    }
    R = trunc32(R);
    R.Imprecise |= D.Imprecise || S.Imprecise;
  }
  // What we do not know exactly may be known to the kernel if its inputs
  // were; constants computed from imprecise inputs are imprecise too.
  R.Imprecise |= Dst.Imprecise || Src.Imprecise;
  R.FromCtx = Dst.FromCtx || Src.FromCtx;
  return R;
}

//===-- Branches ----------------------------------------------------------===//

namespace {

uint8_t negate(uint8_t Op) {
  switch (Op) {
  case JmpJeq:
    return JmpJne;
  case JmpJne:
    return JmpJeq;
  case JmpJgt:
    return JmpJle;
  case JmpJle:
    return JmpJgt;
  case JmpJge:
    return JmpJlt;
  case JmpJlt:
    return JmpJge;
  case JmpJsgt:
    return JmpJsle;
  case JmpJsle:
    return JmpJsgt;
  case JmpJsge:
    return JmpJslt;
  case JmpJslt:
    return JmpJsge;
  default:
    return Op;
  }
}

bool isSignedCmp(uint8_t Op) {
  return Op == JmpJsgt || Op == JmpJsge || Op == JmpJslt || Op == JmpJsle;
}

int taken64(uint8_t Op, const Scalar &A, const Scalar &B) {
  switch (Op) {
  case JmpJeq:
  case JmpJne: {
    int Eq = -1;
    if (A.isConst() && B.isConst())
      Eq = A.constValue() == B.constValue();
    else if (A.UMin > B.UMax || A.UMax < B.UMin || A.SMin > B.SMax ||
             A.SMax < B.SMin || !A.Bits.intersect(B.Bits))
      Eq = 0;
    if (Eq < 0)
      return -1;
    return Op == JmpJeq ? Eq : !Eq;
  }
  case JmpJgt:
    return A.UMin > B.UMax ? 1 : A.UMax <= B.UMin ? 0 : -1;
  case JmpJge:
    return A.UMin >= B.UMax ? 1 : A.UMax < B.UMin ? 0 : -1;
  case JmpJlt:
    return A.UMax < B.UMin ? 1 : A.UMin >= B.UMax ? 0 : -1;
  case JmpJle:
    return A.UMax <= B.UMin ? 1 : A.UMin > B.UMax ? 0 : -1;
  case JmpJsgt:
    return A.SMin > B.SMax ? 1 : A.SMax <= B.SMin ? 0 : -1;
  case JmpJsge:
    return A.SMin >= B.SMax ? 1 : A.SMax < B.SMin ? 0 : -1;
  case JmpJslt:
    return A.SMax < B.SMin ? 1 : A.SMin >= B.SMax ? 0 : -1;
  case JmpJsle:
    return A.SMax <= B.SMin ? 1 : A.SMin > B.SMax ? 0 : -1;
  case JmpJset:
    if (B.isConst()) {
      if (A.Bits.Value & B.constValue())
        return 1;
      if (!((A.Bits.Value | A.Bits.Mask) & B.constValue()))
        return 0;
    }
    if (A.isConst() && B.isConst())
      return (A.constValue() & B.constValue()) != 0;
    return -1;
  default:
    return -1;
  }
}

// Whether a 32-bit comparison of A and B can be done on the 64-bit values:
// both fit in 32 bits (and in 31 bits for signed comparisons).
bool sameAs64(uint8_t Op, const Scalar &A, const Scalar &B) {
  uint64_t Limit = isSignedCmp(Op) ? (1ull << 31) - 1 : UINT32_MAX;
  return A.UMax <= Limit && B.UMax <= Limit;
}

Scalar sext32(const Scalar &V) {
  return Scalar::constant(uint64_t(int64_t(int32_t(uint32_t(V.constValue())))));
}

} // namespace

int branchTaken(uint8_t Op, const Scalar &A, const Scalar &B, bool Is32) {
  if (!Is32)
    return taken64(Op, A, B);
  if (A.isConst() && B.isConst()) {
    if (isSignedCmp(Op))
      return taken64(Op, sext32(A), sext32(B));
    return taken64(Op, view32(A), view32(B));
  }
  // The low halves, with what the kernel's 32-bit bounds know about them.
  Scalar VA = view32(A), VB = view32(B);
  if (sameAs64(Op, VA, VB))
    return taken64(Op, VA, VB);
  return -1;
}

bool refineBranch(uint8_t Op, Scalar &A, Scalar &B, bool Is32, bool Taken,
                  bool &Refined) {
  Refined = false;
  if (Is32 && !sameAs64(Op, A, B))
    return true;
  Refined = true;
  if (Op == JmpJset) {
    if (!B.isConst()) {
      Refined = false;
      return true;
    }
    uint64_t C = B.constValue();
    if (!Taken) {
      A.Bits.Value &= ~C;
      A.Bits.Mask &= ~C;
    } else if (C == 0) {
      return false;
    } else if ((C & (C - 1)) == 0) {
      A.Bits.Value |= C;
      A.Bits.Mask &= ~C;
    }
    return A.normalize();
  }
  if (!Taken)
    Op = negate(Op);
  switch (Op) {
  case JmpJeq: {
    std::optional<Tnum> T = A.Bits.intersect(B.Bits);
    if (!T)
      return false;
    A.Bits = B.Bits = *T;
    A.UMin = B.UMin = std::max(A.UMin, B.UMin);
    A.UMax = B.UMax = std::min(A.UMax, B.UMax);
    A.SMin = B.SMin = std::max(A.SMin, B.SMin);
    A.SMax = B.SMax = std::min(A.SMax, B.SMax);
    break;
  }
  case JmpJne: {
    // Excluding a constant only helps at the ends of a range.
    auto exclude = [](Scalar &X, uint64_t C) {
      if (X.UMin == C && X.UMin != ~0ull)
        ++X.UMin;
      else if (X.UMax == C && X.UMax != 0)
        --X.UMax;
      if (X.SMin == int64_t(C) && X.SMin != INT64_MAX)
        ++X.SMin;
      else if (X.SMax == int64_t(C) && X.SMax != INT64_MIN)
        --X.SMax;
    };
    if (A.isConst() && B.isConst() && A.constValue() == B.constValue())
      return false;
    if (B.isConst())
      exclude(A, B.constValue());
    if (A.isConst())
      exclude(B, A.constValue());
    break;
  }
  case JmpJgt:
  case JmpJlt: {
    Scalar &Big = Op == JmpJgt ? A : B, &Small = Op == JmpJgt ? B : A;
    if (Small.UMin == ~0ull || Big.UMax == 0)
      return false;
    Big.UMin = std::max(Big.UMin, Small.UMin + 1);
    Small.UMax = std::min(Small.UMax, Big.UMax - 1);
    break;
  }
  case JmpJge:
  case JmpJle: {
    Scalar &Big = Op == JmpJge ? A : B, &Small = Op == JmpJge ? B : A;
    Big.UMin = std::max(Big.UMin, Small.UMin);
    Small.UMax = std::min(Small.UMax, Big.UMax);
    break;
  }
  case JmpJsgt:
  case JmpJslt: {
    Scalar &Big = Op == JmpJsgt ? A : B, &Small = Op == JmpJsgt ? B : A;
    if (Small.SMin == INT64_MAX || Big.SMax == INT64_MIN)
      return false;
    Big.SMin = std::max(Big.SMin, Small.SMin + 1);
    Small.SMax = std::min(Small.SMax, Big.SMax - 1);
    break;
  }
  case JmpJsge:
  case JmpJsle: {
    Scalar &Big = Op == JmpJsge ? A : B, &Small = Op == JmpJsge ? B : A;
    Big.SMin = std::max(Big.SMin, Small.SMin);
    Small.SMax = std::min(Small.SMax, Big.SMax);
    break;
  }
  default:
    Refined = false;
    return true;
  }
  return A.normalize() && B.normalize();
}

} // namespace bpflint::bc
