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

namespace clang::ento {
class CheckerManager;
}

namespace bpflint {

/// Reservation state: NULL checks, use after release, releases, leaks.
void registerRingBufChecker(clang::ento::CheckerManager &Mgr);
/// Arguments of ring buffer helper calls: map types, sizes, flags.
void registerRingBufCallChecker(clang::ento::CheckerManager &Mgr,
                                const BpfConfig &Config);
/// Ring buffer dynptrs: reserve_dynptr / submit_dynptr / discard_dynptr.
void registerRingBufDynptrChecker(clang::ento::CheckerManager &Mgr,
                                  const BpfConfig &Config);

} // namespace bpflint

#endif
