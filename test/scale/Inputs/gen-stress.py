#!/usr/bin/env python3
"""gen-stress.py KIND [N]: prints a generated stress program (the same shapes
as bench/compile-time/run.py).

  branches N   one tc program with a chain of N independent if/else (2^N
               paths), holding a ring buffer record throughout
"""
import sys

kind = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 48
if kind == "branches":
    body = "\n".join(
        f"  if (x & (1ULL << {i % 63})) acc += {i}; else acc ^= {i};"
        for i in range(n))
    print(f"""#include "bpf_test.h"
struct {{ __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); }} rb SEC(".maps");
SEC("tc") int branches(void *ctx) {{
  __u64 x = bpf_get_prandom_u32(), acc = 0;
  __u64 *e = bpf_ringbuf_reserve(&rb, 8, 0);
  if (!e) return 0;
{body}
  *e = acc;
  bpf_ringbuf_submit(e, 0);
  return 0;
}}
char LICENSE[] SEC("license") = "GPL";""")
else:
    sys.exit("unknown kind " + kind)
