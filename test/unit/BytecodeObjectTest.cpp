//===- BytecodeObjectTest.cpp - Object reader on bad input ----------------===//
//
// BpfObject::create must turn any byte string into either an object or an
// llvm::Error with a readable message. Well-formed objects are covered by
// the lit tests in test/bytecode, which compile real programs.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Bytecode/ObjectFile.h"
#include "gtest/gtest.h"
#include <string>

using namespace bpflint::bc;

namespace {

std::string errorFor(std::string Bytes) {
  auto Obj =
      BpfObject::create(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "x.o"));
  if (Obj)
    return "";
  return llvm::toString(Obj.takeError());
}

// A minimal ELF header: class, data, version, type, machine.
std::string elfHeader(uint8_t Class, uint8_t Data, uint16_t Type,
                      uint16_t Machine, size_t Size = 64) {
  std::string H(Size, '\0');
  H[0] = 0x7f;
  H[1] = 'E';
  H[2] = 'L';
  H[3] = 'F';
  H[4] = char(Class);
  H[5] = char(Data);
  H[6] = 1;
  H[16] = char(Type & 0xff);
  H[17] = char(Type >> 8);
  H[18] = char(Machine & 0xff);
  H[19] = char(Machine >> 8);
  return H;
}

TEST(BytecodeObjectTest, NotElf) {
  EXPECT_EQ(errorFor(""), "not an ELF file (the file is empty)");
  EXPECT_EQ(errorFor("hello, world\n"), "not an ELF file");
  EXPECT_EQ(errorFor("\x7f"
                     "EL"),
            "not an ELF file");
}

TEST(BytecodeObjectTest, WrongMachineClassOrEncoding) {
  EXPECT_EQ(errorFor(elfHeader(2, 1, 1, 62)),
            "not a BPF object (e_machine=62)");
  EXPECT_EQ(errorFor(elfHeader(1, 1, 1, 247)),
            "not a BPF object (32-bit ELF class; BPF objects are ELFCLASS64)");
  // Big endian: e_type and e_machine are big-endian too.
  std::string BE = elfHeader(2, 2, 0, 0);
  BE[16] = 0;
  BE[17] = 1;
  BE[18] = 0;
  BE[19] = char(247);
  EXPECT_EQ(errorFor(BE), "big-endian BPF objects (bpfeb) are not supported");
  EXPECT_EQ(errorFor(elfHeader(2, 1, 2, 247)),
            "not a BPF object: not a relocatable ELF object (ET_REL)");
}

TEST(BytecodeObjectTest, TruncatedHeaders) {
  EXPECT_EQ(errorFor(elfHeader(2, 1, 1, 247, 40)),
            "not a BPF object: truncated ELF header");
  // A full header whose section table lies beyond the end of the file.
  std::string H = elfHeader(2, 1, 1, 247);
  H[0x28] = char(0xff); // e_shoff
  H[0x3a] = 64;         // e_shentsize
  H[0x3c] = 3;          // e_shnum
  std::string Err = errorFor(H);
  EXPECT_EQ(Err.rfind("malformed ELF: ", 0), 0u) << Err;
}

TEST(BytecodeObjectTest, HeaderOnlyIsAnEmptyObjectOrAnError) {
  // No sections at all: no symbol table.
  std::string Err = errorFor(elfHeader(2, 1, 1, 247));
  EXPECT_FALSE(Err.empty());
}

} // namespace
