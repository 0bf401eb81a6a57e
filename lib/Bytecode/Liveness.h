//===- Liveness.h - Which registers an instruction's future reads -*- C++
//-*-===//
//
// Static register liveness, the counterpart of the kernel's REG_LIVE_READ
// marks: a register that every path from an instruction writes before it
// reads is dead there, so two states that differ only in dead registers
// behave alike and one may prune the other.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_LIB_BYTECODE_LIVENESS_H
#define BPFLINT_LIB_BYTECODE_LIVENESS_H

#include "bpflint/Bytecode/Cfg.h"
#include "llvm/ADT/DenseMap.h"
#include <cstdint>

namespace bpflint::bc {

/// Bit R set: register R may be read before it is written.
using RegMask = uint16_t;
constexpr RegMask AllRegs = 0x7ff; // R0..R10

class RegLiveness {
public:
  RegLiveness(const BpfObject &Obj, const ProgramCfg &Cfg);
  /// Registers live before the instruction at A (all for addresses outside
  /// the analysed functions).
  RegMask liveIn(CodeAddr A) const;

private:
  /// ExitUsesR0: whether a caller may read the return value.
  void analyse(const BpfObject &Obj, const FunctionCfg &FC, bool ExitUsesR0);
  llvm::DenseMap<uint64_t, RegMask> LiveIn;
};

} // namespace bpflint::bc

#endif
