//===- RuleReporter.cpp ---------------------------------------------------===//

#include "RuleReporter.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang::ento;
using namespace llvm;

namespace bpflint {

const BugType &RuleReporter::bugType(Rule R) const {
  std::unique_ptr<BugType> &BT = BugTypes[R];
  if (!BT) {
    const RuleInfo &Info = getRule(R);
    // The category carries the check name shown as [bpflint-...].
    BT = std::make_unique<BugType>(Owner, Info.Summary, Info.fullCheckName());
  }
  return *BT;
}

bool RuleReporter::isBugTypeOf(const BugType &BT, Rule R) const {
  auto It = BugTypes.find(R);
  return It != BugTypes.end() && It->second.get() == &BT;
}

std::string RuleReporter::describe(Rule R, StringRef What) const {
  StringRef Message = getRule(R).kernelMessage(Config.Kernel);
  if (Message.empty())
    return What.str();
  // Multi-line kernel messages (e.g. the reference-leak pair) are quoted line
  // by line.
  SmallVector<StringRef, 2> Lines;
  Message.split(Lines, '\n');
  std::string Text = (What + " (verifier: ").str();
  for (size_t I = 0; I < Lines.size(); ++I)
    Text += (I ? ", \"" : "\"") + Lines[I].str() + "\"";
  return Text + ")";
}

} // namespace bpflint
