//===- Callbacks.cpp - Synchronous callbacks of helpers -------------------===//
//
// bpf_loop, bpf_for_each_map_elem and bpf_user_ringbuf_drain call back into
// the program. Since 6.7 the kernel verifies such a call as a loop
// (push_callback_call, prepare_func_exit): one path goes on as if the
// callback were never called; the other enters the callback with the
// arguments the helper passes, and at the callback's exit returns to the
// helper call itself, which is verified again with the state the callback
// left, until the states converge. References acquired in a callback and
// still held at the main program's exit are leaks (RB-029); a lock held at
// the callback's exit makes the repeated helper call a call inside a
// critical section. Older kernels verified callbacks once: not modelled.
//
//===----------------------------------------------------------------------===//

#include "HelperIds.h"
#include "InterpreterImpl.h"
#include "bpflint/Model/Helpers.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {
/// Times a callback may return to its helper call on one path before we
/// give up waiting for the states to converge.
constexpr unsigned MaxCallbackRounds = 4;
} // namespace

bool Interp::isCallbackHelper(unsigned Id) {
  return Id == FnForEachMapElem || Id == FnLoop || Id == FnUserRingbufDrain;
}

bool Interp::doCallbackHelper(unsigned Id, CodeAddr Pc, VerifierState &St) {
  std::string Fn = helperName(Id).str();
  if (Opts.Kernel < KernelVersion(6, 7)) {
    stop("callback of " + Fn + " before 6.7");
    return false;
  }
  auto &Regs = St.cur().Regs;
  const RegState &Cb = Regs[2];
  if (Cb.Type != RegType::Opaque || Cb.FuncSection < 0 || Cb.Off < 0) {
    stop(Fn + " with a callback we cannot follow");
    return false;
  }
  CodeAddr Target{unsigned(Cb.FuncSection), unsigned(Cb.Off)};
  const Function *Callee = function(Target);
  if (!Callee || Callee->FirstInsn != Target.Insn || Callee->Global) {
    stop(Fn + " with a callback we cannot follow");
    return false;
  }
  const RegState &Map = Regs[1];
  if (Id != FnLoop &&
      (Map.Type != RegType::ConstMap || Map.MaybeNull || Map.MapIndex < 0 ||
       size_t(Map.MapIndex) >= Obj.maps().size())) {
    stop(Fn + " without a map");
    return false;
  }
  if (Id == FnForEachMapElem) {
    // Map types whose elements are plain values.
    static const uint32_t ValueMaps[] = {1, 2, 5, 6};
    if (!is_contained(ValueMaps, Obj.maps()[Map.MapIndex].Btf.MapType)) {
      stop(Fn + " on an unmodelled map type");
      return false;
    }
  }
  if (St.Frames.size() >= MaxCallFrames) {
    stop("call stack too deep");
    return false;
  }
  for (const FrameState &F : St.Frames)
    if (F.Entry == Target) {
      stop("recursive callback");
      return false;
    }

  // The callback's arguments (set_loop_callback_state and friends).
  FrameState CbFrame;
  CbFrame.Entry = Target;
  CbFrame.ReturnTo = Pc;
  CbFrame.CallbackOf = int(Id);
  CbFrame.CallbackIdsFrom = St.NextId;
  const RegState Ctx = Regs[3];
  switch (Id) {
  case FnLoop:
    CbFrame.Regs[1] = RegState::scalar(Scalar::unknownOfSize(4));
    CbFrame.Regs[2] = Ctx;
    break;
  case FnForEachMapElem: {
    CbFrame.Regs[1] = Map;
    CbFrame.Regs[2].Type = RegType::Opaque; // PTR_TO_MAP_KEY
    RegState Value;
    Value.Type = RegType::MapValue;
    Value.MapIndex = Map.MapIndex;
    Value.Id = St.freshId();
    CbFrame.Regs[3] = Value;
    CbFrame.Regs[4] = Ctx;
    break;
  }
  case FnUserRingbufDrain: {
    RegState Sample;
    Sample.Type = RegType::ConstDynptr;
    Sample.Id = St.freshId();
    CbFrame.Regs[1] = Sample;
    CbFrame.Regs[2] = Ctx;
    break;
  }
  }
  CbFrame.Regs[10].Type = RegType::Stack;
  CbFrame.Regs[10].Frame = St.Frames.size();

  // The path where the callback is not called (again).
  VerifierState Skip = St;
  Skip.cur().CallbackRounds = 0;
  clobberCallerSaved(Skip);
  Skip.cur().Regs[0] = RegState::scalar(Scalar::unknown());
  queue({Pc.Section, Pc.Insn + 1}, std::move(Skip));

  St.Frames.push_back(std::move(CbFrame));
  NextPc = Target;
  return true;
}

bool Interp::callbackExit(CodeAddr &Pc, VerifierState &St) {
  const FrameState &Fr = St.cur();
  unsigned Id = unsigned(Fr.CallbackOf);
  const RegState &R0 = Fr.Regs[0];
  // prepare_func_exit: R0 a scalar in [0, 1].
  if (R0.Type != RegType::Scalar) {
    stop("callback returns something other than a scalar");
    return false;
  }
  const Scalar &V = R0.Val;
  bool InRange = (V.UMax <= 1) || (V.SMin >= 0 && V.SMax <= 1);
  if (!InRange) {
    if (Id == FnUserRingbufDrain && V.isConst() && !V.Imprecise) {
      report(Rule::RingbufDrainCallbackReturn, Pc,
             "the bpf_user_ringbuf_drain callback returns " +
                 std::to_string(int64_t(V.constValue())) +
                 ", not 0 (continue) or 1 (stop)",
             {regNote(Pc, 0, R0)}, St);
      return false;
    }
    stop("callback return value not known to be 0 or 1");
    return false;
  }
  // References acquired in this callback and still held: leaks, unless
  // the caller can still reach them (then the kernel's verdict depends on
  // what the next round of the callback does).
  std::vector<const RefState *> Leaked;
  for (const RefState &Ref : St.Refs)
    if (Ref.Id >= Fr.CallbackIdsFrom)
      Leaked.push_back(&Ref);
  if (!Leaked.empty()) {
    bool Reachable = false;
    for (size_t F = 0; F + 1 < St.Frames.size(); ++F) {
      const FrameState &C = St.Frames[F];
      for (const RefState *Ref : Leaked) {
        for (const RegState &R : C.Regs)
          Reachable |= R.RefObjId == Ref->Id;
        for (const StackSlot &S : C.Stack)
          Reachable |=
              (S.K == StackSlot::Spill && S.Spilled.RefObjId == Ref->Id) ||
              (S.K == StackSlot::Dynptr && S.DynRef == Ref->Id);
      }
    }
    if (Reachable ||
        llvm::any_of(Leaked, [](const RefState *R) { return R->Alloc; })) {
      stop("reference acquired in a callback escapes to the caller");
      return false;
    }
    std::vector<FindingNote> Notes;
    for (const RefState *Ref : Leaked)
      Notes.push_back({Ref->AllocAt,
                       std::string(Ref->Dynptr ? "ring buffer dynptr"
                                               : "ring buffer record") +
                           " reserved here in the callback (insn " +
                           where(Ref->AllocAt) +
                           ", reference id=" + std::to_string(Ref->Id) + ")"});
    report(Rule::RingbufCallbackLeak, Pc,
           "the " + helperName(Id).str() +
               " callback returns holding a reference it acquired; nothing "
               "can release it afterwards",
           std::move(Notes), St);
    return false;
  }
  CodeAddr CallSite = Fr.ReturnTo;
  St.Frames.pop_back();
  // Back to the helper call, verified again (as a loop head).
  if (pruned(CallSite, St))
    return false;
  if (++St.cur().CallbackRounds > MaxCallbackRounds) {
    stop("callback states do not converge");
    return false;
  }
  Pc = CallSite;
  return true;
}

} // namespace bpflint::bc::detail
