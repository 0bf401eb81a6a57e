// Builds a BPF translation unit for tests of the AST-level model.
#ifndef BPFLINT_TEST_UNIT_ASTTESTUTIL_H
#define BPFLINT_TEST_UNIT_ASTTESTUTIL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include <memory>
#include <string>

namespace bpflint::test {

inline std::unique_ptr<clang::ASTUnit> buildBpfAST(const std::string &Code) {
  return clang::tooling::buildASTFromCodeWithArgs(
      "#include \"bpf_test.h\"\n" + Code,
      {"--target=bpf", "-I" BPFLINT_TEST_INPUTS, "-Wno-unused"}, "prog.bpf.c");
}

template <typename DeclT>
const DeclT *findDecl(clang::ASTUnit &AST, llvm::StringRef Name) {
  for (clang::Decl *D : AST.getASTContext().getTranslationUnitDecl()->decls())
    if (auto *ND = llvm::dyn_cast<DeclT>(D))
      if (ND->getIdentifier() && ND->getName() == Name)
        return ND;
  return nullptr;
}

} // namespace bpflint::test

#endif
