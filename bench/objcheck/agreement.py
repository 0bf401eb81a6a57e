#!/usr/bin/env python3
"""bpflint-objcheck's verdicts against the kernel's, on the test suite.

For every test program that declares a kernel verdict (a `%oracle OBJ |
FileCheck --check-prefix=P` RUN line with `P-DAG: prog: accept|reject: ...`
lines), builds the object the test builds, runs bpflint-objcheck on it, and
compares per program:

  agree        objcheck reports a finding and the kernel rejects, or
               objcheck is silent and the kernel accepts
  FALSE-REJECT objcheck reports a finding but the kernel accepts (the worst
               outcome: must never happen)
  miss         the kernel rejects, objcheck is silent (with the reason:
               no bytecode rule for the kernel's message, or the paths
               objcheck could not follow)

The kernel's verdict is the declared one, or, with --oracle (default when
the oracle's probe load passes), the running kernel's own, which wins.
With --gcc, each program is also built with bpf-gcc (when that compiles it)
and objcheck's verdict on both objects is compared.

  bench/objcheck/agreement.py [--build build/llvm-19] [--no-oracle] [--gcc]
                              [--markdown] [FILE ...]

Exit status 1 when there is a FALSE-REJECT or a clang/gcc disagreement.
"""
import argparse
import glob
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def substitutions(build, src, tmp):
    inputs = os.path.join(TOP, "test", "Inputs")
    multiarch = subprocess.run(["gcc", "-print-multiarch"], stdout=subprocess.PIPE,
                               universal_newlines=True).stdout.strip() or "x86_64-linux-gnu"
    clang = "clang-19"
    cache = os.path.join(build, "CMakeCache.txt")
    if os.path.exists(cache):
        for line in open(cache):
            if line.startswith("LLVM_DIR:") or line.startswith("LLVM_TOOLS_BINARY_DIR"):
                m = re.search(r"llvm-(\d+)", line)
                if m:
                    clang = "clang-" + m.group(1)
    clang_bpf = "%s -target bpf -O2 -g -I%s" % (clang, inputs)
    plugin = os.path.join(build, "lib", "bpflint.so")
    return [
        ("%clang_bpf_sys", "%s -target bpf -O2 -g -I/usr/include/%s" % (clang, multiarch)),
        ("%clang_bpf", clang_bpf),
        ("%bpflint_cc", "%s -fplugin=%s" % (clang_bpf, plugin)),
        ("%bpflint_so", plugin),
        ("%clang", clang),
        ("%inputs", inputs),
        ("%src_root", TOP),
        ("%vmlinux_dir", os.path.join(build, "test", "vmlinux")),
        ("%s", src),
        ("%S", os.path.dirname(src)),
        ("%t", tmp),
    ]


def subst(cmd, subs):
    for k, v in subs:
        cmd = cmd.replace(k, v)
    return cmd


def run_lines(path):
    lines, cur = [], ""
    for raw in open(path, errors="replace"):
        m = re.match(r"\s*(?://|#)\s*RUN:\s?(.*)$", raw)
        if not m:
            continue
        part = m.group(1).rstrip()
        if part.endswith("\\"):
            cur += part[:-1] + " "
            continue
        lines.append(cur + part)
        cur = ""
    return lines


def declared(path, prefix):
    """prog -> (verdict, message) from `// PREFIX-DAG: prog: verdict[: msg]`."""
    out = {}
    pat = re.compile(r"(?://|#)\s*%s(?:-DAG)?:\s*(\w+):\s*(accept|reject)(?::\s*(.*))?$"
                     % re.escape(prefix))
    for raw in open(path, errors="replace"):
        m = pat.search(raw.rstrip())
        if m:
            out[m.group(1)] = (m.group(2), (m.group(3) or "").strip())
    return out


def jobs(path):
    """(object placeholder, prefix, setup commands, build command)."""
    runs = run_lines(path)
    found = []
    for i, line in enumerate(runs):
        m = re.search(r"%oracle\s+(\S+)\s*\|\s*FileCheck.*--check-prefix[= ](\S+)", line)
        if not m:
            continue
        obj, prefix = m.group(1), m.group(2)
        build, setup = None, []
        for prev in runs[:i]:
            if re.search(r"-o\s+%s(\s|$)" % re.escape(obj), prev):
                build = prev
            elif prev.startswith("cp ") or "-fixit " in prev:
                setup.append(prev)
        if build:
            found.append((obj, prefix, setup, build))
    return found


def strip_pipe(cmd):
    # The build part of "clang ... -o X 2>&1 | FileCheck ...".
    return re.split(r"\s(?:2>&1\s*)?\|\s", cmd)[0]


def objcheck(exe, obj, kernel=None):
    args = [exe, obj, "--format", "json"] + (["--kernel", kernel] if kernel else [])
    p = subprocess.run(args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode == 2:
        return None, p.stderr.strip()
    d = json.loads(p.stdout)
    progs = {}
    for pr in d["programs"]:
        progs[pr["name"]] = pr
    rules = {}
    for f in d["findings"]:
        for name in f.get("programs", []):
            rules.setdefault(name, []).append((f["rule"], f["kernel_message"]))
    return (progs, rules), None


def message_matches(rule_msg, kernel_line):
    """The kernel's final line is the last line of the rule's message, with
    printf conversions as wildcards. A map libbpf cannot create has no
    verifier line: the oracle says "map create failed: map 'M': <error>
    (errno N)" where libbpf's log (and the rule) says "map 'M': failed to
    create: <error>(-N)"."""
    m = re.fullmatch(r"map create failed: map '(.*)': (.*) \(errno (\d+)\)",
                     kernel_line.strip())
    if m:
        kernel_line = "map '%s': failed to create: %s(-%s)" % m.groups()
    last = rule_msg.split("\n")[-1]
    pat = re.escape(last)
    for conv in ("%lld", "%llu", "%d", "%u"):
        pat = pat.replace(re.escape(conv), r"-?\d+")
    pat = pat.replace(re.escape("%s"), r".*")
    return re.fullmatch(pat, kernel_line.strip()) is not None


def oracle(exe, obj):
    p = subprocess.run([exe, obj], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    out = {}
    for line in p.stdout.splitlines():
        m = re.match(r"(\w+): (accept|reject)(?:: (.*))?$", line)
        if m:
            out[m.group(1)] = (m.group(2), m.group(3) or "")
    return out


def gcc_command(build_cmd, obj_out):
    """The build command with bpf-gcc in place of clang, or None."""
    toks = shlex.split(build_cmd)
    if not toks or "clang" not in os.path.basename(toks[0]):
        return None
    out = ["bpf-gcc", "-O2", "-gbtf", "-mco-re", "-mcpu=v3"]
    skip = False
    for t in toks[1:]:
        if skip:
            skip = False
            continue
        if t in ("-target", "-o"):
            skip = True
            continue
        if t.startswith("-fplugin") or t in ("-g", "-O2") or t.startswith("-mcpu"):
            continue
        out.append(t)
    return out + ["-o", obj_out]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build", "llvm-19"))
    ap.add_argument("--no-oracle", action="store_true")
    ap.add_argument("--gcc", action="store_true",
                    help="also build with bpf-gcc and compare objcheck's verdicts")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--objcheck", help="bpflint-objcheck (default: in --build)")
    ap.add_argument("--oracle-bin", help="bpflint-oracle (default: in --build)")
    ap.add_argument("--kernel",
                    help="objcheck's kernel profile (default: the running "
                         "kernel's X.Y when its verdicts are used, else the "
                         "newest)")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    objcheck_exe = a.objcheck or os.path.join(build, "tools", "bpflint-objcheck",
                                              "bpflint-objcheck")
    oracle_exe = a.oracle_bin or os.path.join(build, "tools", "bpflint-oracle",
                                              "bpflint-oracle")
    use_oracle = not a.no_oracle and subprocess.run(
        [oracle_exe, "--probe"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0
    kernel = a.kernel
    if not kernel and use_oracle:
        m = re.match(r"(\d+\.\d+)", platform.release())
        kernel = m.group(1) if m else None
    if kernel:
        print("objcheck profile: kernel %s" % kernel)
    files = a.files or sorted(
        glob.glob(os.path.join(TOP, "test", "**", "*.c"), recursive=True) +
        glob.glob(os.path.join(TOP, "test", "**", "*.test"), recursive=True))
    tmpdir = tempfile.mkdtemp(prefix="bpflint-agreement-")
    rows, counts = [], {}
    gcc_rows = []

    def count(k):
        counts[k] = counts.get(k, 0) + 1

    for path in files:
        if "/Inputs/" in path:
            continue
        rel = os.path.relpath(path, TOP)
        for obj, prefix, setup, build_cmd in jobs(path):
            tmp = os.path.join(tmpdir, rel.replace("/", "_"))
            subs = substitutions(build, path, tmp)
            objpath = subst(obj, subs)
            for cmd in setup:
                subprocess.run(subst(cmd, subs), shell=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            bc = strip_pipe(subst(build_cmd, subs))
            p = subprocess.run(bc, shell=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, universal_newlines=True)
            if p.returncode != 0 or not os.path.exists(objpath):
                rows.append((rel, "-", "build failed", "", "", p.stderr.strip()[:200]))
                count("build failed")
                continue
            decl = declared(path, prefix)
            kern = oracle(oracle_exe, objpath) if use_oracle else {}
            res, err = objcheck(objcheck_exe, objpath, kernel)
            if res is None:
                rows.append((rel, "-", "objcheck error", "", "", err))
                count("objcheck error")
                continue
            progs, rules = res
            names = sorted(set(decl) | set(kern))
            for name in names:
                verdict, msg = kern.get(name) or decl.get(name)
                src = "kernel" if name in kern else "declared"
                note = ""
                if name in kern and name in decl and kern[name][0] != decl[name][0]:
                    note = "declared %s, kernel %s; " % (decl[name][0], kern[name][0])
                pr = progs.get(name)
                if pr is None:
                    oc = "absent"
                    note += "objcheck does not see this program"
                else:
                    oc = "reject" if pr["findings"] else "silent"
                found = rules.get(name, [])
                ids = ",".join(sorted(set(r for r, _ in found)))
                if oc == "reject" and verdict == "reject":
                    cls = "agree"
                    same = any(message_matches(m, msg) for _, m in found)
                    note += "rule %s, %s message" % (ids, "same" if same else "OTHER")
                elif oc == "silent" and verdict == "accept":
                    cls = "agree"
                    if pr["incomplete_paths"]:
                        note += "gave up on some paths: " + "; ".join(
                            sorted(pr["incomplete_paths"]))
                elif oc == "reject":
                    cls = "FALSE-REJECT"
                    note += "rule " + ids
                elif oc == "silent":
                    cls = "miss"
                    if pr["incomplete_paths"]:
                        note += "gave up: " + "; ".join(
                            "%s (%d)" % kv for kv in sorted(pr["incomplete_paths"].items()))
                    else:
                        note += "no bytecode rule for this rejection"
                else:
                    cls = "miss"
                count(cls)
                rows.append((rel, name, cls, verdict + " (" + src + ")", msg, note))
            if a.gcc:
                gobj = objpath + ".gcc.o"
                gcmd = gcc_command(bc, gobj)
                if not gcmd:
                    continue
                gp = subprocess.run(gcmd, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, universal_newlines=True)
                if gp.returncode != 0:
                    err = [l for l in gp.stderr.splitlines() if "error" in l]
                    gcc_rows.append((rel, "-", "gcc cannot build",
                                     (err[0] if err else gp.stderr.strip())[:150]))
                    continue
                gres, gerr = objcheck(objcheck_exe, gobj, kernel)
                if gres is None:
                    gcc_rows.append((rel, "-", "objcheck error", gerr))
                    continue
                gkern = oracle(oracle_exe, gobj) if use_oracle else {}
                for name in sorted(progs):
                    gpr = gres[0].get(name)
                    cv = "reject" if progs[name]["findings"] else "silent"
                    gv = ("reject" if gpr["findings"] else "silent") if gpr else "absent"
                    kv = gkern.get(name, ("?", ""))
                    note = "clang %s, gcc %s; kernel on gcc's: %s %s" % (
                        cv, gv, kv[0], kv[1])
                    if gv == "reject" and kv[0] == "accept":
                        cls = "GCC-FALSE-REJECT"
                    elif cv == gv:
                        cls = "same"
                    elif kv[0] != "?" and (gv == "reject") == (kv[0] == "reject"):
                        cls = "differ, as the kernel"
                    else:
                        cls = "DIFFERENT"
                    gcc_rows.append((rel, name, cls, note))

    if a.markdown:
        print("| Test | Program | Result | Kernel | Kernel message | Note |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    else:
        for r in rows:
            print("%-45s %-32s %-12s %-18s %s" % (r[0], r[1], r[2], r[3], r[5]))
    print()
    print("summary: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())) +
          ("" if use_oracle else " (declared verdicts only: oracle unavailable)"))
    bad = counts.get("FALSE-REJECT", 0)
    if a.gcc:
        print()
        for r in gcc_rows:
            print("gcc: %-45s %-32s %-16s %s" % r)
        def n(cls):
            return sum(1 for r in gcc_rows if r[2] == cls)
        nob = sum(1 for r in gcc_rows if r[1] == "-")
        print("gcc summary: same verdict %d, different as the kernel's %d, "
              "different %d, GCC-FALSE-REJECT %d, not built by gcc %d"
              % (n("same"), n("differ, as the kernel"), n("DIFFERENT"),
                 n("GCC-FALSE-REJECT"), nob))
        bad += n("GCC-FALSE-REJECT")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
