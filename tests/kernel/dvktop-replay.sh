#!/usr/bin/env bash
# dvktop-replay.sh - dvktop --record under load, replayed (guest).
#
# Run by guest-suite.sh (dvk.ko loaded, no DVS), or alone in a guest:
#   scripts/vm-run -- tests/kernel/dvktop-replay.sh [FIXTURE]
# dvkload --mode mixed makes calls (some failing), messages and endpoint
# queues while `dvktop -b -j --record` takes 5 samples a second apart; the
# replay of the recording must print the same objects (replay-check.sh).
# -v gives the recording's cost: the PASS line says the mean line size and
# the time to write one.  FIXTURE: also copy the recording there (how
# tests/unit/fixtures/dvktop-replay.jsonl was made).
# One PASS/FAIL line per check (tests/check.h protocol).
set -u
cd "$(dirname "$0")/../.." || exit 1
OUT=$(mktemp -d)
[ -e /dev/dvk ] || insmod "${DVK_KO:-kernel/dvk.ko}" || { echo "FAIL dvktop-replay: insmod"; exit 1; }
build/bin/dvkload --mode mixed -r 50 >"$OUT/load" 2>&1 &	# until SIGTERM
load=$!
sleep 2	# the DVS, the DC and the servers are up
t0=$(date +%s)
build/bin/dvktop -b -j -v --record "$OUT/samples.jsonl" -d 1 -n 5 >"$OUT/live.jsonl" 2>"$OUT/err"
rc=$?
t1=$(date +%s)
# the live wall-clock time: real_ns within the run's seconds (1 s of slack for
# the rounding of jq 1.6), time the same instant as RFC 3339 UTC
got=$(jq -r --argjson a "$t0" --argjson b "$t1" 'select(.schema == "dvktop-json/1" and
	.real_ns / 1e9 >= $a - 1 and .real_ns / 1e9 <= $b + 1 and
	(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z$")) and
	((.time[0:19] + "Z" | fromdate) - (.real_ns / 1e9 | floor) | fabs) <= 1) | 1' "$OUT/live.jsonl" | wc -l)
[ "$got" = 5 ] &&
	echo "PASS dvktop-replay: live -j lines carry schema dvktop-json/1 and the wall-clock time (real_ns, time) of the guest's clock ($t0..$t1 s)" ||
	echo "FAIL dvktop-replay: live -j schema/real_ns/time: $got of 5 lines within $t0..$t1 s: $(head -c 300 "$OUT/live.jsonl")"
cost=$(sed -n 's/^dvktop: recorded \([0-9]*\) samples to .*, \([0-9]*\) bytes and \([0-9.]*\) us each$/\2 bytes and \3 us per sample/p' "$OUT/err")
[ $rc = 0 ] && [ -n "$cost" ] && [ "$(wc -l <"$OUT/samples.jsonl")" = 5 ] &&
	echo "PASS dvktop-replay: --record writes one line per sample under dvkload ($cost)" ||
	echo "FAIL dvktop-replay: --record: exit $rc, $(wc -l <"$OUT/samples.jsonl") lines; $(head -c 300 "$OUT/err")"
tests/kernel/replay-check.sh "dvktop-replay: calls and endpoints under dvkload" "$OUT/live.jsonl" \
	"$OUT/samples.jsonl" '([.calls[] | select(.rate > 0 and .errors > 0)] | length > 0) and
	([.endpoints[] | select(.in_rate > 0)] | length > 0)'
# the same recording with the Endpoints and Proxies sorts of -E / -X
build/bin/dvktop -b -j -E rate -X bytes --record "$OUT/s2.jsonl" -d 1 -n 3 >"$OUT/l2.jsonl" 2>"$OUT/err2"
tests/kernel/replay-check.sh "dvktop-replay: -E rate -X bytes replayed with the same sorts" \
	"$OUT/l2.jsonl" "$OUT/s2.jsonl" '[.endpoints[] | select(.in_rate > 0)] | length > 0' -E rate -X bytes
kill -TERM "$load"
wait "$load"
rc=$?
[ $rc = 0 ] || echo "FAIL dvktop-replay: dvkload --mode mixed exited $rc: $(tail -c 300 "$OUT/load")"
[ -n "${1:-}" ] && cp "$OUT/samples.jsonl" "$1"
rm -rf "$OUT"
