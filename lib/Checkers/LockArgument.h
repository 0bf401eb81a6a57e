//===- LockArgument.h - Is this a valid lock pointer? -----------*- C++ -*-===//
//
// What process_spin_lock() and check_reg_type() check about the pointer
// passed to bpf_spin_lock/bpf_res_spin_lock: a checked map value or
// allocated object, of a map with BTF, whose value type has exactly one lock
// of the right kind at a valid place, pointed at exactly (LOCK-001..009).
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_LOCKARGUMENT_H
#define BPFLINT_CHECKERS_LOCKARGUMENT_H

#include "LockState.h"
#include "bpflint/Model/KernelVersion.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class VarDecl;
} // namespace clang

namespace bpflint {

struct LockArgumentProblem {
  Rule Kind;
  std::string What;    ///< Our explanation.
  std::string Variant; ///< Message variant (see Rules.def).
  llvm::SmallVector<std::string, 2> MessageArgs;
};

/// Facts about the locks of the whole object, computed once per translation
/// unit: how many locks each global-data section holds, and whether some
/// map value type has an invalid lock record. Since 6.2 the kernel parses
/// the records of the program's types when its BTF is loaded, rejects the
/// BTF for such a type, and libbpf loads the object without BTF: then no map
/// of the object has BTF, and every lock use fails.
struct ObjectLocks {
  llvm::StringMap<uint64_t> SpinLocksPerSection;
  /// The map whose value type has two locks (or a lock and a res lock).
  const clang::VarDecl *InvalidRecordMap = nullptr;

  static ObjectLocks compute(clang::ASTContext &Ctx, KernelVersion V);
};

/// The first problem the verifier would report for LockPtr, or nullopt if
/// it accepts it or bpflint cannot tell (unknown provenance: stay silent).
std::optional<LockArgumentProblem>
checkLockArgument(clang::ento::ProgramStateRef State, clang::ento::SVal LockPtr,
                  LockKind Kind, KernelVersion V, const ObjectLocks &Objects);

/// The map name the kernel prints for Map (libbpf names maps after the
/// variable, truncated to BPF_OBJ_NAME_LEN - 1 characters).
std::string kernelMapName(const clang::VarDecl *Map);

} // namespace bpflint

#endif
