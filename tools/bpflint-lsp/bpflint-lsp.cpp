//===- bpflint-lsp.cpp - clangd with bpflint's diagnostics ----------------===//
//
//   bpflint-lsp [--clangd=PATH] [--bpflint-<option>...] [clangd args...]
//
// A Language Server Protocol proxy for editors: it starts the real clangd,
// forwards every message between the editor and clangd as it is, and adds
// bpflint's findings on BPF sources to the diagnostics clangd publishes:
//
//   - The open document's text (unsaved edits included) is analysed in
//     process, with the file's compile command from compile_commands.json
//     (found as clangd finds it, or --compile-commands-dir), after open,
//     save and each change (debounced). A .bpf.c file without a compile
//     command is analysed with `-target bpf`.
//   - When clangd publishes diagnostics for a document, bpflint's latest for
//     it are appended (source "bpflint", code = the check name, the path to
//     the error as related information, the predicted kernel message in the
//     text); when bpflint's result changes, clangd's last list is published
//     again with the new bpflint list.
//   - Code actions: clangd's answer gets bpflint's fix-its as quick fixes.
//
// Messages other than publishDiagnostics and the answers to codeAction pass
// through byte for byte.
//
//===----------------------------------------------------------------------===//

#include "bpflint/Frontend/Options.h"
#include "bpflint/Frontend/StructuredDiagnostics.h"
#include "bpflint/Frontend/Tooling.h"
#include "bpflint/Rules/RuleRegistry.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace clang::tooling;
using namespace llvm;
using namespace bpflint;

#ifndef BPFLINT_VERSION
#define BPFLINT_VERSION "0.0.0"
#endif
#ifndef BPFLINT_DOCS_URI
#define BPFLINT_DOCS_URI ""
#endif

namespace {

using Clock = std::chrono::steady_clock;

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

struct ProxyOptions {
  std::string Clangd;
  std::vector<std::string> ClangdArgs;
  /// Plugin arguments for every analysis (kernel=, checks=).
  std::vector<std::string> PluginArgs;
  std::string CompileCommandsDir;
  std::string ResourceDir;
  unsigned DebounceMs = 300;
  bool Log = false;
};

void printHelp(raw_ostream &OS) {
  OS << "bpflint-lsp: clangd with bpflint's diagnostics for BPF sources\n\n"
        "  bpflint-lsp [--clangd=PATH] [--bpflint-<option>...] "
        "[clangd arguments...]\n\n"
        "Options (every other argument, and all after '--', go to "
        "clangd):\n"
        "  --clangd=PATH                  the clangd to run (default: "
        "clangd-" LLVM_VERSION_STRING " major, then clangd, on PATH)\n"
        "  --bpflint-kernel=X.Y           kernel profile (as "
        "-fplugin-arg-bpflint-kernel=)\n"
        "  --bpflint-checks=GLOBS         checks (as "
        "-fplugin-arg-bpflint-checks=)\n"
        "  --bpflint-severity=GLOB:LEVEL  per-check severity (as "
        "-fplugin-arg-bpflint-severity=)\n"
        "  --bpflint-debounce=MS          wait after a change before "
        "analysing (default 300)\n"
        "  --bpflint-resource-dir=DIR     clang's resource directory\n"
        "  --bpflint-log                  log the analyses to stderr\n"
        "  --compile-commands-dir=DIR     (clangd's option) also where "
        "bpflint reads compile_commands.json\n";
}

//===----------------------------------------------------------------------===//
// Message framing
//===----------------------------------------------------------------------===//

/// Reads "Content-Length: N\r\n...\r\n\r\n<N bytes>" messages from a file
/// descriptor.
class MessageReader {
public:
  explicit MessageReader(int FD) : FD(FD) {}

  /// The next message's body; false at the end of the stream.
  bool read(std::string &Body) {
    while (true) {
      size_t HeaderEnd = Buffer.find("\r\n\r\n");
      if (HeaderEnd != std::string::npos) {
        std::optional<size_t> Length;
        StringRef Headers(Buffer.data(), HeaderEnd);
        SmallVector<StringRef, 4> Lines;
        Headers.split(Lines, "\r\n");
        for (StringRef L : Lines) {
          auto [Name, Value] = L.split(':');
          size_t N;
          if (Name.trim().equals_insensitive("content-length") &&
              !Value.trim().getAsInteger(10, N))
            Length = N;
        }
        if (!Length) { // Not a header we understand: skip it.
          Buffer.erase(0, HeaderEnd + 4);
          continue;
        }
        if (Buffer.size() >= HeaderEnd + 4 + *Length) {
          Body = Buffer.substr(HeaderEnd + 4, *Length);
          Buffer.erase(0, HeaderEnd + 4 + *Length);
          return true;
        }
      }
      char Chunk[65536];
      ssize_t N = ::read(FD, Chunk, sizeof(Chunk));
      if (N < 0 && errno == EINTR)
        continue;
      if (N <= 0)
        return false;
      Buffer.append(Chunk, N);
    }
  }

private:
  int FD;
  std::string Buffer;
};

bool writeAll(int FD, StringRef Data) {
  while (!Data.empty()) {
    ssize_t N = ::write(FD, Data.data(), Data.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Data = Data.drop_front(N);
  }
  return true;
}

bool writeMessage(int FD, StringRef Body) {
  std::string Header =
      "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n";
  return writeAll(FD, Header + Body.str());
}

std::string serialize(const json::Value &V) {
  std::string S;
  raw_string_ostream OS(S);
  OS << V;
  return S;
}

//===----------------------------------------------------------------------===//
// Positions
//===----------------------------------------------------------------------===//

enum class Encoding { Utf8, Utf16, Utf32 };

/// Line Line (0-based) of Text, without its newline ("" past the end).
StringRef lineOf(StringRef Text, unsigned Line, size_t *Start = nullptr) {
  size_t Pos = 0;
  for (unsigned L = 0; L < Line; ++L) {
    size_t NL = Text.find('\n', Pos);
    if (NL == StringRef::npos) {
      if (Start)
        *Start = Text.size();
      return "";
    }
    Pos = NL + 1;
  }
  if (Start)
    *Start = Pos;
  StringRef Rest = Text.substr(Pos);
  return Rest.substr(0, Rest.find('\n'));
}

/// Code units of Enc in Bytes.
unsigned unitsOf(StringRef Bytes, Encoding Enc) {
  if (Enc == Encoding::Utf8)
    return Bytes.size();
  unsigned Units = 0;
  for (unsigned char C : Bytes)
    if ((C & 0xC0) != 0x80)
      Units += (Enc == Encoding::Utf16 && C >= 0xF0) ? 2 : 1;
  return Units;
}

/// The byte offset in Text of the LSP position (Line, Char), clamped to the
/// line.
size_t offsetOf(StringRef Text, unsigned Line, unsigned Char, Encoding Enc) {
  size_t Start;
  StringRef L = lineOf(Text, Line, &Start);
  if (Start >= Text.size())
    return Text.size();
  size_t I = 0;
  unsigned Units = 0;
  while (I < L.size() && Units < Char) {
    unsigned char C = L[I];
    size_t Len = C < 0x80 ? 1 : C >= 0xF0 ? 4 : C >= 0xE0 ? 3 : 2;
    Len = std::min(Len, L.size() - I);
    Units += Enc == Encoding::Utf8    ? Len
             : Enc == Encoding::Utf16 ? (Len == 4 ? 2 : 1)
                                      : 1;
    I += Len;
  }
  return Start + I;
}

json::Object position(unsigned Line, unsigned Char) {
  return json::Object{{"line", Line}, {"character", Char}};
}

/// The LSP position of P. Text is P.File's content when known (the
/// analysed buffer), else columns come from P itself.
json::Object positionOf(const SourcePoint &P, std::optional<StringRef> Text,
                        Encoding Enc) {
  unsigned Line = P.Line ? P.Line - 1 : 0;
  unsigned Byte = P.Column ? P.Column - 1 : 0;
  if (Text) {
    StringRef L = lineOf(*Text, Line);
    return position(Line, unitsOf(L.substr(0, Byte), Enc));
  }
  unsigned Utf16 = P.ColumnUtf16 ? P.ColumnUtf16 - 1 : 0;
  return position(Line, Enc == Encoding::Utf8 ? Byte : Utf16);
}

//===----------------------------------------------------------------------===//
// URIs
//===----------------------------------------------------------------------===//

/// The path of a file:// URI ("" for other schemes).
std::string pathOfUri(StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return "";
  // file://host/path: only the local host.
  if (!Uri.starts_with("/")) {
    size_t Slash = Uri.find('/');
    if (Slash == StringRef::npos)
      return "";
    Uri = Uri.substr(Slash);
  }
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    unsigned Byte;
    if (Uri[I] == '%' && I + 2 < Uri.size() &&
        !Uri.substr(I + 1, 2).getAsInteger(16, Byte)) {
      Path += char(Byte);
      I += 2;
    } else {
      Path += Uri[I];
    }
  }
  SmallString<256> Norm(Path);
  sys::path::remove_dots(Norm, /*remove_dot_dot=*/true);
  return std::string(Norm);
}

//===----------------------------------------------------------------------===//
// The proxy
//===----------------------------------------------------------------------===//

struct Document {
  std::string Uri;
  std::string Path;
  std::string Text;
  int64_t Version = 0;
  /// Bumped by every change of Text.
  uint64_t Generation = 0;
  bool AnalysisPending = false;
  Clock::time_point Due;

  /// Whether the last analysis found a BPF compile for the file.
  bool IsBpf = false;
  /// The last successful analysis: of Text at AnalysedGeneration.
  uint64_t AnalysedGeneration = 0;
  bool Analysed = false;
  std::string AnalysedText;
  std::vector<Finding> Findings;
  json::Array Diagnostics;
  /// The params of clangd's last publishDiagnostics for the document.
  std::optional<json::Object> ClangdParams;
  bool PublishedBpflint = false;
};

struct PendingCodeAction {
  std::string Uri;
  unsigned FromLine = 0, ToLine = 0;
};

class Proxy {
public:
  Proxy(ProxyOptions Opts, int ToClangd, int FromClangd)
      : Opts(std::move(Opts)), ToClangd(ToClangd), FromClangd(FromClangd) {}

  /// Runs until the editor's exit (or the end of its stream). Returns the
  /// exit status.
  int run();

private:
  void editorLoop();
  void clangdLoop();
  void workerLoop();

  void onEditorMessage(const json::Object &Msg);
  bool onClangdMessage(json::Object &Msg);

  void log(const Twine &T) {
    if (!Opts.Log)
      return;
    std::lock_guard<std::mutex> Lock(LogMutex);
    errs() << "bpflint-lsp: " << T << "\n";
  }
  void sendToEditor(const json::Value &V) {
    std::string Body = serialize(V);
    std::lock_guard<std::mutex> Lock(OutMutex);
    writeMessage(STDOUT_FILENO, Body);
  }
  void sendRawToEditor(StringRef Body) {
    std::lock_guard<std::mutex> Lock(OutMutex);
    writeMessage(STDOUT_FILENO, Body);
  }
  /// Publishes clangd's last list for D with bpflint's. Caller holds
  /// StateMutex.
  void publishMerged(Document &D, bool FromClangd);
  void schedule(Document &D, unsigned DelayMs);

  /// The compile command for Path (nullopt: not a file bpflint analyses).
  std::optional<CompileCommand> commandFor(StringRef Path);
  void analyse(const std::string &Uri);
  json::Array toDiagnostics(const Document &D, ArrayRef<Finding> Findings,
                            StringRef Text);
  json::Array codeActions(const Document &D, const PendingCodeAction &Req);

  ProxyOptions Opts;
  int ToClangd, FromClangd;
  std::atomic<Encoding> Enc{Encoding::Utf16};
  std::atomic<bool> ShutdownRequested{false};
  std::atomic<bool> ExitReceived{false};

  std::mutex OutMutex, LogMutex;
  std::mutex StateMutex;
  std::condition_variable WorkCV;
  bool StopWorker = false;
  std::map<std::string, Document> Docs;
  std::map<std::string, PendingCodeAction> CodeActionRequests;
  std::string InitializeId;

  std::mutex DatabaseMutex;
  std::map<std::string, std::shared_ptr<CompilationDatabase>> Databases;
};

int Proxy::run() {
  std::thread Clangd([this] { clangdLoop(); });
  std::thread Worker([this] { workerLoop(); });
  editorLoop();
  // The editor is gone (exit or end of stream): let clangd finish.
  ::close(ToClangd);
  Clangd.join();
  {
    std::lock_guard<std::mutex> Lock(StateMutex);
    StopWorker = true;
  }
  WorkCV.notify_all();
  Worker.join();
  return ShutdownRequested ? 0 : 1;
}

void Proxy::editorLoop() {
  MessageReader Reader(STDIN_FILENO);
  std::string Body;
  while (Reader.read(Body)) {
    // Noted before clangd sees the message: its answer (to initialize or
    // codeAction) may come back at once.
    Expected<json::Value> V = json::parse(Body);
    if (!V)
      consumeError(V.takeError());
    else if (json::Object *Msg = V->getAsObject())
      onEditorMessage(*Msg);
    // Untouched.
    if (!writeMessage(ToClangd, Body))
      log("cannot write to clangd");
    if (ExitReceived)
      break;
  }
}

void Proxy::onEditorMessage(const json::Object &Msg) {
  std::optional<StringRef> Method = Msg.getString("method");
  if (!Method)
    return;
  const json::Object *Params = Msg.getObject("params");
  const json::Value *Id = Msg.get("id");
  if (*Method == "exit") {
    ExitReceived = true;
    return;
  }
  if (*Method == "shutdown") {
    ShutdownRequested = true;
    return;
  }
  if (*Method == "initialize" && Id) {
    std::lock_guard<std::mutex> Lock(StateMutex);
    InitializeId = serialize(*Id);
    return;
  }
  if (!Params)
    return;
  const json::Object *TD = Params->getObject("textDocument");
  std::optional<StringRef> Uri = TD ? TD->getString("uri") : std::nullopt;
  if (!Uri)
    return;

  std::lock_guard<std::mutex> Lock(StateMutex);
  if (*Method == "textDocument/didOpen") {
    std::string Path = pathOfUri(*Uri);
    if (Path.empty())
      return;
    Document &D = Docs[Uri->str()];
    D = Document();
    D.Uri = Uri->str();
    D.Path = Path;
    D.Text = TD->getString("text").value_or("").str();
    D.Version = TD->getInteger("version").value_or(0);
    D.Generation = 1;
    schedule(D, 0);
  } else if (*Method == "textDocument/didChange") {
    auto It = Docs.find(Uri->str());
    if (It == Docs.end())
      return;
    Document &D = It->second;
    if (std::optional<int64_t> V = TD->getInteger("version"))
      D.Version = *V;
    if (const json::Array *Changes = Params->getArray("contentChanges")) {
      for (const json::Value &C : *Changes) {
        const json::Object *Change = C.getAsObject();
        if (!Change)
          continue;
        StringRef Text = Change->getString("text").value_or("");
        const json::Object *Range = Change->getObject("range");
        const json::Object *Start = Range ? Range->getObject("start") : nullptr;
        const json::Object *End = Range ? Range->getObject("end") : nullptr;
        if (!Start || !End) {
          D.Text = Text.str();
          continue;
        }
        auto Offset = [&](const json::Object *P) {
          return offsetOf(D.Text, P->getInteger("line").value_or(0),
                          P->getInteger("character").value_or(0), Enc);
        };
        size_t From = Offset(Start), To = std::max(From, Offset(End));
        D.Text.replace(From, To - From, Text.str());
      }
    }
    ++D.Generation;
    schedule(D, Opts.DebounceMs);
  } else if (*Method == "textDocument/didSave") {
    auto It = Docs.find(Uri->str());
    if (It == Docs.end())
      return;
    if (std::optional<StringRef> Text = Params->getString("text")) {
      It->second.Text = Text->str();
      ++It->second.Generation;
    }
    // A saved header or .bpflint file changes what other documents see
    // too: analyse every open document again, the saved one first.
    schedule(It->second, 0);
    for (auto &[Other, D] : Docs)
      if (&D != &It->second && D.IsBpf)
        schedule(D, Opts.DebounceMs);
  } else if (*Method == "textDocument/didClose") {
    auto It = Docs.find(Uri->str());
    if (It == Docs.end())
      return;
    bool Clear = It->second.PublishedBpflint;
    Docs.erase(It);
    if (Clear)
      sendToEditor(json::Object{
          {"jsonrpc", "2.0"},
          {"method", "textDocument/publishDiagnostics"},
          {"params",
           json::Object{{"uri", *Uri}, {"diagnostics", json::Array()}}}});
  } else if (*Method == "textDocument/codeAction" && Id) {
    PendingCodeAction Req;
    Req.Uri = Uri->str();
    if (const json::Object *Range = Params->getObject("range")) {
      if (const json::Object *S = Range->getObject("start"))
        Req.FromLine = S->getInteger("line").value_or(0);
      if (const json::Object *E = Range->getObject("end"))
        Req.ToLine = E->getInteger("line").value_or(0);
    }
    CodeActionRequests[serialize(*Id)] = Req;
  }
}

void Proxy::schedule(Document &D, unsigned DelayMs) {
  D.AnalysisPending = true;
  D.Due = Clock::now() + std::chrono::milliseconds(DelayMs);
  WorkCV.notify_all();
}

void Proxy::clangdLoop() {
  MessageReader Reader(FromClangd);
  std::string Body;
  while (Reader.read(Body)) {
    Expected<json::Value> V = json::parse(Body);
    if (!V) {
      consumeError(V.takeError());
      sendRawToEditor(Body);
      continue;
    }
    json::Object *Msg = V->getAsObject();
    if (!Msg || !onClangdMessage(*Msg))
      sendRawToEditor(Body);
  }
  if (!ExitReceived) {
    // clangd died under the editor: so does the proxy (the editor restarts
    // the server).
    errs() << "bpflint-lsp: clangd exited\n";
    ::_exit(1);
  }
}

/// Handles what the proxy changes; false: forward Msg as it came.
bool Proxy::onClangdMessage(json::Object &Msg) {
  std::optional<StringRef> Method = Msg.getString("method");
  if (Method && *Method == "textDocument/publishDiagnostics") {
    json::Object *Params = Msg.getObject("params");
    std::optional<StringRef> Uri =
        Params ? Params->getString("uri") : std::nullopt;
    if (!Uri)
      return false;
    std::lock_guard<std::mutex> Lock(StateMutex);
    auto It = Docs.find(Uri->str());
    if (It == Docs.end())
      return false;
    // Kept for every open document: the analysis may find later that it is
    // a BPF source, and its publication must not drop clangd's list.
    It->second.ClangdParams = *Params;
    if (!It->second.IsBpf)
      return false;
    publishMerged(It->second, /*FromClangd=*/true);
    return true;
  }
  if (Method)
    return false; // A request or notification of clangd's.

  // A response: to initialize (the position encoding) or codeAction.
  const json::Value *Id = Msg.get("id");
  if (!Id)
    return false;
  std::string Key = serialize(*Id);
  std::lock_guard<std::mutex> Lock(StateMutex);
  if (Key == InitializeId) {
    InitializeId.clear();
    if (const json::Object *Result = Msg.getObject("result")) {
      std::optional<StringRef> E = Result->getString("offsetEncoding");
      if (const json::Object *Caps = Result->getObject("capabilities"))
        if (std::optional<StringRef> PE = Caps->getString("positionEncoding"))
          E = PE;
      if (E && *E == "utf-8")
        Enc = Encoding::Utf8;
      else if (E && *E == "utf-32")
        Enc = Encoding::Utf32;
    }
    return false;
  }
  auto Req = CodeActionRequests.find(Key);
  if (Req == CodeActionRequests.end())
    return false;
  PendingCodeAction R = Req->second;
  CodeActionRequests.erase(Req);
  auto Doc = Docs.find(R.Uri);
  if (Doc == Docs.end() || Msg.get("error"))
    return false;
  json::Array Ours = codeActions(Doc->second, R);
  if (Ours.empty())
    return false;
  json::Array Result;
  if (json::Array *Theirs = Msg.getArray("result"))
    Result = std::move(*Theirs);
  for (json::Value &A : Ours)
    Result.push_back(std::move(A));
  Msg["result"] = std::move(Result);
  sendToEditor(json::Value(std::move(Msg)));
  return true;
}

void Proxy::publishMerged(Document &D, bool FromClangd) {
  json::Object Params;
  json::Array All;
  if (D.ClangdParams) {
    Params = *D.ClangdParams;
    if (const json::Array *Theirs = D.ClangdParams->getArray("diagnostics"))
      All = *Theirs;
  }
  Params["uri"] = D.Uri;
  // clangd's version belongs to clangd's list; a re-publication for
  // bpflint's sake is for the current text.
  if (!FromClangd)
    Params["version"] = D.Version;
  for (const json::Value &Diag : D.Diagnostics)
    All.push_back(Diag);
  Params["diagnostics"] = std::move(All);
  D.PublishedBpflint = !D.Diagnostics.empty();
  sendToEditor(json::Object{{"jsonrpc", "2.0"},
                            {"method", "textDocument/publishDiagnostics"},
                            {"params", std::move(Params)}});
}

void Proxy::workerLoop() {
  std::unique_lock<std::mutex> Lock(StateMutex);
  while (!StopWorker) {
    Document *Next = nullptr;
    for (auto &[Uri, D] : Docs)
      if (D.AnalysisPending && (!Next || D.Due < Next->Due))
        Next = &D;
    if (!Next) {
      WorkCV.wait(Lock);
      continue;
    }
    if (Next->Due > Clock::now()) {
      WorkCV.wait_until(Lock, Next->Due);
      continue;
    }
    Next->AnalysisPending = false;
    std::string Uri = Next->Uri;
    Lock.unlock();
    analyse(Uri);
    Lock.lock();
  }
}

/// The database clangd would use for files in Dir: the nearest directory
/// at or above Dir with a compile_commands.json (or compile_flags.txt), or
/// with one in its build/ subdirectory.
std::unique_ptr<CompilationDatabase> findDatabase(StringRef Dir,
                                                  std::string &Error) {
  for (StringRef D = Dir; !D.empty(); D = sys::path::parent_path(D)) {
    SmallString<256> Build(D);
    sys::path::append(Build, "build");
    for (StringRef Candidate : {D, StringRef(Build)}) {
      std::string Ignored;
      if (std::unique_ptr<CompilationDatabase> DB =
              CompilationDatabase::loadFromDirectory(Candidate, Ignored))
        return DB;
    }
    if (D == sys::path::root_path(D))
      break;
  }
  Error = "no compile_commands.json above " + Dir.str();
  return nullptr;
}

std::optional<CompileCommand> Proxy::commandFor(StringRef Path) {
  std::shared_ptr<CompilationDatabase> DB;
  {
    std::string Dir = Opts.CompileCommandsDir.empty()
                          ? sys::path::parent_path(Path).str()
                          : Opts.CompileCommandsDir;
    std::lock_guard<std::mutex> Lock(DatabaseMutex);
    auto It = Databases.find(Dir);
    if (It == Databases.end()) {
      std::string Error;
      std::unique_ptr<CompilationDatabase> Found =
          Opts.CompileCommandsDir.empty()
              ? findDatabase(Dir, Error)
              : CompilationDatabase::loadFromDirectory(Dir, Error);
      if (Found)
        DB = inferMissingCompileCommands(std::move(Found));
      else
        log("no compilation database for " + Path + ": " + Error);
      It = Databases.emplace(Dir, DB).first;
    }
    DB = It->second;
  }
  if (DB) {
    std::vector<CompileCommand> Commands = DB->getCompileCommands(Path);
    if (!Commands.empty())
      return isBpfCompile(Commands.front())
                 ? std::optional<CompileCommand>(Commands.front())
                 : std::nullopt;
  }
  if (!Path.ends_with(".bpf.c"))
    return std::nullopt;
  return CompileCommand(sys::path::parent_path(Path), Path,
                        {"clang", "-target", "bpf", "-c", Path.str()}, "");
}

void Proxy::analyse(const std::string &Uri) {
  std::string Path, Text;
  uint64_t Generation;
  {
    std::lock_guard<std::mutex> Lock(StateMutex);
    auto It = Docs.find(Uri);
    if (It == Docs.end())
      return;
    Path = It->second.Path;
    Text = It->second.Text;
    Generation = It->second.Generation;
  }
  std::optional<CompileCommand> Command = commandFor(Path);
  FileAnalysis Result;
  if (Command) {
    StringMap<std::string> Unsaved;
    Unsaved[Path] = Text;
    ToolingOptions TOpts;
    TOpts.ResourceDir = Opts.ResourceDir;
    TOpts.Unsaved = &Unsaved;
    auto Start = Clock::now();
    Result = analyseFile(Path, *Command, Opts.PluginArgs, TOpts);
    log(formatv("analysed {0} ({1} findings{2}) in {3} ms", Path,
                Result.Findings.size(),
                Result.Failure.empty() ? "" : ", " + Result.Failure,
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    Clock::now() - Start)
                    .count()));
  } else {
    log("not a BPF source: " + Path);
  }

  std::lock_guard<std::mutex> Lock(StateMutex);
  auto It = Docs.find(Uri);
  if (It == Docs.end())
    return;
  Document &D = It->second;
  bool WasBpf = D.IsBpf;
  D.IsBpf = Command.has_value();
  if (!D.IsBpf) {
    if (WasBpf && D.PublishedBpflint) {
      D.Diagnostics.clear();
      publishMerged(D, false);
    }
    return;
  }
  // A newer text is waiting for its analysis; these positions are stale.
  if (D.Generation != Generation)
    return;
  // While the file does not compile (mid-edit), the analyzer does not run:
  // keep the last findings rather than clearing them.
  if (!Result.Failure.empty() && D.Analysed)
    return;
  json::Array Diags = toDiagnostics(D, Result.Findings, Text);
  bool Changed =
      !D.Analysed || serialize(json::Value(json::Array(Diags))) !=
                         serialize(json::Value(json::Array(D.Diagnostics)));
  D.Analysed = true;
  D.AnalysedGeneration = Generation;
  D.AnalysedText = Text;
  D.Findings = std::move(Result.Findings);
  D.Diagnostics = std::move(Diags);
  if (Changed)
    publishMerged(D, false);
}

std::string docsUri(StringRef Check) {
  StringRef Base = BPFLINT_DOCS_URI;
  if (Base.empty() || !findRule(Check))
    return "";
  StringRef Name = Check;
  Name.consume_front("bpflint-");
  return (Base + "checks/" + Name + ".md").str();
}

/// The range of the token at Pos in Text (identifier characters, or one
/// character), as LSP start/end.
json::Object tokenRange(const SourcePoint &P, StringRef Text, Encoding Enc) {
  unsigned Line = P.Line ? P.Line - 1 : 0;
  unsigned Byte = P.Column ? P.Column - 1 : 0;
  StringRef L = lineOf(Text, Line);
  size_t End = Byte;
  while (End < L.size() && (isAlnum(L[End]) || L[End] == '_'))
    ++End;
  if (End == Byte && End < L.size())
    ++End;
  return json::Object{
      {"start", position(Line, unitsOf(L.substr(0, Byte), Enc))},
      {"end", position(Line, unitsOf(L.substr(0, End), Enc))}};
}

/// Where the editor shows F in the document Path: at F itself, or for a
/// finding in an included file, at the last step of its path in Path (null:
/// the path never passes through Path).
const SourcePoint *shownAt(const Finding &F, StringRef Path) {
  if (F.Loc.File == Path)
    return &F.Loc;
  const SourcePoint *Last = nullptr;
  for (const FindingNote &N : F.Notes)
    if (N.Loc.File == Path)
      Last = &N.Loc;
  return Last;
}

json::Array Proxy::toDiagnostics(const Document &D, ArrayRef<Finding> Findings,
                                 StringRef Text) {
  json::Array Out;
  Encoding E = Enc;
  auto UriOf = [&](StringRef File) {
    return File == D.Path ? D.Uri : fileUri(File);
  };
  auto TextOf = [&](StringRef File) -> std::optional<StringRef> {
    if (File == D.Path)
      return Text;
    return std::nullopt;
  };
  for (const Finding &F : Findings) {
    const SourcePoint *At = shownAt(F, D.Path);
    if (!At)
      continue;
    std::string Message = F.Message;
    json::Array Related;
    if (At != &F.Loc) {
      // A finding in an included file: shown at the last step of its path
      // in this file (as clang shows "In file included from"), with the
      // real place first in the related information.
      Message = "in " + sys::path::filename(F.Loc.File).str() + ":" +
                std::to_string(F.Loc.Line) + ": " + Message;
      json::Object Pos = positionOf(F.Loc, std::nullopt, E);
      Related.push_back(json::Object{
          {"location",
           json::Object{{"uri", UriOf(F.Loc.File)},
                        {"range", json::Object{{"start", json::Object(Pos)},
                                               {"end", std::move(Pos)}}}}},
          {"message", F.What}});
    }
    json::Object Diag{{"range", tokenRange(*At, Text, E)},
                      {"severity", F.Level == "error" ? 1 : 2},
                      {"source", "bpflint"},
                      {"code", F.Check},
                      {"message", std::move(Message)}};
    std::string Help = docsUri(F.Check);
    if (!Help.empty())
      Diag["codeDescription"] = json::Object{{"href", Help}};
    for (const FindingNote &N : F.Notes) {
      if (N.Loc.File.empty())
        continue;
      json::Object Pos = positionOf(N.Loc, TextOf(N.Loc.File), E);
      json::Object Range{{"start", json::Object(Pos)}, {"end", std::move(Pos)}};
      Related.push_back(
          json::Object{{"location", json::Object{{"uri", UriOf(N.Loc.File)},
                                                 {"range", std::move(Range)}}},
                       {"message", N.Message}});
    }
    if (!Related.empty())
      Diag["relatedInformation"] = std::move(Related);
    Out.push_back(std::move(Diag));
  }
  return Out;
}

/// `{ bpf_spin_unlock(&v->lock);`: a fix-it's code on one line, shortened.
std::string codeOf(const FindingFixIt &F) {
  std::string Code;
  for (char C : StringRef(F.Replacement).trim()) {
    bool Space = isSpace(C);
    if (Space && (Code.empty() || Code.back() == ' '))
      continue;
    Code += Space ? ' ' : C;
  }
  if (Code.size() > 50)
    Code = Code.substr(0, 47) + "...";
  return "`" + Code + "`";
}

/// What the fix-its do, for the code action's title: "insert `a` and `b`",
/// "replace with `a`", "remove code".
std::string describeFix(ArrayRef<FindingFixIt> Fixes) {
  bool Insert = true, Remove = true;
  for (const FindingFixIt &F : Fixes) {
    bool Empty = F.Range.Begin.Line == F.Range.End.Line &&
                 F.Range.Begin.Column == F.Range.End.Column;
    Insert &= Empty;
    Remove &= StringRef(F.Replacement).trim().empty();
  }
  if (Remove)
    return "remove code";
  if (Fixes.size() > 2)
    return "apply " + std::to_string(Fixes.size()) + " fix-its";
  std::string Out = Insert ? "insert " : "replace with ";
  for (size_t I = 0; I < Fixes.size(); ++I)
    Out += (I ? " and " : "") + codeOf(Fixes[I]);
  return Out;
}

json::Array Proxy::codeActions(const Document &D,
                               const PendingCodeAction &Req) {
  json::Array Out;
  // Fix-its of an analysis of an older text would edit the wrong places.
  if (!D.Analysed || D.AnalysedGeneration != D.Generation)
    return Out;
  Encoding E = Enc;
  size_t DiagIndex = 0;
  for (const Finding &F : D.Findings) {
    const SourcePoint *At = shownAt(F, D.Path);
    if (!At)
      continue;
    const json::Value &Diag = D.Diagnostics[DiagIndex++];
    unsigned Line = At->Line ? At->Line - 1 : 0;
    if (F.FixIts.empty() || Line < Req.FromLine || Line > Req.ToLine)
      continue;
    json::Object Changes;
    for (const FindingFixIt &Fix : F.FixIts) {
      std::optional<StringRef> Text;
      if (Fix.Range.Begin.File == D.Path)
        Text = StringRef(D.AnalysedText);
      std::string Uri = Fix.Range.Begin.File == D.Path
                            ? D.Uri
                            : fileUri(Fix.Range.Begin.File);
      json::Object Edit{
          {"range",
           json::Object{{"start", positionOf(Fix.Range.Begin, Text, E)},
                        {"end", positionOf(Fix.Range.End, Text, E)}}},
          {"newText", Fix.Replacement}};
      json::Value *List = Changes.get(Uri);
      if (!List)
        List = &(Changes[Uri] = json::Array());
      List->getAsArray()->push_back(std::move(Edit));
    }
    Out.push_back(
        json::Object{{"title", "bpflint: " + describeFix(F.FixIts)},
                     {"kind", "quickfix"},
                     {"isPreferred", true},
                     {"diagnostics", json::Array{Diag}},
                     {"edit", json::Object{{"changes", std::move(Changes)}}}});
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// Start-up
//===----------------------------------------------------------------------===//

/// Parses the arguments; returns false (after a message) on bad ones.
bool parseArgs(int argc, const char **argv, ProxyOptions &Opts, bool &Exit,
               int &Status) {
  Exit = false;
  bool Version = false;
  for (int I = 1; I < argc; ++I) {
    StringRef A = argv[I];
    if (A == "--") {
      for (++I; I < argc; ++I)
        Opts.ClangdArgs.push_back(argv[I]);
      break;
    }
    if (A.consume_front("--clangd=")) {
      Opts.Clangd = A.str();
    } else if (A.consume_front("--bpflint-kernel=")) {
      Opts.PluginArgs.push_back(("kernel=" + A).str());
    } else if (A.consume_front("--bpflint-checks=")) {
      Opts.PluginArgs.push_back(("checks=" + A).str());
    } else if (A.consume_front("--bpflint-severity=")) {
      Opts.PluginArgs.push_back(("severity=" + A).str());
    } else if (A.consume_front("--bpflint-debounce=")) {
      if (A.getAsInteger(10, Opts.DebounceMs)) {
        errs() << "bpflint-lsp: bad --bpflint-debounce value '" << A << "'\n";
        Exit = true;
        Status = 2;
        return false;
      }
    } else if (A.consume_front("--bpflint-resource-dir=")) {
      Opts.ResourceDir = A.str();
    } else if (A == "--bpflint-log") {
      Opts.Log = true;
    } else if (A == "--help" || A == "-help" || A == "--bpflint-help") {
      printHelp(outs());
      Exit = true;
      Status = 0;
      return true;
    } else if (A.starts_with("--bpflint-")) {
      errs() << "bpflint-lsp: unknown option '" << A << "' (see --help)\n";
      Exit = true;
      Status = 2;
      return false;
    } else {
      if (A == "--version")
        Version = true;
      StringRef Dir = A;
      if (Dir.consume_front("--compile-commands-dir="))
        Opts.CompileCommandsDir = Dir.str();
      Opts.ClangdArgs.push_back(A.str());
    }
  }
  Expected<BpflintOptions> Parsed = parsePluginArgs(Opts.PluginArgs);
  if (!Parsed) {
    errs() << "bpflint-lsp: " << toString(Parsed.takeError()) << "\n";
    Exit = true;
    Status = 2;
    return false;
  }
  if (Opts.Clangd.empty()) {
    for (std::string Name :
         {std::string("clangd-") + std::to_string(LLVM_VERSION_MAJOR),
          std::string("clangd")}) {
      if (ErrorOr<std::string> P = sys::findProgramByName(Name)) {
        Opts.Clangd = *P;
        break;
      }
    }
    if (Opts.Clangd.empty()) {
      errs() << "bpflint-lsp: no clangd on PATH; give it with --clangd=PATH\n";
      Exit = true;
      Status = 2;
      return false;
    }
  }
  if (Version) {
    // Editors read clangd's version line (it follows).
    outs() << "bpflint-lsp " << BPFLINT_VERSION << " (LLVM "
           << LLVM_VERSION_STRING << ")\n";
    outs().flush();
  }
  return true;
}

/// Starts clangd with pipes for its standard input and output (its
/// standard error is ours: the editor's log).
bool spawnClangd(const ProxyOptions &Opts, int &ToClangd, int &FromClangd,
                 pid_t &Pid) {
  int In[2], Out[2];
  if (::pipe2(In, O_CLOEXEC) || ::pipe2(Out, O_CLOEXEC)) {
    errs() << "bpflint-lsp: pipe: " << strerror(errno) << "\n";
    return false;
  }
  std::vector<const char *> Argv{Opts.Clangd.c_str()};
  for (const std::string &A : Opts.ClangdArgs)
    Argv.push_back(A.c_str());
  Argv.push_back(nullptr);
  Pid = ::fork();
  if (Pid < 0) {
    errs() << "bpflint-lsp: fork: " << strerror(errno) << "\n";
    return false;
  }
  if (Pid == 0) {
    ::dup2(In[0], STDIN_FILENO);
    ::dup2(Out[1], STDOUT_FILENO);
    ::execv(Argv[0], const_cast<char *const *>(Argv.data()));
    const char Msg[] = "bpflint-lsp: cannot run clangd\n";
    (void)!::write(STDERR_FILENO, Msg, sizeof(Msg) - 1);
    ::_exit(127);
  }
  ::close(In[0]);
  ::close(Out[1]);
  ToClangd = In[1];
  FromClangd = Out[0];
  return true;
}

} // namespace

int main(int argc, const char **argv) {
  sys::PrintStackTraceOnErrorSignal(argv[0]);
  ::signal(SIGPIPE, SIG_IGN);
  ProxyOptions Opts;
  bool Exit;
  int Status = 0;
  if (!parseArgs(argc, argv, Opts, Exit, Status) || Exit)
    return Status;
  if (!sys::fs::can_execute(Opts.Clangd)) {
    errs() << "bpflint-lsp: cannot run clangd '" << Opts.Clangd << "'\n";
    return 2;
  }
  int ToClangd, FromClangd;
  pid_t Pid;
  if (!spawnClangd(Opts, ToClangd, FromClangd, Pid))
    return 2;
  if (std::find(Opts.ClangdArgs.begin(), Opts.ClangdArgs.end(), "--version") !=
      Opts.ClangdArgs.end()) {
    // clangd prints its version and exits: pass it through.
    ::close(ToClangd);
    char Buf[4096];
    ssize_t N;
    while ((N = ::read(FromClangd, Buf, sizeof(Buf))) > 0)
      writeAll(STDOUT_FILENO, StringRef(Buf, N));
    int WS = 0;
    ::waitpid(Pid, &WS, 0);
    return WIFEXITED(WS) ? WEXITSTATUS(WS) : 1;
  }
  Proxy P(std::move(Opts), ToClangd, FromClangd);
  int Code = P.run();
  int WS = 0;
  ::waitpid(Pid, &WS, 0);
  return Code;
}
