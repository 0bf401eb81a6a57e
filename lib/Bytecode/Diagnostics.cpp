//===- Diagnostics.cpp - Rendering bytecode findings ----------------------===//

#include "bpflint/Bytecode/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <tuple>
#include <vector>

using namespace llvm;

namespace bpflint::bc {

std::string findingMessage(const Finding &F, KernelVersion Kernel) {
  const RuleInfo &Info = getRule(F.Kind);
  StringRef Message = Info.kernelMessage(Kernel, F.Variant);
  return fillKernelMessage(
      Message.empty() ? Info.kernelMessage(Kernel) : Message, F.Args);
}

std::string describeFinding(const Finding &F, KernelVersion Kernel) {
  std::string Filled = findingMessage(F, Kernel);
  StringRef Message = Filled;
  if (Message.empty())
    return F.What;
  SmallVector<StringRef, 2> Lines;
  Message.split(Lines, '\n');
  std::string Text = F.What + " (verifier: ";
  for (size_t I = 0; I < Lines.size(); ++I)
    Text += (I ? ", \"" : "\"") + Lines[I].str() + "\"";
  return Text + ")";
}

std::string formatLocation(const BpfObject &Obj, CodeAddr At) {
  if (std::optional<SourceLoc> L = Obj.sourceLoc(At.Section, At.Insn))
    return L->File + ":" + std::to_string(L->Line) + ":" +
           std::to_string(L->Column);
  return Obj.fileName().str() + ":" + Obj.codeSections()[At.Section].Name +
         "+" + std::to_string(At.Insn);
}

static std::string insnText(const BpfObject &Obj, CodeAddr At) {
  const CodeSection &CS = Obj.codeSections()[At.Section];
  return CS.Name + "+" + std::to_string(At.Insn) + " ('" +
         formatInsn(CS.Insns[At.Insn]) + "')";
}

std::vector<UniqueFinding> uniqueFindings(ArrayRef<ProgramResult> Results) {
  using Key = std::tuple<unsigned, unsigned, unsigned>;
  std::map<Key, size_t> Index;
  std::vector<UniqueFinding> Out;
  for (const ProgramResult &R : Results)
    for (const Finding &Fd : R.Findings) {
      Key K{unsigned(Fd.Kind), Fd.At.Section, Fd.At.Insn};
      auto [It, New] = Index.try_emplace(K, Out.size());
      if (New)
        Out.push_back({&Fd, {}});
      Out[It->second].Programs.push_back(R.Program->Name);
    }
  return Out;
}

template <typename Fn>
static void forEachUniqueFinding(ArrayRef<ProgramResult> Results, Fn F) {
  for (const UniqueFinding &U : uniqueFindings(Results))
    F(ArrayRef<StringRef>(U.Programs), *U.F);
}

static std::string quotedList(ArrayRef<StringRef> Names) {
  std::string Out;
  for (size_t I = 0; I < Names.size(); ++I)
    Out += (I ? ", '" : "'") + Names[I].str() + "'";
  return Out;
}

std::string programNote(const BpfObject &Obj, ArrayRef<StringRef> Programs,
                        CodeAddr At) {
  return std::string("in program") + (Programs.size() > 1 ? "s " : " ") +
         quotedList(Programs) + " at insn " + insnText(Obj, At);
}

void printText(raw_ostream &OS, const BpfObject &Obj,
               ArrayRef<ProgramResult> Results, KernelVersion Kernel,
               bool Stats) {
  forEachUniqueFinding(
      Results, [&](ArrayRef<StringRef> Progs, const Finding &F) {
        OS << formatLocation(Obj, F.At)
           << ": warning: " << describeFinding(F, Kernel) << " ["
           << getRule(F.Kind).fullCheckName() << "]\n";
        for (const FindingNote &N : F.Notes) {
          OS << (N.At ? formatLocation(Obj, *N.At) : Obj.fileName().str())
             << ": note: " << N.Text << "\n";
        }
        OS << formatLocation(Obj, F.At)
           << ": note: " << programNote(Obj, Progs, F.At) << "\n";
      });
  if (!Stats)
    return;
  for (const ProgramResult &R : Results) {
    OS << Obj.fileName() << ": note: program '" << R.Program->Name
       << "': " << R.Steps << " instructions processed, " << R.Findings.size()
       << " finding(s), " << R.incompleteCount() << " path(s) not followed";
    OS << "\n";
    for (const auto &[Reason, Count] : R.Incomplete)
      OS << Obj.fileName() << ": note:   " << Count << " x " << Reason << "\n";
  }
}

void printJson(raw_ostream &OS, const BpfObject &Obj,
               ArrayRef<ProgramResult> Results, KernelVersion Kernel) {
  auto location = [&](CodeAddr At) {
    json::Object L{{"section", Obj.codeSections()[At.Section].Name},
                   {"insn", At.Insn}};
    if (std::optional<SourceLoc> S = Obj.sourceLoc(At.Section, At.Insn)) {
      L["file"] = S->File;
      L["line"] = S->Line;
      L["column"] = S->Column;
    }
    return L;
  };
  json::Array Findings;
  forEachUniqueFinding(
      Results, [&](ArrayRef<StringRef> Progs, const Finding &F) {
        const RuleInfo &Info = getRule(F.Kind);
        json::Array Notes;
        for (const FindingNote &N : F.Notes) {
          json::Object Note{{"message", N.Text}};
          if (N.At)
            Note["location"] = location(*N.At);
          Notes.push_back(std::move(Note));
        }
        Findings.push_back(json::Object{
            {"rule", Info.Id},
            {"check", Info.fullCheckName()},
            {"programs", json::Array(Progs)},
            {"message", describeFinding(F, Kernel)},
            {"kernel_message", findingMessage(F, Kernel)},
            {"location", location(F.At)},
            {"instruction",
             formatInsn(Obj.codeSections()[F.At.Section].Insns[F.At.Insn])},
            {"notes", std::move(Notes)}});
      });
  json::Array Programs;
  for (const ProgramResult &R : Results) {
    json::Object Incomplete;
    for (const auto &[Reason, Count] : R.Incomplete)
      Incomplete[Reason] = Count;
    Programs.push_back(
        json::Object{{"name", R.Program->Name},
                     {"section", Obj.codeSections()[R.Program->Section].Name},
                     {"findings", R.Findings.size()},
                     {"instructions_processed", R.Steps},
                     {"verify_time_us", R.TimeUs},
                     {"budget_exhausted", R.BudgetExhausted},
                     {"incomplete_paths", std::move(Incomplete)}});
  }
  json::Object Root{{"object", Obj.fileName()},
                    {"kernel", Kernel.str()},
                    {"findings", std::move(Findings)},
                    {"programs", std::move(Programs)}};
  OS << formatv("{0:2}", json::Value(std::move(Root))) << "\n";
}

} // namespace bpflint::bc
