#!/usr/bin/env bash
# cluster-dvktop.sh - dvktop's Proxies view on a real 2-node cluster.
#
# Run by tests/run on both nodes of the 2-guest boot, as
# `DVK_NODE_PROXIES=0 scripts/dvk-node tests/kernel/cluster-dvktop.sh`: it
# starts its own dvk-proxy, so it can stop it to take the link down.
#
# Each node runs `dvktop --json` while both nodes run `dvkload --ipc` against
# their own and the peer's servers (as `make demo` does), then checks what
# dvktop said about the peer: the link up, commands/s and bytes/s each way
# during the load, payload bytes beyond the headers (vcopy), a quiet link
# after it, a throughput history, and the pxstats BPF counts equal to the
# deltas of the kernel's own counters in debugfs dvk/proxies (the same
# commands counted twice, by different code), and the replay of its --record
# equal to what it printed live (replay-check.sh).  Node 0 also drives the
# ncurses view in tmux (-P, keys c, Tab, 2) and the plain batch section.
# Last, node 1 stops its proxy: node 0's dvktop must show the link not up,
# then up again once node 1's proxy is back.
# One PASS/FAIL line per check (tests/check.h protocol).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=scripts/demo-layout.sh
. scripts/demo-layout.sh	# demo_layout, demo_bind_peer
me=$DVK_NODEID
peer=$((1 - me))
paddr=192.0.2.$((peer + 1))
OUT=$(mktemp -d)
failed=0
pass() { echo "PASS dvktop-px: $*"; }
fail() { echo "FAIL dvktop-px: $*"; failed=1; }
HDR=168		# sizeof(cmd_t): every command's header bytes

# barrier NAME: both nodes got here (files in the shared cluster directory).
barrier() { cluster_barrier dvktop-px "$1"; }

# link_state: the STATE column of the pair serving the peer ("" when none).
link_state() {
	awk -v n="$peer" '$1 == n { print $(NF - 13) }' /sys/kernel/debug/dvk/proxies 2>/dev/null
}

# wait_link STATE SECONDS: until the pair to the peer shows STATE.
wait_link() {
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(link_state)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

start_proxy() {
	build/bin/dvk-proxy --node "$peer" --peer "$paddr" -v --heartbeat 1000 --key-file "$DVK_KEY_FILE" \
		--stats-file "$OUT/proxy.stats" 2>>"$OUT/proxy.log" &
	proxy=$!
}

# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# wait_for_lines, cluster_barrier

# px JSON-LINE EXPR: EXPR on the peer's row of the Proxies view in that line.
px() {
	jq -r --argjson n "$peer" "[.proxies[] | select(.node == \$n) | $2][0]" <<<"$1" 2>/dev/null
}

start_proxy
if wait_link ISR 60; then
	pass "node $me: link to node $peer up (ISR)"
else
	fail "node $me: link to node $peer not up in 60 s: '$(link_state)' $(tail -c 300 "$OUT/proxy.log")"
fi
barrier linked
build/bin/dvkctl add-node 0 "$peer" >/dev/null || fail "node $me: add-node 0 $peer"
demo_layout "$me"
why=$(demo_bind_peer "$peer") || fail "node $me: $why"

build/bin/dvktop -b -j -d 1 --record "$OUT/px.samples" >"$OUT/px.json" 2>"$OUT/px.err" &
dvktop=$!
wait_for_lines "$OUT/px.json" 1 90 || fail "node $me: dvktop --json printed nothing in 90 s: $(head -c 300 "$OUT/px.err")"
barrier dvktop
# the load outlasts the ncurses checks below also in a slow (debug) guest,
# where starting tmux and dvktop -P alone can take longer than 6 s
build/bin/dvkload --ipc -t $((6 * ${DVK_TIMEOUT_SCALE:-1})) -r 25 -s 4 -c 6 --slow-ms 20 --ep-base "$base" \
	--user-base "$users" --remote-servers "$servers" >"$OUT/load" 2>&1 &
load=$!

if [ "$me" = 0 ] && command -v tmux >/dev/null; then
	# The ncurses view while the load runs: -P, then c, Tab Tab (back to it), 2.
	tm() { tmux -S "$OUT/tmux" "$@"; }
	screen_has() { # screen_has REGEX SECONDS
		for ((i = 0; i < $2 * 5; i++)); do
			tm capture-pane -p >"$OUT/tui.txt" 2>/dev/null
			grep -qE "$1" "$OUT/tui.txt" && return 0
			sleep 0.2
		done
		return 1
	}
	TERM=xterm tm new-session -d -x 80 -y 24 "build/bin/dvktop -P -d 0.5 2>$OUT/tui.err"
	if screen_has "^ +$peer +$peer up +[0-9.]+[kM]? +[0-9.]+[kM]? " 20 &&
		grep -q '^NODE PX LINK  OUT/s OUTB/s   IN/s  INB/s QUEUE OLDEST  ERRS HISTORY' "$OUT/tui.txt" &&
		grep -q 'sort node asc  up 1/1  B/s out ' "$OUT/tui.txt"; then
		pass "dvktop -P shows the Proxies view in 80x24 (node $peer up, header, status)"
	else
		fail "dvktop -P: $(tr '\n' '|' <"$OUT/tui.txt" | head -c 900) $(head -c 200 "$OUT/tui.err")"
	fi
	# the sparkline after the 59 fixed columns shows traffic (ASCII glyphs
	# without a UTF-8 locale, block glyphs with one)
	spark=
	for ((i = 0; i < 100 * ${DVK_TIMEOUT_SCALE:-1}; i++)); do
		tm capture-pane -p >"$OUT/tui.txt" 2>/dev/null
		spark=$(grep -E "^ +$peer +$peer " "$OUT/tui.txt" | cut -c61-)
		grep -qE '[.:=+*#]|▂|▃|▄|▅|▆|▇|█' <<<"$spark" && break
		sleep 0.2
	done
	grep -qE '[.:=+*#]|▂|▃|▄|▅|▆|▇|█' <<<"$spark" &&
		pass "dvktop -P draws the throughput sparkline ('$spark')" ||
		fail "dvktop -P sparkline: '$spark' in $(tr '\n' '|' <"$OUT/tui.txt" | head -c 600)"
	tm send-keys c
	screen_has '^CALL +NR +COUNT' 10 && tm send-keys Tab &&
		screen_has '^DC +EP +PID FLAGS' 10 && tm send-keys Tab &&
		screen_has '^NODE PX LINK' 10 && tm send-keys 2 &&
		screen_has 'sort bytes desc' 10 &&
		pass "dvktop keys: c calls, Tab endpoints, Tab proxies, 2 sorts by bytes" ||
		fail "dvktop keys c/Tab/Tab/2: $(tr '\n' '|' <"$OUT/tui.txt" | head -c 600)"
	tm send-keys q
	sleep 0.5
	tm kill-server 2>/dev/null
elif [ "$me" = 0 ]; then
	echo "SKIP dvktop-px: tmux not installed: the ncurses Proxies view is not checked"
fi

wait "$load"
barrier loaded
# two refreshes after the last command: the last line sees a quiet link
n=$(wc -l <"$OUT/px.json")
wait_for_lines "$OUT/px.json" $((n + 3)) 30 || fail "node $me: dvktop stopped printing"
kill "$dvktop" 2>/dev/null
wait "$dvktop"
first=$(head -n 1 "$OUT/px.json")
last=$(tail -n 1 "$OUT/px.json")

got="$(jq -r .proxies_total <<<"$first") $(px "$first" '.px') $(px "$first" '.link') $(px "$first" '.state')"
[ "$got" = "1 $peer up ISR" ] && pass "node $me: dvktop lists pair $peer serving node $peer, link up" ||
	fail "node $me: first line: got '$got', want '1 $peer up ISR': ${first:0:300}"
busy=$(jq -c --argjson n "$peer" '[.proxies[] | select(.node == $n and .out_rate > 0 and .in_rate > 0
	and .out_bps > 0 and .in_bps > 0)] | length' "$OUT/px.json" | grep -c '^1$')
[ "$busy" -ge 3 ] && pass "node $me: commands/s and bytes/s both ways during the load ($busy refreshes)" ||
	fail "node $me: refreshes with traffic both ways: $busy, want >= 3"
m_out=$(px "$last" .msgs_out) b_out=$(px "$last" .bytes_out)
m_in=$(px "$last" .msgs_in) b_in=$(px "$last" .bytes_in)
[ "${m_out:-0}" -gt 100 ] && [ "${m_in:-0}" -gt 100 ] &&
	pass "node $me: over 100 commands each way ($m_out out, $m_in in)" ||
	fail "node $me: commands each way: $m_out out, $m_in in"
[ $((b_out - HDR * m_out)) -gt 0 ] && [ $((b_in - HDR * m_in)) -gt 0 ] &&
	pass "node $me: payload bytes beyond the headers each way (vcopy: $((b_out - HDR * m_out)) out, $((b_in - HDR * m_in)) in)" ||
	fail "node $me: payload bytes: out $b_out for $m_out, in $b_in for $m_in"
# the BPF counts (since dvktop started) against the kernel's counters of the pair
for f in msgs_out bytes_out msgs_in bytes_in; do
	bpf=$(($(px "$last" ".$f") - $(px "$first" ".$f")))
	kern=$(($(px "$last" ".pair.$f") - $(px "$first" ".pair.$f")))
	[ "$bpf" = "$kern" ] && [ "$bpf" -gt 0 ] && pass "node $me: $f from BPF equals the debugfs delta ($bpf)" ||
		fail "node $me: $f: BPF counted $bpf, debugfs $kern"
done
got="$(px "$last" '.out_rate == 0 and .in_rate == 0 and .queue == 0 and .oldest_ms == -1')"
[ "$got" = true ] && pass "node $me: the link is quiet after the load (no rate, empty queue)" ||
	fail "node $me: after the load: $(px "$last" '[.out_rate, .in_rate, .queue, .oldest_ms]')"
# one value per refresh, up to the DVK_PX_HIST (60) dvktop keeps
got=$(px "$last" '[(.history_bps | length) == (['"$(wc -l <"$OUT/px.json")"' - 1, 60] | min),
	(.history_bps | max) > 0, .history_bps[-1] == 0] | all')
[ "$got" = true ] && pass "node $me: one history value per refresh, traffic in it, quiet at the end" ||
	fail "node $me: history: $(px "$last" '.history_bps | tostring') ($(wc -l <"$OUT/px.json") lines)"
# replayed, the recording shows all of it again: rates, history, pair counters
tests/kernel/replay-check.sh "dvktop-px: node $me: dvktop -r of the Proxies view under load as live" \
	"$OUT/px.json" "$OUT/px.samples" \
	"[.proxies[] | select(.node == $peer and (.history_bps | max) > 0 and .msgs_out > 100)] | length == 1" ||
	failed=1
got=$(px "$last" '.avg_wait_ns > 0 and .max_wait_ns >= .avg_wait_ns and .enqueued > 0')
[ "$got" = true ] && pass "node $me: queue waits and enqueues counted ($(px "$last" .avg_wait_ns) ns mean)" ||
	fail "node $me: waits/enqueued: $(px "$last" '[.avg_wait_ns, .max_wait_ns, .enqueued, .msgs_out]')"

if [ "$me" = 0 ]; then
	build/bin/dvktop -b -n 1 >"$OUT/px.txt" 2>&1
	awk -v n="$peer" '/^PROXIES \(1 pair, 1 peer, 1 up, 0 queued\)/ {s=1}
		s && $1 == n && $2 == n && $3 == "up" && $NF == "node" n {ok=1} END {exit !ok}' "$OUT/px.txt" &&
		pass "dvktop -b prints the Proxies section (node $peer up, pair name last)" ||
		fail "dvktop -b Proxies section: $(tr '\n' '|' <"$OUT/px.txt" | tail -c 600)"
fi

# The link goes down: node 1 stops its proxy (SIGTERM: proxies_unbind), node 0
# sees it in dvktop, then node 1 starts it again and node 0 sees it up.
barrier checked
if [ "$me" = 1 ]; then
	kill -TERM "$proxy"
	wait "$proxy" || fail "node 1: dvk-proxy exited $? on SIGTERM"
	touch "$DVK_CLUSTER_DIR/dvktop-px.stopped"
	for ((i = 0; i < 600; i++)); do
		[ -e "$DVK_CLUSTER_DIR/dvktop-px.seen-down" ] && break
		sleep 0.1
	done
	start_proxy
	wait_link ISR 60 || fail "node 1: link not up again after the proxy restart"
else
	for ((i = 0; i < 600; i++)); do
		[ -e "$DVK_CLUSTER_DIR/dvktop-px.stopped" ] && break
		sleep 0.1
	done
	link=
	for ((i = 0; i < 60; i++)); do
		link=$(build/bin/dvktop -b -j -n 1 2>/dev/null | jq -r --argjson n "$peer" \
			'[.proxies[] | select(.node == $n) | .link][0]')
		[ "$link" != up ] && break
		sleep 0.5
	done
	touch "$DVK_CLUSTER_DIR/dvktop-px.seen-down"
	[ "$link" = half ] || [ "$link" = down ] || [ "$link" = none ] &&
		pass "dvktop on node 0 shows the link not up once node 1's proxy stopped ($link)" ||
		fail "dvktop on node 0 after node 1's proxy stopped: link '$link'"
	for ((i = 0; i < 120; i++)); do
		link=$(build/bin/dvktop -b -j -n 1 2>/dev/null | jq -r --argjson n "$peer" \
			'[.proxies[] | select(.node == $n) | .link][0]')
		[ "$link" = up ] && break
		sleep 0.5
	done
	[ "$link" = up ] && pass "dvktop on node 0 shows the link up again after the restart" ||
		fail "dvktop on node 0 after node 1's proxy restarted: link '$link'"
fi
barrier finished

kill -TERM "$proxy"
wait "$proxy" || fail "node $me: dvk-proxy exited $? on SIGTERM"
grep -h '^dvkload' "$OUT/load" | sed "s/^/# node $me: /"
rm -rf "$OUT"
exit "$failed"
