//===- Liveness.cpp - Static register liveness ----------------------------===//
//
// A backward may-read analysis over each function's CFG. Every doubt counts
// as a read: an over-approximation only prunes less.
//
//===----------------------------------------------------------------------===//

#include "Liveness.h"
#include "bpflint/Bytecode/Insn.h"
#include <map>

namespace bpflint::bc {

namespace {

constexpr RegMask bit(unsigned R) { return RegMask(1u << R); }
constexpr RegMask ArgRegs = 0x3e;     // R1..R5
constexpr RegMask CallClobber = 0x3f; // R0..R5
constexpr RegMask FramePointer = bit(10);

uint64_t key(unsigned Section, unsigned Idx) {
  return uint64_t(Section) << 32 | Idx;
}

/// The registers I reads (Use) and those it certainly writes (Def).
void useDef(const Insn &I, RegMask &Use, RegMask &Def) {
  Use = Def = 0;
  switch (I.Kind) {
  case InsnKind::Alu:
    if (I.usesSrcReg())
      Use |= bit(I.Src);
    // mov writes dst without reading it; every other operation reads it.
    if (I.op() != AluMov)
      Use |= bit(I.Dst);
    Def |= bit(I.Dst);
    return;
  case InsnKind::LoadImm64:
    Def |= bit(I.Dst);
    return;
  case InsnKind::Load:
    Use |= bit(I.Src);
    Def |= bit(I.Dst);
    return;
  case InsnKind::Store:
    Use |= bit(I.Dst);
    if (I.cls() == ClassSTX)
      Use |= bit(I.Src);
    return;
  case InsnKind::Atomic:
    // The fetched value lands in src (r0 for cmpxchg), which is read too.
    Use |= bit(I.Dst) | bit(I.Src) | bit(0);
    if (I.Imm == AtomicCmpXchg)
      Def |= bit(0);
    return;
  case InsnKind::LegacyPacket:
    // LD_ABS/LD_IND read the context in r6 (and src), set r0 and clobber
    // r1..r5 like a call.
    Use |= bit(6) | bit(I.Src);
    Def |= CallClobber;
    return;
  case InsnKind::Jump:
    if (I.isConditionalJump()) {
      Use |= bit(I.Dst);
      if (I.usesSrcReg())
        Use |= bit(I.Src);
    }
    return;
  case InsnKind::Call:
    // Helpers, kfuncs and subprograms may read every argument register;
    // afterwards r0 is the result and r1..r5 are not initialised.
    Use |= ArgRegs;
    Def |= CallClobber;
    return;
  case InsnKind::Exit:
    Use |= bit(0);
    return;
  case InsnKind::Continuation:
    return;
  case InsnKind::Invalid:
    Use = AllRegs;
    return;
  }
  Use = AllRegs;
}

} // namespace

RegLiveness::RegLiveness(const BpfObject &Obj, const ProgramCfg &Cfg) {
  // A static subprogram's return value is read only if some caller reads
  // r0 after a call to it. The program, global functions (verified on
  // their own) and callbacks (whose r0 the kernel checks) keep r0 live.
  std::map<const Function *, bool> UsesR0;
  for (size_t K = 0; K < Cfg.Funcs.size(); ++K)
    UsesR0[Cfg.Funcs[K].Func] =
        K == 0 || !Cfg.Funcs[K].Func || Cfg.Funcs[K].Func->Global;
  for (const FunctionCfg &FC : Cfg.Funcs) {
    if (!FC.Func || FC.Func->Section >= Obj.codeSections().size())
      continue;
    const CodeSection &CS = Obj.codeSections()[FC.Func->Section];
    for (unsigned Idx = FC.Func->FirstInsn;
         Idx < FC.Func->FirstInsn + FC.Func->NumInsns && Idx < CS.Insns.size();
         ++Idx)
      if (CS.Insns[Idx].Kind == InsnKind::LoadImm64)
        if (std::optional<CodeAddr> T =
                funcAddrTarget(Obj, {FC.Func->Section, Idx}))
          if (const Function *G = Obj.functionAt(T->Section, T->Insn))
            UsesR0[G] = true;
  }
  // Callers' liveness does not depend on their callees' (a call defines
  // r0), so each round settles at least one more level of the call graph.
  for (unsigned Round = 0; Round <= Cfg.Funcs.size(); ++Round) {
    LiveIn.clear();
    for (const FunctionCfg &FC : Cfg.Funcs)
      analyse(Obj, FC, !UsesR0.count(FC.Func) || UsesR0[FC.Func]);
    bool Changed = false;
    for (const FunctionCfg &FC : Cfg.Funcs) {
      if (!FC.Func || FC.Func->Section >= Obj.codeSections().size())
        continue;
      const CodeSection &CS = Obj.codeSections()[FC.Func->Section];
      for (unsigned Idx = FC.Func->FirstInsn;
           Idx < FC.Func->FirstInsn + FC.Func->NumInsns &&
           Idx < CS.Insns.size();
           ++Idx) {
        if (!CS.Insns[Idx].isPseudoCall())
          continue;
        std::optional<CodeAddr> T = callTarget(Obj, {FC.Func->Section, Idx});
        const Function *G = T ? Obj.functionAt(T->Section, T->Insn) : nullptr;
        if (!G || UsesR0[G])
          continue;
        if (liveIn({FC.Func->Section, Idx + 1}) & 1) {
          UsesR0[G] = true;
          Changed = true;
        }
      }
    }
    if (!Changed)
      return;
  }
  // Not settled (cannot happen for a call graph without recursion, which
  // the kernel rejects anyway): every register stays live.
  LiveIn.clear();
}

void RegLiveness::analyse(const BpfObject &Obj, const FunctionCfg &FC,
                          bool ExitUsesR0) {
  if (!FC.Func || FC.Func->Section >= Obj.codeSections().size())
    return;
  const CodeSection &CS = Obj.codeSections()[FC.Func->Section];
  const std::vector<BasicBlock> &Blocks = FC.Blocks;
  for (const BasicBlock &BB : Blocks)
    if (BB.Last >= CS.Insns.size() || BB.First > BB.Last)
      return; // A malformed CFG: keep every register live.
  std::vector<RegMask> BlockIn(Blocks.size(), 0);
  // Iterate to the fixpoint, blocks in reverse order (most edges go
  // forward). Masks only grow, and there are 11 bits per block.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t B = Blocks.size(); B-- > 0;) {
      const BasicBlock &BB = Blocks[B];
      RegMask Live = 0;
      for (unsigned S : BB.Succs)
        Live |= S < Blocks.size() ? BlockIn[S] : AllRegs;
      // A block without successors ends in exit, or leaves the function
      // (the interpreter stops there): exit's own use covers the former.
      if (BB.Succs.empty() && CS.Insns[BB.Last].Kind != InsnKind::Exit)
        Live = AllRegs;
      for (unsigned Idx = BB.Last + 1; Idx-- > BB.First;) {
        RegMask Use, Def;
        useDef(CS.Insns[Idx], Use, Def);
        if (CS.Insns[Idx].Kind == InsnKind::Exit && !ExitUsesR0)
          Use = 0;
        Live = RegMask((Live & ~Def) | Use | FramePointer);
        LiveIn[key(FC.Func->Section, Idx)] = Live;
      }
      if (Live != BlockIn[B]) {
        BlockIn[B] = Live;
        Changed = true;
      }
    }
  }
}

RegMask RegLiveness::liveIn(CodeAddr A) const {
  auto It = LiveIn.find(key(A.Section, A.Insn));
  return It == LiveIn.end() ? AllRegs : It->second;
}

} // namespace bpflint::bc
