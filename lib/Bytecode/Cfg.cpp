//===- Cfg.cpp - Control flow of a BPF program ----------------------------===//

#include "bpflint/Bytecode/Cfg.h"
#include "bpflint/Model/Helpers.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include <map>
#include <set>

using namespace llvm;

namespace bpflint::bc {

std::optional<CodeAddr> callTarget(const BpfObject &Obj, CodeAddr At) {
  const auto &Secs = Obj.codeSections();
  if (At.Section >= Secs.size() || At.Insn >= Secs[At.Section].Insns.size())
    return std::nullopt;
  const CodeSection &CS = Secs[At.Section];
  const Insn &I = CS.Insns[At.Insn];
  if (!I.isPseudoCall())
    return std::nullopt;
  int64_t Target;
  unsigned Sec = At.Section;
  if (const Reloc *R = CS.relocAt(At.Insn)) {
    if (R->Kind != RelocKind::SubprogCall)
      return std::nullopt;
    std::optional<unsigned> TS = Obj.codeSectionForElf(R->TargetSection);
    if (!TS)
      return std::nullopt;
    Sec = *TS;
    Target = int64_t(R->SymbolOffset / 8) + I.Imm + 1;
  } else {
    Target = int64_t(At.Insn) + I.Imm + 1;
  }
  if (Target < 0 || uint64_t(Target) >= Secs[Sec].Insns.size())
    return std::nullopt;
  return CodeAddr{Sec, unsigned(Target)};
}

std::optional<CodeAddr> funcAddrTarget(const BpfObject &Obj, CodeAddr At) {
  const auto &Secs = Obj.codeSections();
  if (At.Section >= Secs.size() || At.Insn >= Secs[At.Section].Insns.size())
    return std::nullopt;
  const CodeSection &CS = Secs[At.Section];
  const Reloc *R = CS.relocAt(At.Insn);
  if (!R || R->Kind != RelocKind::SubprogAddr)
    return std::nullopt;
  std::optional<unsigned> TS = Obj.codeSectionForElf(R->TargetSection);
  if (!TS)
    return std::nullopt;
  int64_t Byte = int64_t(R->SymbolOffset) + CS.Insns[At.Insn].Imm;
  if (Byte < 0 || Byte % 8 || uint64_t(Byte / 8) >= Secs[*TS].Insns.size())
    return std::nullopt;
  return CodeAddr{*TS, unsigned(Byte / 8)};
}

// Builds the blocks of one function and collects its callees.
static FunctionCfg buildFunction(const BpfObject &Obj, const Function &F,
                                 std::vector<std::string> &Problems) {
  FunctionCfg FC;
  FC.Func = &F;
  const CodeSection &CS = Obj.codeSections()[F.Section];
  unsigned Begin = F.FirstInsn, End = F.FirstInsn + F.NumInsns;
  auto where = [&](unsigned Idx) {
    return CS.Name + "+" + std::to_string(Idx) + " (" + F.Name + ")";
  };

  std::set<unsigned> Leaders = {Begin};
  std::set<const Function *> Callees;
  for (unsigned Idx = Begin; Idx < End; ++Idx) {
    const Insn &I = CS.Insns[Idx];
    if (I.Kind == InsnKind::Invalid) {
      Problems.push_back(where(Idx) + ": invalid instruction");
      continue;
    }
    if (I.Kind == InsnKind::Jump) {
      int64_t T = int64_t(Idx) + 1 + I.jumpOffset();
      if (T < Begin || T >= End)
        Problems.push_back(where(Idx) + ": jump out of the function");
      else
        Leaders.insert(T);
      if (Idx + 1 < End)
        Leaders.insert(Idx + 1);
    } else if (I.Kind == InsnKind::Exit && Idx + 1 < End) {
      Leaders.insert(Idx + 1);
    }
    std::optional<CodeAddr> Callee;
    if (I.isPseudoCall())
      Callee = callTarget(Obj, {F.Section, Idx});
    else if (I.Kind == InsnKind::LoadImm64 && I.Src == PseudoFunc)
      Callee = funcAddrTarget(Obj, {F.Section, Idx});
    if (I.isPseudoCall() || (I.Kind == InsnKind::LoadImm64 && Callee)) {
      const Function *G =
          Callee ? Obj.functionAt(Callee->Section, Callee->Insn) : nullptr;
      if (!G || G->FirstInsn != Callee->Insn)
        Problems.push_back(where(Idx) + ": call to an unknown function");
      else
        Callees.insert(G);
    }
  }
  // Falling off the end of a function is rejected by the kernel.
  if (F.NumInsns) {
    const Insn &Last = CS.Insns[End - 1];
    bool Terminates = Last.Kind == InsnKind::Exit ||
                      (Last.Kind == InsnKind::Jump && Last.op() == JmpJa) ||
                      Last.Kind == InsnKind::Continuation;
    if (!Terminates)
      Problems.push_back(where(End - 1) + ": the last instruction is neither "
                                          "exit nor a jump");
  }

  std::map<unsigned, unsigned> BlockOf;
  for (unsigned L : Leaders)
    if (L < End) {
      BlockOf[L] = FC.Blocks.size();
      FC.Blocks.push_back({L, L, {}});
    }
  for (size_t B = 0; B < FC.Blocks.size(); ++B)
    FC.Blocks[B].Last =
        (B + 1 < FC.Blocks.size() ? FC.Blocks[B + 1].First : End) - 1;
  for (BasicBlock &BB : FC.Blocks) {
    const Insn &I = CS.Insns[BB.Last];
    unsigned Next = BB.Last + 1;
    auto addSucc = [&](int64_t T) {
      auto It = BlockOf.find(unsigned(T));
      if (T >= Begin && T < End && It != BlockOf.end())
        BB.Succs.push_back(It->second);
    };
    if (I.Kind == InsnKind::Exit)
      continue;
    if (I.Kind == InsnKind::Jump) {
      addSucc(int64_t(BB.Last) + 1 + I.jumpOffset());
      if (I.op() == JmpJa)
        continue;
    }
    addSucc(Next);
  }
  FC.Callees.assign(Callees.begin(), Callees.end());
  return FC;
}

ProgramCfg ProgramCfg::build(const BpfObject &Obj, const Function &Entry) {
  ProgramCfg P;
  P.Entry = &Entry;
  std::vector<const Function *> Work = {&Entry};
  DenseSet<const Function *> Seen = {&Entry};
  while (!Work.empty()) {
    const Function *F = Work.back();
    Work.pop_back();
    P.Funcs.push_back(buildFunction(Obj, *F, P.Problems));
    for (const Function *G : P.Funcs.back().Callees)
      if (Seen.insert(G).second)
        Work.push_back(G);
  }
  return P;
}

void ProgramCfg::dump(const BpfObject &Obj, raw_ostream &OS) const {
  for (const FunctionCfg &FC : Funcs) {
    const CodeSection &CS = Obj.codeSections()[FC.Func->Section];
    OS << "function " << FC.Func->Name << " (section " << CS.Name << ", insns "
       << FC.Func->FirstInsn << ".."
       << FC.Func->FirstInsn + FC.Func->NumInsns - 1
       << (FC.Func->Global ? ", global" : "") << ")\n";
    for (const auto &[BI, BB] : enumerate(FC.Blocks)) {
      OS << "  bb" << BI << ":";
      if (!BB.Succs.empty()) {
        OS << " ->";
        for (unsigned S : BB.Succs)
          OS << " bb" << S;
      }
      OS << "\n";
      for (unsigned Idx = BB.First; Idx <= BB.Last; ++Idx) {
        const Insn &I = CS.Insns[Idx];
        if (I.Kind == InsnKind::Continuation)
          continue;
        OS << "    " << format_decimal(Idx, 5) << ": " << formatInsn(I);
        if (const Reloc *R = CS.relocAt(Idx))
          if (!R->SymbolName.empty())
            OS << "  ; " << R->SymbolName;
        if (I.isHelperCall()) {
          StringRef Name = helperName(I.Imm);
          if (!Name.empty())
            OS << "  ; " << Name;
        }
        OS << "\n";
      }
    }
  }
  for (const std::string &Problem : Problems)
    OS << "problem: " << Problem << "\n";
}

} // namespace bpflint::bc
