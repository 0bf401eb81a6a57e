#!/usr/bin/env python3
"""Writes out the BPF objects embedded in executables.

libbpf skeletons (bpftool gen skeleton) embed the whole BPF ELF object in
the user-space binary as a byte array. This finds every little-endian
64-bit ELF header with e_machine EM_BPF (247) in each file, takes the object
up to the end of its section header table, and writes it as
OUTDIR/<binary>[-N].bpf.o.

  bench/objcheck/extract-embedded.py OUTDIR FILE...
"""
import os
import struct
import sys

EM_BPF = 247


def extract(path, outdir):
    with open(path, "rb") as f:
        data = f.read()
    found, at = 0, -1
    while True:
        at = data.find(b"\x7fELF\x02\x01", at + 1)
        if at < 0:
            return found
        try:
            if struct.unpack_from("<H", data, at + 18)[0] != EM_BPF:
                continue
            shoff = struct.unpack_from("<Q", data, at + 40)[0]
            shentsize, shnum = struct.unpack_from("<HH", data, at + 58)
        except struct.error:
            continue
        size = shoff + shentsize * shnum
        if size <= 64 or at + size > len(data):
            continue
        found += 1
        name = os.path.basename(path) + ("" if found == 1 else "-%d" % found)
        with open(os.path.join(outdir, name + ".bpf.o"), "wb") as out:
            out.write(data[at:at + size])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip())
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    total = sum(extract(p, outdir) for p in sys.argv[2:] if os.path.isfile(p))
    print("%d embedded BPF objects" % total, file=sys.stderr)


if __name__ == "__main__":
    main()
