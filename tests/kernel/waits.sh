#!/usr/bin/env bash
# waits.sh - who waits on whom, on one node: debugfs dvk/waits, dvkctl
# waits and the dvk_wait_cycle / dvk_block events (docs/probes.md).
#
# Run by guest-suite.sh (tests.list group suite), as root, from the top of
# the tree, with dvk.ko loaded and no DVS.  tests/kernel/wait_chain makes
#   chain: 10 sendrec 11, 11 sendrec 12, 12 receive from 13 (bound, idle)
#   cycle: 10 sendrec 11, 11 sendrec 12, 12 sendrec 10 (a deadlock)
# One PASS/FAIL line per check (tests/check.h protocol).
set -u
cd "$(dirname "$0")/../.." || exit 1
T=build/tests/kernel
W=/sys/kernel/debug/dvk/waits
tmp=$(mktemp -d)
failed=0
pass() { echo "PASS waits: $*"; }
fail() { echo "FAIL waits: $*"; failed=1; }
HEADER='DC    EP NODE     PID WAIT     PEER PNODE  WAITED_MS               MSG_ID NAME'

# row EP: the dvk/waits row of DC 0's endpoint EP in file $1... as "kind peer pnode node"
row() { awk -v e="$2" '$1 == 0 && $2 == e { print $5, $6, $7, $3 }' "$1"; }
# col FILE EP N: field N of EP's row
col() { awk -v e="$2" -v n="$3" '$1 == 0 && $2 == e { print $n }' "$1"; }
# pid of EP's bound process (debugfs endpoints)
eppid() { awk -v e="$1" '$1 == 0 && $2 == e { print $3 }' /sys/kernel/debug/dvk/endpoints; }

# start MODE ARGS...: wait_chain in the background until READY (pid in $wc)
start() {
	$T/wait_chain "$@" >"$tmp/wc.out" 2>&1 &
	wc=$!
	for ((i = 0; i < 300; i++)); do
		grep -q '^READY' "$tmp/wc.out" && return 0
		grep -q '^NOT READY\|^DONE' "$tmp/wc.out" && break
		sleep 0.1
	done
	fail "wait_chain $1 gets its waits in place: $(tr '\n' ' ' <"$tmp/wc.out")"
	return 1
}

build/bin/dvkctl init -n 0 >/dev/null && build/bin/dvkctl dc-init 0 DC0 ||
	{ fail "dvkctl init / dc-init 0"; exit 1; }
[ "$(cat $W)" = "$HEADER" ] && pass "dvk/waits: the header alone while nobody waits" ||
	fail "dvk/waits while nobody waits: $(tr '\n' '|' <$W)"

# ---- a chain of three ----------------------------------------------------------
t0=$SECONDS
if start chain 0 10 11 12 13 -t 15000; then
	cat $W >"$tmp/w1"
	sleep 0.6
	cat $W >"$tmp/w2"
	got="$(row "$tmp/w1" 10)|$(row "$tmp/w1" 11)|$(row "$tmp/w1" 12)|$(awk 'NR > 1' "$tmp/w1" | wc -l)"
	want="reply 11 0 0|reply 12 0 0|receive 13 0 0|3"
	[ "$got" = "$want" ] && [ "$(head -n 1 "$tmp/w1")" = "$HEADER" ] &&
		pass "dvk/waits lists the chain: 10 reply 11, 11 reply 12, 12 receive 13, all on node 0" ||
		fail "dvk/waits lists the chain: got '$got', want '$want': $(tr '\n' '|' <"$tmp/w1")"
	ok=1 why=
	for e in 10 11 12; do
		p=$(col "$tmp/w1" $e 4)
		[ -n "$p" ] && [ "$p" = "$(eppid $e)" ] && [ "$(cat /proc/"$p"/comm 2>/dev/null)" = wait_chain ] &&
			[ "$(col "$tmp/w1" $e 10)" = wait_chain ] || { ok=0; why="$why ep $e pid '$p' (endpoints: $(eppid $e))"; }
	done
	[ $ok = 1 ] && pass "... with each waiter's pid (the bound wait_chain process) and name" ||
		fail "... pids: $why"
	[ "$(col "$tmp/w1" 10 9)" -gt 0 ] && [ "$(col "$tmp/w1" 11 9)" -gt "$(col "$tmp/w1" 10 9)" ] &&
		[ "$(col "$tmp/w1" 12 9)" = 0 ] &&
		pass "... the sendrecs' message ids (10's before 11's), none for the receive" ||
		fail "... message ids: $(col "$tmp/w1" 10 9) $(col "$tmp/w1" 11 9) $(col "$tmp/w1" 12 9)"
	ok=1 grow=
	for e in 10 11 12; do
		a=$(col "$tmp/w1" $e 8) b=$(col "$tmp/w2" $e 8)
		[ -n "$a" ] && [ -n "$b" ] && [ "$((b - a))" -ge 400 ] && [ "$((b - a))" -lt 5000 ] || ok=0
		grow="$grow $e:$a->$b"
	done
	[ $ok = 1 ] && pass "... WAITED_MS grows with the wait (0.6 s later:$grow ms)" ||
		fail "... WAITED_MS grows:$grow"
	build/bin/dvkctl waits >"$tmp/tree" 2>&1
	rc=$?
	sed 's/^/# dvkctl waits: /' "$tmp/tree"	# for the log
	# the root 13 (bound, not waiting), 12 under it, 11 under 12, 10 under 11
	got=$(sed -E 's/^( *)([^ ]+) +([a-z(]+).*/\1\2 \3/' "$tmp/tree" | tr '\n' '|')
	want='0/13@0 (not|  0/12@0 receive|    0/11@0 reply|      0/10@0 reply|'
	[ "$rc" = 0 ] && [ "$got" = "$want" ] &&
		pass "dvkctl waits: one tree, 12 under its idle peer 13, 11 under 12, 10 under 11 (exit 0)" ||
		fail "dvkctl waits: the chain's tree: exit $rc, got '$got', want '$want'"
	got=$(build/bin/dvkctl waits -j | jq -c '[(.waits | length), (.cycles | length),
		([.waits[] | select(.ep == 12)][0] | .kind, .peer, .peer_node)]')
	[ "$got" = '[3,0,"receive",13,0]' ] && pass "dvkctl waits -j: 3 rows, no cycle" ||
		fail "dvkctl waits -j on the chain: got '$got'"
	# the view is copied under the DC's spinlock: never blocks on the waiters
	ok=1
	for ((i = 0; i < 20; i++)); do timeout 2 cat $W >/dev/null || ok=0; done
	[ $ok = 1 ] && pass "reading dvk/waits 20 times while all are blocked never blocks" ||
		fail "reading dvk/waits while all are blocked timed out"
	wait "$wc"
	rc=$?
	[ "$rc" = 0 ] && [ "$(grep -c 'EDVSTIMEDOUT' "$tmp/wc.out")" = 3 ] &&
		pass "the chain ends by its timeouts (3 EDVSTIMEDOUT, after $((SECONDS - t0)) s)" ||
		fail "the chain ends by its timeouts: exit $rc: $(tr '\n' ' ' <"$tmp/wc.out")"
	[ "$(cat $W)" = "$HEADER" ] && pass "dvk/waits is empty again" ||
		fail "dvk/waits after the chain: $(tr '\n' '|' <$W)"
fi

# ---- a cycle of three ----------------------------------------------------------
tr=/sys/kernel/tracing/instances/waits
mkdir -p $tr
echo 1 >$tr/events/dvk/dvk_wait_cycle/enable
echo 1 >$tr/events/dvk/dvk_block/enable
if start cycle 0 10 11 12 -t 20000; then
	build/bin/dvkctl waits >"$tmp/cyc" 2>&1
	rc=$?
	sed 's/^/# dvkctl waits: /' "$tmp/cyc"
	got=$(grep '^CYCLE' "$tmp/cyc")
	[ "$rc" = 3 ] && [ "$got" = "CYCLE 1: 0/10@0 -> 0/11@0 -> 0/12@0 -> 0/10@0" ] &&
		pass "dvkctl waits names the local cycle with its three members, exit 3 ($got)" ||
		fail "dvkctl waits on the cycle: exit $rc: $(tr '\n' '|' <"$tmp/cyc")"
	got=$(build/bin/dvkctl waits -j | jq -c '[.cycles[] | [.members[].ep]]')
	[ "$got" = '[[10,11,12]]' ] && pass "dvkctl waits -j: one cycle, members 10 11 12" ||
		fail "dvkctl waits -j on the cycle: got '$got'"
	[ "$(row $W 12)" = "sendrec 10 0 0" ] && pass "dvk/waits: 12 is queued at 10 (sendrec 10)" ||
		fail "dvk/waits: 12's row: '$(row $W 12)'"
	kill -TERM "$wc"
	wait "$wc"
	rc=$?
	[ "$rc" = 0 ] && [ "$(grep -c 'EDVSINTR' "$tmp/wc.out")" = 3 ] &&
		pass "SIGTERM ends the deadlock's three calls (EDVSINTR)" ||
		fail "SIGTERM ends the deadlock: exit $rc: $(tr '\n' ' ' <"$tmp/wc.out")"
fi
echo 0 >$tr/events/dvk/enable
cat $tr/trace >"$tmp/trace"
rmdir $tr
got=$(grep -c 'dvk_wait_cycle:' "$tmp/trace")
line=$(grep -o 'dvk_wait_cycle: .*' "$tmp/trace")
# 12 closed it: 12 -> 10 -> 11 -> 12 (tracefs prints the arrays in hex)
[ "$got" = 1 ] && [ "$line" = 'dvk_wait_cycle: dcid=0 len=3 eps={0xc,0xa,0xb} nodes={0x0,0x0,0x0}' ] &&
	pass "dvk_wait_cycle fires once, when 12 closes the cycle 12 -> 10 -> 11 ($line)" ||
	fail "dvk_wait_cycle: $got events: $(grep 'dvk_wait_cycle' "$tmp/trace" | head -c 400)"
# every block names its peer's node: -1 for ANY, else 0 (all are local); 12's
# sendrec to 10 is always one (the receives may find their message queued)
bad=$(grep 'dvk_block:' "$tmp/trace" | grep -cvE 'peer=31438 .* peer_node=-1$|peer=1[0-2] .* peer_node=0$')
nb=$(grep -c 'dvk_block:' "$tmp/trace")
grep -qE 'dvk_block: id=[1-9][0-9]* dcid=0 ep=12 SENDING\|RECEIVING peer=10 timeout_ms=20000 peer_node=0$' "$tmp/trace" &&
	[ "$bad" = 0 ] && [ "$nb" -ge 3 ] &&
	pass "dvk_block's peer_node: 0 for a local peer, -1 for ANY ($nb blocks)" ||
	fail "dvk_block's peer_node: $bad of $nb wrong: $(grep 'dvk_block' "$tmp/trace" | head -c 600)"
fmt=/sys/kernel/tracing/events/dvk
grep -q 'field:s32 peer_node;.*offset:40;' $fmt/dvk_block/format &&
	grep -q 'field:s32 peer;.*offset:36;' $fmt/dvk_block/format &&
	grep -q 'field:s32 eps\[8\];.*offset:16;' $fmt/dvk_wait_cycle/format &&
	grep -q 'field:s32 nodes\[8\];.*offset:48;' $fmt/dvk_wait_cycle/format &&
	pass "dvk_block (peer_node appended) and dvk_wait_cycle record layouts are as documented" ||
	fail "record layouts of dvk_block / dvk_wait_cycle: $(grep field $fmt/dvk_block/format $fmt/dvk_wait_cycle/format | tr '\n' ' ' | head -c 600)"

build/bin/dvkctl dc-end 0 && build/bin/dvkctl end || fail "dvkctl dc-end 0 / end"
rm -rf "$tmp"
exit "$failed"
