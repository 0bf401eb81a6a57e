#!/usr/bin/env python3
"""lsp-session.py: drives bpflint-lsp as an editor would, over stdio.

  lsp-session.py fix ROOT FILE -- SERVER...
      initialize, didOpen FILE, wait for bpflint's and clangd's diagnostics,
      ask for code actions, apply bpflint's quick fix as an incremental
      didChange, wait until bpflint's diagnostic is gone (clangd's stay),
      shutdown, exit. Prints a transcript for FileCheck.
  lsp-session.py suppress ROOT FILE -- SERVER...
      prints the severity of bpflint's diagnostics after didOpen, types a
      NOLINT comment on the finding's line (didChange, unsaved) and waits
      for the diagnostic to go away.
  lsp-session.py findings ROOT FILE... -- SERVER...
      opens each file and prints bpflint's diagnostics once they arrive, as
      the driver prints them ("path:line:col: warning: message [check]",
      path relative to ROOT), then each related location as a note.

Every wait has a timeout; a missing message fails the test with what did
arrive.
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time

TIMEOUT = float(os.environ.get("LSP_TIMEOUT", "90"))


def uri_of(path):
    return "file://" + os.path.abspath(path)


class Client:
    def __init__(self, argv, cwd):
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.next_id = 1
        self.responses = {}
        self.notifications = queue.Queue()
        self.lock = threading.Condition()
        self.log = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.notifications.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            msg = json.loads(body)
            self.log.append(msg)
            if "method" in msg and "id" in msg:
                # A request of the server's (progress, configuration).
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif "method" in msg:
                self.notifications.put(msg)
            else:
                with self.lock:
                    self.responses[msg["id"]] = msg
                    self.lock.notify_all()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method,
                   "params": params})
        deadline = time.time() + TIMEOUT
        with self.lock:
            while rid not in self.responses:
                left = deadline - time.time()
                if left <= 0:
                    fail("no response to %s" % method)
                self.lock.wait(left)
            return self.responses.pop(rid)

    def wait_diagnostics(self, uri, want, what):
        """The first publishDiagnostics for uri whose list satisfies want."""
        deadline = time.time() + TIMEOUT
        seen = []
        while True:
            left = deadline - time.time()
            if left <= 0:
                fail("timed out waiting for %s; got %s" % (what, seen))
            try:
                msg = self.notifications.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                fail("the server exited while waiting for %s" % what)
            if msg["method"] != "textDocument/publishDiagnostics":
                continue
            if msg["params"]["uri"] != uri:
                continue
            diags = msg["params"]["diagnostics"]
            seen.append([(d.get("source"), d.get("code")) for d in diags])
            if want(diags):
                return diags

    def wait_settled(self, uri, count, quiet):
        """The last publishDiagnostics for uri once at least count arrived
        and none followed for quiet seconds."""
        deadline = time.time() + TIMEOUT
        last, seen = None, 0
        while True:
            left = deadline - time.time()
            if left <= 0:
                fail("timed out waiting for %d publications for %s"
                     % (count, uri))
            try:
                msg = self.notifications.get(
                    timeout=min(left, quiet) if seen >= count else left)
            except queue.Empty:
                if seen >= count:
                    return last
                continue
            if msg is None:
                fail("the server exited while waiting for diagnostics")
            if (msg["method"] == "textDocument/publishDiagnostics" and
                    msg["params"]["uri"] == uri):
                last, seen = msg["params"]["diagnostics"], seen + 1

    def finish(self):
        shutdown = self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.stdin.close()
        try:
            status = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("the server did not exit after 'exit'")
        return shutdown, status


def fail(message):
    sys.stderr.write("lsp-session.py: %s\n" % message)
    sys.stdout.flush()
    os._exit(1)


def initialize(client, root):
    capabilities = {
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": True},
            "codeAction": {"codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["quickfix"]}}},
        }
    }
    # LSP_POSITION_ENCODING=utf-8: positions in bytes (LSP 3.17, and
    # clangd's older offsetEncoding extension).
    encoding = os.environ.get("LSP_POSITION_ENCODING")
    if encoding:
        capabilities["general"] = {"positionEncodings": [encoding]}
        capabilities["offsetEncoding"] = [encoding]
    init = client.request("initialize", {
        "processId": os.getpid(),
        "rootUri": uri_of(root),
        "capabilities": capabilities,
    })
    client.notify("initialized", {})
    return init


def bpflint(diags):
    return [d for d in diags if d.get("source") == "bpflint"]


def others(diags):
    return [d for d in diags if d.get("source") != "bpflint"]


def pos(p):
    return "%d:%d" % (p["line"] + 1, p["character"] + 1)


def describe(d):
    r = d["range"]
    return "%s %s %s-%s: %s" % (d.get("source"), d.get("code"),
                                pos(r["start"]), pos(r["end"]), d["message"])


def offset(text, p):
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[:p["line"]]) + p["character"]


def open_file(client, path):
    with open(path) as f:
        text = f.read()
    uri = uri_of(path)
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "c", "version": 1, "text": text}})
    return uri, text


def scenario_fix(client, root, path):
    init = initialize(client, root)
    result = init["result"]
    print("server:", result.get("serverInfo", {}).get("name"))
    print("codeActionProvider:",
          bool(result["capabilities"].get("codeActionProvider")))
    uri, text = open_file(client, path)

    diags = client.wait_diagnostics(
        uri, lambda ds: bpflint(ds) and others(ds),
        "bpflint's and clangd's diagnostics")
    print("-- opened")
    for d in diags:
        print(describe(d))
    ours = bpflint(diags)[0]
    for rel in ours.get("relatedInformation", []):
        loc = rel["location"]
        same = "same-file" if loc["uri"] == uri else loc["uri"]
        print("  related %s %s: %s" % (same, pos(loc["range"]["start"]),
                                       rel["message"]))
    if "codeDescription" in ours:
        print("  help:", os.path.basename(ours["codeDescription"]["href"]))

    # Something clangd answers as it is: a hover on the helper call.
    line = text.split("\n").index("  bpf_spin_lock(&v->lock);")
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri},
        "position": {"line": line, "character": 4}})
    print("hover:", "bpf_spin_lock" in json.dumps(hover.get("result")))

    # The quick fix, as the editor offers it on the diagnostic's line.
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": ours["range"],
        "context": {"diagnostics": [ours]}})["result"] or []
    fixes = [a for a in actions if a.get("title", "").startswith("bpflint:")]
    print("-- code actions")
    for a in fixes:
        print("%s (%s, diagnostic %s)" % (a["title"], a["kind"],
                                          a["diagnostics"][0]["code"]))
    if not fixes:
        fail("no bpflint code action in %s" % actions)
    edits = fixes[0]["edit"]["changes"][uri]
    # Applied as the editor does: one incremental change per edit, last
    # first.
    version = 1
    for e in sorted(edits, key=lambda e: offset(text, e["range"]["start"]),
                    reverse=True):
        start = offset(text, e["range"]["start"])
        end = offset(text, e["range"]["end"])
        text = text[:start] + e["newText"] + text[end:]
        version += 1
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": e["range"], "text": e["newText"]}]})
    print("-- fixed text")
    for l in text.split("\n"):
        if "100" in l or "return 1" in l:
            print(l)
    with open(os.path.join(root, "fixed.c"), "w") as f:
        f.write(text)

    diags = client.wait_diagnostics(
        uri, lambda ds: not bpflint(ds) and others(ds),
        "bpflint's diagnostic to go away with clangd's still there")
    print("-- after the fix")
    for d in diags:
        print(describe(d))

    shutdown, status = client.finish()
    print("shutdown:", "error" not in shutdown, "exit status:", status)


def scenario_findings(client, root, paths):
    initialize(client, root)
    for path in paths:
        uri, _ = open_file(client, path)
        # A BPF source gets at least two publications: clangd's (merged
        # with bpflint's list once there is one) and the one after
        # bpflint's first analysis, in either order. Once they have settled,
        # the last has both lists, also when bpflint finds nothing.
        diags = client.wait_settled(uri, 2, 2.0)
        rel = os.path.relpath(path, root)
        for d in bpflint(diags):
            level = "error" if d["severity"] == 1 else "warning"
            print("%s:%s: %s: %s [%s]" % (rel, pos(d["range"]["start"]), level,
                                         d["message"], d["code"]))
            for r in d.get("relatedInformation", []):
                print("%s:%s: note: %s" % (
                    os.path.relpath(r["location"]["uri"][len("file://"):],
                                    root),
                    pos(r["location"]["range"]["start"]), r["message"]))
    client.finish()


def scenario_suppress(client, root, path):
    """The project's .bpflint and a NOLINT comment typed in the editor."""
    initialize(client, root)
    uri, text = open_file(client, path)
    diags = client.wait_diagnostics(uri, lambda ds: bpflint(ds) and others(ds),
                                    "bpflint's and clangd's diagnostics")
    for d in bpflint(diags):
        print("severity %d: %s" % (d["severity"], d["code"]))
    # Typed at the end of the line of the finding, unsaved.
    line = bpflint(diags)[0]["range"]["start"]["line"]
    end = len(text.split("\n")[line])
    comment = " // NOLINT(bpflint-lock-held-at-exit)"
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {
            "start": {"line": line, "character": end},
            "end": {"line": line, "character": end}}, "text": comment}]})
    diags = client.wait_diagnostics(
        uri, lambda ds: not bpflint(ds) and others(ds),
        "the NOLINT comment to take effect (clangd's warning staying)")
    print("after NOLINT:", [describe(d) for d in diags])
    client.finish()


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    mode, root, files, server = args[0], args[1], args[2:sep], args[sep + 1:]
    root = os.path.abspath(root)
    client = Client(server, root)
    if mode == "fix":
        scenario_fix(client, root, os.path.abspath(files[0]))
    elif mode == "suppress":
        scenario_suppress(client, root, os.path.abspath(files[0]))
    elif mode == "findings":
        scenario_findings(client, root, [os.path.abspath(f) for f in files])
    else:
        fail("unknown mode " + mode)


if __name__ == "__main__":
    main()
