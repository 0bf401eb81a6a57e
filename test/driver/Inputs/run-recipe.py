#!/usr/bin/env python3
"""run-recipe.py: runs the build-integration recipes' YAML the way their
tools do, for the recipe tests.

  run-recipe.py pre-commit HOOKS.yaml DRIVER FILE...
      The pre-commit framework: for the hook with id bpflint, the staged
      files its `files` regex selects are appended to entry + args; the
      entry `bpflint` is DRIVER. Prints the command, the output, the status.
  run-recipe.py github WORKFLOW.yml DRIVER_DIR STEP...
      GitHub Actions: runs the `run:` steps with the given ids of the
      workflow's bpflint job in order (bash -e, the job's env, DRIVER_DIR on
      PATH), then prints the upload step's action and inputs.
"""
import os
import re
import subprocess
import sys

import yaml


def pre_commit(hooks_file, driver, files):
    with open(hooks_file) as f:
        hooks = yaml.safe_load(f)
    hook = next(h for h in hooks if h["id"] == "bpflint")
    assert hook["language"] == "system"
    selected = [f for f in files if re.search(hook["files"], f)]
    cmd = [hook["entry"]] + hook.get("args", []) + selected
    print("command:", " ".join(cmd))
    sys.stdout.flush()
    status = subprocess.call([driver] + cmd[1:])
    print("exit status:", status)


def github(workflow_file, driver_dir, step_ids):
    with open(workflow_file) as f:
        workflow = yaml.safe_load(f)
    job = workflow["jobs"]["bpflint"]
    env = dict(os.environ)
    env.update({k: str(v) for k, v in job.get("env", {}).items()})
    env["PATH"] = driver_dir + os.pathsep + env["PATH"]
    steps = {s.get("id"): s for s in job["steps"]}
    for sid in step_ids:
        print("step:", sid)
        sys.stdout.flush()
        status = subprocess.call(["bash", "-e", "-c", steps[sid]["run"]],
                                 env=env)
        print("exit status:", status)
        if status:
            sys.exit(1)
    upload = steps["upload"]
    print("upload:", upload["uses"])
    for k, v in sorted(upload.get("with", {}).items()):
        print("  %s: %s" % (k, v))
    print("permissions:", workflow.get("permissions"))


def main():
    mode = sys.argv[1]
    if mode == "pre-commit":
        pre_commit(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif mode == "github":
        github(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
