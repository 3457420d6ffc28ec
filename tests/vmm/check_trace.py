#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Validates a `realmkit run --trace` file of a realm with N vCPUs.

Usage: check_trace.py TRACE.json N

Checks (issue 7 "Traces", src/vmm/trace.h): the file is JSON with a
traceEvents list; every event has the keys of its phase (M metadata, X
complete events with ts/dur >= 0, i instant events); one named track for
the host (tid 0) and one per vCPU (tid 1..N); KVM_RUN spans and REC_ENTER
spans (from the host's RMI observer) on every vCPU track, each REC_ENTER
inside a KVM_RUN of its track; exit spans named "exit <REASON>"; instant
events for the other RMI calls with x1..x6, status and ret; the realm's
life in order (kvm-cca-host.md s3.7): REALM_CREATE, DATA_CREATE (populate),
REC_CREATE x N, RTT_INIT_RIPAS, REALM_ACTIVATE, the first REC_ENTER, and
REALM_DESTROY last. Prints one line per failure and exits 1 on any.
"""
import json
import sys

fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)
    return cond


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    try:
        doc = json.load(open(path))
    except ValueError as e:
        print(f"trace: FAILED not JSON: {e}")
        return 1
    ev = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not check(isinstance(ev, list) and ev, "no traceEvents list"):
        return report()
    for e in ev:
        ph = e.get("ph")
        ok = isinstance(e.get("name"), str) and e.get("pid") == 1 and ph in ("M", "X", "i")
        if ph == "X":
            ok = ok and e["ts"] >= 0 and e["dur"] >= 0 and isinstance(e.get("args"), dict)
        if ph == "i":
            ok = ok and e["ts"] >= 0 and e.get("s") == "t"
        if not check(ok, f"malformed event {e}"):
            return report()
    names = {e["tid"]: e["args"]["name"] for e in ev if e["name"] == "thread_name"}
    check(names.get(0) == "host", f"host track: {names}")
    for v in range(n):
        check(names.get(v + 1) == f"vCPU {v}", f"vCPU {v} track: {names}")
    rmi = [e for e in ev if e["name"].startswith("RMI_")]
    for e in rmi:
        a = e["args"]
        check(e["ph"] == "i" and all(f"x{i}" in a for i in range(1, 7)) and "status" in a
              and len(a.get("ret", [])) == 5, f"RMI event without arguments/result: {e}")
    spans = {}
    for e in ev:
        if e["ph"] == "X":
            spans.setdefault((e["name"], e["tid"]), []).append(e)
    for v in range(1, n + 1):
        runs = sorted(spans.get(("KVM_RUN", v), []), key=lambda e: e["ts"])
        enters = spans.get(("REC_ENTER", v), [])
        if not check(runs and enters, f"vCPU {v - 1}: no KVM_RUN or REC_ENTER spans"):
            continue
        # Timestamps are printed with 1 ns resolution (3 decimals of us).
        for r in enters:
            inside = any(k["ts"] - 0.002 <= r["ts"] and
                         r["ts"] + r["dur"] <= k["ts"] + k["dur"] + 0.002 for k in runs)
            if not check(inside, f"REC_ENTER at {r['ts']} on vCPU {v - 1} outside KVM_RUN"):
                break
        for r in enters:
            if not check(r["args"].get("status") in ("RMI_SUCCESS", "RMI_ERROR_REALM"),
                         f"REC_ENTER failed: {r['args']}"):
                break
    check(any(e["name"].startswith("exit ") and e["ph"] == "X" for e in ev), "no exit spans")

    def first(name):
        t = [e["ts"] for e in ev if e["name"] == name]
        check(t, f"no {name}")
        return min(t) if t else 0

    order = ["RMI_REALM_CREATE", "RMI_DATA_CREATE", "RMI_REC_CREATE", "RMI_RTT_INIT_RIPAS",
             "RMI_REALM_ACTIVATE", "REC_ENTER", "RMI_REALM_DESTROY"]
    ts = [first(x) for x in order]
    check(ts == sorted(ts), f"construction order {list(zip(order, ts))}")
    recs = [e for e in ev if e["name"] == "RMI_REC_CREATE"]
    check(len(recs) == n and all(e["args"]["status"] == "RMI_SUCCESS" for e in recs),
          f"{len(recs)} REC_CREATE, expected {n} successful")
    last_rec = max(e["ts"] for e in recs) if recs else 0
    check(last_rec < first("RMI_RTT_INIT_RIPAS"), "a REC_CREATE after INIT_RIPAS (s3.7)")
    return report()


def report():
    for f in fails:
        print(f"trace: FAILED {f}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
