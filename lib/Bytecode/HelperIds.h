//===- HelperIds.h - Helper ids the interpreter dispatches on --*- C++ -*-===//
//
// The numbers of enum bpf_func_id (uapi/linux/bpf.h) that the interpreter
// treats specially, in one place for every file of lib/Bytecode.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_LIB_BYTECODE_HELPERIDS_H
#define BPFLINT_LIB_BYTECODE_HELPERIDS_H

namespace bpflint::bc::detail {

enum : unsigned {
  FnMapLookupElem = 1,
  FnMapUpdateElem = 2,
  FnMapDeleteElem = 3,
  FnTailCall = 12,
  FnSpinLock = 93,
  FnSpinUnlock = 94,
  FnRingbufOutput = 130,
  FnRingbufReserve = 131,
  FnRingbufSubmit = 132,
  FnRingbufDiscard = 133,
  FnRingbufQuery = 134,
  FnTaskStorageGet = 156,
  FnTaskStorageDelete = 157,
  FnGetCurrentTaskBtf = 158,
  FnForEachMapElem = 164,
  FnLoop = 181,
  FnKptrXchg = 194,
  FnDynptrFromMem = 197,
  FnRingbufReserveDynptr = 198,
  FnRingbufSubmitDynptr = 199,
  FnRingbufDiscardDynptr = 200,
  FnDynptrRead = 201,
  FnDynptrWrite = 202,
  FnDynptrData = 203,
  FnUserRingbufDrain = 209,
};

} // namespace bpflint::bc::detail

#endif
