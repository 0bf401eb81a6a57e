//===- Suppressions.cpp - NOLINT comments and .bpflint files --------------===//

#include "bpflint/Frontend/Suppressions.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/YAMLTraits.h"

using namespace clang;
using namespace llvm;

namespace bpflint {

//===-- NOLINT ------------------------------------------------------------===//

bool nolintCovers(StringRef Checks, StringRef Check) {
  if (Checks.trim().empty())
    return true;
  StringRef Short = Check;
  Short.consume_front("bpflint-");
  const RuleInfo *R = findRule(Check);
  SmallVector<StringRef, 4> Items;
  Checks.split(Items, ',', -1, /*KeepEmpty=*/false);
  for (StringRef Item : Items) {
    Item = Item.trim();
    Expected<GlobPattern> P = GlobPattern::create(Item);
    if (!P) {
      consumeError(P.takeError());
      continue;
    }
    if (P->match(Check) || P->match(Short) || (R && P->match(R->Id)))
      return true;
  }
  return false;
}

namespace {
enum class Marker { None, Line, NextLine, Begin, End };

struct MarkerHit {
  Marker Kind = Marker::None;
  std::string Checks; ///< "" = all checks.
  size_t End = 0;     ///< Offset after the marker in the text searched.
};
} // namespace

/// The next NOLINT marker in Text from Pos on.
static MarkerHit nextMarker(StringRef Text, size_t Pos) {
  while ((Pos = Text.find("NOLINT", Pos)) != StringRef::npos) {
    StringRef Rest = Text.substr(Pos + 6);
    MarkerHit Hit;
    size_t Len = 6;
    if (Rest.starts_with("NEXTLINE")) {
      Hit.Kind = Marker::NextLine;
      Len += 8;
    } else if (Rest.starts_with("BEGIN")) {
      Hit.Kind = Marker::Begin;
      Len += 5;
    } else if (Rest.starts_with("END")) {
      Hit.Kind = Marker::End;
      Len += 3;
    } else {
      Hit.Kind = Marker::Line;
    }
    StringRef After = Text.substr(Pos + Len);
    // NOLINTFOO or NOLINT_X is some other word.
    if (!After.empty() && (isAlnum(After[0]) || After[0] == '_')) {
      Pos += Len;
      continue;
    }
    Hit.End = Pos + Len;
    if (After.starts_with("(")) {
      size_t Close = After.find(')');
      // An unterminated list is not a marker (as in clang-tidy).
      if (Close == StringRef::npos || After.substr(0, Close).contains('\n')) {
        Pos += Len;
        continue;
      }
      Hit.Checks = After.substr(1, Close - 1).str();
      // NOLINT() names no check: it suppresses nothing.
      if (StringRef(Hit.Checks).trim().empty())
        Hit.Checks = "-";
      Hit.End += Close + 1;
    }
    return Hit;
  }
  return {};
}

static StringRef lineAt(StringRef Buffer, unsigned Line) {
  size_t Begin = 0;
  for (unsigned L = 1; L < Line; ++L) {
    Begin = Buffer.find('\n', Begin);
    if (Begin == StringRef::npos)
      return "";
    ++Begin;
  }
  return Buffer.substr(Begin, Buffer.find('\n', Begin) - Begin);
}

static bool lineHas(StringRef Line, Marker Kind, StringRef Check) {
  for (MarkerHit H = nextMarker(Line, 0); H.Kind != Marker::None;
       H = nextMarker(Line, H.End))
    if (H.Kind == Kind && nolintCovers(H.Checks, Check))
      return true;
  return false;
}

bool SuppressionFilter::isSuppressed(FullSourceLoc Loc, StringRef Check) {
  if (Loc.isInvalid())
    return false;
  const SourceManager &SM = Loc.getManager();
  FullSourceLoc FileLoc = Loc.getFileLoc();
  FileID FID = FileLoc.getFileID();
  bool Invalid = false;
  StringRef Buffer = SM.getBufferData(FID, &Invalid);
  if (Invalid)
    return false;
  unsigned Line = FileLoc.getLineNumber();
  if (lineHas(lineAt(Buffer, Line), Marker::Line, Check))
    return true;
  if (Line > 1 && lineHas(lineAt(Buffer, Line - 1), Marker::NextLine, Check))
    return true;

  auto It = Regions.find(FID);
  if (It == Regions.end()) {
    std::vector<Region> Found;
    // Open regions as (first line, checks); an END closes the last BEGIN
    // with the same list, as in clang-tidy.
    std::vector<std::pair<unsigned, std::string>> Open;
    unsigned LineNo = 1;
    size_t LineStart = 0;
    while (LineStart <= Buffer.size()) {
      size_t Eol = Buffer.find('\n', LineStart);
      StringRef Text =
          Buffer.substr(LineStart, Eol == StringRef::npos ? StringRef::npos
                                                          : Eol - LineStart);
      for (MarkerHit H = nextMarker(Text, 0); H.Kind != Marker::None;
           H = nextMarker(Text, H.End)) {
        if (H.Kind == Marker::Begin) {
          Open.emplace_back(LineNo, H.Checks);
        } else if (H.Kind == Marker::End) {
          for (size_t I = Open.size(); I-- > 0;)
            if (Open[I].second == H.Checks) {
              Found.push_back({Open[I].first, LineNo, Open[I].second});
              Open.erase(Open.begin() + I);
              break;
            }
        }
      }
      if (Eol == StringRef::npos)
        break;
      LineStart = Eol + 1;
      ++LineNo;
    }
    // A BEGIN without END reaches the end of the file.
    for (auto &[From, Checks] : Open)
      Found.push_back({From, LineNo, Checks});
    It = Regions.try_emplace(FID, std::move(Found)).first;
  }
  for (const Region &R : It->second)
    if (R.From <= Line && Line <= R.To && nolintCovers(R.Checks, Check))
      return true;
  return false;
}

//===-- .bpflint ----------------------------------------------------------===//

namespace {
/// `severity:` as a mapping: (check or glob, level) in the file's order.
struct SeverityMap {
  std::vector<std::pair<std::string, std::string>> Entries;
};
/// An entry of the list form: "glob:level" or a one-entry mapping.
struct SeverityItem {
  llvm::yaml::NodeKind Kind = llvm::yaml::NodeKind::Scalar;
  std::string Scalar;
  SeverityMap Map;
  std::vector<std::string> Nested; ///< Not allowed; kept for the traits.
};
/// `severity:` as written: a mapping, a list of entries, or one string in
/// the syntax of the severity= argument.
struct SeveritySpec {
  llvm::yaml::NodeKind Kind = llvm::yaml::NodeKind::Map;
  SeverityMap Map;
  std::vector<SeverityItem> List;
  std::string Scalar;
};
struct RawConfig {
  std::optional<std::string> Checks;
  std::optional<std::string> Kernel;
  std::optional<SeveritySpec> Severity;
};
} // namespace
} // namespace bpflint

template <> struct llvm::yaml::CustomMappingTraits<bpflint::SeverityMap> {
  static void inputOne(IO &IO, StringRef Key, bpflint::SeverityMap &M) {
    std::string Level;
    IO.mapRequired(Key.str().c_str(), Level);
    M.Entries.emplace_back(Key.str(), std::move(Level));
  }
  static void output(IO &IO, bpflint::SeverityMap &M) {
    for (auto &[Key, Level] : M.Entries)
      IO.mapRequired(Key.c_str(), Level);
  }
};

LLVM_YAML_IS_SEQUENCE_VECTOR(bpflint::SeverityItem)

template <> struct llvm::yaml::PolymorphicTraits<bpflint::SeverityItem> {
  static NodeKind getKind(const bpflint::SeverityItem &S) { return S.Kind; }
  static std::string &getAsScalar(bpflint::SeverityItem &S) {
    S.Kind = NodeKind::Scalar;
    return S.Scalar;
  }
  static bpflint::SeverityMap &getAsMap(bpflint::SeverityItem &S) {
    S.Kind = NodeKind::Map;
    return S.Map;
  }
  static std::vector<std::string> &getAsSequence(bpflint::SeverityItem &S) {
    S.Kind = NodeKind::Sequence;
    return S.Nested;
  }
};

template <> struct llvm::yaml::PolymorphicTraits<bpflint::SeveritySpec> {
  static NodeKind getKind(const bpflint::SeveritySpec &S) { return S.Kind; }
  static std::string &getAsScalar(bpflint::SeveritySpec &S) {
    S.Kind = NodeKind::Scalar;
    return S.Scalar;
  }
  static bpflint::SeverityMap &getAsMap(bpflint::SeveritySpec &S) {
    S.Kind = NodeKind::Map;
    return S.Map;
  }
  static std::vector<bpflint::SeverityItem> &
  getAsSequence(bpflint::SeveritySpec &S) {
    S.Kind = NodeKind::Sequence;
    return S.List;
  }
};

template <> struct llvm::yaml::MappingTraits<bpflint::RawConfig> {
  static void mapping(IO &IO, bpflint::RawConfig &C) {
    IO.mapOptional("checks", C.Checks);
    IO.mapOptional("kernel", C.Kernel);
    IO.mapOptional("severity", C.Severity);
  }
};

namespace bpflint {

static Error configError(StringRef Path, const Twine &Message) {
  return createStringError(inconvertibleErrorCode(),
                           (Path + ": " + Message).str());
}

Expected<ProjectConfig> parseProjectConfig(StringRef Text, StringRef Path) {
  RawConfig Raw;
  std::string Diagnostics;
  {
    yaml::Input In(
        Text, nullptr,
        [](const SMDiagnostic &D, void *Ctx) {
          *static_cast<std::string *>(Ctx) = D.getMessage().str();
        },
        &Diagnostics);
    // An empty file (or one with only comments) is an empty config.
    if (!Text.trim().empty())
      In >> Raw;
    if (In.error())
      return configError(Path,
                         Diagnostics.empty() ? "invalid YAML" : Diagnostics);
  }
  ProjectConfig C;
  C.Path = Path.str();
  C.Checks = std::move(Raw.Checks);
  C.Kernel = std::move(Raw.Kernel);
  if (Raw.Severity) {
    std::string Spec;
    auto Add = [&](StringRef Entry) {
      Spec += (Spec.empty() ? "" : ",") + Entry.str();
    };
    auto AddMap = [&](const SeverityMap &M) -> Error {
      for (const auto &[Key, Level] : M.Entries) {
        if (Key.find_first_of(",:") != std::string::npos)
          return configError(Path, "invalid severity key '" + Key + "'");
        Add(Key + ":" + Level);
      }
      return Error::success();
    };
    switch (Raw.Severity->Kind) {
    case yaml::NodeKind::Map:
      if (Error E = AddMap(Raw.Severity->Map))
        return std::move(E);
      break;
    case yaml::NodeKind::Sequence:
      for (const SeverityItem &Item : Raw.Severity->List) {
        if (Item.Kind == yaml::NodeKind::Map) {
          if (Error E = AddMap(Item.Map))
            return std::move(E);
        } else if (Item.Kind == yaml::NodeKind::Scalar &&
                   Item.Scalar.find(',') == std::string::npos) {
          Add(Item.Scalar);
        } else {
          return configError(Path, "invalid 'severity' list entry (expected "
                                   "\"<check or glob>:<level>\" or "
                                   "<check or glob>: <level>)");
        }
      }
      break;
    case yaml::NodeKind::Scalar:
      Add(Raw.Severity->Scalar);
      break;
    }
    if (Spec.empty())
      return configError(Path, "'severity' is empty");
    C.Severity = std::move(Spec);
  }
  // Validate now with the plugin's parser, so errors name the file.
  BpflintOptions Probe;
  if (Expected<BpflintOptions> R = applyProjectConfig(Probe, C); !R)
    return R.takeError();
  return std::move(C);
}

Expected<std::optional<ProjectConfig>> findProjectConfig(StringRef File,
                                                         vfs::FileSystem &FS) {
  SmallString<256> Abs(File);
  if (std::error_code EC = FS.makeAbsolute(Abs))
    return std::nullopt;
  sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  StringRef Dir = sys::path::parent_path(Abs);
  for (; !Dir.empty(); Dir = sys::path::parent_path(Dir)) {
    SmallString<256> Candidate(Dir);
    sys::path::append(Candidate, ".bpflint");
    ErrorOr<vfs::Status> St = FS.status(Candidate);
    if (St && St->isRegularFile()) {
      ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
          FS.getBufferForFile(Candidate);
      if (!Buf)
        return configError(Candidate, Buf.getError().message());
      Expected<ProjectConfig> C =
          parseProjectConfig((*Buf)->getBuffer(), Candidate);
      if (!C)
        return C.takeError();
      return std::optional<ProjectConfig>(std::move(*C));
    }
    if (Dir == sys::path::root_path(Dir))
      break;
  }
  return std::nullopt;
}

Expected<BpflintOptions> applyProjectConfig(const BpflintOptions &Opts,
                                            const ProjectConfig &Config) {
  std::vector<std::string> Args;
  if (Config.Kernel && !Opts.KernelFromArgs)
    Args.push_back("kernel=" + *Config.Kernel);
  if (Config.Checks)
    Args.push_back("checks=" + *Config.Checks +
                   (Opts.ChecksFromArgs ? "," + Opts.Config.Checks.spec()
                                        : std::string()));
  if (Config.Severity)
    Args.push_back(
        "severity=" + *Config.Severity +
        (Opts.SeverityFromArgs ? "," + Opts.Severity.spec() : std::string()));
  if (Args.empty())
    return Opts;
  Expected<BpflintOptions> Parsed = parsePluginArgs(Args);
  if (!Parsed)
    return configError(Config.Path, toString(Parsed.takeError()));
  BpflintOptions Result = Opts;
  if (Config.Kernel && !Opts.KernelFromArgs)
    Result.Config.Kernel = Parsed->Config.Kernel;
  if (Config.Checks)
    Result.Config.Checks = Parsed->Config.Checks;
  if (Config.Severity)
    Result.Severity = Parsed->Severity;
  return std::move(Result);
}

} // namespace bpflint
