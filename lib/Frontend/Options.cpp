//===- Options.cpp - Plugin argument parsing and the check list -----------===//

#include "bpflint/Frontend/Options.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"

using namespace llvm;

namespace bpflint {

static Error argError(const Twine &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

static constexpr StringLiteral ValidArgs =
    "kernel=<X.Y|newest>, checks=<globs>, severity=<glob>:<error|warning>, "
    "errors, no-bytecode, report-incomplete, list-checks[=markdown], help";

Expected<SeverityOverrides> SeverityOverrides::parse(StringRef Spec) {
  SeverityOverrides S;
  SmallVector<StringRef, 4> Items;
  Spec.split(Items, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef Item : Items) {
    auto [Pattern, Level] = Item.trim().rsplit(':');
    Pattern = Pattern.trim();
    Level = Level.trim();
    if (!Item.contains(':') || Pattern.empty() ||
        (Level != "error" && Level != "warning"))
      return argError("invalid severity '" + Item.trim() +
                      "' (expected <check or glob>:<error|warning>, e.g. "
                      "ringbuf-lint-flags:error)");
    if (Pattern.starts_with("-"))
      return argError("invalid severity pattern '" + Pattern + "'");
    Expected<CheckSelection> Match =
        CheckSelection::parse("-*," + Pattern.str());
    if (!Match)
      return Match.takeError();
    S.Entries.push_back({std::move(*Match), Level == "error"});
  }
  S.Spec = Spec.str();
  return std::move(S);
}

std::optional<bool> SeverityOverrides::isError(StringRef Check) const {
  const RuleInfo *R = findRule(Check);
  if (!R)
    return std::nullopt;
  std::optional<bool> Result;
  for (const Entry &E : Entries)
    if (E.Match.isEnabled(*R))
      Result = E.Error;
  return Result;
}

Expected<BpflintOptions> parsePluginArgs(ArrayRef<std::string> Args) {
  BpflintOptions Opts;
  for (StringRef Arg : Args) {
    auto [Key, Value] = Arg.split('=');
    bool HasValue = Arg.contains('=');
    if (Key == "kernel") {
      std::optional<KernelVersion> V = KernelVersion::parse(Value);
      if (!V)
        return argError("invalid kernel version '" + Value +
                        "' (expected X.Y such as 6.1, or 'newest')");
      if (*V < KernelVersion::oldest())
        return argError("kernel " + V->str() +
                        " is older than the oldest "
                        "kernel bpflint models (" +
                        KernelVersion::oldest().str() + ")");
      Opts.Config.Kernel = *V;
      Opts.KernelFromArgs = true;
    } else if (Key == "checks") {
      if (!HasValue || Value.trim().empty())
        return argError("'checks' needs a value, e.g. checks=-*,lock-*");
      Expected<CheckSelection> S = CheckSelection::parse(Value);
      if (!S)
        return S.takeError();
      Opts.Config.Checks = std::move(*S);
      Opts.ChecksFromArgs = true;
    } else if (Key == "severity") {
      if (!HasValue || Value.trim().empty())
        return argError("'severity' needs a value, e.g. "
                        "severity=ringbuf-lint-flags:error");
      Expected<SeverityOverrides> S = SeverityOverrides::parse(Value);
      if (!S)
        return S.takeError();
      Opts.Severity = std::move(*S);
      Opts.SeverityFromArgs = true;
    } else if (Key == "errors" && !HasValue) {
      Opts.AsErrors = true;
    } else if (Key == "no-bytecode" && !HasValue) {
      Opts.Bytecode = false;
    } else if (Key == "report-incomplete" && !HasValue) {
      Opts.ReportIncomplete = true;
    } else if (Key == "list-checks") {
      if (HasValue && Value != "text" && Value != "markdown")
        return argError("list-checks takes 'text' or 'markdown', not '" +
                        Value + "'");
      Opts.ListChecks = HasValue ? Value.str() : "text";
    } else if (Key == "help" && !HasValue) {
      Opts.Help = true;
    } else {
      return argError("unknown argument '" + Arg +
                      "'; valid arguments are: " + ValidArgs);
    }
  }
  return std::move(Opts);
}

void printPluginHelp(raw_ostream &OS) {
  OS << "bpflint: compile-time checks for BPF programs\n"
        "usage: clang -target bpf -fplugin=bpflint.so "
        "[-fplugin-arg-bpflint-<arg> ...] -c prog.bpf.c\n"
        "arguments:\n"
        "  kernel=<X.Y>        kernel profile: rules, allowlists and messages "
        "of that kernel\n"
        "                      (" +
            KernelVersion::oldest().str() + " to " +
            KernelVersion::newest().str() +
            "; default: newest)\n"
            "  checks=<globs>      comma-separated check names, rule ids or "
            "globs; "
            "'-' disables\n"
            "                      (e.g. checks=-*,lock-*,RB-009)\n"
            "  severity=<glob>:<error|warning>,...  per-check severity "
            "(wins over errors and -Werror)\n"
            "  errors              report findings as errors (the object is "
            "not "
            "written)\n"
            "  no-bytecode         do not run the bytecode verifier on the "
            "emitted object\n"
            "  report-incomplete   a remark for each program whose analysis "
            "hit a limit\n"
            "  list-checks[=markdown]  print the checks and continue\n"
            "  help                print this text and continue\n"
            "-Werror turns bpflint warnings into errors; -w silences them.\n";
}

/// The rule ids of RULES.md that are not checks of their own, so that the
/// docs index accounts for every rule (Coverage.def).
static void printUncheckedRuleIds(raw_ostream &OS) {
  OS << "\n## Rules without a check of their own\n\n"
        "Generated from `include/bpflint/Rules/Coverage.def`. These rule ids "
        "of the\ncatalogue are reported by another rule's check (the kernel "
        "prints that\nrule's message first), or bpflint does not check them, "
        "for the reason given.\n\n"
        "| Rule | Reported by | How, or why not |\n"
        "|---|---|---|\n";
  for (const UncheckedRuleId &U : allUncheckedRuleIds()) {
    OS << "| " << U.Id << " | ";
    if (U.CoveredBy)
      OS << "[" << U.CoveredBy->fullCheckName() << "]("
         << U.CoveredBy->CheckName << ".md) (" << U.CoveredBy->Id << ")";
    else
      OS << "not checked";
    OS << " | " << U.Note << " |\n";
  }
}

void printCheckList(raw_ostream &OS, StringRef Format,
                    const BpfConfig &Config) {
  if (Format == "markdown") {
    OS << "# bpflint checks\n\n"
          "Generated from the rule registry "
          "(`include/bpflint/Rules/Rules.def`) by\n"
          "`-fplugin-arg-bpflint-list-checks=markdown`; do not edit by hand.\n"
          "The message column is what the newest kernel the rule exists on "
          "prints;\n"
          "each check's page lists the messages of older kernels.\n\n"
          "| Check | Rule | Verdict | Kernels | Kernel message |\n"
          "|---|---|---|---|---|\n";
    for (const RuleInfo &R : allRules()) {
      SmallVector<StringRef, 2> Lines;
      R.kernelMessage(R.kernels().To).split(Lines, '\n');
      OS << "| [" << R.fullCheckName() << "](" << R.CheckName << ".md) | "
         << R.Id << " | " << verdictName(R.Verd) << " | " << R.kernels().str()
         << " | ";
      // Lint-only rules have no verifier message: the kernel loads them.
      if (Lines.size() == 1 && Lines[0].empty())
        OS << "(none: the kernel loads the program)";
      else
        for (size_t I = 0; I < Lines.size(); ++I)
          OS << (I ? "<br>`" : "`") << Lines[I] << "`";
      OS << " |\n";
    }
    printUncheckedRuleIds(OS);
    return;
  }
  OS << "bpflint checks for kernel " << Config.Kernel.str() << ":\n";
  size_t NameWidth = 0;
  for (const RuleInfo &R : allRules())
    NameWidth = std::max(NameWidth, R.fullCheckName().size());
  for (const RuleInfo &R : allRules()) {
    bool Active = Config.isActive(R.Kind);
    OS << "  " << (Active ? "[x] " : "[ ] ")
       << left_justify(R.fullCheckName(), NameWidth + 2)
       << left_justify(R.Id, 10) << R.Summary;
    if (!R.appliesTo(Config.Kernel))
      OS << " (not in kernel " << Config.Kernel.str() << ")";
    OS << "\n";
  }
}

} // namespace bpflint
