#!/usr/bin/env bash
# dvktop-waits.sh - dvktop's Waits view on a live DVK (guest): a chain of
# three waits and a 3-long deadlock made by tests/kernel/wait_chain in a DC
# of their own; `dvktop -b -j -n 1` must show the chain as a tree and name
# the cycle, `-b` print the deadlock's line, and --record + -r the same.
#
# Run by guest-suite.sh (group suite: dvk.ko loaded, no DVS), or alone:
#   scripts/vm-run -- tests/kernel/dvktop-waits.sh
# One PASS/FAIL line per check (tests/check.h protocol); exit 1 on a FAIL.
set -u
cd "$(dirname "$0")/../.." || exit 1
OUT=$(mktemp -d)
D=build/bin/dvktop
W=build/tests/kernel/wait_chain
DC=7
failed=0
pass() { echo "PASS dvktop-waits: $*"; }
fail() { echo "FAIL dvktop-waits: $*"; failed=1; }

[ -e /dev/dvk ] || insmod "${DVK_KO:-kernel/dvk.ko}" || { fail "insmod"; exit 1; }
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
mine=0
if [ ! -e /proc/dvs/info ]; then
	build/bin/dvkctl init -n 0 --name WAITS >/dev/null || { fail "dvkctl init"; exit 1; }
	mine=1
fi
build/bin/dvkctl dc-init $DC WAITSDC >/dev/null || { fail "dvkctl dc-init $DC"; exit 1; }

# ready FILE: wait_chain printed READY within 30 s
ready() {
	for ((i = 0; i < 300; i++)); do
		grep -q '^READY$' "$1" && return 0
		grep -q '^NOT READY$' "$1" && return 1
		sleep 0.1
	done
	return 1
}
# chain: 10 sendrec 11, 11 sendrec 12, 12 receives from 13 (the parent):
# 13 <- 12 <- 11 <- 10; cycle: 20 -> 21 -> 22 -> 20
$W chain $DC 10 11 12 13 -t 120000 >"$OUT/chain" 2>&1 &
chain=$!
$W cycle $DC 20 21 22 -t 120000 >"$OUT/cycle" 2>&1 &
cycle=$!
if ready "$OUT/chain" && ready "$OUT/cycle"; then
	$D -b -j -n 1 --record "$OUT/s.jsonl" >"$OUT/live.json" 2>"$OUT/err"
	$D -b -n 1 >"$OUT/text" 2>>"$OUT/err"
	got=$(jq -c --argjson dc $DC '[.waits[] | select(.dcid == $dc and .ep >= 10 and .ep <= 13) |
		[.ep, .depth, .kind, .cycle]]' "$OUT/live.json" 2>&1)
	[ "$got" = '[[13,0,null,0],[12,1,"receive",0],[11,2,"reply",0],[10,3,"reply",0]]' ] &&
		pass "-j: the chain of three as a tree, 13 (not waiting) > 12 receive > 11 reply > 10 reply" ||
		fail "-j chain: got $got; $(head -c 400 "$OUT/err")"
	[ "$(jq --argjson dc $DC '[.waits[] | select(.dcid == $dc and .ep == 13) | .pid][0]' \
		"$OUT/live.json")" = "$chain" ] &&
		pass "-j: the chain's root is named from dvk/endpoints (wait_chain's parent, pid $chain)" ||
		fail "-j chain root pid: $(jq -c '[.waits[] | select(.ep == 13)]' "$OUT/live.json" | head -c 300)"
	name="$DC/20@0 -> $DC/21@0 -> $DC/22@0 -> $DC/20@0"
	got=$(jq -r --arg n "$name" --argjson dc $DC '(.cycles | map(select(.name == $n)) | length),
		([.waits[] | select(.dcid == $dc and .cycle > 0) | .ep] | sort | tostring),
		(.waits[0].cycle > 0)' "$OUT/live.json" 2>&1 | tr '\n' ' ')
	[ "$got" = "1 [20,21,22] true " ] &&
		pass "-j: the cycle named '$name', its 3 members numbered, listed first" ||
		fail "-j cycle: got '$got'; $(jq -c .cycles "$OUT/live.json" | head -c 300)"
	grep -qx "deadlock: $name" "$OUT/text" &&
		grep -qE "^ *$DC +[0-9]+ reply +[0-9]+ms +[0-9-]+ +   \`- 10@0 " "$OUT/text" &&
		pass "-b: the WAITS section has the deadlock line and the chain's deepest waiter" ||
		fail "-b: $(sed -n '/^WAITS/,$p' "$OUT/text" | tr '\n' '|' | head -c 700)"
	[ "$($D -r "$OUT/s.jsonl" -b -j | jq -c '{waits, cycles, waits_total}')" = \
	  "$(jq -c '{waits, cycles, waits_total}' "$OUT/live.json")" ] &&
		pass "--record + -r: the replay shows the same waits and cycles" ||
		fail "replay differs: $($D -r "$OUT/s.jsonl" -b -j 2>&1 | jq -c .cycles | head -c 300)"
else
	fail "wait_chain not ready: chain '$(tr '\n' ' ' <"$OUT/chain")' cycle '$(tr '\n' ' ' <"$OUT/cycle")'"
fi
kill -TERM $chain $cycle 2>/dev/null
wait $chain || fail "wait_chain chain: exit $? ($(tr '\n' ' ' <"$OUT/chain"))"
wait $cycle || fail "wait_chain cycle: exit $? ($(tr '\n' ' ' <"$OUT/cycle"))"
build/bin/dvkctl dc-end $DC >/dev/null || fail "dvkctl dc-end $DC"
[ $mine = 1 ] && build/bin/dvkctl end >/dev/null
rm -rf "$OUT"
exit $failed
