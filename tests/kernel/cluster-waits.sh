#!/usr/bin/env bash
# cluster-waits.sh - a deadlock across two nodes, seen by debugfs dvk/waits,
# dvkctl waits and the dvk_wait_cycle event (docs/probes.md).
#
# Run by tests/run on both nodes of the 2-guest boot, as
# `scripts/dvk-node tests/kernel/cluster-waits.sh` (DVS, DC 0, proxies).
# tests/kernel/wait_chain makes the cycle A -> B -> C -> A of DC 0 with A
# (10) and C (12) on node 0, B (11) on node 1:
#   A sendrec B; B takes it and sendrec C; C takes it and sendrec A.
# Node 0 sees the whole cycle by itself: A's row, C's row, and B's stand-in
# (the descriptor through which B's request waits for C's reply).  Node 1
# sees a chain that ends at node 0 (A's stand-in waits on B, B on C); merged
# with node 0's dvk/waits (a copy in the shared cluster directory) it names
# the same cycle.  One PASS/FAIL line per check (tests/check.h protocol).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# cluster_barrier, cluster_link_up
me=$DVK_NODEID
peer=$((1 - me))
W=/sys/kernel/debug/dvk/waits
tmp=$(mktemp -d)
failed=0
pass() { echo "PASS waits: $*"; }
fail() { echo "FAIL waits: $*"; failed=1; }
barrier() { cluster_barrier waits "$1"; }
CYCLE="CYCLE 1: 0/10@0 -> 0/11@1 -> 0/12@0 -> 0/10@0"
copy=$DVK_CLUSTER_DIR/waits.node0	# node 0's dvk/waits, for node 1

# row FILE EP: "node pid kind peer pnode" of DC 0's endpoint EP
row() { awk -v e="$2" '$1 == 0 && $2 == e { print $3, ($4 == -1 ? "standin" : "pid"), $5, $6, $7 }' "$1"; }

cluster_link_up || fail "node $me: link to node $peer not up in 60 s"
build/bin/dvkctl add-node 0 "$peer" >/dev/null || fail "node $me: add-node 0 $peer"
if [ "$me" = 0 ]; then
	build/bin/dvkctl rmtbind 0 11 1 nB >/dev/null || fail "node 0: rmtbind B"
	remote="-r 11"
else
	{ build/bin/dvkctl rmtbind 0 10 0 nA && build/bin/dvkctl rmtbind 0 12 0 nC; } >/dev/null ||
		fail "node 1: rmtbind A, C"
	remote="-r 10 -r 12"
fi
tr=/sys/kernel/tracing/instances/waits
mkdir -p $tr
echo 1 >$tr/events/dvk/dvk_wait_cycle/enable
echo 1 >$tr/events/dvk/dvk_block/enable
# shellcheck disable=SC2086  # $remote: options
build/tests/kernel/wait_chain cycle 0 10 11 12 $remote -t 60000 -g "$tmp/go" >"$tmp/wc.out" 2>&1 &
wc=$!
for ((i = 0; i < 300; i++)); do grep -q '^BOUND' "$tmp/wc.out" && break; sleep 0.1; done
barrier bound
touch "$tmp/go"
for ((i = 0; i < 300; i++)); do grep -qE '^(NOT )?READY' "$tmp/wc.out" && break; sleep 0.1; done
grep -q '^READY' "$tmp/wc.out" && pass "node $me: the cycle's waits are in place" ||
	fail "node $me: wait_chain: $(tr '\n' ' ' <"$tmp/wc.out")"
barrier ready

if [ "$me" = 0 ]; then
	cat $W >"$tmp/w" && cp "$tmp/w" "$copy" && cp "$tmp/w" "$DVK_NODE_DIR/waits.txt"
	got="$(row "$tmp/w" 10)|$(row "$tmp/w" 11)|$(row "$tmp/w" 12)"
	want="0 pid reply 11 1|1 standin reply 12 0|0 pid sendrec 10 0"
	[ "$got" = "$want" ] &&
		pass "node 0: dvk/waits: A reply B@1, B's stand-in (node 1, no pid) reply C, C sendrec A" ||
		fail "node 0: dvk/waits: got '$got', want '$want': $(tr '\n' '|' <"$tmp/w")"
	build/bin/dvkctl waits >"$tmp/tree" 2>&1
	rc=$?
	cp "$tmp/tree" "$DVK_NODE_DIR/waits-tree.txt"	# kept with the boot's logs
	[ "$rc" = 3 ] && [ "$(grep '^CYCLE' "$tmp/tree")" = "$CYCLE" ] &&
		pass "node 0: dvkctl waits names the two-node cycle by itself, exit 3 ($CYCLE)" ||
		fail "node 0: dvkctl waits: exit $rc: $(tr '\n' '|' <"$tmp/tree")"
	# dvktop's Waits view draws the same graph: the cycle first, B as "remote"
	build/bin/dvktop -b -j -n 1 >"$tmp/top.json" 2>"$tmp/top.err"
	got=$(jq -r '(.cycles | map(.name) | join(",")),
		([.waits[] | select(.dcid == 0 and .cycle == 1) | "\(.ep)@\(.node):\(.pid):\(.remote)"] | join(" "))' \
		"$tmp/top.json" 2>&1 | tr '\n' '|')
	want="${CYCLE#CYCLE 1: }|10@0:$(awk '$1 == 0 && $2 == 10 { print $4 }' "$tmp/w"):false 12@0:$(awk '$1 == 0 && $2 == 12 { print $4 }' "$tmp/w"):false 11@1:-1:true|"
	[ "$got" = "$want" ] &&
		pass "node 0: dvktop -j names the two-node deadlock, its members in order, B's stand-in without a pid" ||
		fail "node 0: dvktop -j waits: got '$got', want '$want' ($(head -c 300 "$tmp/top.err"))"
	build/bin/dvktop -b -n 1 -w >"$tmp/top.txt" 2>&1
	grep -qx "deadlock: ${CYCLE#CYCLE 1: }" "$tmp/top.txt" &&
		grep -qE '^ *0 +remote reply .* 11@1 ' "$tmp/top.txt" &&
		pass "node 0: dvktop -b prints the deadlock line and B@1 as remote" ||
		fail "node 0: dvktop -b: $(sed -n '/^WAITS/,$p' "$tmp/top.txt" | tr '\n' '|' | head -c 600)"
fi
barrier copied
if [ "$me" = 1 ]; then
	cat $W >"$tmp/w"
	got="$(row "$tmp/w" 10)|$(row "$tmp/w" 11)|$(row "$tmp/w" 12)"
	want="0 standin reply 11 1|1 pid reply 12 0|"
	[ "$got" = "$want" ] &&
		pass "node 1: dvk/waits: A's stand-in (node 0) reply B, B reply C@0, no row for C" ||
		fail "node 1: dvk/waits: got '$got', want '$want': $(tr '\n' '|' <"$tmp/w")"
	build/bin/dvkctl waits >"$tmp/tree" 2>&1
	rc=$?
	got=$(sed -E 's/^( *)([^ ]+) +([a-z(]+).*/\1\2 \3/' "$tmp/tree" | tr '\n' '|')
	want='0/12@0 (not|  0/11@1 reply|    0/10@0 reply|'
	[ "$rc" = 0 ] && [ "$got" = "$want" ] &&
		pass "node 1: dvkctl waits alone: a chain ending at node 0 (12@0 <- 11@1 <- 10@0), no cycle" ||
		fail "node 1: dvkctl waits alone: exit $rc, got '$got', want '$want'"
	build/bin/dvkctl waits "$copy" >"$tmp/merged" 2>&1
	rc=$?
	cp "$tmp/tree" "$tmp/merged" "$DVK_NODE_DIR/"
	cp "$tmp/w" "$DVK_NODE_DIR/waits.txt"
	[ "$rc" = 3 ] && [ "$(grep '^CYCLE' "$tmp/merged")" = "$CYCLE" ] &&
		pass "node 1: dvkctl waits merged with node 0's copy names the same cycle, exit 3" ||
		fail "node 1: dvkctl waits merged: exit $rc: $(tr '\n' '|' <"$tmp/merged")"
	got=$(build/bin/dvkctl waits -j "$copy" | jq -c '[(.waits | length), ([.waits[] | select(.ep == 11) | .pid > 0][0]),
		[.cycles[].members[] | "\(.ep)@\(.node)"]]')
	[ "$got" = '[3,true,["10@0","11@1","12@0"]]' ] &&
		pass "node 1: -j: 3 merged rows (B's own row, not its stand-in), the cycle's members with their nodes" ||
		fail "node 1: dvkctl waits -j merged: got '$got'"
fi
barrier checked

# The end, in order: node 1 stops B (EDVSINTR); B's unbind fails the
# sendrec A made to it (its stand-in there answers EDVSSRCDIED); then node 0
# stops C (EDVSINTR).
stop() {
	kill -TERM "$wc"
	wait "$wc"
	rc=$?
	got=$(grep -E '^[ABC] ' "$tmp/wc.out" | sort | tr '\n' '|')
}
if [ "$me" = 1 ]; then
	stop
	[ "$rc" = 0 ] && [ "$got" = "B 11 sendrec EDVSINTR (-4): interrupted call|" ] &&
		pass "node 1: SIGTERM ends B's call (EDVSINTR)" ||
		fail "node 1: wait_chain after SIGTERM: exit $rc: $(tr '\n' ' ' <"$tmp/wc.out")"
fi
barrier ended1
if [ "$me" = 0 ]; then
	for ((i = 0; i < 100; i++)); do grep -q '^A ' "$tmp/wc.out" && break; sleep 0.1; done
	stop
	want="A 10 sendrec EDVSSRCDIED (-108): source just died|C 12 sendrec EDVSINTR (-4): interrupted call|"
	[ "$rc" = 0 ] && [ "$got" = "$want" ] &&
		pass "node 0: B's end fails A's sendrec across the link (EDVSSRCDIED); SIGTERM ends C's (EDVSINTR)" ||
		fail "node 0: wait_chain's end: exit $rc, got '$got', want '$want'"
fi
echo 0 >$tr/events/dvk/enable
cat $tr/trace >"$tmp/trace"
rmdir $tr
n=$(grep -c 'dvk_wait_cycle:' "$tmp/trace")
line=$(grep -o 'dvk_wait_cycle: .*' "$tmp/trace")
if [ "$me" = 0 ]; then
	# C closed it: C -> A -> B's stand-in (node 1) -> C
	[ "$n" = 1 ] && [ "$line" = 'dvk_wait_cycle: dcid=0 len=3 eps={0xc,0xa,0xb} nodes={0x0,0x0,0x1}' ] &&
		pass "node 0: dvk_wait_cycle fires once with C, A and B@1 ($line)" ||
		fail "node 0: dvk_wait_cycle: $n events: $line"
	grep -qE 'dvk_block: id=[1-9][0-9]* dcid=0 ep=10 SENDING\|RECEIVING peer=11 timeout_ms=60000 peer_node=1$' "$tmp/trace" &&
		pass "node 0: dvk_block of A's sendrec names B's node (peer_node=1)" ||
		fail "node 0: dvk_block of A: $(grep 'ep=10 ' "$tmp/trace" | head -c 400)"
else
	[ "$n" = 0 ] && pass "node 1: no dvk_wait_cycle (the cycle is not visible here alone)" ||
		fail "node 1: dvk_wait_cycle fired $n times: $line"
fi
barrier "done"
rm -rf "$tmp"
[ "$me" = 0 ] && rm -f "$copy"
exit "$failed"
