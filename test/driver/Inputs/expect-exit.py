#!/usr/bin/env python3
"""expect-exit.py N command...: runs the command with its output passed
through and succeeds only if it exits with status N (lit's `not` accepts any
failure; bpflint promises 1 for findings and 2 for errors)."""
import subprocess
import sys

want = int(sys.argv[1])
sys.stdout.flush()
status = subprocess.call(sys.argv[2:])
if status != want:
    sys.stderr.write("expect-exit.py: %s exited with %d, expected %d\n"
                     % (sys.argv[2], status, want))
    sys.exit(1)
