#!/usr/bin/env python3
"""big.py [--build DIR] [N ...]: bpflint-objcheck's speed on generated
programs of 9*N verified instructions (gen-big.py), against the kernel's own
verification time (bpflint-oracle --stats) when the oracle can load programs.
Default N: 1000 10000 110000 (the last is ~1M instructions processed, the
kernel's limit; issue 9's budget for it is 2 s). Prints, per size, objcheck's
wall and CPU time (best of 3), instructions processed, and the ratio to the
kernel's time."""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(TOP, "build", "llvm-19"))
    ap.add_argument("--clang", default="clang-19")
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 110000])
    a = ap.parse_args()
    oc = os.path.join(a.build, "tools", "bpflint-objcheck", "bpflint-objcheck")
    orc = os.path.join(a.build, "tools", "bpflint-oracle", "bpflint-oracle")
    have_oracle = subprocess.run([orc, "--probe"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL).returncode == 0
    tmp = tempfile.mkdtemp(prefix="bpflint-big-")
    print("| Iterations | Processed (objcheck) | objcheck wall | objcheck CPU | "
          "Processed (kernel) | Kernel verification time | Ratio (wall) | objcheck insns/s |")
    print("|---|---|---|---|---|---|---|---|")
    for n in a.sizes:
        src, obj = os.path.join(tmp, "big%d.c" % n), os.path.join(tmp, "big%d.o" % n)
        with open(src, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen-big.py"), str(n)],
                           stdout=f, check=True)
        subprocess.run([a.clang, "-target", "bpf", "-O2", "-g", "-c", src, "-o", obj],
                       check=True)
        best_wall = best_cpu = None
        processed = "?"
        for _ in range(3):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            p = subprocess.run([oc, obj, "--stats"], stdout=subprocess.PIPE,
                               universal_newlines=True)
            wall = time.monotonic() - t0
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            best_wall = wall if best_wall is None else min(best_wall, wall)
            best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
            for line in p.stdout.splitlines():
                if "instructions processed" in line:
                    processed = line.split("': ")[1].split(" ")[0]
        k_proc, k_time = "-", None
        if have_oracle:
            out = subprocess.run([orc, "--stats", obj], stdout=subprocess.PIPE,
                                 universal_newlines=True).stdout
            for line in out.splitlines():
                if ": stats: " in line:
                    parts = line.split()
                    k_proc = parts[parts.index("processed") + 1]
                    k_time = int(parts[parts.index("time") + 1]) / 1e6
        rate = int(processed) / best_wall if processed.isdigit() else 0
        print("| %d | %s | %.3f s | %.3f s | %s | %s | %s | %.2fM |" % (
            n, processed, best_wall, best_cpu, k_proc,
            "%.3f s" % k_time if k_time else "-",
            "%.3f" % (best_wall / k_time) if k_time else "-", rate / 1e6))


if __name__ == "__main__":
    main()
