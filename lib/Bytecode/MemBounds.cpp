//===- MemBounds.cpp - Bounds of ring buffer, map value and stack memory --===//
//
// The kernel's bounds checks on memory a program reaches through a pointer
// with a fixed and a variable offset: check_reg_sane_offset at pointer
// arithmetic, check_mem_region_access at loads and stores through ring
// buffer records (RB-008), and check_mem_size_reg / check_helper_mem_access
// for helper memory arguments (ARG_PTR_TO_MEM with ARG_CONST_SIZE: RB-008
// for ring buffer records, RB-015 for bpf_ringbuf_output's data).
//
// A variable offset keeps its range (RegState::VarRange), built with the
// same transfer functions as scalars. A finding needs every range it
// depends on to be exact (not Imprecise): a bounds check fails for a range
// iff it fails for every larger one, so a range the kernel knows at least
// as well as we do fails there too. Elsewhere the path goes on unjudged.
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"
#include "bpflint/Model/Helpers.h"

using namespace llvm;

namespace bpflint::bc::detail {

namespace {

/// BPF_MAX_VAR_OFF and BPF_MAX_VAR_SIZ.
constexpr int64_t MaxVarOff = int64_t(1) << 29;
constexpr uint64_t MaxVarSize = uint64_t(1) << 29;

constexpr unsigned FnRingbufOutput = 130;

std::string reg(unsigned RegNo) { return "R" + std::to_string(RegNo); }

/// A pointer's variable offset as the kernel holds it: 0 when it has none.
Scalar varPart(const RegState &Ptr) {
  return Ptr.VarOff ? Ptr.VarRange : Scalar::constant(0);
}

/// What check_mem_region_access finds wrong, in its order.
enum class Fault { None, NegativeIndex, Min, Unbounded, Max };

struct RegionResult {
  Fault F = Fault::None;
  int32_t Off = 0; ///< The offset __check_mem_access printed.
};

/// __check_mem_access: [Off, Off + Size) inside [0, MemSize).
bool accessOk(int32_t Off, int64_t Size, uint64_t MemSize, bool ZeroOk) {
  bool SizeOk = Size > 0 || (Size == 0 && ZeroOk);
  return Off >= 0 && SizeOk && uint64_t(Off) + uint64_t(Size) <= MemSize;
}

/// check_mem_region_access for Size bytes at Ptr + Off (Off: the fixed
/// offset plus the instruction's).
RegionResult checkRegion(const RegState &Ptr, int64_t Off, int64_t Size,
                         uint64_t MemSize, bool ZeroOk) {
  Scalar V = varPart(Ptr);
  RegionResult R;
  if (V.SMin < 0 &&
      (V.SMin == INT64_MIN || Off + V.SMin != int64_t(int32_t(Off + V.SMin)) ||
       V.SMin + Off < 0)) {
    R.F = Fault::NegativeIndex;
    return R;
  }
  R.Off = int32_t(V.SMin + Off);
  if (!accessOk(R.Off, Size, MemSize, ZeroOk)) {
    R.F = Fault::Min;
    return R;
  }
  if (V.UMax >= uint64_t(MaxVarOff)) {
    R.F = Fault::Unbounded;
    return R;
  }
  R.Off = int32_t(int64_t(V.UMax) + Off);
  if (!accessOk(R.Off, Size, MemSize, ZeroOk))
    R.F = Fault::Max;
  return R;
}

/// The RB-008 variant naming Fault F.
StringRef variantOf(Fault F) {
  switch (F) {
  case Fault::NegativeIndex:
    return "negative_index";
  case Fault::Unbounded:
    return "unbounded";
  case Fault::Max:
    return "max";
  default:
    return "";
  }
}

/// The memory arguments of the helpers we check (their 6.18 prototypes):
/// the pointer's register, the size's, whether a zero size is allowed
/// (ARG_CONST_SIZE_OR_ZERO) and whether the helper writes the memory.
struct MemArg {
  unsigned Helper, PtrReg, SizeReg;
  bool ZeroOk, Write;
};
const MemArg MemArgs[] = {
    {4, 1, 2, true, true},    // probe_read
    {6, 1, 2, false, false},  // trace_printk
    {16, 1, 2, false, true},  // get_current_comm
    {25, 4, 5, true, false},  // perf_event_output
    {45, 1, 2, true, true},   // probe_read_str
    {67, 2, 3, true, true},   // get_stack
    {112, 1, 2, true, true},  // probe_read_user
    {113, 1, 2, true, true},  // probe_read_kernel
    {114, 1, 2, true, true},  // probe_read_user_str
    {115, 1, 2, true, true},  // probe_read_kernel_str
    {130, 2, 3, true, false}, // ringbuf_output
    {141, 2, 3, true, true},  // get_task_stack
};

} // namespace

bool Interp::refinedRetval(unsigned Id) {
  // do_refine_retval_range: the string and stack helpers return at most
  // the buffer's size, bpf_get_smp_processor_id less than nr_cpu_ids.
  switch (Id) {
  case 8:   // get_smp_processor_id
  case 45:  // probe_read_str
  case 67:  // get_stack
  case 114: // probe_read_user_str
  case 115: // probe_read_kernel_str
  case 141: // get_task_stack
    return true;
  default:
    return false;
  }
}

bool Interp::nullablePtrArith(const Insn &I, CodeAddr Pc, const RegState &Ptr,
                              VerifierState &St) {
  // adjust_ptr_min_max_vals: after the 32-bit check, any arithmetic on a
  // pointer that may be NULL, whatever the other operand.
  if (Ptr.Type != RegType::RingbufMem || !Ptr.MaybeNull)
    return false;
  report(Rule::RingbufArithBeforeNullCheck, Pc,
         "arithmetic on the ring buffer record in " + reg(I.Dst) +
             " before it is checked for NULL",
         withNote(heldNotes(St, false, true), regNote(Pc, I.Dst, Ptr)), St);
  return true;
}

bool Interp::addVarOff(const Insn &I, CodeAddr Pc, RegState &Ptr,
                       const Scalar &Delta, bool Sub, VerifierState &St) {
  bool Ringbuf = Ptr.Type == RegType::RingbufMem;
  // check_reg_sane_offset on the scalar operand, then on the result. Only
  // an exact range is judged.
  auto sane = [&](const Scalar &V, bool Result) {
    if (V.Imprecise)
      return true;
    std::string What;
    StringRef Variant;
    if (V.isConst()) {
      if (int64_t(V.constValue()) < MaxVarOff &&
          int64_t(V.constValue()) > -MaxVarOff)
        return true;
      stop("pointer arithmetic with a constant out of the kernel's range");
      return false;
    }
    if (V.SMin == INT64_MIN) {
      What = "may have its sign bit set";
      Variant = "unbounded_min";
    } else if (V.SMin >= MaxVarOff || V.SMin <= -MaxVarOff) {
      What = "may be " + std::to_string(V.SMin);
      Variant = "negative";
    } else {
      return true;
    }
    if (!Ringbuf) {
      stop("pointer arithmetic with an offset out of the kernel's range");
      return false;
    }
    report(Rule::RingbufAccessOutOfBounds, Pc,
           std::string(Result ? "the variable offset of the pointer into "
                                "the ring buffer record in "
                              : "the offset added to the ring buffer record "
                                "in ") +
               reg(I.Dst) + " " + What +
               "; check the index against the size of the record first",
           {regNote(Pc, I.Dst, Ptr)}, St, Variant);
    return false;
  };
  if (!sane(Delta, false))
    return false;
  Scalar Old = varPart(Ptr);
  Scalar New = aluScalar(Sub ? AluSub : AluAdd, Old, Delta, /*Is32=*/false);
  Ptr.VarOff = true;
  Ptr.VarRange = New;
  return sane(New, true);
}

bool Interp::memOutOfBounds(const Insn &I, CodeAddr Pc, const RegState &Base,
                            unsigned RegNo, VerifierState &St) {
  if (Base.Type != RegType::RingbufMem || Base.MaybeNull)
    return false;
  if (Base.VarOff && Base.VarRange.Imprecise)
    return false;
  if (Base.Off >= MaxVarOff || Base.Off <= -MaxVarOff) {
    stop("ring buffer record access at an offset out of the kernel's range");
    return true;
  }
  int64_t Size = I.accessSize();
  RegionResult R =
      checkRegion(Base, Base.Off + I.Off, Size, Base.MemSize, false);
  if (R.F == Fault::None)
    return false;
  std::string Access = I.Kind == InsnKind::Load    ? "load from"
                       : I.Kind == InsnKind::Store ? "store to"
                                                   : "atomic operation on";
  std::string Rec = "a ring buffer record of " + std::to_string(Base.MemSize) +
                    " bytes through " + reg(RegNo);
  std::string What;
  switch (R.F) {
  case Fault::NegativeIndex:
    What = Access + " " + Rec + " at an offset that may be negative";
    break;
  case Fault::Unbounded:
    What = Access + " " + Rec + " at an index that has no upper bound";
    break;
  default:
    What = Access + " bytes " + std::to_string(R.Off) + ".." +
           std::to_string(R.Off + Size) + " of " + Rec;
    break;
  }
  report(Rule::RingbufAccessOutOfBounds, Pc,
         What + "; reserve the size of what the record holds, or check the "
                "index first",
         {regNote(Pc, RegNo, Base)}, St, variantOf(R.F));
  return true;
}

bool Interp::helperMemArgs(unsigned Id, CodeAddr Pc, VerifierState &St) {
  const MemArg *A = nullptr;
  for (const MemArg &M : MemArgs)
    if (M.Helper == Id)
      A = &M;
  if (!A)
    return true;
  auto &Regs = St.cur().Regs;
  const RegState &Ptr = Regs[A->PtrReg];
  const RegState &SizeR = Regs[A->SizeReg];
  bool Output = Id == FnRingbufOutput;
  std::string Fn = helperName(Id).str();
  // Pointers whose memory we know, with an exact offset; an exact size.
  if ((Ptr.Type != RegType::RingbufMem && Ptr.Type != RegType::MapValue &&
       Ptr.Type != RegType::Stack) ||
      Ptr.MaybeNull || (Ptr.VarOff && Ptr.VarRange.Imprecise) ||
      SizeR.Type != RegType::Scalar || SizeR.Val.Imprecise)
    return true;
  const Scalar &Size = SizeR.Val;
  std::string SizeDesc = "the size given to " + Fn + " in " + reg(A->SizeReg);

  // check_mem_size_reg.
  if (Size.SMin < 0) {
    if (!Output) {
      stop(Fn + " with a size that may be negative");
      return false;
    }
    report(Rule::RingbufOutputMemory, Pc,
           SizeDesc + " may be negative; check it first",
           {regNote(Pc, A->SizeReg, SizeR)}, St, "negative");
    return false;
  }
  if (Size.UMin == 0 && !A->ZeroOk) {
    stop(Fn + " with a size that may be 0");
    return false;
  }
  if (Size.UMax >= MaxVarSize) {
    if (!Output) {
      stop(Fn + " with a size that has no upper bound");
      return false;
    }
    report(Rule::RingbufOutputMemory, Pc,
           SizeDesc +
               " has no upper bound; check it against the size of the data "
               "first",
           {regNote(Pc, A->SizeReg, SizeR)}, St, "unbounded");
    return false;
  }
  int64_t N = int64_t(Size.UMax);

  // check_helper_mem_access with the size's upper bound.
  if (Ptr.Off >= MaxVarOff || Ptr.Off <= -MaxVarOff) {
    stop(Fn + " with memory at an offset out of the kernel's range");
    return false;
  }
  if (Ptr.Type == RegType::RingbufMem) {
    RegionResult R = checkRegion(Ptr, Ptr.Off, N, Ptr.MemSize, A->ZeroOk);
    if (R.F == Fault::None)
      return true;
    std::string Rec = "a ring buffer record of " + std::to_string(Ptr.MemSize) +
                      " bytes in " + reg(A->PtrReg);
    std::string What =
        R.F == Fault::NegativeIndex
            ? Fn + " is given " + Rec + " at an offset that may be negative"
        : R.F == Fault::Unbounded
            ? Fn + " is given " + Rec + " at an index that has no upper bound"
            : Fn + " is given bytes " + std::to_string(R.Off) + ".." +
                  std::to_string(R.Off + N) + " of " + Rec;
    report(Rule::RingbufAccessOutOfBounds, Pc,
           What + "; reserve the size of what the record holds",
           {regNote(Pc, A->PtrReg, Ptr)}, St, variantOf(R.F));
    return false;
  }
  if (Ptr.Type == RegType::MapValue) {
    if (Ptr.MapIndex < 0 || size_t(Ptr.MapIndex) >= Obj.maps().size())
      return true;
    const MapDef &M = Obj.maps()[Ptr.MapIndex];
    // Data sections may be resized by the loader; .maps values have the
    // size of their BTF type.
    if (M.IsDataSection || !M.Btf.HasBtf || !M.Btf.ValueSize)
      return true;
    RegionResult R = checkRegion(Ptr, Ptr.Off, N, M.Btf.ValueSize, A->ZeroOk);
    if (R.F == Fault::None)
      return true;
    if (!Output || R.F != Fault::Min) {
      stop(Fn + " with memory out of a map value");
      return false;
    }
    report(Rule::RingbufOutputMemory, Pc,
           Fn + " reads bytes " + std::to_string(R.Off) + ".." +
               std::to_string(R.Off + N) + " of a value of map '" + M.Name +
               "', which has " + std::to_string(M.Btf.ValueSize) + " bytes",
           {regNote(Pc, A->PtrReg, Ptr)}, St);
    return false;
  }
  // The stack (check_stack_access_within_bounds; a privileged loader may
  // use all 512 bytes, initialised or not).
  if (Ptr.VarOff)
    return true;
  int64_t Lo = Ptr.Off, Hi = Ptr.Off + N;
  if (Lo >= -int64_t(StackSlots) * 8 && Hi <= 0)
    return true;
  if (!Output || A->Write) {
    stop(Fn + " with stack memory out of bounds");
    return false;
  }
  report(Rule::RingbufOutputMemory, Pc,
         Fn + " reads " + std::to_string(N) + " bytes at " + Ptr.str(Obj) +
             ", past the 512 bytes of the stack",
         {regNote(Pc, A->PtrReg, Ptr)}, St, "stack");
  return false;
}

} // namespace bpflint::bc::detail
