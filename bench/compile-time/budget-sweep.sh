#!/usr/bin/env bash
# bench/compile-time/budget-sweep.sh -- how the analyzer's node budget trades
# compile time for coverage on the kernel's BPF selftests.
#
# For each budget, compiles every tools/testing/selftests/bpf/progs/*.c of
# Linux 6.12 (extracted by bench/selftests/run.sh, which must have run once)
# with the plugin, -fplugin-arg-bpflint-report-incomplete and
# -analyzer-config max-nodes=<budget>, and counts the bpflint warnings, the
# programs whose analysis was cut short by the node budget or by a loop, and
# the summed user time. (225001 stands for clang's default, 225000: the plugin
# replaces exactly that value by its own budget.)
#
# Usage: bench/compile-time/budget-sweep.sh [budget ...]   (default: 225001 50000 20000)
# Env:   WORK (default /tmp/bpflint-selftests), PLUGIN, CLANG, JOBS (default 1),
#        FILES (glob on progs/, default *.c)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/bpflint-selftests}
PLUGIN=${PLUGIN:-$ROOT/build/llvm-19/lib/bpflint.so}
CLANG=${CLANG:-clang-19}
JOBS=${JOBS:-1}
FILES=${FILES:-*.c}
ST=$WORK/linux-source-6.12/tools/testing/selftests/bpf
[ -f "$WORK/cflags" ] && [ -d "$ST/progs" ] ||
  { echo "run bench/selftests/run.sh first (needs $WORK/cflags and $ST)" >&2; exit 1; }
OUT=$(mktemp -d /tmp/bpflint-sweep.XXXXXX)
cp "$PLUGIN" "$OUT/bpflint.so"
export CLANG OUT CFLAGS_STR; CFLAGS_STR=$(cat "$WORK/cflags")
one() {  # $1 = file, $2 = budget
  local b; b=$(basename "$1" .c)
  eval "CFLAGS=($CFLAGS_STR)"
  /usr/bin/time -f "%U" -o "$OUT/$2/$b.time" timeout 120 $CLANG "${CFLAGS[@]}" \
    -fplugin="$OUT/bpflint.so" -fplugin-arg-bpflint-kernel=6.12 \
    -fplugin-arg-bpflint-report-incomplete -fno-caret-diagnostics \
    -Xclang -analyzer-config -Xclang max-nodes="$2" "$1" >"$OUT/$2/$b.log" 2>&1 || true
}
export -f one
printf '%-8s %6s %9s %12s %12s %9s\n' budget files warnings "cut:budget" "cut:loop" "user s"
for B in "${@:-225001 50000 20000}"; do
  mkdir -p "$OUT/$B"
  (cd "$ST/progs" && ls $FILES) | sed "s|^|$ST/progs/|" | xargs -P "$JOBS" -I{} bash -c 'one "$1" "$2"' _ {} "$B"
  files=$(ls "$OUT/$B"/*.log | wc -l)
  warns=$(cat "$OUT/$B"/*.log | grep -cE 'warning: .*\[bpflint-[a-z-]+\]' || true)
  budget=$(cat "$OUT/$B"/*.log | grep -c 'remark: bpflint: .*node budget' || true)
  loop=$(cat "$OUT/$B"/*.log | grep -c 'remark: bpflint: .*iterations of a loop' || true)
  user=$(cat "$OUT/$B"/*.time | grep -E '^[0-9.]+$' | paste -sd+ | bc)
  printf '%-8s %6s %9s %12s %12s %9s\n' "$B" "$files" "$warns" "$budget" "$loop" "$user"
done
echo "logs: $OUT" >&2
