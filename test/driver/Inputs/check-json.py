#!/usr/bin/env python3
"""check-json.py KIND FILE: structural checks of bpflint's JSON and SARIF
output (the parts FileCheck cannot see: the document parses, every result
names a declared rule, code flows end at the result, ...), and of the SARIF
multitool's validation log (KIND multitool: no error or warning)."""
import json
import sys

kind, path = sys.argv[1], sys.argv[2]
with open(path) as f:
    doc = json.load(f)


def fail(msg):
    sys.exit("check-json.py: %s: %s" % (path, msg))


if kind == "json":
    for key in ("tool", "version", "kernel", "files", "failures", "findings"):
        if key not in doc:
            fail("missing %s" % key)
    for f in doc["findings"]:
        if not f["check"].startswith("bpflint-") or not f["rule"]:
            fail("bad check/rule in %r" % f)
        if f["line"] < 1 or f["column"] < 1 or not f["notes"]:
            fail("bad location or no notes in %r" % f)
elif kind in ("sarif", "sarif-empty"):
    if doc["version"] != "2.1.0" or len(doc["runs"]) != 1:
        fail("not one SARIF 2.1.0 run")
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    if len(set(ids)) != len(ids) or not ids:
        fail("rule ids missing or not unique")
    for r in driver["rules"]:
        if not (r["helpUri"].endswith(r["id"][len("bpflint-"):] + ".md")
                and r["properties"]["ruleId"] and r["shortDescription"]["text"]):
            fail("incomplete rule %s" % r["id"])
    results = run["results"]
    if kind == "sarif-empty":
        if results:
            fail("results in a clean run")
        sys.exit(0)
    if not results:
        fail("no results")
    for res in results:
        if ids[res["ruleIndex"]] != res["ruleId"]:
            fail("ruleIndex does not match ruleId %s" % res["ruleId"])
        loc = res["locations"][0]["physicalLocation"]
        steps = res["codeFlows"][0]["threadFlows"][0]["locations"]
        last = steps[-1]["location"]["physicalLocation"]
        if last != loc:
            fail("the code flow of %s does not end at the result" % res["ruleId"])
        orders = [s["executionOrder"] for s in steps]
        if orders != list(range(1, len(steps) + 1)):
            fail("execution order %r" % orders)
        if "verifier:" not in res["message"]["text"]:
            fail("no kernel message in %r" % res["message"]["text"])
elif kind == "multitool":
    bad = [r for r in doc["runs"][0].get("results", [])
           if r.get("level", "warning") in ("error", "warning")]
    for r in bad:
        print("%s: %s %s" % (r["ruleId"], r.get("level", "warning"),
                             r["message"].get("arguments")))
    if bad:
        fail("the SARIF multitool reports problems")
    if not doc["runs"][0]["invocations"][0]["executionSuccessful"]:
        fail("the SARIF multitool did not run to completion")
else:
    fail("unknown kind %s" % kind)
