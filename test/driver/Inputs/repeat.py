#!/usr/bin/env python3
"""repeat.py N STATUS command...: runs the command N times and succeeds only
if every run exits with STATUS and prints the same standard output as the
first (races between the driver's worker threads show up as crashes or
differing output on some runs, not on every one)."""
import subprocess
import sys

times, want, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
first = None
for run in range(times):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != want:
        sys.stderr.write("repeat.py: run %d exited with %d, expected %d\n%s"
                         % (run, proc.returncode, want,
                            proc.stderr.decode(errors="replace")))
        sys.exit(1)
    if first is None:
        first = proc.stdout
    elif proc.stdout != first:
        sys.stderr.write("repeat.py: run %d printed something else\n" % run)
        sys.exit(1)
sys.stdout.buffer.write(first)
