//===- Decoder.cpp - BPF instruction decoding and printing ----------------===//

#include "bpflint/Bytecode/Insn.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace bpflint::bc {

unsigned Insn::accessSize() const {
  switch (sizeField()) {
  case SizeB:
    return 1;
  case SizeH:
    return 2;
  case SizeW:
    return 4;
  default:
    return 8;
  }
}

static uint32_t readLE32(const uint8_t *P) {
  return uint32_t(P[0]) | uint32_t(P[1]) << 8 | uint32_t(P[2]) << 16 |
         uint32_t(P[3]) << 24;
}

// The kind of an ALU/ALU64 instruction, or Invalid. Mirrors the kernel's
// check_alu_op field checks so that what we decode is what it accepts.
static InsnKind classifyAlu(const Insn &I) {
  uint8_t Op = I.op();
  switch (Op) {
  case AluNeg:
    return I.usesSrcReg() || I.Src != 0 || I.Off != 0 ? InsnKind::Invalid
                                                      : InsnKind::Alu;
  case AluEnd:
    // ALU|END: to-le/to-be (the X bit selects big endian); ALU64|END with
    // the K bit is the v4 unconditional bswap.
    if (I.Src != 0 || I.Off != 0 || (I.isAlu64() && I.usesSrcReg()))
      return InsnKind::Invalid;
    return I.Imm == 16 || I.Imm == 32 || I.Imm == 64 ? InsnKind::Alu
                                                     : InsnKind::Invalid;
  case AluMov:
    // off 8/16/32 is movsx (v4); movsx32 only from 8 and 16 bits.
    if (I.Off != 0 && I.Off != 8 && I.Off != 16 &&
        !(I.Off == 32 && I.isAlu64()))
      return InsnKind::Invalid;
    if (I.Off != 0 && !I.usesSrcReg())
      return InsnKind::Invalid;
    return InsnKind::Alu;
  case AluDiv:
  case AluMod:
    // off 1 is the signed form (v4).
    return I.Off == 0 || I.Off == 1 ? InsnKind::Alu : InsnKind::Invalid;
  case AluAdd:
  case AluSub:
  case AluMul:
  case AluOr:
  case AluAnd:
  case AluLsh:
  case AluRsh:
  case AluXor:
  case AluArsh:
    return I.Off == 0 ? InsnKind::Alu : InsnKind::Invalid;
  default:
    return InsnKind::Invalid;
  }
}

static InsnKind classifyJmp(const Insn &I) {
  uint8_t Op = I.op();
  bool Is32 = I.isJmp32();
  switch (Op) {
  case JmpCall:
    return Is32 || I.usesSrcReg() ? InsnKind::Invalid : InsnKind::Call;
  case JmpExit:
    return Is32 || I.usesSrcReg() ? InsnKind::Invalid : InsnKind::Exit;
  case JmpJa:
    return I.usesSrcReg() ? InsnKind::Invalid : InsnKind::Jump;
  case 0xe0: // BPF_JCOND: may_goto, a conditional jump the kernel controls.
    return Is32 || I.usesSrcReg() ? InsnKind::Invalid : InsnKind::Jump;
  case 0xf0:
    return InsnKind::Invalid;
  default:
    return InsnKind::Jump;
  }
}

Insn decodeInsn(ArrayRef<uint8_t> Slot, ArrayRef<uint8_t> Next) {
  Insn I;
  if (Slot.size() < 8)
    return I;
  I.Opcode = Slot[0];
  I.Dst = Slot[1] & 0x0f;
  I.Src = Slot[1] >> 4;
  I.Off = int16_t(uint16_t(Slot[2]) | uint16_t(Slot[3]) << 8);
  I.Imm = int32_t(readLE32(&Slot[4]));
  // Register 11+ does not exist (r10 is the frame pointer).
  if (I.Dst > 10 || I.Src > 10) {
    // Calls and ld_imm64 reuse src_reg as a tag, which is range-checked
    // below; everything else must name real registers.
    if (I.Dst > 10)
      return I;
  }

  switch (I.cls()) {
  case ClassALU:
  case ClassALU64:
    I.Kind = I.Src > 10 ? InsnKind::Invalid : classifyAlu(I);
    break;
  case ClassJMP:
  case ClassJMP32:
    I.Kind = I.Src > 10 ? InsnKind::Invalid : classifyJmp(I);
    break;
  case ClassLD:
    if (I.Opcode == (ClassLD | ModeImm | SizeDW)) {
      // ld_imm64 needs a second slot whose opcode and registers are zero.
      if (Next.size() < 8 || Next[0] != 0 || Next[1] != 0 || Next[2] != 0 ||
          Next[3] != 0 || I.Src > PseudoFunc + 2)
        break;
      I.Imm64 = uint64_t(uint32_t(I.Imm)) | uint64_t(readLE32(&Next[4])) << 32;
      I.Kind = InsnKind::LoadImm64;
    } else if ((I.mode() == ModeAbs || I.mode() == ModeInd) &&
               I.sizeField() != SizeDW && I.Src <= 10) {
      I.Kind = InsnKind::LegacyPacket;
    }
    break;
  case ClassLDX:
    if (I.Src > 10)
      break;
    if (I.mode() == ModeMem ||
        (I.mode() == ModeMemSX && I.sizeField() != SizeDW))
      I.Kind = InsnKind::Load;
    break;
  case ClassST:
    if (I.mode() == ModeMem && I.Src == 0)
      I.Kind = InsnKind::Store;
    break;
  case ClassSTX:
    if (I.Src > 10)
      break;
    if (I.mode() == ModeMem)
      I.Kind = InsnKind::Store;
    else if (I.mode() == ModeAtomic &&
             (I.sizeField() == SizeW || I.sizeField() == SizeDW))
      I.Kind = InsnKind::Atomic;
    break;
  }
  return I;
}

std::vector<Insn> decodeInsns(ArrayRef<uint8_t> Bytes) {
  size_t N = Bytes.size() / 8;
  std::vector<Insn> Out;
  Out.reserve(N);
  for (size_t Idx = 0; Idx < N; ++Idx) {
    ArrayRef<uint8_t> Slot = Bytes.slice(Idx * 8, 8);
    ArrayRef<uint8_t> Next =
        Idx + 1 < N ? Bytes.slice((Idx + 1) * 8, 8) : ArrayRef<uint8_t>();
    Insn I = decodeInsn(Slot, Next);
    Out.push_back(I);
    if (I.Kind == InsnKind::LoadImm64) {
      Insn Cont = decodeInsn(Next, {});
      Cont.Kind = InsnKind::Continuation;
      Out.push_back(Cont);
      ++Idx;
    }
  }
  return Out;
}

std::string regName(unsigned Reg, bool Is32) {
  return (Is32 ? "w" : "r") + std::to_string(Reg);
}

static const char *aluOpText(uint8_t Op) {
  switch (Op) {
  case AluAdd:
    return "+=";
  case AluSub:
    return "-=";
  case AluMul:
    return "*=";
  case AluDiv:
    return "/=";
  case AluOr:
    return "|=";
  case AluAnd:
    return "&=";
  case AluLsh:
    return "<<=";
  case AluRsh:
    return ">>=";
  case AluMod:
    return "%=";
  case AluXor:
    return "^=";
  case AluMov:
    return "=";
  case AluArsh:
    return "s>>=";
  default:
    return "?=";
  }
}

static const char *jmpOpText(uint8_t Op) {
  switch (Op) {
  case JmpJeq:
    return "==";
  case JmpJgt:
    return ">";
  case JmpJge:
    return ">=";
  case JmpJset:
    return "&";
  case JmpJne:
    return "!=";
  case JmpJsgt:
    return "s>";
  case JmpJsge:
    return "s>=";
  case JmpJlt:
    return "<";
  case JmpJle:
    return "<=";
  case JmpJslt:
    return "s<";
  case JmpJsle:
    return "s<=";
  default:
    return "?";
  }
}

static const char *sizeText(unsigned Size) {
  switch (Size) {
  case 1:
    return "u8";
  case 2:
    return "u16";
  case 4:
    return "u32";
  default:
    return "u64";
  }
}

static std::string memOperand(unsigned Reg, int16_t Off, unsigned Size,
                              bool Signed = false) {
  std::string S;
  raw_string_ostream OS(S);
  OS << "*(" << (Signed ? "s" : "")
     << (Signed ? sizeText(Size) + 1 : sizeText(Size)) << " *)(r" << Reg
     << (Off < 0 ? " - " : " + ") << (Off < 0 ? -int32_t(Off) : int32_t(Off))
     << ")";
  return S;
}

std::string formatInsn(const Insn &I) {
  std::string S;
  raw_string_ostream OS(S);
  switch (I.Kind) {
  case InsnKind::Invalid:
    OS << "invalid opcode 0x" << format_hex_no_prefix(I.Opcode, 2);
    break;
  case InsnKind::Continuation:
    OS << "(ld_imm64 second slot)";
    break;
  case InsnKind::Alu: {
    bool Is32 = !I.isAlu64();
    uint8_t Op = I.op();
    std::string Dst = regName(I.Dst, Is32);
    if (Op == AluNeg) {
      OS << Dst << " = -" << Dst;
      break;
    }
    if (Op == AluEnd) {
      if (I.isAlu64())
        OS << "r" << unsigned(I.Dst) << " = bswap" << I.Imm << " r"
           << unsigned(I.Dst);
      else
        OS << "r" << unsigned(I.Dst) << " = " << (I.usesSrcReg() ? "be" : "le")
           << I.Imm << " r" << unsigned(I.Dst);
      break;
    }
    OS << Dst << " ";
    if ((Op == AluDiv || Op == AluMod) && I.Off == 1)
      OS << "s";
    OS << aluOpText(Op) << " ";
    if (Op == AluMov && I.Off != 0)
      OS << "(s" << I.Off << ")";
    if (I.usesSrcReg())
      OS << regName(I.Src, Is32);
    else
      OS << I.Imm;
    break;
  }
  case InsnKind::LoadImm64:
    OS << "r" << unsigned(I.Dst) << " = ";
    if (I.Src == PseudoMapFd)
      OS << "map_fd(" << I.Imm << ") ll";
    else if (I.Src == PseudoMapValue)
      OS << "map_value(" << I.Imm << ")+" << (I.Imm64 >> 32) << " ll";
    else if (I.Src == PseudoFunc)
      OS << "func(" << I.Imm << ") ll";
    else if (I.Src != 0)
      OS << "pseudo" << unsigned(I.Src) << "(" << I.Imm << ") ll";
    else
      OS << "0x" << format_hex_no_prefix(I.Imm64, 1) << " ll";
    break;
  case InsnKind::LegacyPacket:
    OS << "r0 = *(" << sizeText(I.accessSize()) << " *)skb[";
    if (I.mode() == ModeInd)
      OS << "r" << unsigned(I.Src) << " + ";
    OS << I.Imm << "]";
    break;
  case InsnKind::Load:
    OS << "r" << unsigned(I.Dst) << " = "
       << memOperand(I.Src, I.Off, I.accessSize(), I.mode() == ModeMemSX);
    break;
  case InsnKind::Store:
    OS << memOperand(I.Dst, I.Off, I.accessSize()) << " = ";
    if (I.cls() == ClassST)
      OS << I.Imm;
    else
      OS << regName(I.Src, I.accessSize() < 8);
    break;
  case InsnKind::Atomic: {
    bool Is32 = I.accessSize() == 4;
    std::string Mem = memOperand(I.Dst, I.Off, I.accessSize());
    std::string Src = regName(I.Src, Is32);
    int32_t Op = I.Imm & ~AtomicFetch;
    if (I.Imm == AtomicXchg)
      OS << Src << " = xchg(" << Mem << ", " << Src << ")";
    else if (I.Imm == AtomicCmpXchg)
      OS << regName(0, Is32) << " = cmpxchg(" << Mem << ", " << regName(0, Is32)
         << ", " << Src << ")";
    else {
      const char *Name = Op == AluAdd   ? "add"
                         : Op == AluOr  ? "or"
                         : Op == AluAnd ? "and"
                         : Op == AluXor ? "xor"
                                        : "atomic?";
      OS << "lock " << ((I.Imm & AtomicFetch) ? "fetch_" : "") << Name << " "
         << Mem << ", " << Src;
    }
    break;
  }
  case InsnKind::Jump: {
    int32_t Delta = I.jumpOffset();
    std::string Target = (Delta < 0 ? "" : "+") + std::to_string(Delta);
    if (I.op() == JmpJa) {
      OS << (I.isJmp32() ? "gotol " : "goto ") << Target;
      break;
    }
    if (I.op() == 0xe0) {
      OS << "may_goto " << Target;
      break;
    }
    bool Is32 = I.isJmp32();
    OS << "if " << regName(I.Dst, Is32) << " " << jmpOpText(I.op()) << " ";
    if (I.usesSrcReg())
      OS << regName(I.Src, Is32);
    else
      OS << I.Imm;
    OS << " goto " << Target;
    break;
  }
  case InsnKind::Call:
    if (I.isPseudoCall())
      OS << "call pc" << (I.Imm < 0 ? "" : "+") << I.Imm;
    else if (I.isKfuncCall())
      OS << "call kfunc " << I.Imm;
    else
      OS << "call " << I.Imm;
    break;
  case InsnKind::Exit:
    OS << "exit";
    break;
  }
  return S;
}

} // namespace bpflint::bc
