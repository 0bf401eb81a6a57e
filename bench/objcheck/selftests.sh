#!/usr/bin/env bash
# bench/objcheck/selftests.sh -- bpflint-objcheck on the objects of the
# kernel's BPF selftests (Linux 6.12, tools/testing/selftests/bpf/progs),
# programs nobody here wrote, against the running kernel's verdicts.
#
# Needs the tree bench/selftests/run.sh extracts (it writes $WORK/cflags,
# the selftests Makefile's flags): run that once first. Compiles every
# progs/*.c to an object under $WORK/obj-objcheck (files clang-19 cannot
# build are skipped), then runs real-objects.py on them: objcheck once per
# object, the oracle (with --stats) once per program.
#
# Env: WORK (default /tmp/bpflint-selftests), BUILD (default build/llvm-19),
#      JOBS (default nproc), FILES (glob on progs/, default *.c).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/bpflint-selftests}
BUILD=${BUILD:-$ROOT/build/llvm-19}
JOBS=${JOBS:-$(nproc)}
FILES=${FILES:-*.c}
ST=$WORK/linux-source-6.12/tools/testing/selftests/bpf
if [ ! -s "$WORK/cflags" ] || [ ! -d "$ST/progs" ]; then
  echo "run bench/selftests/run.sh first (it extracts the selftests into $WORK)" >&2
  exit 2
fi
OBJ=$WORK/obj-objcheck
mkdir -p "$OBJ"
export OBJ CFLAGS_STR; CFLAGS_STR=$(cat "$WORK/cflags")
(cd "$ST/progs" && ls $FILES) | sed "s|^|$ST/progs/|" |
  xargs -P "$JOBS" -I{} bash -c '
    eval "CFLAGS=($CFLAGS_STR)"; CFLAGS=("${CFLAGS[@]/-fsyntax-only/}")
    b=$(basename "$1" .c)
    [ -s "$OBJ/$b.o" ] && [ "$OBJ/$b.o" -nt "$1" ] && exit 0
    timeout 120 clang-19 "${CFLAGS[@]}" -c "$1" -o "$OBJ/$b.o" 2>/dev/null ||
      rm -f "$OBJ/$b.o"' _ {}
echo "$(ls "$OBJ" | wc -l) objects in $OBJ" >&2
exec "$HERE/real-objects.py" --build "$BUILD" --tsv "$WORK/objcheck.tsv" "$OBJ"
