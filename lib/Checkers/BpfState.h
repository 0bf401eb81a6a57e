//===- BpfState.h - BPF facts along a path -------------------- -*- C++ -*-===//
//
// What the verifier knows about pointers that every bpflint checker needs:
// which map a map-value pointer came from (the verifier's map_ptr), and which
// program is being verified. The modeling checker records these facts; the
// rule checkers only read them.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_BPFSTATE_H
#define BPFLINT_CHECKERS_BPFSTATE_H

#include "bpflint/Model/ProgramType.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include <optional>

namespace clang {
class VarDecl;
class FunctionDecl;
} // namespace clang

namespace bpflint {

/// Records that Value (the result of a lookup-style helper) points into an
/// element of Map.
clang::ento::ProgramStateRef noteMapValue(clang::ento::ProgramStateRef State,
                                          clang::ento::SymbolRef Value,
                                          const clang::VarDecl *Map);

/// Drops the facts about dead symbols.
clang::ento::ProgramStateRef
removeDeadMapValues(clang::ento::ProgramStateRef State,
                    clang::ento::SymbolReaper &SR);

/// The map whose value Ptr points into: the map a lookup came from, or the
/// global variable itself for .data/.bss/.rodata globals (each section is an
/// array map). Null if unknown.
const clang::VarDecl *mapBehind(clang::ento::ProgramStateRef State,
                                clang::ento::SVal Ptr);

/// The map passed as argument I of Call (`&my_map`), if it is one.
const clang::VarDecl *mapArgument(const clang::ento::CallEvent &Call,
                                  unsigned I);

/// The function the kernel verifies as a unit on this path (the SEC()
/// program or global subprogram analysed from the top), and its program
/// type if it is a program with a known section.
const clang::FunctionDecl *verifiedFunction(clang::ento::CheckerContext &C);
std::optional<ProgramSection> programSection(clang::ento::CheckerContext &C);

/// True if Ptr may be NULL on this path (the code has not checked it).
bool mayBeNull(clang::ento::ProgramStateRef State, clang::ento::SVal Ptr);

} // namespace bpflint

#endif
