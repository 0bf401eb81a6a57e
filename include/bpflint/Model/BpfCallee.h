//===- BpfCallee.h - What a call in BPF C code calls ---------- -*- C++ -*-===//
//
// libbpf declares helpers as function-pointer variables initialised with the
// helper id (`static void *(*bpf_ringbuf_reserve)(...) = (void *)131;`), so
// the callee has no FunctionDecl. Helpers are recognised by that id, kfuncs
// (extern declarations placed in .ksyms) by name.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_MODEL_BPFCALLEE_H
#define BPFLINT_MODEL_BPFCALLEE_H

#include "bpflint/Model/Helpers.h"
#include "bpflint/Model/Kfuncs.h"
#include <optional>

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
} // namespace clang

namespace bpflint {

struct BpfCallee {
  std::optional<HelperId> Helper;
  const KfuncInfo *Kfunc = nullptr;

  bool isHelper(HelperId H) const { return Helper && *Helper == H; }
  bool isKfunc(KfuncId K) const { return Kfunc && Kfunc->Id == K; }
  bool isKnown() const { return Helper || Kfunc; }
};

/// Classifies the callee of CE; an empty result for ordinary calls.
BpfCallee classifyCallee(const clang::CallExpr *CE);

/// The helper id a callee expression evaluates to (a variable initialised
/// with `(void *)ID`, or a literal `((T)ID)(...)` call), if any.
std::optional<unsigned> helperIdOfCalleeExpr(const clang::Expr *Callee);

/// The program section name of a function defined with SEC("..."), or "".
llvm::StringRef programSectionOf(const clang::FunctionDecl *FD);

/// How the kernel verifies a function: as a program of its own (SEC()), as a
/// global subprogram (non-static __noinline; verified separately, with
/// unknown arguments), or only as part of its callers (static functions,
/// inlined or verified per call site, and non-static functions clang may
/// inline).
enum class EntryKind { None, Program, GlobalSubprogram };
EntryKind entryKindOf(const clang::FunctionDecl *FD);

} // namespace bpflint

#endif
