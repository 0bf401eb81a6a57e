#!/usr/bin/env python3
"""same-verdicts.py A.json B.json [--may-differ PROG]...: bpflint-objcheck's
per-program verdicts (reject = a finding) on two objects of the same source,
e.g. from clang and from GCC. Prints "<prog>: <verdict A> <verdict B>" per
program in A's order and exits 1 if a verdict differs (unless the program is
named with --may-differ) or a program is missing from one side."""
import json
import sys

a, b = (json.load(open(p)) for p in sys.argv[1:3])
may_differ = [sys.argv[i + 1] for i in range(3, len(sys.argv) - 1)
              if sys.argv[i] == "--may-differ"]


def verdicts(doc):
    return {p["name"]: "reject" if p["findings"] else "accept"
            for p in doc["programs"]}


va, vb = verdicts(a), verdicts(b)
bad = False
for p in a["programs"]:
    n = p["name"]
    differ = va[n] != vb.get(n)
    print("%s: %s %s%s" % (n, va[n], vb.get(n, "missing"),
                           " (may differ)" if differ and n in may_differ else ""))
    bad |= differ and n not in may_differ
for n in vb:
    if n not in va:
        print("%s: missing %s" % (n, vb[n]))
        bad = True
sys.exit(1 if bad else 0)
