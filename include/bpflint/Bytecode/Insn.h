//===- Insn.h - Decoded BPF instructions ------------------------*- C++ -*-===//
//
// The BPF instruction set as clang and GCC emit it (ISA v1-v4, see the
// kernel's Documentation/bpf/standardization/instruction-set.rst). Decoding
// is done by hand: an instruction is 8 little-endian bytes and the fields are
// fixed, so this is simpler and faster than the MC disassembler and has no
// initialisation order to get wrong.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_INSN_H
#define BPFLINT_BYTECODE_INSN_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace bpflint::bc {

// Opcode fields (uapi/linux/bpf_common.h, uapi/linux/bpf.h).
enum InsnClass : uint8_t {
  ClassLD = 0x00,
  ClassLDX = 0x01,
  ClassST = 0x02,
  ClassSTX = 0x03,
  ClassALU = 0x04,
  ClassJMP = 0x05,
  ClassJMP32 = 0x06,
  ClassALU64 = 0x07,
};

enum AluOp : uint8_t {
  AluAdd = 0x00,
  AluSub = 0x10,
  AluMul = 0x20,
  AluDiv = 0x30,
  AluOr = 0x40,
  AluAnd = 0x50,
  AluLsh = 0x60,
  AluRsh = 0x70,
  AluNeg = 0x80,
  AluMod = 0x90,
  AluXor = 0xa0,
  AluMov = 0xb0,
  AluArsh = 0xc0,
  AluEnd = 0xd0,
};

enum JmpOp : uint8_t {
  JmpJa = 0x00,
  JmpJeq = 0x10,
  JmpJgt = 0x20,
  JmpJge = 0x30,
  JmpJset = 0x40,
  JmpJne = 0x50,
  JmpJsgt = 0x60,
  JmpJsge = 0x70,
  JmpCall = 0x80,
  JmpExit = 0x90,
  JmpJlt = 0xa0,
  JmpJle = 0xb0,
  JmpJslt = 0xc0,
  JmpJsle = 0xd0,
};

enum MemMode : uint8_t {
  ModeImm = 0x00,
  ModeAbs = 0x20,
  ModeInd = 0x40,
  ModeMem = 0x60,
  ModeMemSX = 0x80,
  ModeAtomic = 0xc0,
};

enum MemSize : uint8_t {
  SizeW = 0x00,
  SizeH = 0x08,
  SizeB = 0x10,
  SizeDW = 0x18
};

// src_reg values with a special meaning on ld_imm64 and call.
enum PseudoSrc : uint8_t {
  PseudoMapFd = 1,
  PseudoMapValue = 2,
  PseudoBtfId = 3,
  PseudoFunc = 4,
  PseudoCall = 1,      ///< call: bpf-to-bpf call, imm is pc-relative.
  PseudoKfuncCall = 2, ///< call: kfunc (after libbpf's rewrite).
};

// Atomic imm field.
enum AtomicOp : int32_t {
  AtomicFetch = 0x01,
  AtomicXchg = 0xe0 | AtomicFetch,
  AtomicCmpXchg = 0xf0 | AtomicFetch,
};

/// What an instruction does, at the granularity the interpreter dispatches on.
enum class InsnKind : uint8_t {
  Invalid,   ///< Undefined opcode or field combination.
  Alu,       ///< ALU/ALU64 incl. movsx, sdiv/smod, neg, bswap/end.
  LoadImm64, ///< ld_imm64 (two slots; the second is a Continuation).
  Continuation,
  LegacyPacket, ///< LD_ABS / LD_IND.
  Load,         ///< LDX incl. memsx.
  Store,        ///< ST (immediate) and STX (register).
  Atomic,       ///< STX atomic.
  Jump,         ///< ja / gotol / conditional jumps.
  Call,         ///< helper, bpf-to-bpf or kfunc call.
  Exit,
};

struct Insn {
  uint8_t Opcode = 0;
  uint8_t Dst = 0;
  uint8_t Src = 0;
  int16_t Off = 0;
  int32_t Imm = 0;
  /// ld_imm64 only: the full 64-bit immediate (imm of both slots).
  uint64_t Imm64 = 0;
  InsnKind Kind = InsnKind::Invalid;

  uint8_t cls() const { return Opcode & 0x07; }
  uint8_t op() const { return Opcode & 0xf0; }
  /// BPF_K (0) or BPF_X (8) for ALU/JMP.
  bool usesSrcReg() const { return (Opcode & 0x08) != 0; }
  uint8_t mode() const { return Opcode & 0xe0; }
  uint8_t sizeField() const { return Opcode & 0x18; }
  /// Access size in bytes for loads, stores and atomics.
  unsigned accessSize() const;
  bool isAlu64() const { return cls() == ClassALU64; }
  bool isJmp32() const { return cls() == ClassJMP32; }
  bool isConditionalJump() const {
    return Kind == InsnKind::Jump && op() != JmpJa;
  }
  /// The jump displacement: off, or imm for gotol (JMP32 | JA).
  int32_t jumpOffset() const {
    return cls() == ClassJMP32 && op() == JmpJa ? Imm : Off;
  }
  bool isHelperCall() const { return Kind == InsnKind::Call && Src == 0; }
  bool isPseudoCall() const {
    return Kind == InsnKind::Call && Src == PseudoCall;
  }
  bool isKfuncCall() const {
    return Kind == InsnKind::Call && Src == PseudoKfuncCall;
  }
};

/// Decodes raw instruction bytes (Size must be a multiple of 8; a trailing
/// partial instruction is ignored). The result has one entry per 8-byte slot
/// so that indices match the kernel's and llvm-objdump's; the second slot of
/// an ld_imm64 is a Continuation. Never fails: bad encodings become Invalid.
std::vector<Insn> decodeInsns(llvm::ArrayRef<uint8_t> Bytes);

/// Decodes one slot. Next is the following slot (for ld_imm64), or empty.
Insn decodeInsn(llvm::ArrayRef<uint8_t> Slot, llvm::ArrayRef<uint8_t> Next);

/// llvm-objdump-like text: "r1 = *(u32 *)(r2 + 8)", "if r1 > 0x5 goto +3",
/// "call 131", "r0 = 0x1 ll".
std::string formatInsn(const Insn &I);

/// "r3", or "w3" for 32-bit operations.
std::string regName(unsigned Reg, bool Is32 = false);

} // namespace bpflint::bc

#endif
