#!/usr/bin/env python3
# Writes the seed corpus of the realm-side fuzzer (tests/fuzz/corpus/realm):
# 8 bytes seeding the host's choices, then 16-byte ops
# (kind u8, a u8, b u16, c u32, v u64; see guests/realmfuzz.c).
import os
import random
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "realm")
os.makedirs(out, exist_ok=True)


def op(kind, a=0, b=0, c=0, v=0):
    return struct.pack("<BBHIQ", kind, a, b, c, v & (2**64 - 1))


def seed(name, host, ops):
    with open(os.path.join(out, name), "wb") as f:
        f.write(struct.pack("<Q", host) + b"".join(ops))


seed("rsi", 1, [op(0, v=0x10000), op(1), op(1, a=2), op(1, c=1, v=0x123), op(2, a=1), op(3, a=2, b=32, v=7),
               op(3, a=0, b=70), op(6, a=0, b=3), op(7), op(7, a=2), op(8, v=0), op(4, a=0, c=1, v=5),
               op(10, a=3), op(10, c=1, v=0xC40001FF)])
seed("mem", 2, [op(12, a=s, v=0x1238 * s) for s in range(8)] + [op(13, a=s, b=2 * (s & 1), c=s, v=s) for s in range(8)]
     + [op(12, a=s, b=1) for s in (1, 3, 5)] + [op(11, v=0x84000000)])
seed("ripas", 3, [op(5, a=0, b=3, c=0), op(12, a=0, v=0x100), op(5, a=0, b=3, c=1 << 3), op(13, a=0, v=0x200),
                  op(6, a=0, b=8), op(5, a=4, b=2, c=(1 << 3) | 5, v=0x10), op(5, c=6), op(5, a=8, c=7),
                  op(5, a=2, b=1, c=(2 << 3) | (1 << 5)), op(12, a=0, v=0x2000)])
seed("psci", 4, [op(9, a=a, b=b, c=c, v=0x80000000) for a in range(10) for (b, c) in ((1, 0), (4, 0x10), (9, 0))]
     + [op(9, a=10, c=0x100)])
rnd = random.Random(1)
seed("random", 5, [rnd.randbytes(16) for _ in range(48)])
seed("report_off", 6, [op(14, v=1), op(15), op(9, a=11, c=0x100)])
