#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the hand-made seeds of tests/fuzz/corpus/rmi: byte encodings of
RMI sequences that mirror the conformance flows (failure-conditions-v1.0.md
s3/s4: realm lifecycle, RTT build and teardown, fold/unfold, DATA, RECs,
NS mappings, bad addresses, EL3 refusing GTSI). The encoding is the one
tests/fuzz/fuzz_rmi.c decodes; keep the two in step.

Usage: make_rmi_seeds.py [OUTDIR]   (default: the corpus directory)
"""
import os
import sys

OPS = ["DELEGATE", "DELEGATE_RANGE", "UNDELEGATE", "REALM_CREATE", "REALM_ACTIVATE",
       "REALM_DESTROY", "REC_AUX_COUNT", "REC_CREATE", "REC_DESTROY", "RTT_CREATE",
       "RTT_DESTROY", "RTT_FOLD", "RTT_READ_ENTRY", "MAP_UNPROTECTED",
       "UNMAP_UNPROTECTED", "INIT_RIPAS", "DATA_CREATE", "DATA_CREATE_UNKNOWN",
       "DATA_DESTROY", "VERSION_FEATURES", "PENDING", "INJECT_GTSI", "RAW", "RTTS_DOWN",
       "POPULATE_BLOCK"]
OP = {n: i for i, n in enumerate(OPS)}
LAW, ALT = 0x80, 0x40
# Granule states (granule.h) for pa_arg's pool choice.
NS, DELEGATED, RD, REC, REC_AUX, DATA, RTT = range(7)
# ipa_arg regions (b & 7): 0 = 0, 2 = 1 GB, 3 = top of PAR - 1 GB, 4 = PAR end
# (first unprotected IPA), 6 = top of the IPA space - 1 GB, 7 = out of range.
LOW, GB, PAR_TOP, UNPROT, TOP, OOR = 0, 2, 3, 4, 6, 7


def op(name, *args, flags=0):
    return bytes([OP[name] | flags]) + b"".join(args)


def pa(k=0):
    """The k-th arena granule in the state the command prefers."""
    return bytes([0, k])


def pa_state(state, k=0):
    """The k-th granule in another state (b in 160..207 with b % 7 == state)."""
    b = next(x for x in range(160, 208) if x % 7 == state)
    return bytes([b, k])


def pa_special(sel):
    """failure-conditions s1.3 addresses: 1 UART (MMIO), 3 2^48, 5 Root, 6 Secure..."""
    return bytes([208 + sel])


def rd(i=0):
    return bytes([i])


def level(lvl, lo):
    return bytes([lvl - lo])


def ipa(region=LOW, k=0, misalign=0):
    return bytes([region | (k << 3), misalign])


def realm(rd_k=0, root_k=1, s2sz=40, sl=0, vmid=0, law=False):
    g = (s2sz - 32) | (sl << 4)
    return op("REALM_CREATE", pa(rd_k), b"\x00", bytes([g, 0, vmid]), pa(root_k), b"\x07",
              flags=LAW if law else 0)


def delegate_range(first, n):
    return op("DELEGATE_RANGE", bytes([first, n - 1]))


def rtts_down(to, ipa_bytes, k=0, sl=0):
    return op("RTTS_DOWN", rd(), level(to, sl + 1), ipa_bytes, bytes([k]))


def rec_create(k_rec=0, k_aux=0, law=False):
    return op("REC_CREATE", rd(), pa(k_rec), b"\x00", bytes([0x1F, k_aux]),
              flags=LAW if law else 0)


SEEDS = {
    # Realm lifecycle (ACS realm_create/activate/destroy; failure-conditions s2.5-s2.7).
    "lifecycle": delegate_range(0, 8) + realm() + op("REC_AUX_COUNT", rd()) +
    op("REALM_ACTIVATE", rd()) + op("REALM_ACTIVATE", rd()) + op("REALM_DESTROY", rd()),
    # Geometries of mm_rtt_level_start: [32, 2, 4], [40, 1, 2], [34, 2, 16].
    "geometries": delegate_range(0, 24) + realm(s2sz=32, sl=2, vmid=1) +
    realm(s2sz=40, sl=1, vmid=2) + realm(s2sz=34, sl=2, vmid=3) +
    realm(s2sz=40, sl=0, vmid=1, law=True),
    # Populate: RTTs to level 3, DATA_CREATE (measured), INIT_RIPAS, activate, destroy.
    "populate": delegate_range(0, 16) + realm() + rtts_down(3, ipa(LOW)) +
    op("DATA_CREATE", rd(), pa(0), ipa(LOW, 0), b"\x00", b"\x01") +
    op("DATA_CREATE", rd(), pa(0), ipa(LOW, 1), b"\x00", b"\x00", flags=LAW) +
    op("INIT_RIPAS", rd(), ipa(LOW, 2), b"\x04") +
    op("DATA_CREATE_UNKNOWN", rd(), pa(0), ipa(LOW, 3)) +
    op("REALM_ACTIVATE", rd()) +
    op("DATA_CREATE_UNKNOWN", rd(), pa(0), ipa(LOW, 4), flags=LAW) +
    op("DATA_DESTROY", rd(), ipa(LOW, 0)) + op("RTT_READ_ENTRY", rd(), level(3, 0), ipa(LOW, 0)),
    # RECs: two RECs in MPIDR order, one destroyed by the law check.
    "recs": delegate_range(0, 60) + realm() + rec_create(0, 1) + rec_create(0, 1, law=True) +
    op("REC_DESTROY", pa()) + op("REALM_DESTROY", rd()),
    # Unfold/fold: RTT_CREATE with the fold law, NS block map, unfold it, fold back.
    "fold": delegate_range(0, 12) + realm() +
    op("RTT_CREATE", rd(), pa(0), level(1, 1), ipa(LOW), flags=LAW | ALT) +
    rtts_down(2, ipa(UNPROT)) +
    op("MAP_UNPROTECTED", rd(), level(2, 1), b"\x03", ipa(UNPROT)) +
    op("RTT_CREATE", rd(), pa(0), level(3, 1), ipa(UNPROT)) +
    op("RTT_FOLD", rd(), level(3, 1), ipa(UNPROT)) +
    op("MAP_UNPROTECTED", rd(), level(2, 1), b"\x05", ipa(UNPROT, 1), flags=LAW) +
    op("UNMAP_UNPROTECTED", rd(), level(2, 1), b"\x00", ipa(UNPROT)),
    # RTT_DESTROY with live children, then bottom-up (failure-conditions s2.13).
    "rtt_destroy": delegate_range(0, 12) + realm() + rtts_down(3, ipa(GB)) +
    op("DATA_CREATE_UNKNOWN", rd(), pa(0), ipa(GB)) +
    op("RTT_DESTROY", rd(), level(3, 1), ipa(GB)) + op("DATA_DESTROY", rd(), ipa(GB)) +
    op("RTT_DESTROY", rd(), level(3, 1), ipa(GB)) + op("RTT_DESTROY", rd(), level(2, 1), ipa(GB)),
    # Bad addresses (failure-conditions s1.3): MMIO, 2^48, Root, Secure, unaligned.
    "bad_addresses": op("DELEGATE", pa_special(1)) + op("DELEGATE", pa_special(3)) +
    op("DELEGATE", pa_special(5)) + op("DELEGATE", pa_special(6)) +
    op("DELEGATE", pa_special(13), b"\x00") + op("UNDELEGATE", pa_special(1)) +
    delegate_range(0, 4) + op("REALM_CREATE", pa(0), b"\x00", bytes([8, 0, 0]),
                              pa_special(6), b"\x00") +
    op("REALM_CREATE", pa_special(3), b"\x00", bytes([8, 0, 0]), pa(1), b"\x00"),
    # EL3 refuses GTSI: delegate and undelegate fail, nothing is lost.
    "gtsi_failures": op("INJECT_GTSI", b"\x02") + delegate_range(0, 4) +
    op("INJECT_GTSI", b"\x01") + op("UNDELEGATE", pa(0)) + op("UNDELEGATE", pa(0)) +
    op("DELEGATE", pa(0), flags=LAW),
    # Fold a level-3 RTT of 512 DATA into an ASSIGNED level-2 block, touch it, unfold it
    # (ACS mm_rtt_fold_assigned; TFTF host_test_rtt_fold_unfold_assigned_ram).
    "block": delegate_range(0, 16) + realm() + op("POPULATE_BLOCK", rd(), ipa(LOW), b"\x00") +
    op("RTT_FOLD", rd(), level(3, 1), ipa(LOW)) + op("RTT_READ_ENTRY", rd(), level(2, 0), ipa(LOW)) +
    op("DATA_DESTROY", rd(), ipa(LOW)) + op("RTT_DESTROY", rd(), level(3, 1), ipa(LOW)) +
    op("RTT_CREATE", rd(), pa(0), level(3, 1), ipa(LOW), flags=LAW | ALT) +
    op("RTT_CREATE", rd(), pa(0), level(3, 1), ipa(LOW)) + op("DATA_DESTROY", rd(), ipa(LOW, 5)) +
    op("RTT_FOLD", rd(), level(3, 1), ipa(LOW)),
    # Wrong-state arguments: RTT granule as RD, REC_AUX as REC, DATA as RTT.
    "wrong_states": delegate_range(0, 40) + realm() + rec_create(2, 3) +
    op("REALM_DESTROY", pa_state(RTT)) + op("REC_DESTROY", pa_state(REC_AUX)) +
    op("RTT_CREATE", rd(), pa_state(RD), level(1, 1), ipa(LOW)) +
    op("PENDING", pa_state(REC), b"\x01", pa_state(REC), b"\x00") +
    op("VERSION_FEATURES", b"\x03"),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "rmi")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds written to {out}")


if __name__ == "__main__":
    main()
