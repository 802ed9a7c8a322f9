#!/usr/bin/env python3
"""trace-clock.py - clock helpers of tests/kernel/cluster-trace.sh (in a guest).

  step NS                    step CLOCK_REALTIME by NS (may be negative)
  host FILE STEP             measure this guest's CLOCK_REALTIME against the
                             host's clock and write it to FILE as JSON

host: FILE lives in the tree the host shares over 9p (cache=none), so each
write reaches the host's file system at once and gets the host's mtime.  Read
realtime, write, read realtime: the host's stamp lies between the two reads
(give or take the host's coarse clock tick, which is the same for both guests
and cancels in their difference).  The narrowest of several tries is kept.
"""
import json
import os
import sys
import time


def host(path, step, tries=9):
    best = None
    for _ in range(tries):
        ta = time.clock_gettime_ns(time.CLOCK_REALTIME)
        with open(path + ".stamp", "w") as f:
            f.write("x")
        tb = time.clock_gettime_ns(time.CLOCK_REALTIME)
        mt = os.stat(path + ".stamp").st_mtime_ns
        if best is None or tb - ta < best[1] - best[0]:
            best = (ta, tb, mt)
        time.sleep(0.05)
    ta, tb, mt = best
    os.unlink(path + ".stamp")
    res = {"offset_ns": (ta + tb) // 2 - mt, "halfwidth_ns": (tb - ta + 1) // 2,
           "guest_before_ns": ta, "guest_after_ns": tb, "host_mtime_ns": mt,
           "step_ns": step}
    with open(path, "w") as f:
        json.dump(res, f)
        f.write("\n")


def main(argv):
    if len(argv) == 3 and argv[1] == "step":
        now = time.clock_gettime_ns(time.CLOCK_REALTIME)
        time.clock_settime_ns(time.CLOCK_REALTIME, now + int(argv[2]))
    elif len(argv) == 4 and argv[1] == "host":
        host(argv[2], int(argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
