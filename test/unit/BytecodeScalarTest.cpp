//===- BytecodeScalarTest.cpp - The scalar domain -------------------------===//

#include "bpflint/Bytecode/Insn.h"
#include "bpflint/Bytecode/Scalar.h"
#include "gtest/gtest.h"

using namespace bpflint::bc;

namespace {

TEST(BytecodeScalarTest, TnumRange) {
  Tnum T = Tnum::range(0, 3);
  EXPECT_EQ(T.Value, 0u);
  EXPECT_EQ(T.Mask, 3u);
  EXPECT_TRUE(Tnum::range(5, 5).isConst());
  EXPECT_EQ(Tnum::range(0, ~0ull).Mask, ~0ull);
}

TEST(BytecodeScalarTest, AndBoundsTheRange) {
  Scalar X = aluScalar(AluAnd, Scalar::unknown(), Scalar::constant(3), false);
  EXPECT_EQ(X.UMin, 0u);
  EXPECT_EQ(X.UMax, 3u);
  EXPECT_FALSE(X.Imprecise);
  // x & 3 > 5 is never true: the kernel prunes that branch, and so do we.
  EXPECT_EQ(branchTaken(JmpJgt, X, Scalar::constant(5), false), 0);
  EXPECT_EQ(branchTaken(JmpJle, X, Scalar::constant(3), false), 1);
  // Known-zero low bit: x & 6 == 5 is impossible.
  Scalar Y = aluScalar(AluAnd, Scalar::unknown(), Scalar::constant(6), false);
  EXPECT_EQ(branchTaken(JmpJeq, Y, Scalar::constant(5), false), 0);
  EXPECT_EQ(branchTaken(JmpJeq, Y, Scalar::constant(4), false), -1);
}

TEST(BytecodeScalarTest, Constants) {
  EXPECT_EQ(aluScalar(AluAdd, Scalar::constant(40), Scalar::constant(2), false)
                .constValue(),
            42u);
  // 32-bit operations wrap and zero-extend.
  Scalar W = aluScalar(AluAdd, Scalar::constant(0xffffffff),
                       Scalar::constant(2), true);
  EXPECT_TRUE(W.isConst());
  EXPECT_EQ(W.constValue(), 1u);
  // Division by zero is defined in BPF: 0 for div, the dividend for mod.
  EXPECT_EQ(aluScalar(AluDiv, Scalar::constant(7), Scalar::constant(0), false)
                .constValue(),
            0u);
  EXPECT_EQ(aluScalar(AluMod, Scalar::constant(7), Scalar::constant(0), false)
                .constValue(),
            7u);
  // sdiv
  Scalar Q = aluScalar(AluDiv, Scalar::constant(uint64_t(-7)),
                       Scalar::constant(2), false, /*Signed=*/true);
  EXPECT_EQ(int64_t(Q.constValue()), -3);
}

TEST(BytecodeScalarTest, AddRangesAndOverflow) {
  Scalar X = Scalar::unknownOfSize(1); // [0, 255]
  Scalar Y = aluScalar(AluAdd, X, Scalar::constant(10), false);
  EXPECT_EQ(Y.UMin, 10u);
  EXPECT_EQ(Y.UMax, 265u);
  // An unknown 64-bit value plus one may wrap: no bounds.
  Scalar Z = aluScalar(AluAdd, Scalar::unknown(), Scalar::constant(1), false);
  EXPECT_EQ(Z.UMax, ~0ull);
}

TEST(BytecodeScalarTest, ApproximationsAreImprecise) {
  // Multiplication of unknowns: the kernel also tracks bits; we do not.
  Scalar M =
      aluScalar(AluMul, Scalar::unknownOfSize(1), Scalar::constant(4), false);
  EXPECT_TRUE(M.Imprecise);
  Scalar D = aluScalar(AluDiv, Scalar::unknown(), Scalar::constant(3), false);
  EXPECT_TRUE(D.Imprecise);
  // Imprecision propagates.
  Scalar P = aluScalar(AluAdd, M, Scalar::constant(1), false);
  EXPECT_TRUE(P.Imprecise);
}

TEST(BytecodeScalarTest, RefineOnBranch) {
  Scalar A = Scalar::unknown(), B = Scalar::constant(10);
  bool Refined;
  // Taken: A > 10.
  ASSERT_TRUE(refineBranch(JmpJgt, A, B, false, true, Refined));
  EXPECT_TRUE(Refined);
  EXPECT_EQ(A.UMin, 11u);
  // Then A <= 5 is impossible.
  Scalar C = Scalar::constant(5);
  EXPECT_FALSE(refineBranch(JmpJle, A, C, false, true, Refined));

  // JEQ makes both sides the intersection.
  Scalar X = Scalar::unknownOfSize(1), K = Scalar::constant(7);
  ASSERT_TRUE(refineBranch(JmpJeq, X, K, false, true, Refined));
  EXPECT_TRUE(X.isConst());
  EXPECT_EQ(X.constValue(), 7u);

  // JNE against an end of the range shrinks it.
  Scalar Y = Scalar::unknownOfSize(1), Zero = Scalar::constant(0);
  ASSERT_TRUE(refineBranch(JmpJne, Y, Zero, false, true, Refined));
  EXPECT_EQ(Y.UMin, 1u);

  // JSET not taken clears the tested bits.
  Scalar S = Scalar::unknown(), Bit = Scalar::constant(1);
  ASSERT_TRUE(refineBranch(JmpJset, S, Bit, false, false, Refined));
  EXPECT_EQ(branchTaken(JmpJset, S, Bit, false), 0);
}

TEST(BytecodeScalarTest, Jmp32) {
  // Values that fit in 32 bits compare the same in both widths.
  Scalar A = Scalar::unknownOfSize(1);
  EXPECT_EQ(branchTaken(JmpJgt, A, Scalar::constant(300), true), 0);
  // A 64-bit unknown: its low half is unknown, we cannot decide or refine.
  Scalar U = Scalar::unknown(), C = Scalar::constant(5);
  bool Refined = true;
  EXPECT_EQ(branchTaken(JmpJgt, U, C, true), -1);
  ASSERT_TRUE(refineBranch(JmpJgt, U, C, true, true, Refined));
  EXPECT_FALSE(Refined);
  // Signed 32-bit comparison of constants uses the low 32 bits.
  EXPECT_EQ(branchTaken(JmpJslt, Scalar::constant(0xffffffff),
                        Scalar::constant(0), true),
            1);
}

TEST(BytecodeScalarTest, Contains) {
  Scalar Wide = Scalar::unknownOfSize(2), Narrow = Scalar::unknownOfSize(1);
  EXPECT_TRUE(Wide.contains(Narrow));
  EXPECT_FALSE(Narrow.contains(Wide));
  EXPECT_TRUE(Scalar::unknown().contains(Scalar::constant(3)));
}

} // namespace
