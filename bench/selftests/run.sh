#!/usr/bin/env bash
# bench/selftests/run.sh -- run bpflint over the Linux kernel's BPF selftests.
#
# What it does (idempotent; re-running reuses the extracted tree and vmlinux.h):
#   1. Ensures Debian's linux-source-6.12 tarball is installed (apt-get only).
#   2. Extracts tools/testing/selftests/bpf, tools/lib, tools/include and the
#      bpf_doc.py script into $WORK (default /tmp/bpflint-selftests).
#   3. Generates bpf_helper_defs.h with scripts/bpf_doc.py (fallback:
#      /usr/include/bpf/bpf_helper_defs.h), installs the libbpf headers into
#      $WORK/include/bpf, and vmlinux.h from /sys/kernel/btf/vmlinux (bpftool).
#   4. For every progs/*.c: compiles with clang-19 -fsyntax-only and the flags of
#      the selftests Makefile (BPF_CFLAGS + CLANG_SYS_INCLUDES + -mcpu=v3 +
#      -DENABLE_ATOMICS_TESTS; -Werror dropped so bpflint findings stay warnings),
#      WITH the plugin; if that fails, again WITHOUT it: files that fail
#      without the plugin are excluded ("compile-failed").
#      Each compile has a timeout of $TIMEOUT seconds (default 60).
#   5. Loads every program of each file with a warning into the running kernel
#      with build/llvm-19/tools/bpflint-oracle (ORACLE=0 to skip).
#   6. Writes $WORK/results.tsv (file, status, warning line) and runs
#      classify.py which writes bench/selftests/results.md.
#
# Usage:  bench/selftests/run.sh            # all files
#         FILES='spin_lock*.c' bench/selftests/run.sh   # a subset (glob on progs/)
# Env:    WORK, PLUGIN, CLANG, TIMEOUT, JOBS, ORACLE, RESULTS, KERNEL (bpflint profile,
#         default 6.12 = the selftests' kernel), FILES.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/bpflint-selftests}
PLUGIN=${PLUGIN:-$ROOT/build/llvm-19/lib/bpflint.so}
CLANG=${CLANG:-clang-19}
TIMEOUT=${TIMEOUT:-60}
JOBS=${JOBS:-$(nproc)}
KERNEL=${KERNEL:-6.12}
FILES=${FILES:-*.c}
TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC=$WORK/linux-source-6.12
ST=$SRC/tools/testing/selftests/bpf

mkdir -p "$WORK"
if [ ! -f "$TARBALL" ]; then
  apt-get install -y linux-source-6.12 >/dev/null
fi
if [ ! -f "$SRC/.extracted" ]; then
  echo "extracting selftests from $TARBALL ..." >&2
  tar -C "$WORK" -xJf "$TARBALL" --wildcards \
    'linux-source-6.12/tools/testing/selftests/bpf/*' \
    'linux-source-6.12/tools/lib/*' 'linux-source-6.12/tools/include/*' \
    'linux-source-6.12/scripts/bpf_doc.py'
  touch "$SRC/.extracted"
fi

INC=$WORK/include
mkdir -p "$INC/bpf"
cp -u "$SRC"/tools/lib/bpf/*.h "$INC/bpf/"
if [ ! -s "$INC/bpf/bpf_helper_defs.h" ]; then
  if ! python3 "$SRC/scripts/bpf_doc.py" --header \
        --file "$SRC/tools/include/uapi/linux/bpf.h" > "$INC/bpf/bpf_helper_defs.h.tmp"; then
    echo "bpf_doc.py failed; using /usr/include/bpf/bpf_helper_defs.h" >&2
    cp /usr/include/bpf/bpf_helper_defs.h "$INC/bpf/bpf_helper_defs.h.tmp"
  fi
  mv "$INC/bpf/bpf_helper_defs.h.tmp" "$INC/bpf/bpf_helper_defs.h"
fi
if [ ! -s "$INC/vmlinux.h" ]; then
  bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$INC/vmlinux.h.tmp"
  mv "$INC/vmlinux.h.tmp" "$INC/vmlinux.h"
fi

# CLANG_SYS_INCLUDES, as tools/scripts/Makefile.include computes it.
SYSINC=$($CLANG -v -E - </dev/null 2>&1 |
  sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

CFLAGS=(-g -Wall -D__TARGET_ARCH_x86 -mlittle-endian
        -I"$INC" -I"$ST" -I"$SRC/tools/include/uapi" -I"$ST/progs"
        -Wno-compare-distinct-pointer-types $SYSINC -DENABLE_ATOMICS_TESTS
        -O2 --target=bpf -mcpu=v3 -fsyntax-only)
# Snapshot the plugin: the build tree may be rebuilt while we run.
for i in 1 2 3 4 5 6; do
  cp "$PLUGIN" "$WORK/bpflint.so.tmp" && mv "$WORK/bpflint.so.tmp" "$WORK/bpflint.so"
  if $CLANG --target=bpf -fsyntax-only -fplugin="$WORK/bpflint.so" -x c /dev/null 2>/dev/null; then
    break; fi
  echo "plugin not loadable yet (being rebuilt?); retrying" >&2; sleep 20
done
echo "plugin: $PLUGIN (snapshot sha256 $(sha256sum "$WORK/bpflint.so" | cut -c1-12), mtime $(stat -c %y "$PLUGIN"))" | tee "$WORK/plugin.txt" >&2
PLUGIN=$WORK/bpflint.so
OUT=$WORK/out
rm -rf "$OUT"; mkdir -p "$OUT"
printf '%q ' "${CFLAGS[@]}" > "$WORK/cflags"

one() {  # $1 = progs/<file>.c ; writes $OUT/<file>.{lint,base}[.rc]
  # The plugin adds warnings only, so a compile WITH the plugin that exits 0
  # also compiles without it; only on failure is the plain compile run, to
  # tell "does not compile with clang-19" from "bpflint failed/timed out".
  local f=$1 b; b=$(basename "$f" .c)
  local rc=0
  timeout "$TIMEOUT" $CLANG "${CFLAGS[@]}" -fplugin="$PLUGIN" \
     -fplugin-arg-bpflint-kernel="$KERNEL" -fno-caret-diagnostics \
     "$f" >"$OUT/$b.lint" 2>&1 || rc=$?
  echo "$rc" > "$OUT/$b.lint.rc"
  if [ "$rc" = 0 ]; then echo 0 > "$OUT/$b.base.rc"; return 0; fi
  rc=0
  timeout "$TIMEOUT" $CLANG "${CFLAGS[@]}" "$f" >"$OUT/$b.base" 2>&1 || rc=$?
  echo "$rc" > "$OUT/$b.base.rc"
}
export -f one; export OUT CLANG TIMEOUT PLUGIN KERNEL
export CFLAGS_STR; CFLAGS_STR=$(cat "$WORK/cflags")
# bash cannot export arrays: re-create CFLAGS in the subshell.
(cd "$ST/progs" && ls $FILES) | sed "s|^|$ST/progs/|" |
  xargs -P "$JOBS" -I{} bash -c 'eval "CFLAGS=($CFLAGS_STR)"; one "$1"' _ {}

# results.tsv: file <TAB> status <TAB> warning
{
  for rcf in "$OUT"/*.base.rc; do
    b=$(basename "$rcf" .base.rc)
    if [ "$(cat "$rcf")" != 0 ]; then
      [ "$(cat "$rcf")" = 124 ] && s=base-timeout || s=compile-failed
      printf '%s.c\t%s\t\n' "$b" "$s"; continue
    fi
    lrc=$(cat "$OUT/$b.lint.rc")
    if [ "$lrc" = 124 ]; then s=lint-timeout; elif [ "$lrc" != 0 ]; then s=lint-failed; else s=ok; fi
    n=0
    while IFS= read -r w; do
      printf '%s.c\t%s\t%s\n' "$b" "$s" "$w"; n=$((n+1))
    done < <(grep -E 'warning: .*\[bpflint-[a-z-]+\]' "$OUT/$b.lint" || true)
    [ "$n" -gt 0 ] || printf '%s.c\t%s\t\n' "$b" "$s"
  done
} > "$WORK/results.tsv"

# Kernel verdicts: every file with a bpflint warning is compiled to an object
# and each of its programs loaded alone by bpflint-oracle into the RUNNING
# kernel (ORACLE=0 skips this). fentry/fexit/lsm/struct_ops may fail to load
# for environmental reasons ("load failed"): no verdict.
ORACLE_BIN=${ORACLE_BIN:-$ROOT/build/llvm-19/tools/bpflint-oracle/bpflint-oracle}
if [ "${ORACLE:-1}" = 1 ] && [ -x "$ORACLE_BIN" ]; then
  mkdir -p "$WORK/obj"; rm -f "$WORK"/obj/*.oracle
  OBJFLAGS=("${CFLAGS[@]/-fsyntax-only/}")
  for f in $(awk -F'\t' '$3!="" {print $1}' "$WORK/results.tsv" | sort -u); do
    b=${f%.c}
    if timeout "$TIMEOUT" $CLANG "${OBJFLAGS[@]}" -c "$ST/progs/$f" -o "$WORK/obj/$b.o" 2>/dev/null; then
      timeout 300 "$ORACLE_BIN" "$WORK/obj/$b.o" > "$WORK/obj/$b.oracle" 2>&1 || true
    fi
  done
fi

echo "files: $(ls "$OUT"/*.base.rc | wc -l)" \
     " compile-failed: $(cut -f1,2 "$WORK/results.tsv" | sort -u | grep -c compile-failed || true)" \
     " lint-timeout: $(cut -f1,2 "$WORK/results.tsv" | sort -u | grep -c lint-timeout || true)" \
     " bpflint warnings: $(awk -F'\t' '$3!=""' "$WORK/results.tsv" | wc -l)" >&2
python3 "$HERE/classify.py" "$WORK" "${RESULTS:-$HERE/results.md}"
