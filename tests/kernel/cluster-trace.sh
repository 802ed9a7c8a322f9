#!/usr/bin/env bash
# cluster-trace.sh - the guest half of the timeline test (issue 18, dvk-trace).
#
# Run by tests/run on both nodes of the 2-guest boot, as
# `scripts/dvk-node tests/kernel/cluster-trace.sh` (the proxies are
# dvk-node's).  Both nodes run `dvkload --ipc` against their own and the
# peer's servers (as `make demo` does) and capture 5 s of it with
# `dvk-capture -d 5 --no-samples` (tests/run checks that each trace covers
# its whole window, nothing lost).  The archives land in
# $DVK_NODE_DIR/trace/, which vm-cluster copies into the boot's logs; the host
# step of tests/run merges them with dvk-trace and checks the timeline.
#
# The true clock offset: node 1 steps its CLOCK_REALTIME by +STEP before the
# capture (and back afterwards), and both nodes measure their realtime against
# the host's clock through the shared tree (a file written over 9p gets the
# host's mtime; see trace-clock.py), so the host knows node 1 - node 0 within
# a few ms without using the DVK link dvk-trace estimates it from.
# One PASS/FAIL line per check (tests/check.h protocol).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=scripts/demo-layout.sh
. scripts/demo-layout.sh	# demo_layout, demo_bind_peer
# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# cluster_barrier, cluster_link_up
me=$DVK_NODEID
peer=$((1 - me))
out=$DVK_NODE_DIR/trace
mkdir -p "$out"
tmp=$(mktemp -d)
failed=0
pass() { echo "PASS trace: $*"; }
fail() { echo "FAIL trace: $*"; failed=1; }
STEP_NS=${DVK_TRACE_STEP_NS:-2500000000}	# node 1's clock step
SECS=5

# barrier NAME: both nodes got here (files in the shared cluster directory).
barrier() { cluster_barrier trace "$1"; }

cluster_link_up || fail "node $me: link to node $peer not up in 60 s"
barrier ready
build/bin/dvkctl add-node 0 "$peer" >/dev/null || fail "node $me: add-node 0 $peer"
demo_layout "$me"
why=$(demo_bind_peer "$peer") || fail "node $me: $why"
barrier bound

step=0
if [ "$me" = 1 ]; then
	step=$STEP_NS
	python3 tests/kernel/trace-clock.py step "$step" || { fail "node 1: cannot step CLOCK_REALTIME"; step=0; }
fi
python3 tests/kernel/trace-clock.py host "$out/hostclock-before.json" "$step" ||
	fail "node $me: cannot measure the clock against the host's"

t=$((SECS + 15))	# the load runs through the snapshot, the window and past it
build/bin/dvkload --ipc -t "$t" -r 25 -s 4 -c 6 --slow-ms 20 --ep-base "$base" \
	--user-base "$users" --remote-servers "$servers" >"$tmp/load" 2>&1 &
load=$!
sleep 2
barrier capture
# dvk-capture is part of `make all` (the script and build/bin/dvk-capture-helper)
tools/dvk-capture/dvk-capture -d "$SECS" --no-samples -o "$out/node$me.tar.gz" >"$tmp/cap.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$out/node$me.tar.gz" ]; then
	pass "node $me: captured $SECS s of the load with dvk-capture ($(stat -c %s "$out/node$me.tar.gz") bytes)"
else
	fail "node $me: capture failed ($rc): $(tail -c 400 "$tmp/cap.log")"
fi
wait "$load"
lrc=$?
python3 tests/kernel/trace-clock.py host "$out/hostclock-after.json" "$step" ||
	fail "node $me: cannot measure the clock against the host's"
[ "$step" = 0 ] || python3 tests/kernel/trace-clock.py step "-$step" ||
	fail "node 1: cannot step CLOCK_REALTIME back"
# The loads of the two nodes end a moment apart: the last calls to the peer's
# servers fail (EDVSDEADSRCDST), which the summary then lists; what counts is
# that the load ran through the capture.
rt=$(sed -n 's/^dvkload: ipc: \([0-9]*\) round trips.*/\1/p' "$tmp/load")
if [ "${rt:-0}" -ge 100 ]; then
	pass "node $me: the load ran through the capture ($(grep -m1 'ipc:' "$tmp/load"))"
else
	fail "node $me: dvkload --ipc exited $lrc after ${rt:-no} round trips: $(tail -c 300 "$tmp/load")"
fi
barrier "done"
rm -rf "$tmp"
exit "$failed"
