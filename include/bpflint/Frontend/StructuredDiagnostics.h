//===- StructuredDiagnostics.h - Findings as data --------------*- C++ -*-===//
//
// The analyzer's path diagnostics as plain data (rule, location, message,
// kernel messages, path notes, fix-its), for the driver's JSON and SARIF
// output. A second PathDiagnosticConsumer fills a FindingCollector next to the
// DiagnosticPrinter; what the plugin prints does not change.
//
//===----------------------------------------------------------------------===//

#ifndef BPFLINT_FRONTEND_STRUCTUREDDIAGNOSTICS_H
#define BPFLINT_FRONTEND_STRUCTUREDDIAGNOSTICS_H

#include "bpflint/Frontend/Options.h"
#include "bpflint/Model/KernelVersion.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace clang {
class FullSourceLoc;
class SourceManager;
namespace ento {
class PathDiagnosticConsumer;
}
} // namespace clang

namespace bpflint {

class SuppressionFilter;

struct SourcePoint {
  /// Absolute, normalised path ("" if the location is unknown).
  std::string File;
  unsigned Line = 0;
  /// 1-based, in bytes, as clang prints it.
  unsigned Column = 0;
  /// 1-based, in UTF-16 code units (SARIF's default column kind).
  unsigned ColumnUtf16 = 0;
  /// 0-based byte offset in the file (fix-its are applied by offset; with
  /// a #line directive, in the file that contains the location).
  unsigned Offset = 0;
};

struct SourceSpan {
  SourcePoint Begin;
  /// Exclusive end; equal to Begin for a point.
  SourcePoint End;
};

struct FindingNote {
  SourcePoint Loc;
  std::string Message;
};

struct FindingFixIt {
  SourceSpan Range;
  std::string Replacement;
};

struct Finding {
  /// "bpflint-ringbuf-leak", as printed in brackets.
  std::string Check;
  /// "RB-009", the RULES.md id ("" if the check is not in the registry).
  std::string RuleId;
  /// "warning" or "error".
  std::string Level;
  /// The whole diagnostic text without the check name, as printed.
  std::string Message;
  /// What is wrong, without the kernel message.
  std::string What;
  /// The verifier's final log line(s) predicted for the selected kernel.
  std::vector<std::string> KernelMessages;
  SourcePoint Loc;
  /// The path to the error in execution order (the final event excluded).
  std::vector<FindingNote> Notes;
  std::vector<FindingFixIt> FixIts;
};

/// A program whose analysis the analyzer's budgets cut short: its findings
/// may be incomplete (Checkers/AnalysisCoverage.h).
struct IncompleteAnalysis {
  /// The entry function ("" if unknown).
  std::string Program;
  /// Which limit was hit, as the remark says it.
  std::string Message;
  SourcePoint Loc;
};

/// A finding list shared by the consumers of one or more compiles.
class FindingCollector {
public:
  void add(Finding F);
  std::vector<Finding> take();
  void addIncomplete(IncompleteAnalysis I);
  std::vector<IncompleteAnalysis> takeIncomplete();

private:
  std::mutex Mutex;
  std::vector<Finding> Findings;
  std::vector<IncompleteAnalysis> Incomplete;
};

/// Where Loc is (its file location: macros are mapped to their expansion).
SourcePoint sourcePointOf(clang::FullSourceLoc Loc);

/// Splits an analyzer description "what (verifier: "a", "b")" into its parts.
void splitDescription(llvm::StringRef Description, std::string &What,
                      std::vector<std::string> &KernelMessages);

/// The consumer that turns path diagnostics into Findings. Level is the
/// severity the DiagnosticPrinter uses for the same compile (AsErrors, or
/// the check's entry in Severity). Findings that
/// Suppress (may be null) suppresses are dropped, as the printer drops them.
std::unique_ptr<clang::ento::PathDiagnosticConsumer>
createStructuredConsumer(FindingCollector &Out, bool AsErrors,
                         bool IgnoreWarnings,
                         std::shared_ptr<SuppressionFilter> Suppress,
                         SeverityOverrides Severity = {});

/// Facts about one run for the structured writers.
struct RunInfo {
  std::string ToolVersion;
  /// Base URI of the docs (ends in '/'): rules' helpUri is
  /// <base>checks/<check>.md, the tool's informationUri <base>driver.md.
  std::string DocsBaseUri;
  /// Relative URIs in SARIF are resolved against this directory (absolute
  /// path), declared as the uriBaseId "SRCROOT". Empty: absolute URIs only.
  std::string SourceRoot;
  /// The kernel profile whose messages the rule metadata quotes.
  KernelVersion Kernel = KernelVersion::newest();
  /// Files that could not be analysed, with the reason.
  std::vector<std::pair<std::string, std::string>> Failures;
  std::vector<std::string> FilesAnalysed;
  /// Programs whose analysis was cut short (always written, even if empty).
  std::vector<IncompleteAnalysis> Incomplete;
};

void writeJson(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
               const RunInfo &Run);
void writeSarif(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                const RunInfo &Run);

/// "file:///abs/path" with the characters RFC 3986 does not allow in a path
/// percent-encoded.
std::string fileUri(llvm::StringRef AbsolutePath);

} // namespace bpflint

#endif
