#!/usr/bin/env bash
# bpftrace-tools.sh - the bpftrace tools of bpf/bpftrace/ against a known
# workload (tests/kernel/probe_load.c), in one guest (guest-suite.sh, group
# proxied of tests/kernel/tests.list).
#
# Seven scripts (dvkqueue twice) attach at once (bpftrace's start-up parses the kernel's BTF:
# tens of seconds under TCG, paid in parallel), then probe_load makes its
# calls, and SIGINT ends the scripts; each output is checked for the numbers
# probe_load says it made ("expect ..." lines).  A tracefs instance records
# the dvk_msg_send events of ep 20 -> 10: the slow sendrec's message id,
# independently of the scripts.  dvkrmt.bt needs two nodes:
# tests/kernel/cluster-bpftrace.sh.  One PASS/FAIL/SKIP line per check.
# BT_KEEP=DIR writes the outputs there and keeps them (the *_example.txt files come from them).
set -u
SECONDS=0
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# wait_for_lines
T=build/tests/kernel
BT=bpf/bpftrace
OUT=${BT_KEEP:-$(mktemp -d)}
mkdir -p "$OUT"
N=50		# fast sendrecs
failed=0
pass() { echo "PASS bpftrace: $*"; }
fail() { echo "FAIL bpftrace: $*"; failed=1; }
skip() { echo "SKIP bpftrace: $*"; }
scale=${DVK_TIMEOUT_SCALE:-1}

if ! command -v bpftrace >/dev/null; then
	skip "bpftrace not installed: bpf/bpftrace/*.bt not checked"
	exit 0
fi
build/bin/dvkctl end >/dev/null 2>&1	# a DVS a test before left
if ! build/bin/dvkctl init -n 0 --name BT >/dev/null || ! build/bin/dvkctl dc-init 0 DC0 >/dev/null; then
	fail "dvkctl init / dc-init 0 DC0"
	exit 1
fi

# the slow call's id, read from tracefs: the messages of ep 20 to ep 10, in order
tr=/sys/kernel/tracing/instances/bttools
mkdir -p $tr
echo 'src == 20 && dst == 10' >$tr/events/dvk/dvk_msg_send/filter
echo 1 >$tr/events/dvk/dvk_msg_send/enable

pids=()
# NAME:SCRIPT[:ARGUMENT]
# dvkqueue twice: every second (the interval prints), and once at its end
# (exact: bpftrace clears a map from user space after printing it, so an
# event in between is lost - see dvkqueue.bt's header)
for s in waits:dvkwaits slow:dvkslow:100 lat:dvklat queue:dvkqueue:1 queue_end:dvkqueue:3600 \
	bind:dvkbindwait errors:dvkerrors; do
	IFS=: read -r name script arg <<<"$s"
	# shellcheck disable=SC2086  # no argument: none
	bpftrace -B none $BT/$script.bt $arg >"$OUT/$name.out" 2>"$OUT/$name.err" &
	pids+=($!)
done
up=0
while [ "$up" -lt ${#pids[@]} ] && [ $SECONDS -lt $((240 * scale)) ]; do
	sleep 1
	up=$(grep -l '^Attaching [0-9]* probes' "$OUT"/*.out 2>/dev/null | wc -l)
done
t0=$SECONDS
if [ "$up" -lt ${#pids[@]} ]; then
	fail "${#pids[@]} scripts attach within $((240 * scale)) s: $up did; $(head -c 600 "$OUT"/*.err | tr '\n' ' ')"
fi
echo "# bpftrace-tools: ${#pids[@]} scripts attached in ${SECONDS} s" >&2
timeout $((120 * scale)) $T/probe_load $N >"$OUT/load.out" 2>"$OUT/load.err"
rc=$?
[ "$rc" = 0 ] && pass "probe_load made its calls with the planned results" ||
	fail "probe_load: exit $rc: $(head -c 400 "$OUT/load.err")"
sleep 2.5	# dvkqueue prints the seconds after the load too
# SIGINT ends a script (END, then its maps); bpftrace v0.17 now and then
# misses one: SIGINT again every 5 s, for 60 s at most
for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null; done
for ((i = 0; i < 60; i++)); do
	alive=0
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
	[ "$alive" = 0 ] && break
	sleep 1
	[ $((i % 5)) = 4 ] && for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null; done
done
[ "$alive" = 0 ] || fail "$alive scripts still run 60 s after SIGINT"
for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p"; done
echo "# bpftrace-tools: workload and exit $((SECONDS - t0)) s" >&2
echo 0 >$tr/events/dvk/dvk_msg_send/enable
sent=$(sed -n 's/.* dvk_msg_send: *id=\([0-9]*\) .*/\1/p' $tr/trace)
rmdir $tr

# expect KEY...: probe_load's word for it
expect() { sed -n "s/^expect $* //p" "$OUT/load.out"; }

# ---- dvkerrors: the failures by call, error name, process --------------------
got=$(grep -E '^@errors\[' "$OUT/errors.out" | sort | tr '\n' ' ')
want='@errors[receive, EDVSAGAIN, probe_load]: 1 @errors[sendrec, EDVSDEADSRCDST, probe_load]: 2 @errors[sendrec, EDVSTIMEDOUT, pl_cycle]: 3 @errors[void0, EDVSNOSYS, probe_load]: 3 '
[ "$got" = "$want" ] && pass "dvkerrors.bt: 3 void0 EDVSNOSYS, 2 sendrec EDVSDEADSRCDST, 1 receive EDVSAGAIN, 3 sendrec EDVSTIMEDOUT, by process" ||
	fail "dvkerrors.bt: got '$got', want '$want'"
n=$(grep -cE '^[0-9:]{8} +[0-9]+ (probe_load|pl_cycle) +(void0|sendrec|receive) +EDVS' "$OUT/errors.out")
[ "$n" = 9 ] && pass "dvkerrors.bt: one line per failure as it happens (9)" ||
	fail "dvkerrors.bt: $n lines of failures, want 9"

# ---- dvklat: every call timed, per call and per endpoint ---------------------
bad=''
while read -r call count; do
	g=$(sed -n "s/^@calls\[$call\]: //p" "$OUT/lat.out")
	[ "$g" = "$count" ] || bad="$bad $call=${g:-0}/$count"
done <<<"$(expect calls)"
[ -n "$(expect calls)" ] && [ -z "$bad" ] &&
	pass "dvklat.bt: @calls equal the calls probe_load made ($(expect calls | tr '\n' ' '))" ||
	fail "dvklat.bt: @calls (got/made):$bad"
g=$(sed -n 's/^@ep_calls\[sendrec, 0, 20\]: //p' "$OUT/lat.out")
[ "$g" = $((N + 4)) ] && grep -q '^@usecs\[sendrec\]:' "$OUT/lat.out" && grep -q '^@ep_usecs\[0, 20\]:' "$OUT/lat.out" &&
	pass "dvklat.bt: ep 20 made $g sendrecs (N + slow + quit + 2 to ep 15), histograms per call and per endpoint" ||
	fail "dvklat.bt: @ep_calls[sendrec, 0, 20] = '$g', want $((N + 4)); or a histogram is missing"

# ---- dvkslow: the slow sendrec with its id, the fast ones not -----------------
slow_id=$(sed -n "$((N + 1))p" <<<"$sent")
line=$(awk '$4 == "sendrec" && $6 == 20 && $7 == 10' "$OUT/slow.out")
tid=$(expect slow_tid)
read -r _ spid _ _ _ _ _ sid sms sblk sres <<<"$line"
[ "$(wc -l <<<"$line")" = 1 ] && [ "$sid" = "$slow_id" ] && [ "$spid" = "$tid" ] &&
	[ "${sms:-0}" -ge 200 ] && [ "${sblk:-0}" -ge 190 ] && [ "$sres" = OK ] &&
	pass "dvkslow.bt 100: the one slow sendrec 20 -> 10 (id $sid, the tracefs id of its message, $sms ms, $sblk ms blocked), none of the $N fast ones" ||
	fail "dvkslow.bt: 20 -> 10 lines '$line', want one with id $slow_id (tracefs) pid $tid >= 200 ms OK"
n=$(awk '$4 == "sendrec" && $5 == 0 && $7 != 10 && $9 >= 1000 && $NF == "EDVSTIMEDOUT"' "$OUT/slow.out" | wc -l)
[ "$n" = 3 ] && pass "dvkslow.bt: the 3 deadlocked sendrecs, >= 1 s, EDVSTIMEDOUT" ||
	fail "dvkslow.bt: $n deadlocked sendrecs seen, want 3: $(tr '\n' '|' <"$OUT/slow.out" | head -c 800)"

# ---- dvkwaits: time blocked on whom, and the deadlock cycle ------------------
g=$(sed -n 's/^@waits\[sendrec, 0, 20, probe_load, 10, pl_server\]: //p' "$OUT/waits.out")
[ "$g" = $((N + 2)) ] && pass "dvkwaits.bt: ep 20 slept $g times on ep 10 (pl_server), once per sendrec" ||
	fail "dvkwaits.bt: @waits of 20 on 10: '$g', want $((N + 2))"
ok=1
for e in '3, pl_cycle, 4' '4, pl_cycle, 5' '5, pl_cycle, 3'; do
	ms=$(sed -n "s/^@wait_ms\[sendrec, 0, $e, pl_cycle\]: //p" "$OUT/waits.out")
	[ "${ms:-0}" -ge 900 ] && [ "${ms:-0}" -lt 3000 ] || ok=0
done
[ "$ok" = 1 ] && pass "dvkwaits.bt: eps 3, 4, 5 each blocked ~1 s on the next (peer named)" ||
	fail "dvkwaits.bt: the cycle's waits: $(grep 'pl_cycle' "$OUT/waits.out" | tr '\n' '|')"
dl=$(grep '^DEADLOCK' "$OUT/waits.out")
[ "$(wc -l <<<"$dl")" = 1 ] && grep -qE '^DEADLOCK dc 0: (3 -> 4 -> 5 -> 3|4 -> 5 -> 3 -> 4|5 -> 3 -> 4 -> 5)$' <<<"$dl" &&
	pass "dvkwaits.bt: names the deadlock once: $dl" ||
	fail "dvkwaits.bt: deadlock lines '$dl'"
grep -q '^@waits\[receive, 0, 10, pl_server, 31438, ANY\]:' "$OUT/waits.out" &&
	pass "dvkwaits.bt: the server's receive(ANY) waits are named ANY" ||
	fail "dvkwaits.bt: no receive waits of ep 10 on ANY"

# ---- dvkqueue: ep 10's queue of 3 -------------------------------------------
# exact, from the run that prints once, at its end
d=$(sed -n 's/^@depth_max\[0, 10\]: //p' "$OUT/queue_end.out")
w=$(sed -n 's/^@wait_max_us\[0, 10\]: //p' "$OUT/queue_end.out")
[ "$d" = 3 ] && [ "${w:-0}" -ge 100000 ] &&
	pass "dvkqueue.bt: ep 10's deepest queue 3, longest wait $w us" ||
	fail "dvkqueue.bt: depth_max '$d' (want 3), wait_max_us '$w' (want >= 100000)"
g=$(grep -cE '^@depth_max\[0, (3|4|5)\]: 1$' "$OUT/queue_end.out")
[ "$g" = 3 ] && pass "dvkqueue.bt: the deadlocked senders queued at 3, 4, 5 (depth 1 each)" ||
	fail "dvkqueue.bt: depth 1 at 3, 4, 5: $g of 3"
# every second: stamped interval prints, ep 10's queue in one of them, no
# interval deeper than the whole run's
iv=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' "$OUT/queue.out")
d1=$(sed -n 's/^@depth_max\[0, 10\]: //p' "$OUT/queue.out" | sort -n | tail -n 1)
[ "$iv" -ge 1 ] && [ -n "$d1" ] && [ "$d1" -ge 1 ] && [ "$d1" -le 3 ] &&
	pass "dvkqueue.bt 1: $iv interval prints, ep 10's queue in them (deepest $d1 of 3)" ||
	fail "dvkqueue.bt 1: $iv interval prints, ep 10's depth_max '$d1' (want 1..3)"

# ---- dvkbindwait: the two waiters, target and result ------------------------
read -r _ r12 _ r14 <<<"$(expect wait4bind)"
g1=$(grep -cE "^END +[0-9]+ pl_wait +0 bind +12 [0-9]+ bound \\($r12\\)$" "$OUT/bind.out")
g2=$(grep -cE "^END +[0-9]+ pl_wait +0 bind +14 (2[5-9][0-9]|[3-9][0-9][0-9]) EDVSTIMEDOUT \\(-61\\)$" "$OUT/bind.out")
st=$(grep -cE '^START +[0-9]+ pl_wait +0 bind +(12 30000|14 300)$' "$OUT/bind.out")
[ "$r12" = 12 ] && [ "$r14" = -61 ] && [ "$g1" = 1 ] && [ "$g2" = 1 ] && [ "$st" = 2 ] &&
	grep -q '^@ended\[bind, 12, bound\]: 1$' "$OUT/bind.out" &&
	grep -q '^@ended\[bind, 14, EDVSTIMEDOUT\]: 1$' "$OUT/bind.out" &&
	pass "dvkbindwait.bt: the waiter for 12 ended bound, the one for 14 EDVSTIMEDOUT after ~300 ms" ||
	fail "dvkbindwait.bt: $(tr '\n' '|' <"$OUT/bind.out" | head -c 800)"

for f in "$OUT"/*.err; do
	[ -s "$f" ] && fail "$(basename "$f" .err): bpftrace wrote to stderr: $(head -c 300 "$f")"
done
build/bin/dvkctl dc-end 0 >/dev/null 2>&1
build/bin/dvkctl end >/dev/null 2>&1
[ -n "${BT_KEEP:-}" ] || rm -rf "$OUT"
exit $failed
