#!/usr/bin/env bash
# bpflint-objcheck on BPF objects from Debian packages, built by Debian with
# sources nobody here wrote, against the running kernel (real-objects.py):
#   - xdp-tools, libxdp1, xdp-tests: the .o files they install (xdp-filter,
#     xdpdump, the libxdp dispatcher, AF_XDP default programs, test programs)
#     and the skeletons embedded in xdp-bench, xdp-monitor, ...;
#   - libbpf-tools: the skeletons embedded in its ~60 tools (execsnoop,
#     biolatency, tcplife, ksnoop, ...);
#   - golang-github-cilium-ebpf-dev: the little-endian test objects of the
#     cilium/ebpf library (big-endian ones are refused as bad input).
# The packages are downloaded (apt-get download), not installed.
#
#   WORK=/tmp/bpflint-debian-objects bench/objcheck/debian-objects.sh [--build DIR]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/bpflint-debian-objects}
PACKAGES="xdp-tools libxdp1 xdp-tests libbpf-tools golang-github-cilium-ebpf-dev"
mkdir -p "$WORK/debs" "$WORK/root"
if [ ! -s "$WORK/objects.stamp" ]; then
  (cd "$WORK/debs" && apt-get download $PACKAGES)
  for deb in "$WORK"/debs/*.deb; do dpkg -x "$deb" "$WORK/root"; done
  rm -rf "$WORK/objects" && mkdir -p "$WORK/objects"
  find "$WORK/root" -name '*.o' -exec cp {} "$WORK/objects/" \;
  find "$WORK/root" -name '*-el.elf' | while read -r f; do
    cp "$f" "$WORK/objects/cilium-$(basename "$f" .elf).o"
  done
  find "$WORK/root" -type f -perm -u+x -print0 |
    xargs -0 python3 "$HERE/extract-embedded.py" "$WORK/objects"
  date > "$WORK/objects.stamp"
fi
echo "$(ls "$WORK/objects" | wc -l) objects in $WORK/objects" >&2
exec "$HERE/real-objects.py" --tsv "$WORK/objcheck.tsv" "$@" "$WORK/objects"
