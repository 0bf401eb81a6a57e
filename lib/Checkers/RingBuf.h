//===- RingBuf.h - The ring buffer checkers -------------------*- C++ -*-===//
//
// The ring buffer rules (RULES.md section 5) are split over a few checkers,
// one job each; they are registered together under one analyzer checker
// entry by registerRingBufChecker().
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_RINGBUF_H
#define BPFLINT_CHECKERS_RINGBUF_H

#include "bpflint/Checkers/BpfConfig.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SVals.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace clang {
class CallExpr;
class Expr;
namespace ento {
class CheckerContext;
class CheckerManager;
} // namespace ento
} // namespace clang

namespace bpflint {

/// Reservation state: NULL checks, use after release, releases, leaks.
void registerRingBufChecker(clang::ento::CheckerManager &Mgr);
/// Arguments of ring buffer helper calls: map types, sizes, flags.
void registerRingBufCallChecker(clang::ento::CheckerManager &Mgr,
                                const BpfConfig &Config);
/// Ring buffer dynptrs: reserve_dynptr / submit_dynptr / discard_dynptr.
void registerRingBufDynptrChecker(clang::ento::CheckerManager &Mgr,
                                  const BpfConfig &Config);

/// A call after which the program may end without reaching its exit:
/// bpf_tail_call (variant "") and legacy packet loads (variant "ld_abs":
/// LD_ABS/LD_IND from libbpf's load_byte() and friends, which end the
/// program when the load fails). The verifier rejects both while a
/// reference is held (RB-013).
struct EarlyExit {
  llvm::StringRef Variant;
  /// "bpf_tail_call()" or "legacy packet load 'load_byte'".
  std::string Call;
  /// Why the program may not come back: "a tail call does not return".
  llvm::StringRef Reason;
};
std::optional<EarlyExit> earlyExitOf(const clang::CallExpr *CE);

/// What the analyzer may claim about a scalar the verifier tracks the same
/// way: one with no range of its own in the verifier (a value loaded from a
/// writable map value, or the result of bpf_get_prandom_u32 and friends),
/// written as Source (its C type is the type of the value). Only for these
/// is the range the path puts on the value the verifier's range. Its range
/// can then be asked for: Negative (may be < 0), Min (may be the type's
/// minimum), Unbounded (may be >= 1 << 29, the verifier's BPF_MAX_VAR_OFF
/// and BPF_MAX_VAR_SIZ).
struct OpaqueScalar {
  unsigned Bits = 0;
  bool Signed = false;
  bool Negative = false, Min = false, Unbounded = false;
  /// Unsigned 64-bit values >= 1 << 63: the verifier's smin is S64_MIN.
  bool SignBit = false;
};
std::optional<OpaqueScalar> opaqueScalar(clang::ento::CheckerContext &C,
                                         clang::ento::SVal V,
                                         const clang::Expr *Source);

/// The rule of a leaked reference: RB-029 when the analysis started in a
/// synchronous callback (analysed as an entry of its own, see
/// findRefAcquiringCallbacks), else Leak (RB-009 or RB-018).
Rule leakRule(clang::ento::CheckerContext &C, Rule Leak);

} // namespace bpflint

#endif
