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
#include "llvm/ADT/DenseMap.h"
#include <optional>

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class TranslationUnitDecl;
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

/// The argument of helper H that is a callback the verifier runs as part of
/// the call (bpf_loop, bpf_for_each_map_elem, bpf_user_ringbuf_drain,
/// bpf_find_vma), if any.
std::optional<unsigned> syncCallbackArgument(HelperId H);

/// The function a callback argument names (`cb` or `&cb`), if any.
const clang::FunctionDecl *callbackFunctionOf(const clang::Expr *Arg);

/// Functions with a body that the translation unit passes as a synchronous
/// callback (see syncCallbackArgument) and that acquire a ring buffer
/// reference or take a lock themselves or in the static functions they call.
/// The kernel verifies a callback with unknown arguments, and a reference or
/// lock it keeps outlives the callback, so bpflint analyses these as entries
/// of their own (the lock checker knows a callback's exit from a program's).
/// bpf_user_ringbuf_drain callbacks are entries too when they use dynptr
/// APIs that need an owned dynptr (their sample dynptr is const, RB-026) or
/// use a context that every call passes as NULL (RB-027).
/// What the verifier knows about a callback's arguments. It prunes NULL
/// checks only of pointers it knows are non-NULL (map keys and values, not
/// stack pointers), and of a NULL callback context.
struct CallbackInfo {
  /// The parameter that receives the helper's callback context.
  unsigned CtxParam = 0;
  /// Every call passes NULL as the context (the callback gets scalar 0).
  bool CtxIsNull = false;
  /// Some call passes NULL as the context: the kernel verifies the callback
  /// for that call with scalar 0.
  bool CtxMayBeNull = false;
  /// Bit I: parameter I is a pointer the verifier knows is non-NULL.
  unsigned NonNullParams = 0;
  /// Every call is a bpf_user_ringbuf_drain: parameter 0 is the sample, a
  /// const dynptr (CONST_PTR_TO_DYNPTR).
  bool Drain = false;
};
void findRefAcquiringCallbacks(
    const clang::TranslationUnitDecl *TU,
    llvm::DenseMap<const clang::FunctionDecl *, CallbackInfo> &Out);

} // namespace bpflint

#endif
