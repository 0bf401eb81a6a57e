//===- RuleReporter.h - Bug reports keyed by registry rule ------*- C++ -*-===//
//
// Every bpflint report names a rule of the registry. The rule's full check
// name becomes the bug category (the diagnostic consumer prints it in
// brackets) and the kernel message for the selected kernel is appended to the
// description, so users can match it with their verifier logs.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_CHECKERS_RULEREPORTER_H
#define BPFLINT_CHECKERS_RULEREPORTER_H

#include "bpflint/Checkers/BpfConfig.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <map>
#include <memory>
#include <string>

namespace bpflint {

class RuleReporter {
public:
  RuleReporter() = default;

  /// Must be called once from the checker's registration function.
  void init(const clang::ento::CheckerBase *Owner, BpfConfig Cfg) {
    this->Owner = Owner;
    Config = std::move(Cfg);
  }

  const BpfConfig &config() const { return Config; }
  bool isActive(Rule R) const { return Config.isActive(R); }

  /// The bug type for rule R (created on first use).
  const clang::ento::BugType &bugType(Rule R) const;
  /// True if BT is one of the bug types of this reporter for rule R.
  bool isBugTypeOf(const clang::ento::BugType &BT, Rule R) const;

  /// "What went wrong" plus the kernel's message for the selected kernel
  /// (of the given variant of the rule, see Rules.def). Args fill the
  /// message's printf-style specifiers in order (map names, offsets); those
  /// without an argument are left as the kernel's format shows them.
  std::string describe(Rule R, llvm::StringRef What,
                       llvm::StringRef Variant = "",
                       llvm::ArrayRef<std::string> Args = {}) const;

  /// A report of rule R for a reference acquired at AcquireSite and leaked
  /// at N, uniqued by the acquisition site: one report per leaking
  /// reservation, not one per path.
  std::unique_ptr<clang::ento::PathSensitiveBugReport>
  leakReport(Rule R, llvm::StringRef What, clang::ento::ExplodedNode *N,
             const clang::Stmt *AcquireSite,
             clang::ento::CheckerContext &C) const;

  /// A leak is a reference (symbol) and the statement that acquired it.
  using Leak = std::pair<clang::ento::SymbolRef, const clang::Stmt *>;

  /// Moves to State, reporting rule R (leakReport) for every leak on the
  /// way when R is active: the end of checkDeadSymbols of the checkers that
  /// own references.
  /// FixItsFor, if given, makes the fix-its of each leak, given the error
  /// node (whose statement is where the reference died).
  using LeakFixIts = llvm::function_ref<llvm::SmallVector<clang::FixItHint, 2>(
      const Leak &, const clang::ento::ExplodedNode *)>;
  void reportLeaks(Rule R, llvm::StringRef What, llvm::ArrayRef<Leak> Leaked,
                   clang::ento::ProgramStateRef State,
                   clang::ento::CheckerContext &C,
                   LeakFixIts FixItsFor = nullptr) const;

  /// Attaches fix-its to the report's final event (the warning itself). A
  /// report's own fix-it list does not reach path diagnostics, so this goes
  /// through a visitor that builds the end-of-path piece.
  static void addFixIts(clang::ento::PathSensitiveBugReport &Report,
                        llvm::ArrayRef<clang::FixItHint> FixIts);

private:
  const clang::ento::CheckerBase *Owner = nullptr;
  BpfConfig Config;
  mutable std::map<Rule, std::unique_ptr<clang::ento::BugType>> BugTypes;
};

} // namespace bpflint

#endif
