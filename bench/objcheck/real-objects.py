#!/usr/bin/env python3
"""bpflint-objcheck on BPF objects nobody here wrote, against the kernel.

For every object given (files, or directories searched for *.o):
  - runs bpflint-objcheck --format json once per object (its own per-program
    wall time, instructions processed, verdict: a finding = reject);
  - with the oracle (default when its probe load passes), loads each program
    alone into the running kernel with --stats: the kernel's verdict, final
    log line, instructions processed and its own `verification time`.

Prints one row per program and a summary: agreement (objcheck reject vs
kernel reject; objcheck silent vs kernel accept), FALSE-REJECTs (objcheck
reports, the kernel accepts: must be 0), misses, crashes/timeouts, and the
speed ratios (objcheck time / kernel verification time, median and geometric
mean over programs both processed; instructions processed per second).

  bench/objcheck/real-objects.py [--build build/llvm-19] [--no-oracle]
                                 [--tsv OUT.tsv] OBJ_OR_DIR...
Exit status 1 when there is a FALSE-REJECT or objcheck crashed or hung.
"""
import argparse
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def objects(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in sorted(files):
                    if f.endswith(".o"):
                        yield os.path.join(root, f)
        else:
            yield p


def run_objcheck(exe, obj, timeout, kernel=None):
    t0 = time.monotonic()
    args = [exe, obj, "--format", "json"] + (["--kernel", kernel] if kernel else [])
    try:
        p = subprocess.run(args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", None, timeout
    wall = time.monotonic() - t0
    if p.returncode not in (0, 1):
        kind = "bad input" if p.returncode == 2 else "CRASH rc=%d" % p.returncode
        return kind, p.stderr.strip().splitlines()[-1:] , wall
    return "ok", json.loads(p.stdout), wall


def run_oracle(exe, obj, timeout):
    try:
        p = subprocess.run([exe, "--stats", obj], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return {}
    out = {}
    for line in p.stdout.splitlines():
        m = re.match(r"(\w+): stats: insns (\d+) processed (-?\d+) time (-?\d+) us$", line)
        if m:
            out.setdefault(m.group(1), {}).update(
                insns=int(m.group(2)), processed=int(m.group(3)), time_us=int(m.group(4)))
            continue
        m = re.match(r"(\w+): (accept|reject)(?:: (.*))?$", line)
        if m:
            out.setdefault(m.group(1), {}).update(verdict=m.group(2), msg=m.group(3) or "")
    return out


def environmental(msg):
    """Load failures that say nothing about the verifier.

    Besides load errors, this counts instructions libbpf poisoned because a
    CO-RE relocation found no match in this kernel's BTF (the program was
    compiled for kernels with other types): the verifier then refuses the
    poisoned call or ld_imm64 (BPF_CORE_RELO_POISON 0xbad2310, and libbpf's
    POISON_LDIMM64_MAP_BASE / POISON_CALL_KFUNC_BASE)."""
    return bool(re.search(r"load failed|not permitted|map create failed|"
                          r"attach_btf_id|Invalid argument \(errno|unknown func|"
                          r"failed to find kernel BTF|-- BEGIN|"
                          r"unknown#195896080|200[12]000\d\d\d", msg))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build", "llvm-19"))
    ap.add_argument("--no-oracle", action="store_true")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--tsv")
    ap.add_argument("--kernel",
                    help="objcheck's kernel profile (default: the running "
                         "kernel's X.Y with the oracle, else the newest)")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    oc = os.path.join(build, "tools", "bpflint-objcheck", "bpflint-objcheck")
    orc = os.path.join(build, "tools", "bpflint-oracle", "bpflint-oracle")
    use_oracle = not a.no_oracle and subprocess.run(
        [orc, "--probe"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0

    kernel = a.kernel
    if not kernel and use_oracle:
        m = re.match(r"(\d+\.\d+)", platform.release())
        kernel = m.group(1) if m else None
    rows, counts, problems = [], {}, []
    ratios, oc_rate, k_rate = [], [], []
    total_oc_us = total_k_us = 0
    nobj = 0
    for obj in objects(a.paths):
        nobj += 1
        status, d, wall = run_objcheck(oc, obj, a.timeout, kernel)
        if status != "ok":
            if status != "bad input":
                problems.append((obj, status, d))
            counts[status] = counts.get(status, 0) + 1
            continue
        kern = run_oracle(orc, obj, a.timeout) if use_oracle else {}
        for pr in d["programs"]:
            name = pr["name"]
            verdict = "reject" if pr["findings"] else "silent"
            k = kern.get(name, {})
            kv, msg = k.get("verdict", "?"), k.get("msg", "")
            if kv == "?":
                cls = "no kernel verdict"
            elif kv == "reject" and environmental(msg):
                cls = "kernel could not load" if verdict == "silent" else "reject, kernel could not load"
            elif verdict == "reject":
                cls = "agree-reject" if kv == "reject" else "FALSE-REJECT"
            else:
                cls = "agree-accept" if kv == "accept" else "miss"
            counts[cls] = counts.get(cls, 0) + 1
            t_oc = pr.get("verify_time_us", 0)
            t_k = k.get("time_us", -1)
            total_oc_us += t_oc
            if t_k > 0:
                total_k_us += t_k
                ratios.append(max(t_oc, 1) / t_k)
                if k.get("processed", 0) > 0:
                    k_rate.append(k["processed"] / (t_k / 1e6))
            if pr["instructions_processed"] > 0 and t_oc > 0:
                oc_rate.append(pr["instructions_processed"] / (t_oc / 1e6))
            rows.append((os.path.basename(obj), name, verdict, kv, cls,
                         pr["instructions_processed"], t_oc,
                         k.get("processed", -1), t_k, msg,
                         "; ".join(sorted(pr["incomplete_paths"]))))
    if a.tsv:
        with open(a.tsv, "w") as f:
            f.write("object\tprogram\tobjcheck\tkernel\tclass\toc_processed\toc_us\t"
                    "k_processed\tk_us\tkernel_message\tgave_up\n")
            for r in rows:
                f.write("\t".join(str(x) for x in r) + "\n")
    for r in rows:
        if r[4] in ("FALSE-REJECT", "agree-reject", "reject, kernel could not load"):
            print("%-12s %s:%s  kernel: %s %s" % (r[4], r[0], r[1], r[3], r[9]))
    for p in problems:
        print("PROBLEM %s: %s %s" % p)
    print("objects: %d, programs: %d" % (nobj, len(rows)))
    print("verdicts: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
    if ratios:
        gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print("time objcheck/kernel per program: median %.3f, geometric mean %.3f, "
              "total %.3f (%d programs)" % (statistics.median(ratios), gm,
                                            total_oc_us / max(total_k_us, 1), len(ratios)))
    if oc_rate:
        print("instructions processed per second: objcheck median %.0f" %
              statistics.median(oc_rate) +
              (", kernel median %.0f" % statistics.median(k_rate) if k_rate else ""))
    return 1 if counts.get("FALSE-REJECT") or problems else 0


if __name__ == "__main__":
    sys.exit(main())
