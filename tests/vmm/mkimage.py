#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Wraps a raw realm guest binary into an arm64 Linux Image.

Usage: mkimage.py GUEST.bin OFFSET OUT.Image

The guest must be linked to run at RAM base + OFFSET (tests/vmm links
rim.c at 0x80010000, OFFSET 0x10000). The Image has the 64-byte header of
Documentation/arch/arm64/booting.rst: code0 is a branch over the padding
to the guest, text_offset 0 (the VMM loads the Image at the RAM base),
image_size the whole image rounded up to 4 KB, flags = little-endian with
4 KB pages, magic "ARM\\x64" at offset 56.
"""
import struct
import sys


def main():
    guest = open(sys.argv[1], "rb").read()
    off = int(sys.argv[2], 0)
    assert off >= 64 and off % 4 == 0 and off < (1 << 27)
    code0 = 0x14000000 | (off >> 2)  # B #off (imm26, PC-relative)
    size = (off + len(guest) + 4095) & ~4095
    flags = 1 << 1  # bit 0 = 0: little-endian; bits 1-2 = 1: 4 KB pages
    hdr = struct.pack("<IIQQQQQQII", code0, 0, 0, size, flags, 0, 0, 0, 0x644D5241, 0)
    assert len(hdr) == 64
    img = hdr + bytes(off - len(hdr)) + guest
    img += bytes(size - len(img))
    open(sys.argv[3], "wb").write(img)


if __name__ == "__main__":
    main()
