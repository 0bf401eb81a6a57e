//===- Interpreter.h - Abstract interpretation of a BPF program -*- C++ -*-===//
//
// Explores the paths of one program like the kernel verifier does: depth
// first over (instruction, state) pairs, pruning states covered by one
// already explored, within a budget of processed instructions. Rules are
// checked where the kernel checks them (helper calls, exit).
//
// Precision first: when the interpreter cannot follow something (an
// unmodelled helper or kfunc, an instruction whose effect it does not track,
// a state the kernel would reject for a reason we have no rule for), it
// stops that path silently and counts it as incomplete. A finding is only
// reported on a path whose every branch decision the kernel shares.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_BYTECODE_INTERPRETER_H
#define BPFLINT_BYTECODE_INTERPRETER_H

#include "bpflint/Bytecode/AbstractState.h"
#include "bpflint/Bytecode/Cfg.h"
#include "bpflint/Bytecode/ObjectFile.h"
#include "bpflint/Model/KernelVersion.h"
#include "bpflint/Rules/RuleRegistry.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bpflint::bc {

struct InterpreterOptions {
  KernelVersion Kernel = KernelVersion::newest();
  /// Instructions processed per verified function (the kernel's limit is
  /// 1M per program).
  uint64_t MaxSteps = 1000000;
  /// States remembered per instruction for pruning.
  unsigned MaxStatesPerInsn = 32;
};

struct FindingNote {
  std::optional<CodeAddr> At;
  std::string Text;
};

struct Finding {
  Rule Kind;
  /// The rule's message variant ("" for the main one), as in Rules.def.
  std::string Variant;
  CodeAddr At;
  /// "ring buffer record is neither submitted nor discarded on this path".
  std::string What;
  std::vector<FindingNote> Notes;
  /// The values of the kernel message's printf specifiers (map names,
  /// offsets), in order; those without a value are quoted as they are.
  std::vector<std::string> Args;
};

struct ProgramResult {
  const Function *Program = nullptr;
  std::vector<Finding> Findings;
  /// Paths the interpreter stopped following, by reason ("unmodelled helper
  /// bpf_loop (181)" -> count).
  std::map<std::string, unsigned> Incomplete;
  uint64_t Steps = 0;
  /// Wall time of verifyProgram, in microseconds (CFG, interpretation).
  uint64_t TimeUs = 0;
  bool BudgetExhausted = false;
  unsigned incompleteCount() const;
};

/// Verifies program Prog of Obj (its entry function, the static subprograms
/// it calls, and each global subprogram it calls as a separate entry, as the
/// kernel does).
ProgramResult verifyProgram(const BpfObject &Obj, const Function &Prog,
                            const InterpreterOptions &Opts = {});

} // namespace bpflint::bc

#endif
