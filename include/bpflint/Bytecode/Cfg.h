//===- Cfg.h - Control flow of a BPF program --------------------*- C++ -*-===//
//
// A program is its entry function plus every subprogram reachable through
// bpf-to-bpf calls (and function addresses passed as callbacks), as libbpf
// links them. Each function gets basic blocks; structural problems that the
// kernel rejects before verification proper (jumps out of the function,
// falling off its end, invalid opcodes) are recorded, not reported as
// findings: no rule in the registry covers them yet.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_CFG_H
#define BPFLINT_BYTECODE_CFG_H

#include "bpflint/Bytecode/ObjectFile.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>
#include <vector>

namespace bpflint::bc {

/// An instruction in the object: code section index and slot index.
struct CodeAddr {
  unsigned Section = 0;
  unsigned Insn = 0;
  friend bool operator==(CodeAddr A, CodeAddr B) {
    return A.Section == B.Section && A.Insn == B.Insn;
  }
  friend bool operator<(CodeAddr A, CodeAddr B) {
    return A.Section != B.Section ? A.Section < B.Section : A.Insn < B.Insn;
  }
};

/// Target of a bpf-to-bpf call at At, resolved as libbpf does: relocated
/// calls go to symbol offset + imm + 1, others are pc-relative. None when it
/// is not a pseudo call or the target lies outside the section.
std::optional<CodeAddr> callTarget(const BpfObject &Obj, CodeAddr At);
/// Target of an ld_imm64 of a function address (callback) at At.
std::optional<CodeAddr> funcAddrTarget(const BpfObject &Obj, CodeAddr At);

struct BasicBlock {
  unsigned First = 0, Last = 0; ///< Slot indices, inclusive.
  std::vector<unsigned> Succs;  ///< Indices into FunctionCfg::Blocks.
};

struct FunctionCfg {
  const Function *Func = nullptr;
  std::vector<BasicBlock> Blocks;
  /// Functions called (or whose address is taken) from this one.
  std::vector<const Function *> Callees;
};

struct ProgramCfg {
  const Function *Entry = nullptr;
  std::vector<FunctionCfg> Funcs; ///< Funcs[0] is the entry.
  /// Structural problems, "<where>: <what>".
  std::vector<std::string> Problems;

  /// Builds the CFG of program Entry and its reachable subprograms.
  static ProgramCfg build(const BpfObject &Obj, const Function &Entry);
  void dump(const BpfObject &Obj, llvm::raw_ostream &OS) const;
};

} // namespace bpflint::bc

#endif
