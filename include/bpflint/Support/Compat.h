//===- Compat.h - Differences between LLVM majors ------------- -*- C++ -*-===//
//
// Every #if LLVM_VERSION_MAJOR in bpflint lives here, so raising the floor
// means deleting branches from this one file (the clazy approach). Guards
// name the majors that were actually built: 19 and 22.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_SUPPORT_COMPAT_H
#define BPFLINT_SUPPORT_COMPAT_H

#include "clang/AST/ASTContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"
#include "llvm/Config/llvm-config.h"
#include <memory>

namespace bpflint::compat {

/// clang-19's BTF emits a struct reached only through a btf_type_tag'ed
/// pointer member (a kptr field) as a forward declaration, unless another
/// root of the BTF (a global, a function prototype, a CO-RE relocation)
/// brings it in full; clang-22 emits it in full anyway.
constexpr bool TaggedPointeesMayBeForward = LLVM_VERSION_MAJOR < 22;

/// A fresh symbolic value for the result of Call.
inline clang::ento::DefinedOrUnknownSVal
conjureCallResult(clang::ento::CheckerContext &C,
                  const clang::ento::CallEvent &Call, clang::QualType T,
                  const void *Tag) {
#if LLVM_VERSION_MAJOR >= 22
  return C.getSValBuilder().conjureSymbolVal(Call, T, C.blockCount(), Tag);
#else
  return C.getSValBuilder().conjureSymbolVal(
      Tag, Call.getOriginExpr(), C.getLocationContext(), T, C.blockCount());
#endif
}

/// Invalidates what Call may write, without treating it as an escape of the
/// pointers passed (bpflint models the helpers' reference semantics itself).
inline clang::ento::ProgramStateRef
invalidateForCall(clang::ento::ProgramStateRef State,
                  llvm::ArrayRef<const clang::ento::MemRegion *> Regions,
                  const clang::ento::CallEvent &Call,
                  clang::ento::CheckerContext &C) {
#if LLVM_VERSION_MAJOR >= 22
  return State->invalidateRegions(
      Regions, Call.getCFGElementRef(), C.blockCount(), C.getLocationContext(),
      /*CausesPointerEscape=*/false, nullptr, &Call);
#else
  return State->invalidateRegions(
      Regions, Call.getOriginExpr(), C.blockCount(), C.getLocationContext(),
      /*CausesPointerEscape=*/false, nullptr, &Call);
#endif
}

/// The memory space (stack, globals, heap, ...) R lives in.
inline const clang::ento::MemSpaceRegion *
memorySpace(const clang::ento::MemRegion *R,
            clang::ento::ProgramStateRef State) {
#if LLVM_VERSION_MAJOR >= 22
  return R->getMemorySpace(State);
#else
  (void)State;
  return R->getMemorySpace();
#endif
}

template <typename ConsumerT>
void addDiagnosticConsumer(clang::ento::AnalysisASTConsumer &AC,
                           std::unique_ptr<ConsumerT> Consumer) {
#if LLVM_VERSION_MAJOR >= 22
  AC.AddDiagnosticConsumer(std::move(Consumer));
#else
  AC.AddDiagnosticConsumer(Consumer.release());
#endif
}

/// The type of a struct or union declaration (LLVM 22 renamed it).
inline clang::QualType recordType(const clang::ASTContext &Ctx,
                                  const clang::RecordDecl *RD) {
#if LLVM_VERSION_MAJOR >= 22
  return Ctx.getCanonicalTagType(RD);
#else
  return Ctx.getRecordType(RD);
#endif
}

} // namespace bpflint::compat

#endif
