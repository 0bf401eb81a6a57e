//===- StructuredDiagnosticsWriters.cpp - JSON and SARIF 2.1.0 output -----===//
//
// Both formats are generated from Findings and, for SARIF's rule metadata,
// from the rule registry: nothing here restates a rule.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Checkers/AnalysisCoverage.h"
#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include <map>

using namespace llvm;

namespace bpflint {

//===-- JSON --------------------------------------------------------------===//

static void jsonPoint(json::OStream &J, const SourcePoint &P) {
  J.attribute("file", P.File);
  J.attribute("line", P.Line);
  J.attribute("column", P.Column);
}

void writeJson(raw_ostream &OS, ArrayRef<Finding> Findings,
               const RunInfo &Run) {
  json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("tool", "bpflint");
    J.attribute("version", Run.ToolVersion);
    J.attribute("kernel", Run.Kernel.str());
    J.attributeArray("files", [&] {
      for (const std::string &F : Run.FilesAnalysed)
        J.value(F);
    });
    J.attributeArray("failures", [&] {
      for (const auto &Failure : Run.Failures)
        J.object([&] {
          J.attribute("file", Failure.first);
          J.attribute("error", Failure.second);
        });
    });
    // Programs whose findings may be incomplete: the analyzer's budgets cut
    // their analysis short. Always present, so that an empty list says the
    // analysis was complete.
    J.attributeArray("incomplete", [&] {
      for (const IncompleteAnalysis &I : Run.Incomplete)
        J.object([&] {
          J.attribute("program", I.Program);
          J.attribute("message", I.Message);
          jsonPoint(J, I.Loc);
        });
    });
    J.attributeArray("findings", [&] {
      for (const Finding &F : Findings)
        J.object([&] {
          J.attribute("check", F.Check);
          J.attribute("rule", F.RuleId);
          J.attribute("level", F.Level);
          J.attribute("message", F.Message);
          J.attribute("what", F.What);
          J.attributeArray("kernelMessages", [&] {
            for (const std::string &M : F.KernelMessages)
              J.value(M);
          });
          jsonPoint(J, F.Loc);
          J.attributeArray("notes", [&] {
            for (const FindingNote &N : F.Notes)
              J.object([&] {
                jsonPoint(J, N.Loc);
                J.attribute("message", N.Message);
              });
          });
          J.attributeArray("fixits", [&] {
            for (const FindingFixIt &X : F.FixIts)
              J.object([&] {
                jsonPoint(J, X.Range.Begin);
                J.attribute("endLine", X.Range.End.Line);
                J.attribute("endColumn", X.Range.End.Column);
                J.attribute("replacement", X.Replacement);
              });
          });
        });
    });
  });
  OS << "\n";
}

//===-- SARIF 2.1.0 -------------------------------------------------------===//

/// "lock-held-at-exit" -> "LockHeldAtExit" (SARIF's rule name is an
/// identifier-like form, distinct from the id).
static std::string pascalCase(StringRef CheckName) {
  std::string Out;
  bool Upper = true;
  for (char C : CheckName) {
    if (C == '-') {
      Upper = true;
      continue;
    }
    Out += Upper ? toUpper(C) : C;
    Upper = false;
  }
  return Out;
}

static std::string kernelMessageText(StringRef Message) {
  SmallVector<StringRef, 2> Lines;
  Message.split(Lines, '\n');
  std::string Out;
  for (size_t I = 0; I < Lines.size(); ++I)
    Out += (I ? ", \"" : "\"") + Lines[I].str() + "\"";
  return Out;
}

namespace {
class SarifWriter {
public:
  SarifWriter(raw_ostream &OS, const RunInfo &Run) : J(OS, 2), Run(Run) {
    std::string Root = Run.SourceRoot;
    if (!Root.empty() && !StringRef(Root).ends_with("/"))
      Root += "/";
    this->Root = Root;
  }

  void write(ArrayRef<Finding> Findings) {
    J.object([&] {
      J.attribute("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
      J.attribute("version", "2.1.0");
      J.attributeArray("runs", [&] { J.object([&] { run(Findings); }); });
    });
  }

private:
  void run(ArrayRef<Finding> Findings) {
    J.attributeObject("tool", [&] {
      J.attributeObject("driver", [&] {
        J.attribute("name", "bpflint");
        J.attribute("version", Run.ToolVersion);
        J.attribute("semanticVersion", Run.ToolVersion);
        J.attribute("informationUri", Run.DocsBaseUri + "driver.md");
        J.attributeArray("rules", [&] {
          for (const RuleInfo &R : allRules())
            rule(R);
        });
        // What the tool says about its own run, as opposed to the rules.
        J.attributeArray("notifications", [&] {
          J.object([&] {
            J.attribute("id", AnalysisIncompleteCheck);
            J.attributeObject("shortDescription", [&] {
              J.attribute("text", "The analysis of a program was cut short "
                                  "by the analyzer's limits; findings may "
                                  "be missing");
            });
            J.attribute("helpUri", Run.DocsBaseUri + "user-guide.md");
          });
        });
      });
    });
    J.attributeArray("invocations", [&] {
      J.object([&] {
        J.attribute("executionSuccessful", Run.Failures.empty());
        if (!Run.Failures.empty() || !Run.Incomplete.empty())
          J.attributeArray("toolExecutionNotifications", [&] {
            for (const auto &Failure : Run.Failures)
              J.object([&] {
                J.attribute("level", "error");
                J.attributeObject("message",
                                  [&] { J.attribute("text", Failure.second); });
                J.attributeArray("locations", [&] {
                  J.object([&] {
                    J.attributeObject("physicalLocation", [&] {
                      J.attributeObject("artifactLocation",
                                        [&] { artifact(Failure.first); });
                    });
                  });
                });
              });
            for (const IncompleteAnalysis &I : Run.Incomplete)
              incomplete(I);
          });
      });
    });
    if (!Root.empty())
      J.attributeObject("originalUriBaseIds", [&] {
        J.attributeObject("SRCROOT",
                          [&] { J.attribute("uri", fileUri(Root)); });
      });
    J.attribute("columnKind", "utf16CodeUnits");
    J.attributeArray("results", [&] {
      for (const Finding &F : Findings)
        result(F);
    });
  }

  void rule(const RuleInfo &R) {
    J.object([&] {
      J.attribute("id", R.fullCheckName());
      J.attribute("name", pascalCase(R.CheckName));
      J.attributeObject("shortDescription",
                        [&] { J.attribute("text", R.Summary); });
      StringRef Message = R.kernelMessage(Run.Kernel);
      if (Message.empty() && R.Verd == Verdict::Reject)
        Message = R.kernelMessage(R.kernels().To);
      std::string Full = R.Summary.str();
      if (R.Verd == Verdict::LintOnly)
        Full += " (the kernel loads the program; it misbehaves at run time)";
      else if (!Message.empty())
        Full += " (verifier: " + kernelMessageText(Message) + ")";
      J.attributeObject("fullDescription", [&] { J.attribute("text", Full); });
      J.attribute("helpUri",
                  Run.DocsBaseUri + "checks/" + R.CheckName.str() + ".md");
      J.attributeObject("defaultConfiguration",
                        [&] { J.attribute("level", "warning"); });
      J.attributeObject("properties", [&] {
        J.attribute("ruleId", R.Id);
        J.attribute("family", familyName(R.Fam));
        J.attribute("verdict", verdictName(R.Verd));
        J.attribute("kernels", R.kernels().str());
        J.attribute("kernelProfile", Run.Kernel.str());
        J.attribute("kernelMessage", Message);
        J.attributeArray("tags", [&] {
          J.value("bpf");
          J.value(familyName(R.Fam));
        });
      });
    });
  }

  /// An analysis cut short is a fact about the run, not a result: SARIF's
  /// toolExecutionNotifications are "conditions detected during the
  /// analysis" and do not count as results (a result of kind notApplicable
  /// would be shown as a finding by code scanning tools).
  void incomplete(const IncompleteAnalysis &I) {
    J.object([&] {
      J.attribute("level", "warning");
      J.attributeObject("message", [&] { J.attribute("text", I.Message); });
      J.attributeArray("locations",
                       [&] { J.object([&] { location(I.Loc, ""); }); });
      J.attributeObject("descriptor", [&] {
        J.attribute("id", AnalysisIncompleteCheck);
        J.attribute("index", 0);
      });
      J.attributeObject("properties",
                        [&] { J.attribute("program", I.Program); });
    });
  }

  void artifact(StringRef File) {
    if (!Root.empty() && StringRef(File).starts_with(Root)) {
      std::string Uri = fileUri(File.substr(Root.size()));
      J.attribute("uri", StringRef(Uri).drop_front(7)); // "file://"
      J.attribute("uriBaseId", "SRCROOT");
    } else {
      J.attribute("uri", fileUri(File));
    }
  }

  void region(const SourcePoint &Begin, const SourcePoint *End) {
    J.attributeObject("region", [&] {
      J.attribute("startLine", std::max(Begin.Line, 1u));
      if (Begin.ColumnUtf16)
        J.attribute("startColumn", Begin.ColumnUtf16);
      if (End && End->Line) {
        J.attribute("endLine", End->Line);
        J.attribute("endColumn", std::max(End->ColumnUtf16, 1u));
      }
    });
  }

  void location(const SourcePoint &P, StringRef Message) {
    J.attributeObject("physicalLocation", [&] {
      J.attributeObject("artifactLocation", [&] { artifact(P.File); });
      region(P, nullptr);
    });
    if (!Message.empty())
      J.attributeObject("message", [&] { J.attribute("text", Message); });
  }

  void result(const Finding &F) {
    J.object([&] {
      J.attribute("ruleId", F.Check);
      auto Rules = allRules();
      for (size_t I = 0; I < Rules.size(); ++I)
        if (Rules[I].fullCheckName() == F.Check)
          J.attribute("ruleIndex", static_cast<int64_t>(I));
      J.attribute("level", F.Level);
      J.attributeObject("message", [&] { J.attribute("text", F.Message); });
      J.attributeArray("locations",
                       [&] { J.object([&] { location(F.Loc, ""); }); });
      // The path: every note, then the error itself.
      J.attributeArray("codeFlows", [&] {
        J.object([&] {
          J.attributeArray("threadFlows", [&] {
            J.object([&] {
              J.attributeArray("locations", [&] {
                size_t Order = 0;
                auto Step = [&](const SourcePoint &P, StringRef Msg,
                                StringRef Importance) {
                  J.object([&] {
                    J.attributeObject("location", [&] { location(P, Msg); });
                    J.attribute("executionOrder",
                                static_cast<int64_t>(++Order));
                    J.attribute("importance", Importance);
                  });
                };
                for (const FindingNote &N : F.Notes)
                  Step(N.Loc, N.Message,
                       StringRef(N.Message).starts_with("Taking ") ||
                               StringRef(N.Message).starts_with("Assuming ")
                           ? "unimportant"
                           : "important");
                Step(F.Loc, F.What, "essential");
              });
            });
          });
        });
      });
      if (!F.FixIts.empty())
        fixes(F);
      J.attributeObject("properties", [&] {
        J.attribute("ruleId", F.RuleId);
        J.attributeArray("kernelMessages", [&] {
          for (const std::string &M : F.KernelMessages)
            J.value(M);
        });
      });
    });
  }

  void fixes(const Finding &F) {
    std::map<std::string, std::vector<const FindingFixIt *>> ByFile;
    for (const FindingFixIt &X : F.FixIts)
      ByFile[X.Range.Begin.File].push_back(&X);
    J.attributeArray("fixes", [&] {
      J.object([&] {
        J.attributeObject("description",
                          [&] { J.attribute("text", "Fix for " + F.Check); });
        J.attributeArray("artifactChanges", [&] {
          for (const auto &FileFixes : ByFile)
            J.object([&] {
              J.attributeObject("artifactLocation",
                                [&] { artifact(FileFixes.first); });
              J.attributeArray("replacements", [&] {
                for (const FindingFixIt *X : FileFixes.second)
                  J.object([&] {
                    J.attributeObject("deletedRegion", [&] {
                      J.attribute("startLine", X->Range.Begin.Line);
                      J.attribute("startColumn", X->Range.Begin.ColumnUtf16);
                      J.attribute("endLine", X->Range.End.Line);
                      J.attribute("endColumn", X->Range.End.ColumnUtf16);
                    });
                    J.attributeObject("insertedContent", [&] {
                      J.attribute("text", X->Replacement);
                    });
                  });
              });
            });
        });
      });
    });
  }

  json::OStream J;
  const RunInfo &Run;
  std::string Root;
};
} // namespace

void writeSarif(raw_ostream &OS, ArrayRef<Finding> Findings,
                const RunInfo &Run) {
  SarifWriter(OS, Run).write(Findings);
  OS << "\n";
}

} // namespace bpflint
