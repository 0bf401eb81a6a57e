#!/usr/bin/env python3
"""Runs a command and prints its output (stdout, then stderr) followed by
"exit=<status>", so FileCheck can check a tool's exact exit status (lit's
`not` accepts any failure; bpflint-objcheck promises 2 for bad input)."""
import subprocess
import sys

proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, universal_newlines=True)
sys.stdout.write(proc.stdout)
sys.stdout.write(proc.stderr)
print("exit=%d" % proc.returncode)
