#!/usr/bin/env python3
"""Writes a damaged copy of a little-endian ELF64 object, for bad-input tests.

Usage: corrupt.py IN OUT MODE
Modes: class32, machine-x86, shoff, code-size, btf-magic,
       btf-ext-truncated, core-reloc-section, reloc-symbol, func-outside
"""
import struct
import sys

src, dst, mode = sys.argv[1:4]
data = bytearray(open(src, "rb").read())

e_shoff, = struct.unpack_from("<Q", data, 0x28)
e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHH", data, 0x3a)


def section(i):
    off = e_shoff + i * e_shentsize
    name, typ, flags, addr, offset, size, link, info, align, entsize = \
        struct.unpack_from("<IIQQQQIIQQ", data, off)
    return dict(hdr=off, name=name, type=typ, offset=offset, size=size,
                link=link, info=info)


strtab = section(e_shstrndx)


def name_of(sec):
    start = strtab["offset"] + sec["name"]
    return bytes(data[start:data.index(b"\0", start)]).decode()


def find(name):
    for i in range(e_shnum):
        sec = section(i)
        if name_of(sec) == name:
            return i, sec
    sys.exit("no section " + name)


if mode == "class32":
    data[4] = 1
elif mode == "machine-x86":
    struct.pack_into("<H", data, 0x12, 62)
elif mode == "shoff":
    struct.pack_into("<Q", data, 0x28, len(data) + 4096)
elif mode == "code-size":
    _, sec = find("tc")
    struct.pack_into("<Q", data, sec["hdr"] + 0x20, sec["size"] - 4)
elif mode == "btf-magic":
    _, sec = find(".BTF")
    struct.pack_into("<H", data, sec["offset"], 0)
elif mode == "btf-ext-truncated":
    # line_info_len: far beyond the end of the section.
    _, sec = find(".BTF.ext")
    struct.pack_into("<I", data, sec["offset"] + 20, 0x7fffffff)
elif mode == "core-reloc-section":
    # The first CO-RE relocation block names a section by the first BTF
    # string (a type name such as "int"), which is no section.
    _, sec = find(".BTF.ext")
    base = sec["offset"]
    hdr_len, = struct.unpack_from("<I", data, base + 4)
    core_off, = struct.unpack_from("<I", data, base + 24)
    struct.pack_into("<I", data, base + hdr_len + core_off + 4, 1)
elif mode == "reloc-symbol":
    _, sec = find(".reltc")
    r_offset, r_info = struct.unpack_from("<QQ", data, sec["offset"])
    struct.pack_into("<Q", data, sec["offset"] + 8, (99999 << 32) | (r_info & 0xffffffff))
elif mode == "func-outside":
    _, symtab = find(".symtab")
    for off in range(symtab["offset"], symtab["offset"] + symtab["size"], 24):
        info = data[off + 4]
        if info & 0xf == 2:  # STT_FUNC
            struct.pack_into("<Q", data, off + 8, 1 << 40)
            break
else:
    sys.exit("unknown mode " + mode)
open(dst, "wb").write(data)
