#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Rebuild a realm's RIM from a construction log, independently of the RMM.

Written from the layout tables of ../shared/reference/rmm-v1.0.md (s14.2
RIM initialisation, s14.3 descriptors, s14.4 which commands extend, s11.3
RTT_INIT_RIPAS, s10 stage-2 geometry) with hashlib only; it shares no code
with src/rmm/measurement.c.

Usage: rim.py LOGFILE   prints the RIM as lowercase hex (hash length).

LOGFILE is JSON, the successful construction commands in order:
  {"realm": {"flags", "s2sz", "sve_vl", "num_bps", "num_wps",
             "pmu_num_ctrs", "algorithm", "rtt_level_start"},
   "commands": [
     {"cmd": "RTT_CREATE", "ipa": N, "level": L},
     {"cmd": "DATA_CREATE", "ipa": N, "flags": 0|1, "content": "<8192 hex>"},
     {"cmd": "DATA_CREATE_UNKNOWN", "ipa": N},
     {"cmd": "RTT_INIT_RIPAS", "base": N, "top": N, "top_out": N},
     {"cmd": "REC_CREATE", "flags": N, "pc": N, "gprs": [8 x N]}]}
Numbers may be JSON integers or "0x..." strings. For RTT_INIT_RIPAS the
model predicts which RTT entries the RMM processes (s11.3) and checks the
logged top_out against its prediction; any disagreement, or a command the
model says must have failed, exits with status 2.
"""
import hashlib
import json
import struct
import sys

GRANULE = 4096
DESC_SIZE = 0x100
SLOT = 64  # s14.1: each measurement slot is 64 bytes


class ModelError(Exception):
    pass


def num(v):
    return int(v, 0) if isinstance(v, str) else int(v)


def entry_size(level):
    # s10: bytes mapped by one entry at level -1..3
    return 1 << (12 + 9 * (3 - level))


class Rim:
    def __init__(self, algorithm):
        if algorithm not in (0, 1):
            raise ModelError("algorithm must be 0 (SHA-256) or 1 (SHA-512)")
        self.name = "sha256" if algorithm == 0 else "sha512"
        self.value = b""

    def h(self, data):
        return hashlib.new(self.name, data).digest()

    def slot(self, digest):
        return digest + bytes(SLOT - len(digest))

    def init(self, realm):
        # s14.2: zero 4096-byte RmiRealmParams image with only these fields
        p = bytearray(GRANULE)
        struct.pack_into("<Q", p, 0x000, num(realm["flags"]))
        struct.pack_into("<I", p, 0x008, num(realm["s2sz"]))
        struct.pack_into("<I", p, 0x010, num(realm["sve_vl"]))
        struct.pack_into("<I", p, 0x018, num(realm["num_bps"]))
        struct.pack_into("<I", p, 0x020, num(realm["num_wps"]))
        struct.pack_into("<I", p, 0x028, num(realm["pmu_num_ctrs"]))
        struct.pack_into("<B", p, 0x030, num(realm["algorithm"]))
        self.value = self.h(bytes(p))

    def header(self, desc_type):
        # s14.3 common header: type u8 at 0, len u64 at 8, RIM at 0x10
        d = bytearray(DESC_SIZE)
        d[0] = desc_type
        struct.pack_into("<Q", d, 0x08, DESC_SIZE)
        d[0x10:0x50] = self.slot(self.value)
        return d

    def extend_data(self, ipa, flags, content):
        d = self.header(0)
        struct.pack_into("<QQ", d, 0x50, ipa, flags)
        if flags == 1:  # MEASURE_CONTENT
            d[0x60:0xA0] = self.slot(self.h(content))
        self.value = self.h(bytes(d))

    def extend_rec(self, flags, pc, gprs):
        # s14.3: H(zero RmiRecParams image with flags, pc, gprs[0..7] only)
        p = bytearray(GRANULE)
        struct.pack_into("<Q", p, 0x000, flags)
        struct.pack_into("<Q", p, 0x200, pc)
        struct.pack_into("<8Q", p, 0x300, *gprs)
        d = self.header(1)
        d[0x50:0x90] = self.slot(self.h(bytes(p)))
        self.value = self.h(bytes(d))

    def extend_ripas(self, base, top):
        d = self.header(2)
        struct.pack_into("<QQ", d, 0x50, base, top)
        self.value = self.h(bytes(d))


class Stage2:
    """The part of a realm's RTT layout the RIM depends on (s10, s11.3)."""

    def __init__(self, realm):
        self.s2sz = num(realm["s2sz"])
        self.start = num(realm["rtt_level_start"])
        self.tables = set()  # (level, base IPA) of every non-root RTT
        self.assigned = set()  # level-3 IPAs holding a DATA granule

    def rtt_create(self, ipa, level):
        if not self.start < level <= 3 or ipa % entry_size(level - 1):
            raise ModelError("RTT_CREATE(%#x, %d) is invalid" % (ipa, level))
        self.tables.add((level, ipa))

    def walk(self, ipa):
        """Level of the deepest RTT covering ipa, and the range it covers."""
        level, lo, hi = self.start, 0, 1 << self.s2sz
        while level < 3:
            child = ipa - ipa % entry_size(level)
            if (level + 1, child) not in self.tables:
                break
            level, lo, hi = level + 1, child, child + entry_size(level)
        return level, lo, hi

    def data(self, ipa):
        if self.walk(ipa)[0] != 3 or ipa in self.assigned:
            raise ModelError("DATA_CREATE at %#x cannot succeed" % ipa)
        self.assigned.add(ipa)

    def init_ripas(self, rim, base, top):
        """s11.3: one RTT, entries ending at or below top, stop at ASSIGNED."""
        level, _, rtt_end = self.walk(base)
        size = entry_size(level)
        if base % size:
            raise ModelError("INIT_RIPAS base %#x not aligned at level %d" % (base, level))
        addr = base
        while addr < rtt_end and addr + size <= top:
            if any(addr <= a < addr + size for a in self.assigned):
                break
            rim.extend_ripas(addr, addr + size)
            addr += size
        if addr == base:
            raise ModelError("INIT_RIPAS at %#x makes no progress" % base)
        return addr


def rebuild(log):
    realm = log["realm"]
    rim = Rim(num(realm["algorithm"]))
    rim.init(realm)
    s2 = Stage2(realm)
    for c in log["commands"]:
        cmd = c["cmd"]
        if cmd == "RTT_CREATE":
            s2.rtt_create(num(c["ipa"]), num(c["level"]))
        elif cmd == "DATA_CREATE":
            content = bytes.fromhex(c["content"])
            if len(content) != GRANULE:
                raise ModelError("DATA_CREATE content must be 4096 bytes")
            s2.data(num(c["ipa"]))
            rim.extend_data(num(c["ipa"]), num(c["flags"]), content)
        elif cmd == "DATA_CREATE_UNKNOWN":
            s2.data(num(c["ipa"]))  # s14.4: never measured
        elif cmd == "RTT_INIT_RIPAS":
            got = s2.init_ripas(rim, num(c["base"]), num(c["top"]))
            if got != num(c["top_out"]):
                raise ModelError("INIT_RIPAS(%#x, %#x): RMM top_out %#x, model %#x"
                                 % (num(c["base"]), num(c["top"]), num(c["top_out"]), got))
        elif cmd == "REC_CREATE":
            flags = num(c["flags"])
            if flags & 1:  # s14.4: only RUNNABLE RECs are measured
                rim.extend_rec(flags, num(c["pc"]), [num(g) for g in c["gprs"]])
        else:
            raise ModelError("unknown command %r" % cmd)
    return rim.value


def main(argv):
    if len(argv) != 2:
        print("usage: rim.py LOGFILE", file=sys.stderr)
        return 1
    with open(argv[1]) as f:
        log = json.load(f)
    try:
        print(rebuild(log).hex())
    except ModelError as e:
        print("rim.py: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
