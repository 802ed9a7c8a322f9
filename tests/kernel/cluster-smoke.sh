#!/usr/bin/env bash
# cluster-smoke.sh - the 2-node smoke test of scripts/vm-cluster.
#
# Run by tests/run on both nodes of one `scripts/vm-cluster --nodes 2` boot.
# Prints one PASS/FAIL line per check (the protocol of tests/check.h), each
# naming its node: the environment vm-cluster gives, ping to the peer over
# the link, a TCP exchange in both directions (node 1 listens, node 0
# connects), and a file written by node 0 in the shared cluster directory
# read by node 1.  The host runner adds the vm-cluster status (kernel logs).
set -u
me=${DVK_NODEID:-?}
failed=0
pass() { echo "PASS node$me: $*"; }
fail() { echo "FAIL node$me: $*"; failed=1; }
BB=/bin/busybox
PORT=5000
OUT=$(mktemp -d)

case "$me" in
0|1) ;;
*) fail "DVK_NODEID is '$me', not 0 or 1 (run through scripts/vm-cluster --nodes 2)"; exit 1 ;;
esac
peer=$((1 - me))
paddr=192.0.2.$((peer + 1))

want="$me 2 192.0.2.$((me + 1)) 1 0:192.0.2.1 1:192.0.2.2"
got="${DVK_NODEID-} ${DVK_NODES-} ${DVK_NODE_ADDR-} ${DVK_VM-} ${DVK_PEERS-}"
if [ "$got" = "$want" ]; then
	pass "environment DVK_NODEID/NODES/NODE_ADDR/VM/PEERS"
else
	fail "environment: got '$got', want '$want'"
fi
if [ -d "${DVK_CLUSTER_DIR-}" ] && [ "${DVK_NODE_DIR-}" = "$DVK_CLUSTER_DIR/node$me" ] &&
	echo "$me" >"$DVK_NODE_DIR/written" 2>/dev/null; then
	pass "DVK_NODE_DIR is writable"
else
	fail "DVK_CLUSTER_DIR='${DVK_CLUSTER_DIR-}' DVK_NODE_DIR='${DVK_NODE_DIR-}' is not a writable node<I> in it"
fi
[ "$me" = 0 ] && echo "hello from node0" >"$DVK_CLUSTER_DIR/from-node0"

if ping -c 3 -W 2 "$paddr" >"$OUT/ping" 2>&1 && grep -q ' 3 packets received' "$OUT/ping"; then
	pass "ping node$peer at $paddr: 3 of 3 replies"
else
	fail "ping node$peer at $paddr: $(tr '\n' ' ' <"$OUT/ping")"
fi

# TCP both ways on one connection: each side sends its line and reads the peer's.
echo "dvk-cluster-smoke from node$me" >"$OUT/send"
if [ "$me" = 1 ]; then
	timeout 30 "$BB" nc -l -p "$PORT" <"$OUT/send" >"$OUT/recv" 2>"$OUT/err"
	rc=$?
else
	# Until node 1 listens.
	for ((try = 1; try <= 40; try++)); do
		timeout 10 "$BB" nc "$paddr" "$PORT" <"$OUT/send" >"$OUT/recv" 2>"$OUT/err"
		rc=$?
		[ "$rc" -ne 0 ] || break
		sleep 0.5
	done
fi
if [ "$(cat "$OUT/recv")" = "dvk-cluster-smoke from node$peer" ]; then
	pass "TCP port $PORT: node$me got node$peer's line"
else
	fail "TCP port $PORT: nc status $rc, got '$(head -c 200 "$OUT/recv")' $(head -c 200 "$OUT/err")"
fi

# By now node 0 has written its file (before it connected).
if [ "$me" = 1 ]; then
	if [ "$(cat "$DVK_CLUSTER_DIR/from-node0" 2>&1)" = "hello from node0" ]; then
		pass "a file node0 wrote in DVK_CLUSTER_DIR is visible here"
	else
		fail "file from node0 in DVK_CLUSTER_DIR: $(find "$DVK_CLUSTER_DIR" 2>&1 | tr '\n' ' ')"
	fi
fi
rm -rf "$OUT"
exit "$failed"
