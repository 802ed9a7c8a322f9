#!/usr/bin/env python3
"""perfetto-check.py - the structural check of a dvk-trace Perfetto JSON.

usage: perfetto-check.py [--name NAME] [--min-cross N] [--max-inside N]
                         [--min-flows N] [--offset NODE:NS:UNC] FILE.json

One PASS/FAIL line per check (tests/check.h protocol), exit 1 if any failed.
Independent of dvk-trace's code: it reads only the JSON.
  - the file is trace-event JSON (traceEvents, displayTimeUnit, otherData)
  - every track (pid, tid) with events is named by a thread_name "M" event
  - every flow id has exactly one "s" and one "f", with the same cat
  - every flow end lies inside an "X" slice of its track (so it binds)
  - "X" slices of one track nest: none overlaps another partially
  - per track, timestamps never decrease in the order of the file
  - no flow ends before it starts (a receive never before its send), which
    across nodes holds only with the clock offsets applied
  - otherData: at least --min-cross cross-node messages, all joined by id but
    --max-inside at most (the others are cut by a window's edge), at least
    --min-flows cross-node arrows
  - --offset NODE:NS:UNC: node NODE's estimated offset is NS within its own
    uncertainty plus UNC (the truth's uncertainty)
"""
import argparse
import json
import sys
from collections import defaultdict

failed = 0


def check(ok, name, detail=""):
    global failed
    if ok:
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def ns(ts):
    """ts (us with 3 decimals, as JSON number) -> int ns"""
    return round(float(ts) * 1000)


def structure(evs, p):
    named = {(e["pid"], e["tid"]) for e in evs if e.get("ph") == "M" and e.get("name") == "thread_name"}
    used = {(e["pid"], e["tid"]) for e in evs if e.get("ph") in ("X", "s", "f")}
    check(used and used <= named, f"{p}: every track of the timeline is named ({len(used)} tracks)",
          f"unnamed: {sorted(used - named)[:5]}")

    last, bad_order = {}, []
    slices = defaultdict(list)
    for i, e in enumerate(evs):
        if e.get("ph") not in ("X", "s", "f"):
            continue
        k, t = (e["pid"], e["tid"]), ns(e["ts"])
        if k in last and t < last[k]:
            bad_order.append((k, i))
        last[k] = t
        if e["ph"] == "X":
            slices[k].append((t, t + ns(e["dur"])))
    check(not bad_order, f"{p}: timestamps never decrease along a track", f"{len(bad_order)} times, first {bad_order[:3]}")

    partial = 0
    for k, v in slices.items():
        v.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for b, e in v:
            while stack and stack[-1] <= b:
                stack.pop()
            if stack and e > stack[-1]:
                partial += 1
                continue
            stack.append(e)
    nsl = sum(len(v) for v in slices.values())
    check(nsl > 0 and partial == 0, f"{p}: the {nsl} slices nest on their tracks", f"{partial} overlap partially")
    return slices


def inside(slices, k, t):
    return any(b <= t <= e for b, e in slices.get(k, ()))


def flows(evs, slices, p):
    ends = defaultdict(lambda: {"s": [], "f": []})
    for e in evs:
        if e.get("ph") in ("s", "f"):
            ends[(e.get("cat"), e["id"])][e["ph"]].append(e)
    ids = defaultdict(set)
    for cat, i in ends:
        ids[i].add(cat)
    lone = [k for k, v in ends.items() if len(v["s"]) != 1 or len(v["f"]) != 1]
    check(ends and not lone and all(len(c) == 1 for c in ids.values()),
          f"{p}: every one of the {len(ends)} flows has one start and one end", f"{len(lone)} do not, e.g. {lone[:3]}")
    unbound = sum(1 for v in ends.values() for e in v["s"] + v["f"]
                  if not inside(slices, (e["pid"], e["tid"]), ns(e["ts"])))
    check(unbound == 0, f"{p}: every flow end lies inside a slice of its track", f"{unbound} do not")
    back, cross, cross_back = [], 0, 0
    for k, v in ends.items():
        if len(v["s"]) != 1 or len(v["f"]) != 1:
            continue
        s, f = v["s"][0], v["f"][0]
        if k[0] == "dvk.link":
            cross += 1
        if ns(f["ts"]) < ns(s["ts"]):
            back.append((k, ns(s["ts"]) - ns(f["ts"])))
            cross_back += k[0] == "dvk.link"
    check(not back, f"{p}: no arrow ends before it starts ({cross} of them between nodes, offsets applied)",
          f"{len(back)} do ({cross_back} between nodes), e.g. {back[:3]} (key, ns early)")
    return cross


def expectations(od, cross_flows, a, p):
    m = od.get("messages", {})
    if a.min_cross is not None:
        check(m.get("cross_node", 0) >= a.min_cross,
              f"{p}: at least {a.min_cross} cross-node messages in the windows ({m.get('cross_node')})")
        j, edge, ins = m.get("joined", 0), m.get("half_at_window_edge", 0), m.get("half_inside_window", -1)
        check(ins is not None and 0 <= ins <= a.max_inside and j + edge + ins == m.get("cross_node"),
              f"{p}: cross-node messages joined by id: {j} whole, {edge} cut at a window edge, {ins} cut inside (at most {a.max_inside})")
    if a.min_flows is not None:
        check(cross_flows >= a.min_flows, f"{p}: at least {a.min_flows} arrows between nodes ({cross_flows})")
    for spec in a.offset:
        node, truth, unc = (int(x) for x in spec.split(":"))
        est = [n for n in od.get("nodes", []) if n.get("node") == node]
        if not est:
            check(False, f"{p}: node {node}'s offset", "not in otherData")
            continue
        e = est[0]
        err = e["offset_ns"] - truth
        check(e.get("uncertainty_ns", -1) >= 0 and abs(err) <= e["uncertainty_ns"] + unc,
              f"{p}: node {node}'s offset estimate {e['offset_ns'] / 1e6:+.3f} ms +- {e.get('uncertainty_ns', -1) / 1e6:.3f} "
              f"matches the truth {truth / 1e6:+.3f} ms +- {unc / 1e6:.3f} (error {err / 1e6:+.3f} ms)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--name", default="perfetto")
    ap.add_argument("--min-cross", type=int)
    ap.add_argument("--max-inside", type=int, default=0)
    ap.add_argument("--min-flows", type=int)
    ap.add_argument("--offset", action="append", default=[])
    a = ap.parse_args()
    p = a.name
    try:
        with open(a.file) as f:
            d = json.load(f)
        evs = d["traceEvents"]
        ok = isinstance(evs, list) and d.get("displayTimeUnit") in ("ns", "ms") and isinstance(d.get("otherData"), dict)
    except (OSError, ValueError, KeyError, TypeError) as e:
        check(False, f"{p}: {a.file} is trace-event JSON", str(e))
        return 1
    check(ok, f"{p}: {a.file} is trace-event JSON ({len(evs)} events)")
    if not ok:
        return 1
    slices = structure(evs, p)
    cross = flows(evs, slices, p)
    expectations(d["otherData"], cross, a, p)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
