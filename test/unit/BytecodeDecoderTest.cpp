//===- BytecodeDecoderTest.cpp - BPF instruction decoding -----------------===//
//
// Hand-written instruction bytes (encodings from llvm-objdump -d of clang's
// output and the kernel's instruction-set.rst), decoded and printed.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/Insn.h"
#include "gtest/gtest.h"
#include <vector>

using namespace bpflint::bc;

namespace {

Insn decode1(std::vector<uint8_t> Bytes) {
  std::vector<Insn> Out = decodeInsns(Bytes);
  EXPECT_FALSE(Out.empty());
  return Out.empty() ? Insn() : Out[0];
}

std::string text(std::vector<uint8_t> Bytes) {
  return formatInsn(decode1(std::move(Bytes)));
}

TEST(BytecodeDecoderTest, Fields) {
  // r1 = *(u32 *)(r7 + 4): opcode 0x61, dst 1, src 7, off 4.
  Insn I = decode1({0x61, 0x71, 0x04, 0x00, 0, 0, 0, 0});
  EXPECT_EQ(I.Kind, InsnKind::Load);
  EXPECT_EQ(I.Dst, 1);
  EXPECT_EQ(I.Src, 7);
  EXPECT_EQ(I.Off, 4);
  EXPECT_EQ(I.accessSize(), 4u);
  // Negative offsets and immediates are sign-extended.
  I = decode1({0x07, 0x02, 0x00, 0x00, 0xfc, 0xff, 0xff, 0xff});
  EXPECT_EQ(I.Imm, -4);
  EXPECT_EQ(text({0x07, 0x02, 0x00, 0x00, 0xfc, 0xff, 0xff, 0xff}), "r2 += -4");
  EXPECT_EQ(text({0x63, 0x6a, 0xfc, 0xff, 0, 0, 0, 0}),
            "*(u32 *)(r10 - 4) = w6");
}

TEST(BytecodeDecoderTest, Alu) {
  EXPECT_EQ(text({0xb7, 0x06, 0, 0, 0, 0, 0, 0}), "r6 = 0");
  EXPECT_EQ(text({0xbf, 0x71, 0, 0, 0, 0, 0, 0}), "r1 = r7");
  EXPECT_EQ(text({0xbc, 0x71, 0, 0, 0, 0, 0, 0}), "w1 = w7");
  EXPECT_EQ(text({0x27, 0x01, 0, 0, 3, 0, 0, 0}), "r1 *= 3");
  EXPECT_EQ(text({0x77, 0x01, 0, 0, 32, 0, 0, 0}), "r1 >>= 32");
  EXPECT_EQ(text({0xc7, 0x01, 0, 0, 32, 0, 0, 0}), "r1 s>>= 32");
  EXPECT_EQ(text({0x87, 0x01, 0, 0, 0, 0, 0, 0}), "r1 = -r1");
  EXPECT_EQ(text({0x54, 0x01, 0, 0, 1, 0, 0, 0}), "w1 &= 1");
  // v4: sdiv/smod (off 1), movsx (off 8/16/32).
  EXPECT_EQ(text({0x3f, 0x21, 1, 0, 0, 0, 0, 0}), "r1 s/= r2");
  EXPECT_EQ(text({0x9c, 0x21, 1, 0, 0, 0, 0, 0}), "w1 s%= w2");
  EXPECT_EQ(text({0xbf, 0x21, 8, 0, 0, 0, 0, 0}), "r1 = (s8)r2");
  EXPECT_EQ(text({0xbf, 0x21, 32, 0, 0, 0, 0, 0}), "r1 = (s32)r2");
  // movsx32 from 32 bits does not exist; nor does off 2 on div.
  EXPECT_EQ(decode1({0xbc, 0x21, 32, 0, 0, 0, 0, 0}).Kind, InsnKind::Invalid);
  EXPECT_EQ(decode1({0x3f, 0x21, 2, 0, 0, 0, 0, 0}).Kind, InsnKind::Invalid);
  // Byte swaps: le/be (ALU) and v4 bswap (ALU64).
  EXPECT_EQ(text({0xd4, 0x01, 0, 0, 16, 0, 0, 0}), "r1 = le16 r1");
  EXPECT_EQ(text({0xdc, 0x01, 0, 0, 32, 0, 0, 0}), "r1 = be32 r1");
  EXPECT_EQ(text({0xd7, 0x01, 0, 0, 64, 0, 0, 0}), "r1 = bswap64 r1");
  EXPECT_EQ(decode1({0xd4, 0x01, 0, 0, 24, 0, 0, 0}).Kind, InsnKind::Invalid);
}

TEST(BytecodeDecoderTest, LoadImm64TakesTwoSlots) {
  std::vector<uint8_t> Bytes = {0x18, 0x01, 0, 0, 0x78, 0x56, 0x34, 0x12,
                                0,    0,    0, 0, 0x01, 0,    0,    0,
                                0x95, 0,    0, 0, 0,    0,    0,    0};
  std::vector<Insn> Out = decodeInsns(Bytes);
  ASSERT_EQ(Out.size(), 3u);
  EXPECT_EQ(Out[0].Kind, InsnKind::LoadImm64);
  EXPECT_EQ(Out[0].Imm64, 0x112345678ull);
  EXPECT_EQ(Out[1].Kind, InsnKind::Continuation);
  EXPECT_EQ(Out[2].Kind, InsnKind::Exit);
  EXPECT_EQ(formatInsn(Out[0]), "r1 = 0x112345678 ll");
  // A truncated ld_imm64 (no second slot) is invalid, not a crash.
  Bytes.resize(8);
  Out = decodeInsns(Bytes);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Kind, InsnKind::Invalid);
  // The second slot must have a zero opcode.
  std::vector<uint8_t> Bad = {0x18, 0x01, 0, 0, 1, 0, 0, 0,
                              0x07, 0,    0, 0, 0, 0, 0, 0};
  EXPECT_EQ(decodeInsns(Bad)[0].Kind, InsnKind::Invalid);
}

TEST(BytecodeDecoderTest, Jumps) {
  Insn I = decode1({0x15, 0x07, 0x0e, 0x00, 0, 0, 0, 0});
  EXPECT_EQ(I.Kind, InsnKind::Jump);
  EXPECT_TRUE(I.isConditionalJump());
  EXPECT_EQ(I.jumpOffset(), 14);
  EXPECT_EQ(formatInsn(I), "if r7 == 0 goto +14");
  EXPECT_EQ(text({0x2d, 0x01, 5, 0, 0, 0, 0, 0}), "if r1 > r0 goto +5");
  EXPECT_EQ(text({0x66, 0x01, 0xfd, 0xff, 100, 0, 0, 0}),
            "if w1 s> 100 goto -3");
  EXPECT_EQ(text({0x05, 0, 3, 0, 0, 0, 0, 0}), "goto +3");
  // gotol (JMP32 | JA) takes its offset from imm.
  I = decode1({0x06, 0, 0, 0, 0x00, 0x00, 0x01, 0x00});
  EXPECT_EQ(I.jumpOffset(), 65536);
  EXPECT_EQ(formatInsn(I), "gotol +65536");
  // No call or exit in the JMP32 class.
  EXPECT_EQ(decode1({0x86, 0, 0, 0, 1, 0, 0, 0}).Kind, InsnKind::Invalid);
  EXPECT_EQ(decode1({0x96, 0, 0, 0, 0, 0, 0, 0}).Kind, InsnKind::Invalid);
}

TEST(BytecodeDecoderTest, Calls) {
  Insn Helper = decode1({0x85, 0, 0, 0, 131, 0, 0, 0});
  EXPECT_TRUE(Helper.isHelperCall());
  EXPECT_EQ(Helper.Imm, 131);
  EXPECT_EQ(formatInsn(Helper), "call 131");
  // bpf-to-bpf: src_reg 1, pc-relative imm (-1 in raw objects with a
  // relocation against a global function).
  Insn Sub = decode1({0x85, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff});
  EXPECT_TRUE(Sub.isPseudoCall());
  EXPECT_EQ(formatInsn(Sub), "call pc-1");
  Insn Kfunc = decode1({0x85, 0x20, 0, 0, 7, 0, 0, 0});
  EXPECT_TRUE(Kfunc.isKfuncCall());
  EXPECT_EQ(text({0x95, 0, 0, 0, 0, 0, 0, 0}), "exit");
}

TEST(BytecodeDecoderTest, MemoryForms) {
  // memsx (v4).
  EXPECT_EQ(text({0x91, 0x21, 2, 0, 0, 0, 0, 0}), "r1 = *(s8 *)(r2 + 2)");
  EXPECT_EQ(decode1({0x99, 0x21, 0, 0, 0, 0, 0, 0}).Kind, InsnKind::Invalid);
  // ST with an immediate.
  EXPECT_EQ(text({0x7a, 0x0a, 0xf8, 0xff, 7, 0, 0, 0}),
            "*(u64 *)(r10 - 8) = 7");
  // Atomics.
  EXPECT_EQ(text({0xdb, 0x21, 0, 0, 0x00, 0, 0, 0}),
            "lock add *(u64 *)(r1 + 0), r2");
  EXPECT_EQ(text({0xc3, 0x21, 0, 0, 0x01, 0, 0, 0}),
            "lock fetch_add *(u32 *)(r1 + 0), w2");
  EXPECT_EQ(text({0xdb, 0x21, 0, 0, 0xe1, 0, 0, 0}),
            "r2 = xchg(*(u64 *)(r1 + 0), r2)");
  EXPECT_EQ(text({0xdb, 0x21, 0, 0, 0xf1, 0, 0, 0}),
            "r0 = cmpxchg(*(u64 *)(r1 + 0), r0, r2)");
  // Byte-sized atomics do not exist.
  EXPECT_EQ(decode1({0xd3, 0x21, 0, 0, 0, 0, 0, 0}).Kind, InsnKind::Invalid);
  // Legacy packet access.
  EXPECT_EQ(decode1({0x30, 0, 0, 0, 12, 0, 0, 0}).Kind, InsnKind::LegacyPacket);
}

TEST(BytecodeDecoderTest, GarbageNeverCrashes) {
  // Every opcode with a few register/offset patterns, and trailing bytes.
  std::vector<uint8_t> Bytes;
  for (unsigned Op = 0; Op < 256; ++Op)
    for (uint8_t Regs : {0x00, 0x1a, 0xbb, 0xff}) {
      uint8_t Slot[8] = {uint8_t(Op), Regs, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff};
      Bytes.insert(Bytes.end(), Slot, Slot + 8);
    }
  Bytes.push_back(0x18);
  std::vector<Insn> Out = decodeInsns(Bytes);
  EXPECT_EQ(Out.size(), Bytes.size() / 8);
  for (const Insn &I : Out)
    (void)formatInsn(I);
  // Registers above r10 are invalid everywhere.
  EXPECT_EQ(decode1({0xb7, 0x0b, 0, 0, 0, 0, 0, 0}).Kind, InsnKind::Invalid);
  EXPECT_EQ(decode1({0xbf, 0xc1, 0, 0, 0, 0, 0, 0}).Kind, InsnKind::Invalid);
}

} // namespace
