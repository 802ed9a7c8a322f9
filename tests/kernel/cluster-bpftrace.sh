#!/usr/bin/env bash
# cluster-bpftrace.sh - dvkrmt.bt on both nodes of the 2-guest boot, against
# a known number of remote calls.
#
# Run by tests/run on both nodes, as `scripts/dvk-node
# tests/kernel/cluster-bpftrace.sh` (DVS, DC 0 and the proxies are
# dvk-node's).  Both nodes attach bpf/bpftrace/dvkrmt.bt; node 1 serves
# endpoint 26 (probe_rmt serve), node 0's endpoint 27 makes K sendrecs to
# it, one vcopy of B bytes into it and one send (probe_rmt call).  SIGINT
# ends the scripts; each node checks its own side: node 0 sent K sendrecs
# of 168 bytes (cmd_t, no payload) to node 1, got K replies (sends) and
# ACKed them, got ACKs for the vcopy and the send, and sent B payload bytes
# beyond the headers; node 1 got those K sendrecs with the same bytes, sent
# K replies, each ACKed, and got the B payload bytes.  One PASS/FAIL/SKIP line per check.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# cluster_barrier, cluster_link_up
me=$DVK_NODEID
peer=$((1 - me))
OUT=$DVK_NODE_DIR/bpftrace	# kept with the boot's logs
mkdir -p "$OUT"
K=20 B=4096 HDR=168 SRV=26 CLI=27
failed=0
pass() { echo "PASS bpftrace-rmt: node $me: $*"; }
fail() { echo "FAIL bpftrace-rmt: node $me: $*"; failed=1; }
barrier() { cluster_barrier bpftrace-rmt "$1"; }
scale=${DVK_TIMEOUT_SCALE:-1}

if ! command -v bpftrace >/dev/null; then
	echo "SKIP bpftrace-rmt: node $me: bpftrace not installed"
	exit 0
fi
cluster_link_up || fail "node $me: link to node $peer not up in 60 s"
barrier ready
build/bin/dvkctl add-node 0 "$peer" >/dev/null || fail "add-node 0 $peer"
if [ "$me" = 0 ]; then
	build/bin/dvkctl rmtbind 0 $SRV 1 rsrv >/dev/null || fail "rmtbind $SRV on node 1"
else
	build/bin/dvkctl rmtbind 0 $CLI 0 rcli >/dev/null || fail "rmtbind $CLI on node 0"
fi
bpftrace -B none bpf/bpftrace/dvkrmt.bt >"$OUT/rmt.out" 2>"$OUT/rmt.err" &
bt=$!
t0=$SECONDS
while ! grep -q '^Attaching [0-9]* probes' "$OUT/rmt.out" && [ $((SECONDS - t0)) -lt $((240 * scale)) ] &&
	kill -0 $bt 2>/dev/null; do
	sleep 1
done
echo "# bpftrace-rmt: node $me: dvkrmt.bt attached in $((SECONDS - t0)) s" >&2
grep -q '^Attaching [0-9]* probes' "$OUT/rmt.out" || fail "dvkrmt.bt attaches: $(head -c 300 "$OUT/rmt.err")"
barrier attached
probe_rmt_run bpftrace-rmt $SRV $CLI $K $B "$OUT/load"
barrier loaded
sleep 1	# the last ACKs
kill -INT $bt	# bpftrace v0.17 now and then misses one: again every 5 s, 60 s at most
for ((i = 0; i < 60; i++)); do
	kill -0 $bt 2>/dev/null || break
	sleep 1
	[ $((i % 5)) = 4 ] && kill -INT $bt 2>/dev/null
done
kill -0 $bt 2>/dev/null && fail "dvkrmt.bt still runs 60 s after SIGINT" && kill -KILL $bt
wait $bt

# val MAP KEY: the value of @MAP[KEY] (0 if absent)
val() { local v; v=$(sed -n "s/^@$1\[$2\]: //p" "$OUT/rmt.out"); echo "${v:-0}"; }
# payload DIR: bytes beyond the headers, over every command of that direction
payload() {
	awk -v d="$1" -v n="$peer" -v h=$HDR '
		$0 ~ "^@" d "\\[[a-z_]+, " n "\\]: " { split($0, a, "]: "); c += a[2] }
		$0 ~ "^@bytes_" d "\\[[a-z_]+, " n "\\]: " { split($0, a, "]: "); b += a[2] }
		END { print b - h * c }' "$OUT/rmt.out"
}
if [ "$me" = 0 ]; then
	o=$(val out "sendrec, 1") b=$(val bytes_out "sendrec, 1") a=$(val acked 1)
	[ "$o" = $K ] && [ "$b" = $((K * HDR)) ] &&
		pass "dvkrmt.bt: $o sendrecs out to node 1, $b bytes (168 each: no payload)" ||
		fail "dvkrmt.bt: @out[sendrec, 1] '$o' (want $K), @bytes_out '$b' (want $((K * HDR)))"
	# a sendrec is answered by the server's reply (a send of node 1, which we
	# ACK), not by an ACK: ACKs come back for the vcopy's data and the DONE send
	r=$(val in "send, 1") sa=$(val out "send_ack, 1")
	[ "$a" = 2 ] && [ "$r" = $K ] && [ "$sa" = $K ] &&
		grep -q '^@ack_us\[1\]:' "$OUT/rmt.out" && grep -q '^@queue_us\[1\]:' "$OUT/rmt.out" &&
		pass "dvkrmt.bt: $r replies in, $sa send_acks out; ACKed: $a (the vcopy, the send), queue and ACK latency histograms" ||
		fail "dvkrmt.bt: @in[send, 1] '$r', @out[send_ack, 1] '$sa' (want $K each), @acked[1] '$a' (want 2), or a histogram missing"
	p=$(payload out)
else
	i=$(val in "sendrec, 0") b=$(val bytes_in "sendrec, 0")
	[ "$i" = $K ] && [ "$b" = $((K * HDR)) ] &&
		pass "dvkrmt.bt: $i sendrecs in from node 0, $b bytes" ||
		fail "dvkrmt.bt: @in[sendrec, 0] '$i' (want $K), @bytes_in '$b' (want $((K * HDR)))"
	o=$(val out "send, 0") a=$(val acked 0)
	[ "$o" = $K ] && [ "$a" = $K ] && grep -q '^@ack_us\[0\]:' "$OUT/rmt.out" &&
		pass "dvkrmt.bt: $o replies out to node 0, each ACKed ($a), with their ACK latency" ||
		fail "dvkrmt.bt: @out[send, 0] '$o', @acked[0] '$a' (want $K each), or no @ack_us[0]"
	grep -q '^@put_errors' "$OUT/rmt.out" && fail "dvkrmt.bt: puts failed: $(grep '^@put_errors' "$OUT/rmt.out")"
	p=$(payload in)
fi
[ "$p" = $B ] && pass "dvkrmt.bt: $p payload bytes beyond the headers (the vcopy)" ||
	fail "dvkrmt.bt: payload bytes $p, want $B: $(grep -E '^@(bytes_)?(in|out)\[' "$OUT/rmt.out" | tr '\n' '|')"
[ -s "$OUT/rmt.err" ] && fail "dvkrmt.bt wrote to stderr: $(head -c 300 "$OUT/rmt.err")"
barrier checked
exit $failed
