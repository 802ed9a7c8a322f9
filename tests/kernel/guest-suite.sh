#!/usr/bin/env bash
# guest-suite.sh - the in-VM kernel tests of one guest boot.
#
# Run by tests/run through scripts/vm-run, as root, inside a fresh guest, from
# the top of the tree.  Prints one PASS/FAIL/SKIP line per check (the
# protocol of tests/check.h); the host runner adds the kernel-log scan.
# Many checks share one boot because a TCG boot costs ~15 s.
# Environment (tests/run debug sets them): DVK_KO, the dvk.ko to load (default
# kernel/dvk.ko); DVK_KMEMLEAK=1: judge kmemleak's findings before the module
# is unloaded and after (tests/kernel/kmemleak.sh; reports in
# $DVK_KMEMLEAK_DIR, default build/test-results); DVK_TIMEOUT_SCALE=N: the
# test programs' kill timeouts times N (default 1).
set -u
B=build
T=$B/tests/kernel
OUT=$(mktemp -d)
KO=${DVK_KO:-kernel/dvk.ko}

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }
skip() { echo "SKIP $*"; }

# t NAME CMD...: PASS if CMD exits 0, else FAIL with the tail of its output.
t() {
	local name=$1
	shift
	if "$@" >"$OUT/t.log" 2>&1; then
		pass "$name"
	else
		fail "$name: exit $? $(tail -n 3 "$OUT/t.log" | tr '\n' ' ')"
	fi
}

# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# wait_for_lines

# prog SECONDS PROGRAM: a check.h test program, killed if it hangs (after
# SECONDS times DVK_TIMEOUT_SCALE).  Exit 1 means it already printed its FAIL
# lines; anything else is a crash or hang.
prog() {
	local rc secs=$(($1 * ${DVK_TIMEOUT_SCALE:-1}))
	timeout -k 5 "$secs" "$2"
	rc=$?
	[ $rc -le 1 ] || fail "$(basename "$2"): exit $rc (124 = killed after $secs s; >128 = signal)"
}

# progs GROUP: prog on each test of GROUP in tests/kernel/tests.list, in its
# order.  The list is read from a file descriptor, not a pipe or a process
# substitution (the guest has no /dev/fd), and the tests keep the suite's stdin.
progs() {
	local name group secs n=0
	while read -r name group secs _ <&3; do
		case "$name" in ''|'#'*) continue ;; esac
		[ "$group" = "$1" ] || continue
		case "$name" in
		*.sh) prog "$secs" "tests/kernel/$name" ;;	# a script: from the tree
		*) prog "$secs" "$T/$name" ;;
		esac
		n=$((n + 1))
	done 3<tests/kernel/tests.list
	[ "$n" -gt 0 ] || fail "tests/kernel/tests.list: no test of group $1 (or the list is unreadable)"
}

# ---- load ------------------------------------------------------------------
t "the comm recording is held for the whole boot (lib.sh cmdline_keeper)" cmdline_keeper on
t "insmod dvk.ko" insmod "$KO"
t "/dev/dvk is created" test -c /dev/dvk
t "dvk trace events are registered" test -d /sys/kernel/tracing/events/dvk/dvk_call_exit
if [ -e /sys/kernel/btf/dvk ]; then
	t "module BTF describes struct dvk_dvs" sh -c 'bpftool btf dump file /sys/kernel/btf/dvk | grep -q "STRUCT .dvk_dvs."'
else
	skip "module BTF: /sys/kernel/btf/dvk absent (scripts/module-btf could not add it)"
fi

# ---- argument integrity and the DVS calls (C programs, check.h protocol) ----
progs suite

# ---- dvk-proxy on one node: the key, attacks on its port, SIGTERM ------------
# (the two-guest cluster runs it for real; here proxy_attack plays node 1)
pxout=$OUT/px
mkdir -p "$pxout" /run/dvk
ip link set lo up 2>/dev/null || busybox ip link set lo up	# the guest's loopback starts down
build/bin/dvkctl init -n 0 >/dev/null && build/bin/dvkctl dc-init 0 DC0
key=/run/dvk/suite.key
t "dvkctl keygen writes a key file of mode 600" sh -c "
	build/bin/dvkctl keygen $key >/dev/null && [ \$(stat -c %a $key) = 600 ]"
px1="build/bin/dvk-proxy --node 1 --peer 127.0.0.1 --port-base 3100"
t "dvk-proxy without a key file refuses to start (status 1)" sh -c "
	$px1 --key-file /run/dvk/none 2>$pxout/nokey; [ \$? = 1 ] && grep -q 'No such file' $pxout/nokey"
t "dvk-proxy whose port is taken exits 1, saying so" sh -c "
	busybox nc -l -p 3101 & nc=\$!; sleep 0.5
	$px1 --key-file $key 2>$pxout/port; rc=\$?; kill \$nc
	[ \$rc = 1 ] && grep -q 'cannot listen on port 3101' $pxout/port"
install -m 644 $key /run/dvk/open.key
t "dvk-proxy refuses a key file others can read" sh -c "
	$px1 --key-file /run/dvk/open.key 2>$pxout/open; [ \$? = 1 ] && grep -q 'chmod 600' $pxout/open"
$px1 --key-file $key --stats-file "$pxout/stats" -v 2>"$pxout/log" &
px=$!
for ((i = 0; i < 100; i++)); do
	grep -q '^ 1 node1 ' /sys/kernel/debug/dvk/proxies 2>/dev/null && break
	sleep 0.1
done
t "dvk-proxy binds pair 1 for node 1 (debugfs proxies)" grep -q '^ 1 node1 ' /sys/kernel/debug/dvk/proxies
t "dvk-proxy attaches node 1 (/proc/dvs/nodes)" grep -qE '^ *1 .*node1' /proc/dvs/nodes
# the target: endpoint 5 of DC0, root, receiving; node 1's endpoint 20 may send to it
build/bin/dvkctl add-node 0 1 && build/bin/dvkctl rmtbind 0 20 1 rclient >/dev/null
$T/proxy_attack count 0 5 40 >"$pxout/target" 2>&1 &
target=$!
for ((i = 0; i < 50; i++)); do grep -q bound "$pxout/target" && break; sleep 0.1; done
pxtr=/sys/kernel/tracing/instances/pxsuite	# the refusals' dvk_proxy_conn events
mkdir -p $pxtr && echo 1 >$pxtr/events/dvk/dvk_proxy_conn/enable
timeout 120 $T/proxy_attack nokey 127.0.0.1 3101 1 0 || fail "proxy_attack nokey: exit $?"
timeout 120 $T/proxy_attack keyed $key 127.0.0.1 3101 1 0 0 20 5 3100 ||
	fail "proxy_attack keyed: exit $?"
sleep 1.5	# the stats file is rewritten every second
cat $pxtr/trace >"$pxout/trace" && echo 0 >$pxtr/events/dvk/dvk_proxy_conn/enable && rmdir $pxtr
t "... each refusal counted by reason" sh -c "
	grep -q 'bad hello=1 ' $pxout/stats && grep -q 'wrong version=2 ' $pxout/stats &&
	grep -q 'truncated frame=1 ' $pxout/stats && grep -q 'handshake timeout=2 ' $pxout/stats &&
	grep -q 'wrong node id=1 ' $pxout/stats && grep -q 'handshake MAC mismatch=3 ' $pxout/stats &&
	grep -q 'replayed frame=1 ' $pxout/stats && grep -q 'bad MAC=1 ' $pxout/stats &&
	grep -q 'out-of-order frame=1 ' $pxout/stats"
t "... logged once each, the proxy still runs" sh -c "
	[ \$(grep -c 'handshake MAC mismatch: connection closed (further ones are only counted)' $pxout/log) = 1 ] &&
	kill -0 $px"
t "... the kernel took the one valid command only (debugfs MSGS_IN 1, ERR_IN 0)" \
	awk '$1 == 1 { ok = $9 == 1 && $12 == 0 } END { exit !ok }' /sys/kernel/debug/dvk/proxies
t "... and debugfs counts the 13 refusals (REFUSED)" \
	awk '$1 == 1 { ok = $NF == 13 } END { exit !ok }' /sys/kernel/debug/dvk/proxies
t "... each traced (dvk_proxy_conn refused)" sh -c "
	[ \$(grep -c 'dvk_proxy_conn: px=1 refused' $pxout/trace) = 13 ]"
kill $target 2>/dev/null; wait $target
t "... and the target received it once, nothing forged or replayed" sh -c "
	grep -q '^received 1$' $pxout/target && grep -q 'type 0x600d' $pxout/target"
kill -TERM $px
wait $px
t "SIGTERM: dvk-proxy exits 0 (status $?)" test $? -eq 0
t "... and frees its pair (proxies_unbind)" sh -c "! grep -q '^ 1 node1 ' /sys/kernel/debug/dvk/proxies"
t "... printing its counters" grep -q '^out: msgs=' "$pxout/log"
build/bin/dvkctl dc-end 0 && build/bin/dvkctl end
progs proxied

# ---- Endpoints view: debugfs dvk/endpoints + epstats BPF through dvktop -------
# The record layouts of the message events (docs/trace-events.md): tracefs ABI, read by
# bpftrace and trace-cmd (the bpf/ programs use raw tracepoints).
fmt=/sys/kernel/tracing/events/dvk
t "dvk_msg_send/receive record layouts are as documented" sh -c "
	grep -q 'field:s32 dcid;.*offset:16;' $fmt/dvk_msg_send/format &&
	grep -q 'field:s32 src;.*offset:20;' $fmt/dvk_msg_send/format &&
	grep -q 'field:s32 queued;.*offset:28;' $fmt/dvk_msg_send/format &&
	grep -q 'field:u64 queued_ns;.*offset:16;' $fmt/dvk_msg_receive/format &&
	grep -q 'field:s32 dcid;.*offset:24;' $fmt/dvk_msg_receive/format &&
	grep -q 'field:s32 dst;.*offset:32;' $fmt/dvk_msg_receive/format"
$T/test_endpoints load 240 >"$OUT/load.out" 2>&1 &
load_pid=$!
if wait_for_lines "$OUT/load.out" 1 60 && grep -q READY "$OUT/load.out"; then
	build/bin/dvktop -b -j -n 3 -d 1.5 --record "$OUT/ep.samples" >"$OUT/ep.json" 2>"$OUT/ep.err"
	tests/kernel/replay-check.sh "dvktop -r: the Endpoints view's queues and rates as live" \
		"$OUT/ep.json" "$OUT/ep.samples" '[.endpoints[] | select(.queue == 3)] | length > 0'
	build/bin/dvktop -b -n 1 >"$OUT/ep.txt" 2>&1
	# the ncurses Endpoints view (-e) in an 80x24 tmux pane
	if command -v tmux >/dev/null; then
		TERM=xterm tmux -S "$OUT/tmux" new-session -d -x 80 -y 24 \
			"build/bin/dvktop -e -d 0.5 2>$OUT/tui.err"
		for ((i = 0; i < 300; i++)); do
			tmux -S "$OUT/tmux" capture-pane -p >"$OUT/tui.txt" 2>/dev/null
			grep -qE '^ 0 +1 +[0-9]+ - +3 ' "$OUT/tui.txt" && break
			sleep 0.2
		done
		grep -q '^DC    EP     PID FLAGS QUEUE OLDEST' "$OUT/tui.txt" &&
			grep -qE '^ 0 +1 +[0-9]+ - +3 ' "$OUT/tui.txt" &&
			grep -q 'sort queue desc' "$OUT/tui.txt" &&
			pass "dvktop -e shows the Endpoints view in 80x24 (ep 1, QUEUE 3, sorted by queue)" ||
			fail "dvktop -e shows the Endpoints view: $(tr '\n' '|' <"$OUT/tui.txt" | head -c 900) $(head -c 200 "$OUT/tui.err")"
		tmux -S "$OUT/tmux" send-keys q 2>/dev/null
		sleep 0.5
		tmux -S "$OUT/tmux" kill-server 2>/dev/null
	else
		skip "tmux not installed: the ncurses Endpoints view is not checked"
	fi
	# dvkctl migrate on a bound endpoint with queued senders (ep 1): start, the
	# flag shows, a second start is refused (EDVSMIGRATE), rollback clears it
	t "dvkctl migrate start + rollback of ep 1 (M shows in debugfs between)" sh -c '
		build/bin/dvkctl migrate start 0 1 &&
		grep -qE "^ 0 +1 +[0-9]+ +[0-9A-F]+ M" /sys/kernel/debug/dvk/endpoints &&
		r=$(build/bin/dvkctl migrate start 0 1 2>&1; echo "rc=$?") &&
		case "$r" in *"start: EDVSMIGRATE"*rc=1) ;; *) echo "second start: $r"; exit 1 ;; esac &&
		build/bin/dvkctl migrate rollback 0 1 &&
		grep -qE "^ 0 +1 +[0-9]+ +0 -" /sys/kernel/debug/dvk/endpoints'
	build/bin/dvkctl migrate commit 0 1 >"$OUT/mig.out" 2>&1
	rc=$?
	[ "$rc" = 2 ] && grep -q "expected start|rollback DCID EP" "$OUT/mig.out" &&
		pass "dvkctl migrate commit without NODEID: usage error (exit 2)" ||
		fail "dvkctl migrate commit without NODEID: exit $rc $(head -c 200 "$OUT/mig.out")"
	build/bin/dvkctl migrate rollback 0 1 >"$OUT/mig.out" 2>&1
	rc=$?
	[ "$rc" = 1 ] && grep -q "rollback: EDVSPROCSTS" "$OUT/mig.out" &&
		pass "dvkctl migrate rollback without start: EDVSPROCSTS (exit 1)" ||
		fail "dvkctl migrate rollback without start: exit $rc $(head -c 200 "$OUT/mig.out")"
	kill -TERM "$load_pid"
	wait "$load_pid"
	last=$(tail -n 1 "$OUT/ep.json")
	ep() { # ep EP JQ-EXPRESSION: the expression on the row of DC 0 / EP
		jq -r --argjson e "$1" "[.endpoints[] | select(.dcid == 0 and .ep == \$e) | $2][0]" \
			<<<"$last" 2>/dev/null
	}
	got="$(ep 1 '.queue') $(ep 1 '.oldest_ms > 0') $(ep 1 '.state') $(ep 1 '.received')"
	[ "$got" = "3 true - 0" ] &&
		pass "dvktop --json: ep 1 has 3 queued senders, oldest_ms > 0, nothing received ($got)" ||
		fail "dvktop --json: ep 1 queue/oldest>0/state/received: got '$got', want '3 true - 0'; ${last:0:600}"
	got="$(ep 10 '.state + (.flags|tostring) + (.queue|tostring)') $(ep 11 '.state') $(ep 12 '.state')"
	[ "$got" = "S40 S S" ] && pass "dvktop --json: the 3 senders are SENDING" ||
		fail "dvktop --json: the 3 senders are SENDING: got '$got'"
	got="$(ep 14 '.in_rate > 0 and .out_rate > 0 and .received > 0 and .msgs_in > 0') $(ep 15 '.in_rate > 0 and .out_rate > 0 and .sent > 0 and .msgs_out > 0')"
	[ "$got" = "true true" ] &&
		pass "dvktop --json: ping-pong endpoints have non-zero IN/s and OUT/s ($(ep 14 '.in_rate')/s)" ||
		fail "dvktop --json: ping-pong rates: got '$got'; ${last:0:600}"
	got=$(jq -r '[.endpoints[0].ep, .endpoints_total >= 6] | map(tostring) | join(" ")' <<<"$last")
	[ "$got" = "1 true" ] && pass "dvktop --json: endpoints sorted by queue depth, all listed" ||
		fail "dvktop --json: endpoints sorted by queue depth: got '$got'"
	awk '/^ENDPOINTS \(/ {s=1} s && $1 == 0 && $2 == 1 && $4 == "-" && $5 == 3 {ok=1} END {exit !ok}' "$OUT/ep.txt" &&
		pass "dvktop -b shows the Endpoints section with ep 1 and QUEUE 3" ||
		fail "dvktop -b shows the Endpoints section: $(tr '\n' '|' <"$OUT/ep.txt" | head -c 800)"
	grep -q DONE "$OUT/load.out" && pass "endpoint load ends cleanly" ||
		fail "endpoint load ends cleanly: $(tr '\n' ' ' <"$OUT/load.out")"
else
	fail "test_endpoints load starts: $(head -c 400 "$OUT/load.out")"
	kill "$load_pid" 2>/dev/null
	wait "$load_pid" 2>/dev/null
fi

# ---- epstats counts exactly, from both CPUs at once --------------------------
# dvktop attaches first; then 4 clients x 300 sendrec to one server in DC 0 and one
# client x 300 in DC 1.  Its per-endpoint counts must equal the calls made, and the
# kernel's own counters (MSGS_IN/OUT in debugfs, since the bind): the map's entries
# are shared by the CPUs and updated with atomic adds (bpf/stat.bpf.h).
build/bin/dvktop -b -j -d 1 -n 600 >"$OUT/fan.json" 2>"$OUT/fan.err" &
fan_top=$!
if wait_for_lines "$OUT/fan.json" 1 90; then
	$T/test_endpoints fanin 300 >"$OUT/fan.out" 2>&1 &
	fan_pid=$!
	if wait_for_lines "$OUT/fan.out" 1 240 && grep -q '^DONE' "$OUT/fan.out"; then
		n=$(wc -l <"$OUT/fan.json")
		wait_for_lines "$OUT/fan.json" $((n + 2)) 60
		last=$(tail -n 1 "$OUT/fan.json")
		# fan DC EP: "sent/received/msgs_out/msgs_in" of that row
		fan() {
			jq -r --argjson d "$1" --argjson e "$2" '[.endpoints[] | select(.dcid == $d and .ep == $e) |
				"\(.sent)/\(.received)/\(.msgs_out)/\(.msgs_in)"][0]' <<<"$last" 2>/dev/null
		}
		got="$(fan 0 20) $(fan 0 21) $(fan 0 22) $(fan 0 23) $(fan 0 24) $(fan 1 20) $(fan 1 21)"
		want="1200/1200/1200/1200 300/300/300/300 300/300/300/300 300/300/300/300 300/300/300/300 300/300/300/300 300/300/300/300"
		[ "$got" = "$want" ] &&
			pass "dvktop epstats: exact sent/received per endpoint in DC 0 and DC 1, equal to debugfs (server 1200/1200)" ||
			fail "dvktop epstats exact counts: got '$got', want '$want'"
		# DC 1's server napped 20 ms before its first 10 receives: those requests waited
		# in its queue (wait_max by compare-and-swap, the sum by atomic adds)
		got=$(jq -r '[.endpoints[] | select(.dcid == 1 and .ep == 20) |
			(.max_wait_ns >= 15000000 and .max_wait_ns < 5000000000 and .avg_wait_ns >= 150000)][0]' <<<"$last")
		[ "$got" = true ] &&
			pass "dvktop epstats: queue waits of DC 1's server (max $(jq '[.endpoints[] | select(.dcid == 1 and .ep == 20) | .max_wait_ns][0]' <<<"$last") ns)" ||
			fail "dvktop epstats queue waits of DC 1's server: $(jq -c '[.endpoints[] | select(.dcid == 1)]' <<<"$last" | head -c 400)"
	else
		fail "test_endpoints fanin: $(tr '\n' ' ' <"$OUT/fan.out" | head -c 300)"
	fi
	kill -TERM "$fan_pid" 2>/dev/null
	wait "$fan_pid"
	rc=$?
	[ "$rc" = 0 ] && grep -q '^ENDED' "$OUT/fan.out" && pass "test_endpoints fanin ends cleanly" ||
		fail "test_endpoints fanin ends cleanly: exit $rc $(tr '\n' ' ' <"$OUT/fan.out" | head -c 300)"
else
	fail "dvktop attaches before the fan-in: $(head -c 300 "$OUT/fan.err")"
fi
kill "$fan_top" 2>/dev/null
wait "$fan_top" 2>/dev/null

# ---- dvkload --ipc: the demo's message workload ------------------------------
# With the DVS not initialised it creates the DVS and DC 0, binds 3 servers (the
# last one slow: 200 ms a request, so clients queue on it) and 4 clients (2 in user
# slots, one replaced every ~1 s); stopped by SIGTERM, it must end what it created.
# A light load: under TCG on a busy host a heavier one slows the whole guest.
# ipc_summary FILE: "ROUND_TRIPS ERRORS VCOPIES NOTIFIES_RECEIVED REBINDS" of its summary line.
ipc_summary() {
	sed -nE 's/^dvkload: ipc: ([0-9]+) round trips, ([0-9]+) errors, ([0-9]+) vcopies \([0-9]+ bytes\), [0-9]+ notifies \(([0-9]+) received\), ([0-9]+) rebinds, .*/\1 \2 \3 \4 \5/p' "$1"
}
eps=/sys/kernel/debug/dvk/endpoints
build/bin/dvkload --ipc -r 20 -s 3 -c 4 --slow 1 --slow-ms 200 --lifetime 1000 \
	>"$OUT/ipc.out" 2>"$OUT/ipc.err" &
ipc_pid=$!
ipc_t0=$SECONDS
rows=0 maxq=0
for ((i = 0; i < 300 && rows < 7; i++)); do	# until all 7 are bound
	sleep 0.1
	rows=$(awk 'NR > 1 && $NF ~ /^u?(client|srv)/' $eps 2>/dev/null | wc -l)
done
for ((i = 0; i < 15; i++)); do	# the deepest queue seen over 1.5 s
	q=$(awk 'NR > 1 && $6 > q {q = $6} END {print q + 0}' $eps 2>/dev/null)
	[ "${q:-0}" -gt "$maxq" ] && maxq=$q
	sleep 0.1
done
# a second instance finds DC 0 running and its endpoints taken: it must say so and
# leave the DC alone (the first one then still ends with 0 errors)
build/bin/dvkload --ipc -t 1 >"$OUT/ipc2.out" 2>"$OUT/ipc2.err"
rc=$?
[ "$rc" = 1 ] && grep -q 'bind endpoint 1 in DC 0: EDVSSLOTUSED' "$OUT/ipc2.err" &&
	pass "a second dvkload --ipc on the same endpoints fails with EDVSSLOTUSED (exit 1)" ||
	fail "a second dvkload --ipc on the same endpoints: exit $rc: $(cat "$OUT/ipc2.out" "$OUT/ipc2.err" | head -c 300)"
while ((SECONDS - ipc_t0 < 3)); do sleep 0.2; done	# time for a rebind
kill -TERM "$ipc_pid"
for ((i = 0; i < 200; i++)); do	# it stops within 20 s, or fails
	kill -0 "$ipc_pid" 2>/dev/null || break
	sleep 0.1
done
kill -KILL "$ipc_pid" 2>/dev/null && echo "dvkload: still running 20 s after SIGTERM" >>"$OUT/ipc.err"
wait "$ipc_pid"
rc=$?
read -r rt err vc ntf reb <<<"$(ipc_summary "$OUT/ipc.out")"
[ "$rc" = 0 ] && [ "${rt:-0}" -gt 0 ] && [ "$err" = 0 ] &&
	pass "dvkload --ipc until SIGTERM: $rt round trips, 0 errors, exit 0" ||
	fail "dvkload --ipc until SIGTERM: exit $rc, round trips '$rt', errors '$err': $(cat "$OUT/ipc.out" "$OUT/ipc.err" | tr '\n' ' ' | head -c 400)"
[ "${vc:-0}" -gt 0 ] && [ "${ntf:-0}" -gt 0 ] && [ "${reb:-0}" -gt 0 ] &&
	pass "dvkload --ipc: vcopies ($vc), notifies received ($ntf) and client rebinds ($reb) happen" ||
	fail "dvkload --ipc: vcopies/notifies received/rebinds: got '$vc' '$ntf' '$reb'"
[ "$rows" = 7 ] && [ "$maxq" -gt 0 ] &&
	pass "debugfs endpoints shows its 7 endpoints and senders queued on the slow server (max queue $maxq)" ||
	fail "debugfs endpoints during dvkload --ipc: $rows of 7 rows, max queue $maxq"
[ "$(wc -l <$eps)" = 1 ] && [ ! -e /proc/dvs ] &&
	pass "dvkload --ipc leaves no slot bound and ends the DVS it initialised" ||
	fail "dvkload --ipc cleanup: $(tr '\n' '|' <$eps | head -c 300) /proc/dvs: $(ls /proc/dvs 2>&1 | tr '\n' ' ')"
# With the DVS initialised already it keeps it, and ends only the DC it created.
if build/bin/dvkctl init -n 0 --name IPCLOAD >/dev/null; then
	build/bin/dvkload --ipc -t 2 -s 2 -c 2 >"$OUT/ipc.out" 2>"$OUT/ipc.err"
	rc=$?
	read -r rt err vc ntf reb <<<"$(ipc_summary "$OUT/ipc.out")"
	[ "$rc" = 0 ] && [ "${rt:-0}" -gt 0 ] && [ "$err" = 0 ] && [ "$(wc -l <$eps)" = 1 ] &&
		build/bin/dvkctl info | grep -q 'd_name=IPCLOAD' && [ ! -e /proc/dvs/LOAD0 ] &&
		pass "dvkload --ipc on an initialised DVS: $rt round trips, keeps the DVS, ends its DC" ||
		fail "dvkload --ipc on an initialised DVS: exit $rc, '$rt' round trips, '$err' errors; $(cat "$OUT/ipc.out" "$OUT/ipc.err" | tr '\n' ' ' | head -c 300); $(ls /proc/dvs 2>&1 | tr '\n' ' ')"
	build/bin/dvkctl end >/dev/null
else
	fail "dvkctl init before dvkload --ipc"
fi

# ---- BPF counts through dvktop --json ----------------------------------------
t "dvkctl init" build/bin/dvkctl init -n 0 --name SUITE
t "dvkctl info shows the node" sh -c 'build/bin/dvkctl info | grep -q "^nodeid=0"'
build/bin/dvktop -b -j -n 1000 -d 2 >"$OUT/dvktop.json" 2>"$OUT/dvktop.err" &
dvktop_pid=$!
if wait_for_lines "$OUT/dvktop.json" 1 90; then
	pass "dvktop attaches and prints its first sample"
	t "make 50 getdvsinfo, 7 void0, 3 malformed calls" $T/dvk_burst 50 7 3
	# counts are cumulative: the first sample that starts after the burst has them all
	n=$(wc -l <"$OUT/dvktop.json")
	wait_for_lines "$OUT/dvktop.json" $((n + 2)) 60
	kill "$dvktop_pid" 2>/dev/null
	wait "$dvktop_pid"
	last=$(sed -n "$((n + 2))p" "$OUT/dvktop.json")
	count() { # count NAME FIELD
		jq -r --arg n "$1" --arg f "$2" \
			'[.calls[] | select(.name == $n) | .[$f]] | if length == 0 then 0 else .[0] end' \
			<<<"$last" 2>/dev/null
	}
	got="$(count getdvsinfo count)/$(count getdvsinfo errors) $(count void0 count)/$(count void0 errors) $(count invalid count)/$(count invalid errors)"
	want="50/0 7/7 3/3"
	if [ "$got" = "$want" ]; then
		pass "BPF counts match the calls made (count/errors: $got)"
	else
		fail "BPF counts match the calls made: got '$got', want '$want'; last sample: ${last:0:400}"
	fi
	state=$(jq -r '.dvs.state + " " + (.dvs.nodeid|tostring) + " " + .dvs.name' <<<"$last" 2>/dev/null)
	[ "$state" = "initialized 0 SUITE" ] && pass "dvktop header shows the DVS (node 0, SUITE)" ||
		fail "dvktop header shows the DVS: got '$state'"
	dvkcalls=$(jq '[.calls[] | select(.name == "dvs_init" or .name == "getdvsinfo")] | length' <<<"$last")
	p99=$(jq '[.calls[] | select(.name == "getdvsinfo") | .p99_ns][0]' <<<"$last")
	[ "${p99:-0}" -gt 0 ] 2>/dev/null && pass "dvktop reports a p99 latency for getdvsinfo (${p99} ns)" ||
		fail "dvktop reports a p99 latency: got '$p99'"
	[ "$dvkcalls" = 1 ] && pass "dvktop does not count calls made before it attached" ||
		fail "dvktop counts only calls after attach: $dvkcalls rows for dvs_init/getdvsinfo"
else
	fail "dvktop attaches and prints its first sample: $(head -c 400 "$OUT/dvktop.err")"
	kill "$dvktop_pid" 2>/dev/null
fi

# Bind waits: a process waiting to be bound shows in debugfs and in dvktop.
build/bin/dvkctl wait4bind -t 60000 >/dev/null 2>&1 &
waiter=$!
sleep 1
if grep -qE "^ *$waiter +dvkctl +-1 bind +SELF " /sys/kernel/debug/dvk/bindwaits; then
	pass "debugfs bindwaits lists a process in wait4bind(SELF)"
else
	fail "debugfs bindwaits lists a process in wait4bind(SELF): $(tr '\n' '|' </sys/kernel/debug/dvk/bindwaits)"
fi
build/bin/dvktop -b -j -n 1 --record "$OUT/bw.samples" >"$OUT/bw.json" 2>/dev/null
w=$(jq --argjson p "$waiter" \
	'[.bindwaits[] | select(.pid == $p and .oper == "bind" and .target == 35534 and .dcid == -1 and .timeout_ms == 60000)] | length' "$OUT/bw.json")
[ "$w" = 1 ] && pass "dvktop --json shows the bind wait (pid, SELF, timeout)" ||
	fail "dvktop --json shows the bind wait: got '$w'"
build/bin/dvktop -b -n 1 2>/dev/null | grep -qE "^ *$waiter +dvkctl +-1 bind +SELF" &&
	pass "dvktop -b shows the bind wait" || fail "dvktop -b shows the bind wait"
tests/kernel/replay-check.sh "dvktop -r: the bind wait as live" "$OUT/bw.json" "$OUT/bw.samples" \
	'.bindwaits_total >= 1'
build/bin/dvktop -r "$OUT/bw.samples" -b 2>&1 | grep -qE "^ *$waiter +dvkctl +-1 bind +SELF" &&
	pass "dvktop -r -b shows the recorded bind wait" || fail "dvktop -r -b shows the recorded bind wait"
kill "$waiter"; wait "$waiter" 2>/dev/null
t "debugfs bindwaits empty once the waiter is gone" sh -c "! grep -q '^ *$waiter ' /sys/kernel/debug/dvk/bindwaits"

# Plain batch mode: the table lists the calls made, with their counts.
build/bin/dvktop -b -n 2 -d 3 >"$OUT/dvktop.txt" 2>&1 &
dvktop_pid=$!
if wait_for_lines "$OUT/dvktop.txt" 3 90; then
	$T/dvk_burst 20 0 0 >/dev/null
	wait "$dvktop_pid"
	if awk '/^$/{blk++} blk>=1 && $1=="getdvsinfo" && $3==20 {ok=1} END{exit !ok}' "$OUT/dvktop.txt"; then
		pass "dvktop -b -n 2 lists getdvsinfo with its 20 calls"
	else
		fail "dvktop -b -n 2 lists getdvsinfo with its 20 calls: $(tr '\n' '|' <"$OUT/dvktop.txt" | head -c 600)"
	fi
else
	fail "dvktop -b prints its first sample: $(head -c 400 "$OUT/dvktop.txt")"
	kill "$dvktop_pid" 2>/dev/null
fi

# --record under dvkload, replayed: the same objects (tests/kernel/dvktop-replay.sh)
tests/kernel/dvktop-replay.sh

# bpftrace reads the same public events (-c starts the burst once attached).
# Its start-up (parsing the kernel's BTF) is the slow part: scaled on a debug kernel.
if command -v bpftrace >/dev/null; then
	timeout $((240 * ${DVK_TIMEOUT_SCALE:-1})) bpftrace -e 'tracepoint:dvk:dvk_call_exit /args->nr == 27/ { @n = count(); }
		tracepoint:dvk:dvk_call_exit /args->failed/ { @err[args->nr, args->ret] = count(); }' \
		-c "$T/dvk_burst 9 2 0" >"$OUT/bt.log" 2>&1
	bt_rc=$?
	grep -q '^@n: 9$' "$OUT/bt.log" && grep -q '^@err\[0, -38\]: 2$' "$OUT/bt.log" &&
		pass "bpftrace reads dvk:dvk_call_exit (9 getdvsinfo, 2 EDVSNOSYS)" ||
		fail "bpftrace reads dvk:dvk_call_exit (exit $bt_rc, 124: timed out): $(tr '\n' ' ' <"$OUT/bt.log" | head -c 300)"
else
	skip "bpftrace not installed"
fi

# ---- original DVK programs, built unchanged (lib/dvk_compat.h) ---------------
# tests/compat/dvk-tests: sources in the original style (original header names,
# `message` with char * pointer fields, the print macros, dvk_fd, privilege
# bitmaps as bitchunk_t chunks).  They initialise their own DVS and DC 0.
C=$B/tests/compat
# has_lines FILE LINE...: FILE has each LINE (a grep pattern) as a whole line
has_lines() {
	local file=$1 line
	shift
	for line; do
		grep -qx -- "$line" "$file" || return 1
	done
}
csecs=$((120 * ${DVK_TIMEOUT_SCALE:-1}))
build/bin/dvkctl end >/dev/null 2>&1	# the suite's DVS, if one is left
timeout -k 5 $csecs $C/dvs_dc_init 0 COMPAT 0 DC0 >"$OUT/c-init.out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q '^dvk_open: /dev/dvk opened, dvk_fd=[0-9]' "$OUT/c-init.out" &&
	grep -qx 'dvk_dvs_init: local_nodeid=0' "$OUT/c-init.out"; then
	pass "compat: dvk_open() sets dvk_fd, dvk_dvs_init() sets local_nodeid"
else
	fail "compat: dvs_dc_init: exit $rc $(tail -n 4 "$OUT/c-init.out" | tr '\n' '|')"
fi
if grep -qx 'd_name=COMPAT d_nr_dcs=32 d_nr_nodes=32 d_nr_procs=221 d_nr_tasks=35 d_nr_sysprocs=64' "$OUT/c-init.out" &&
	grep -qx 'd_max_copybuf=65536 d_max_copylen=1048576' "$OUT/c-init.out" &&
	grep -q '^d_dbglvl=[0-9A-F]* version=202202 flags=102 sizeof(proc)=[0-9]' "$OUT/c-init.out" &&
	grep -qx 'dc_dcid=0 dc_nr_procs=221 dc_nr_tasks=35 dc_nr_sysprocs=64 dc_nr_nodes=32 flags=0 dc_nodes=1 dc_name=DC0' "$OUT/c-init.out" &&
	grep -qx 'dc_dcid=0 dc_warn2proc=27342 dc_warnmsg=0' "$OUT/c-init.out" &&
	grep -q '^n_nodeid=0 n_proxies=-\?[0-9]* n_flags=[0-9A-F]* n_dcs=1 n_name=' "$OUT/c-init.out" &&
	grep -qx 'dvs_dc_init: OK' "$OUT/c-init.out"; then
	pass "compat: DVS_USR/DVS_MAX/DVS_VER, DC_USR/DC_WARN and NODE_USR formats print the values set"
else
	fail "compat: the DVS, DC and node formats: $(tr '\n' '|' <"$OUT/c-init.out" | head -c 700)"
fi

timeout -k 5 $csecs $C/client_server 0 10 11 >"$OUT/c-cs.out" 2>&1
rc=$?
[ $rc = 0 ] && grep -qx 'client_server: OK' "$OUT/c-cs.out" &&
	pass "compat: client/server pair (sendrec, send, notify, reply, vcopy) exits 0" ||
	fail "compat: client_server: exit $rc $(tail -n 6 "$OUT/c-cs.out" | tr '\n' '|')"
grep -qx 'SERVER got \[hello compat\] from endpoint 11' "$OUT/c-cs.out" &&
	grep -qx 'CLIENT answer \[HELLO COMPAT\] written where m1_p3 points' "$OUT/c-cs.out" &&
	pass "compat: m1_p1/m1_p2 carry the client's addresses; the server vcopies through them" ||
	fail "compat: pointers in messages: $(grep -E '^(SERVER|CLIENT)' "$OUT/c-cs.out" | tr '\n' '|' | head -c 500)"
grep -q '^CLIENT REPLY: source=10 type=11 m1i1=12 m1i2=0 m1i3=0 m1p1=0x[0-9a-f]* m1p2=0x[0-9a-f]* m1p3=0x' "$OUT/c-cs.out" &&
	grep -q '^SERVER NOTIFY: source=11 type=[0-9]* m9i1=' "$OUT/c-cs.out" &&
	grep -qx 'CLIENT tag pointer came back' "$OUT/c-cs.out" &&
	pass "compat: MSG1/MSG7/MSG9 formats; a notify from the client; m7_p1 round trip through the server" ||
	fail "compat: message formats and notify: $(grep -E '^(SERVER|CLIENT)' "$OUT/c-cs.out" | tr '\n' '|' | head -c 600)"
grep -q '^nr=10 endp=10 dcid=0 flags=[0-9A-F]* misc=[0-9A-F]* lpid=[0-9]* vpid=[0-9]* nodeid=0 name=client_server$' "$OUT/c-cs.out" &&
	grep -q '^nr=11 endp=11 dcid=0 p_lclsent=[0-9]* p_rmtsent=0 ' "$OUT/c-cs.out" &&
	pass "compat: PROC_USR/PROC_WAIT/PROC_COUNT formats of the lclbound children" ||
	fail "compat: process formats: $(grep -E '^(nr|endp)=' "$OUT/c-cs.out" | tr '\n' '|' | head -c 500)"

# priv_info SLOT KIND NAME LINE...: priv_info on endpoint SLOT of DC 0 (a KIND
# slot) exits 0, saying so, and prints each LINE
priv_info() {
	local slot=$1 kind=$2 name=$3 out=$OUT/c-priv$1.out rc
	shift 3
	timeout -k 5 $csecs $C/priv_info 0 "$slot" >"$out" 2>&1
	rc=$?
	[ $rc = 0 ] && has_lines "$out" "priv_info: $kind slot OK" "$@" && pass "compat: $name" ||
		fail "compat: priv_info ($kind slot): exit $rc $(tr '\n' '|' <"$out" | head -c 700)"
}
priv_info 12 system "get/set/unset_sys_bit on priv_usr_t chunks through getpriv/setpriv; notify refused without its bit" \
	'priv_id=47 priv_warn=27342 priv_level=1' 'ipc_to chunks: FFFF FFFF FFFF FFFF' \
	'ipc_to chunks: FFF7 FFFF FFFF FFFF' "notify without the call's bit: -102"
priv_info 100 user "a user slot's dvk_allowed read with get_sys_bit: sendrec, unbind, getep, wait4bind" \
	'dvk_allowed: 5 10 26 29' 'priv_id=64 priv_warn=27342 priv_level=0'
build/bin/dvkctl dc-end 0 >/dev/null 2>&1	# the DVS stays: the unload below ends it

# kmemleak: what the checks above leaked, while dvk.ko's symbols still resolve
kmemleak() {
	[ "${DVK_KMEMLEAK:-0}" != 1 ] ||
		tests/kernel/kmemleak.sh "$1" "${DVK_KMEMLEAK_DIR:-build/test-results}/kmemleak-$1.txt"
}
kmemleak suite

# ---- unload and reload -------------------------------------------------------
exec 7<>/dev/dvk
if rmmod dvk 2>/dev/null; then
	fail "rmmod refused while /dev/dvk is open"
	insmod "$KO"
else
	pass "rmmod refused while /dev/dvk is open"
fi
exec 7>&-
t "rmmod with the DVS initialised" rmmod dvk
t "/proc/dvs removed on unload" test ! -e /proc/dvs
t "/dev/dvk removed on unload" test ! -e /dev/dvk
t "reload dvk.ko" insmod "$KO"
t "init after reload" build/bin/dvkctl init -n 7
t "info after reload shows node 7" sh -c 'build/bin/dvkctl info | grep -q "^nodeid=7"'
t "dvs_end after reload" build/bin/dvkctl end
t "final rmmod" rmmod dvk
t "module is gone" sh -c '! grep -q "^dvk " /proc/modules'
# dvk-capture (tests/kernel/support-capture.sh has the rest): here, where dvk.ko is
# gone anyway; unloading it in the middle of the suite and tracing its events again
# afterwards once left two CPUs looping on a tracepoint's jump in dvk_dispatch
# (soft lockup under TCG)
t "dvk-capture refuses when dvk.ko is not loaded (status 1, saying so)" sh -c '
	tools/dvk-capture/dvk-capture -d 1 --no-samples -o /tmp/nm.tar.gz 2>/tmp/nm.err; rc=$?
	[ $rc = 1 ] && grep -q "dvk.ko is not loaded" /tmp/nm.err && [ ! -e /tmp/nm.tar.gz ]'
kmemleak suite-unload	# what the unloads leaked

# ---- the call fuzzer: 200 000 random calls, as root and as uid 65534 ---------
# (docs/fuzzing.md; it loads and unloads $DVK_KO itself).  DVK_SUITE_FUZZ=0
# leaves it out, for a lane that runs tests/kernel/fuzz.sh in a boot of its own.
if [ "${DVK_SUITE_FUZZ:-1}" != 0 ]; then
	timeout -k 10 $((600 * ${DVK_TIMEOUT_SCALE:-1})) tests/kernel/fuzz.sh
	rc=$?
	[ $rc -le 1 ] || fail "fuzz.sh: exit $rc (124 = killed after $((600 * ${DVK_TIMEOUT_SCALE:-1})) s)"
fi

cmdline_keeper off
rm -rf "$OUT"
exit 0
