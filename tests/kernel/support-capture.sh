#!/usr/bin/env bash
# support-capture.sh - dvk-capture and its flight recorder (docs/support.md), in a guest.
#
# Run by guest-suite.sh (group proxied of tests.list) as root with dvk.ko loaded
# and no DVS; prints one PASS/FAIL/SKIP line per check.  It leaves its archives
# in build/test-results/support/ (the tree is shared), where tests/run reads
# them back with trace-cmd report on the host.
#   window    dvk-capture -d 5 under dvkload --ipc: manifest, trace.dat covering
#             the whole window (nothing lost), snapshots against the live
#             files, tracing left as it was; a ring too small counts its losses
#   refusals  not root, a full disk (at start and while
#             writing), bad trigger specs: non-zero, with a clear message
#   flight    no trigger, no archive; one 200 ms sendrec among fast ones: exactly
#             one archive with that call and the seconds around it; SIGUSR1,
#             dvk-capture --fire and error= fire too
# shellcheck disable=SC2015,SC2012  # A && pass || fail on purpose; ls of known names
set -u
B=build
CAP=tools/dvk-capture/dvk-capture
R=$B/test-results/support
T=/sys/kernel/tracing
OUT=$(mktemp -d)
scale=${DVK_TIMEOUT_SCALE:-1}

pass() { echo "PASS capture: $*"; }
fail() { echo "FAIL capture: $*"; }
skip() { echo "SKIP capture: $*"; }
# ok NAME CONDITION-CMD...: PASS if it succeeds, else FAIL with $why
ok() {
	local name=$1
	shift
	why=''
	if "$@"; then pass "$name"; else fail "$name${why:+: $why}"; fi
}

# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh

rm -rf "$R"
mkdir -p "$R"
export DVK_CAPTURE_HELPER=$B/bin/dvk-capture-helper DVK_CAPTURE_DVKTOP=$B/bin/dvktop

# samples: only with a dvktop that records (dvktop --record)
sopt=()
if $B/bin/dvktop --help 2>&1 | grep -q -- '--record-rotate'; then
	have_record=1
else
	have_record=0 sopt=(--no-samples)
	skip "dvktop has no --record/--record-rotate yet: captures run with --no-samples, samples unchecked"
fi

# ---- the tracing state that must survive every capture ------------------------
# a bystander instance tracing dvk_call_exit, and the top instance's switches
by=$T/instances/bystander
mkdir -p $by && echo 1 >$by/events/dvk/dvk_call_exit/enable && echo 1 >$by/tracing_on
top_on=$(cat $T/tracing_on) top_dvk=$(cat $T/events/dvk/enable) top_clock=$(cat $T/trace_clock)
# untouched WHEN: the top instance as it was, the bystander still tracing, no dvk-capture instance left
untouched() {
	local left
	left=$(find $T/instances -maxdepth 1 -name 'dvk-capture*' | wc -l)
	# and no process of it: the recorder, its waiters, trace-cmd, its dvktop
	procs=$(ps -eo args | grep -E '^(head -n 1|trace-cmd|[^ ]*bash [^ ]*dvk-capture|[^ ]*dvktop .*--record)' | head -n 3)
	[ -z "$procs" ] || left="$left + processes: $procs"
	# nor a stray file where it was run (trace-cmd extract once left "(null).cpuN")
	! compgen -G '(null)*' >/dev/null || left="$left + files: $(echo '(null)'*)"
	if [ "$(cat $T/tracing_on)" = "$top_on" ] && [ "$(cat $T/events/dvk/enable)" = "$top_dvk" ] &&
		[ "$(cat $T/trace_clock)" = "$top_clock" ] && [ -d $by ] &&
		[ "$(cat $by/events/dvk/dvk_call_exit/enable)" = 1 ] && [ "$(cat $by/tracing_on)" = 1 ] &&
		[ "$(cat $by/trace_clock)" != "[mono]" ] && [ "$left" = 0 ]; then
		pass "$1: tracing left as it was (top instance, a bystander instance), no instance left behind"
	else
		fail "$1: tracing state changed: top on $(cat $T/tracing_on) (was $top_on), dvk $(cat $T/events/dvk/enable) (was $top_dvk), bystander $(cat $by/tracing_on 2>&1) $(cat $by/events/dvk/dvk_call_exit/enable 2>&1), instances: $(ls $T/instances | tr '\n' ' ')"
	fi
}

# ---- refusals ----------------------------------------------------------------
# expect NAME STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN (ERE) on stderr
expect() {
	local name=$1 want=$2 pat=$3 rc
	shift 3
	"$@" >"$OUT/exp.out" 2>"$OUT/exp.err"
	rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pat" "$OUT/exp.err"; then
		pass "$name (status $rc: $(head -n 1 "$OUT/exp.err"))"
	else
		fail "$name: status $rc (want $want): $(head -c 300 "$OUT/exp.err")"
	fi
}
expect "refuses when not root" 1 'must run as root' \
	setpriv --reuid 65534 --regid 65534 --clear-groups $CAP -d 1 -o "$OUT/nr.tar.gz"
expect "refuses a bad trigger spec (status 2)" 2 "expected CALL>TIME" $CAP --flight -t 'sendrec<5ms'
expect "refuses an unknown error name (status 2)" 2 "no DVK error code named 'EDVSBOGUS'" $CAP --flight -t error=EDVSBOGUS
expect "refuses an unknown call name (status 2)" 2 "no DVK call named 'sendrecv'" $CAP --flight -t 'sendrecv>5ms'
expect "refuses --trigger without --flight (status 2)" 2 'needs --flight' $CAP -t 'sendrec>5ms'
expect "refuses an output that is not .tar.gz/.tar.zst (status 2)" 2 'must end in' $CAP -o "$OUT/x.zip"
mkdir -p "$OUT/full"
if mount -t tmpfs -o size=64k tmpfs "$OUT/full"; then
	expect "refuses a full disk at start (64 KB tmpfs)" 1 'no space left' $CAP -d 1 "${sopt[@]}" -o "$OUT/full/a.tar.gz"
	ok "... and leaves nothing there" test -z "$(ls -A "$OUT/full")"
	umount "$OUT/full"
else
	fail "mount a 64 KB tmpfs for the full-disk case"
fi

# ---- window capture under load -------------------------------------------------
$B/bin/dvkctl end >/dev/null 2>&1	# a DVS an earlier test left: dvkload makes its own (node 0)
$B/bin/dvkload --ipc -r 20 -s 3 -c 4 --slow 1 --slow-ms 50 --lifetime 0 >"$OUT/load.out" 2>"$OUT/load.err" &
load=$!
for ((i = 0; i < 300; i++)); do	# until its 7 endpoints are bound
	[ "$(awk 'NR > 1' /sys/kernel/debug/dvk/endpoints 2>/dev/null | wc -l)" -ge 7 ] && break
	sleep 0.1
done
# a dvk-proxy for node 1 (nobody connects): its stats file and log go into the archive
mkdir -p /run/dvk
$B/bin/dvkctl keygen /run/dvk/capture.key >/dev/null
$B/bin/dvk-proxy --node 1 --peer 127.0.0.1 --port-base 3300 --key-file /run/dvk/capture.key \
	--stats-file "$OUT/px.stats" -v 2>"$OUT/px.log" &
px=$!
sleep 1
t0=$(date +%s%N)
$CAP -v -d 5 -i 1 "${sopt[@]}" -o "$R/window.tar.gz" >"$OUT/win.out" 2>"$OUT/win.err"
rc=$?
t1=$(date +%s%N)
# the live files, right after (the load still runs)
live=$OUT/live
mkdir -p "$live"
(cd /proc/dvs && find . -type f | sort) >"$live/proc.list"
cp /proc/dvs/info "$live/info"
cp /proc/dvs/nodes "$live/nodes"
cp /proc/dvs/LOAD0/info "$live/dcinfo" 2>/dev/null
(cd /sys/kernel/debug/dvk && ls | sort) >"$live/debug.list"
for f in /sys/kernel/debug/dvk/*; do head -n 1 "$f" >"$live/head.${f##*/}"; done
[ "$rc" = 0 ] && [ -s "$R/window.tar.gz" ] && [ "$(cat "$OUT/win.out")" = "$R/window.tar.gz" ] &&
	pass "dvk-capture -d 5 under load writes its archive and names it ($(stat -c %s "$R/window.tar.gz") bytes in $(( (t1 - t0) / 1000000 )) ms)" ||
	fail "dvk-capture -d 5 under load: status $rc: $(head -c 500 "$OUT/win.err")"
echo "# capture: window archive $(stat -c %s "$R/window.tar.gz" 2>/dev/null) bytes, capture $(( (t1 - t0) / 1000000 )) ms"
sed 's/^/# /' "$OUT/win.err"
untouched "window"
W=$OUT/w
mkdir -p "$W"
tops=$(tar -tzf "$R/window.tar.gz" 2>/dev/null | cut -d/ -f1 | sort -u)
[ "$tops" = window ] && tar -xzf "$R/window.tar.gz" -C "$W" &&
	pass "the archive has one top directory named like it (window/)" ||
	fail "the archive's top directories: '$(tr '\n' ' ' <<<"$tops")'"
M=$W/window/manifest.json
# the manifest: the contract of docs/support.md
why=$(jq -r --arg host "$(uname -n)" --arg rel "$(uname -r)" --arg src "$(cat /sys/module/dvk/srcversion)" '
	def need(c; msg): if c then empty else msg end;
	need(.schema == "dvk-capture/1"; "schema"),
	need(.tool | startswith("dvk-capture "); "tool"),
	need(.host == $host; "host"),
	need(.node.id == 0 and .node.name == "DVS_IPC" or (.node.id == 0 and (.node.name | type) == "string"); "node"),
	need(.kernel.release == $rel and (.kernel.version | length) > 0; "kernel"),
	need(.module.srcversion == $src and (.module.build_id | test("^[0-9a-f]{40}$")); "module"),
	need(.mode == "window" and .trigger == null; "mode/trigger"),
	need((.window.end.monotonic_ns - .window.start.monotonic_ns) >= 5000000000 and
	     (.window.end.monotonic_ns - .window.start.monotonic_ns) < 60000000000; "window length"),
	need((.window.end.realtime_ns - .window.start.realtime_ns) > 4900000000; "window realtime"),
	need((.clocks | length) >= 2 and all(.clocks[]; .uncertainty_ns >= 0 and .uncertainty_ns < 10000000 and
	     (.realtime_ns | type) == "number" and (.monotonic_ns | type) == "number"); "clocks"),
	need(.trace.file == "trace.dat" and .trace.clock == "mono" and (.trace.instance | startswith("dvk-capture-")) and
	     .trace.events == ["dvk:*"] and .trace.filter == null and .trace.buffer_kb > 0; "trace"),
	need(.samples == null or (.samples.file == "samples.jsonl" and .samples.live == "dvktop.jsonl" and
	     .samples.interval_ms == 1000 and .samples.count >= 3); "samples"),
	need((.files | length) >= 8 and all(.files[]; (.path | length) > 0 and (.what | length) > 0); "files")
	' "$M" 2>&1)
[ -s "$M" ] && [ -z "$why" ] && pass "manifest.json validates (schema dvk-capture/1: host, node, kernel, module, window, clocks, trace, files)" ||
	fail "manifest.json validates: wrong: $(tr '\n' ' ' <<<"$why")"
missing=''
for f in $(jq -r '.files[].path' "$M" 2>/dev/null); do [ -e "$W/window/$f" ] || missing+=" $f"; done
for f in trace.dat start/proc/dvs/info end/proc/dvs/info start/debug/dvk/endpoints end/debug/dvk/endpoints \
	dmesg.txt uname.txt modinfo.txt btf/dvk; do
	[ -s "$W/window/$f" ] || missing+=" $f"
done
[ -z "$missing" ] && pass "every file the manifest lists is there, with trace.dat, both snapshots, dmesg, uname, modinfo, btf/dvk" ||
	fail "files missing from the archive:$missing"
# the trace reads back, with the load's events, on the monotonic clock of the window
trace-cmd report "$W/window/trace.dat" >"$OUT/report" 2>"$OUT/report.err"
n_exit=$(grep -c 'dvk_call_exit:' "$OUT/report") n_send=$(grep -c 'dvk_msg_send:' "$OUT/report")
n_sr=$(grep -c 'dvk_call_exit: *call=sendrec' "$OUT/report")
[ "$n_exit" -gt 50 ] && [ "$n_send" -gt 20 ] && [ "$n_sr" -gt 20 ] &&
	pass "trace.dat reads back with trace-cmd report: $n_exit dvk_call_exit ($n_sr sendrec), $n_send dvk_msg_send" ||
	fail "trace.dat reads back: $n_exit dvk_call_exit, $n_sr sendrec, $n_send dvk_msg_send: $(head -c 300 "$OUT/report.err")"
first_last=$(awk '/dvk_/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = substr($i, 1, length($i) - 1); if (!f) f = t; l = t; break } }
	END { printf "%.0f %.0f", f * 1e9, l * 1e9 }' "$OUT/report")
read -r first last <<<"$first_last"
read -r ws we <<<"$(jq -r '"\(.window.start.monotonic_ns) \(.window.end.monotonic_ns)"' "$M")"
[ "${first:-0}" -ge $((ws - 1000000000)) ] && [ "${last:-0}" -le $((we + 1000000000)) ] && [ $((last - first)) -gt 3000000000 ] &&
	pass "its time stamps are CLOCK_MONOTONIC within the manifest's window ($(( (last - first) / 1000000 )) ms of events)" ||
	fail "trace time stamps $first..$last against the window $ws..$we"
# the whole window: the load makes events every few ms, so the first and last
# lie within 1 s (scaled) of the window's start and end; the window is what was
# asked (not trace-cmd's start and stop); the kernel lost none of them
# (trace-cmd record's recorders once left all but the first 0.5-1.9 s behind)
lost=$(jq -r .trace.lost_events "$M") slack=$((1000000000 * scale))
[ "${first:-0}" -ge "$ws" ] && [ $((first - ws)) -le $slack ] && [ "${last:-0}" -le "$we" ] && [ $((we - last)) -le $slack ] &&
	[ $((we - ws)) -le $((5000000000 + slack)) ] && [ "$lost" = 0 ] &&
	pass "the trace covers the whole 5 s window: first event $(( (first - ws) / 1000000 )) ms after its start, last $(( (we - last) / 1000000 )) ms before its end ($(( (we - ws) / 1000000 )) ms), lost_events 0" ||
	fail "the trace covers the window: events $first..$last ns, window $ws..$we ns ($(( (we - ws) / 1000000 )) ms), lost_events $lost"
# snapshots against the live files
(cd "$W/window/end/proc/dvs" && find . -type f | sort) >"$OUT/snap.list"
(cd "$W/window/end/debug/dvk" && ls | sort) >"$OUT/snapd.list"
hd=''
for f in "$W/window/end/debug/dvk"/*; do	# (no process substitution: the guest has no /dev/fd)
	head -n 1 "$f" >"$OUT/h1"
	cmp -s "$OUT/h1" "$live/head.${f##*/}" || hd+=" ${f##*/}"
done
cmp -s "$OUT/snap.list" "$live/proc.list" && cmp -s "$W/window/end/proc/dvs/info" "$live/info" &&
	cmp -s "$W/window/end/proc/dvs/nodes" "$live/nodes" && cmp -s "$W/window/end/proc/dvs/LOAD0/info" "$live/dcinfo" &&
	cmp -s "$OUT/snapd.list" "$live/debug.list" && [ -z "$hd" ] &&
	pass "the end snapshot matches the live files (every /proc/dvs file, info, nodes, DC info; debugfs dvk/ files and headers)" ||
	fail "end snapshot against the live files: $(diff "$OUT/snap.list" "$live/proc.list" | head -n 5 | tr '\n' ' ') $(diff "$W/window/end/proc/dvs/info" "$live/info" | tr '\n' ' ') headers:$hd"
grep -qE '^ *[0-9]+ +[0-9]+ +[0-9]+ ' "$W/window/start/debug/dvk/endpoints" &&
	cmp -s "$W/window/start/proc/dvs/info" "$live/info" &&
	pass "the start snapshot has the load's endpoints and the same DVS info" ||
	fail "start snapshot: $(head -c 300 "$W/window/start/debug/dvk/endpoints" | tr '\n' '|')"
cmp -s "$W/window/btf/dvk" /sys/kernel/btf/dvk && grep -q "^srcversion: $(cat /sys/module/dvk/srcversion)$" "$W/window/modinfo.txt" &&
	pass "btf/dvk is the module's BTF; modinfo.txt has its srcversion" || fail "btf/dvk or modinfo.txt differ"
if [ "$have_record" = 1 ]; then
	n=$(wc -l <"$W/window/samples.jsonl") nl=$(wc -l <"$W/window/dvktop.jsonl")
	bad=$(jq -r --argjson a "$ws" --argjson b "$we" 'select((.mono_ns < $a - 2000000000) or (.mono_ns > $b + 2000000000) or (.real_ns | type) != "number") | .mono_ns' \
		"$W/window/samples.jsonl" 2>&1 | head -n 3)
	[ "$n" -ge 4 ] && [ "$nl" -ge 3 ] && [ -z "$bad" ] &&
		pass "samples.jsonl has $n samples inside the window (mono_ns, real_ns), dvktop.jsonl $nl" ||
		fail "samples: $n samples, $nl live, outside the window: $bad"
fi
pd=$W/window/proxies/$px
[ -s "$pd/stats" ] && [ -s "$pd/log" ] && grep -q -- '--stats-file' "$pd/cmdline" && [ "$(jq .proxies "$M")" = 1 ] &&
	pass "proxies/: the running dvk-proxy's command line, stats file and log (stderr)" ||
	fail "proxies/ of pid $px: $(ls -R "$W/window/proxies" 2>&1 | tr '\n' ' ' | head -c 300)"
kill -TERM $px
wait $px
# zstd
expect "refuses a filter on a field an event lacks (status 2)" 2 "refused by dvk:dvk_call_exit" \
	$CAP -d 1 "${sopt[@]}" -e call_exit -f 'dcid == 0' -o "$OUT/bf.tar.gz"
$CAP -d 1 "${sopt[@]}" -e call_exit,dvk_call_enter -f 'nr == 5' -o "$R/small.tar.zst" >/dev/null 2>"$OUT/zst.err"
rc=$?
[ "$rc" = 0 ] && tar --zstd -tf "$R/small.tar.zst" | grep -q '^small/manifest.json$' &&
	[ "$(tar --zstd -xOf "$R/small.tar.zst" small/manifest.json | jq -c '[.trace.events, .trace.filter]')" = '[["dvk:dvk_call_exit","dvk:dvk_call_enter"],"nr == 5"]' ] &&
	pass "-o X.tar.zst writes zstd; -e and -f are recorded in the manifest" ||
	fail "zstd capture with -e/-f: status $rc $(head -c 300 "$OUT/zst.err")"
untouched "zstd"
# a ring too small for the window: the kernel's count of dropped events is in
# the manifest, and said
$CAP -d 5 --sched --no-samples -b 64 -o "$OUT/small-ring.tar.gz" >/dev/null 2>"$OUT/ring.err"
rc=$?
lost=$(tar -xzOf "$OUT/small-ring.tar.gz" small-ring/manifest.json 2>/dev/null | jq -r .trace.lost_events)
[ "$rc" = 0 ] && [ "${lost:-0}" -gt 0 ] 2>/dev/null && grep -q "warning: $lost events of the window are not in trace.dat" "$OUT/ring.err" &&
	pass "-b 64 --sched under load: the manifest counts the events the ring dropped ($lost) and it warns" ||
	fail "-b 64 --sched under load: status $rc, lost_events '${lost:-}': $(head -c 300 "$OUT/ring.err")"
# a disk that fills while writing: a clear message, no archive, nothing left
if mount -t tmpfs -o size=1100k tmpfs "$OUT/full"; then
	expect "refuses cleanly when the disk fills during the capture (1100 KB tmpfs)" 1 'no space left' \
		$CAP -d 5 "${sopt[@]}" -b 8192 -o "$OUT/full/b.tar.gz"
	ok "... and leaves no archive or work directory" test -z "$(ls -A "$OUT/full")"
	umount "$OUT/full"
	untouched "full disk"
fi
kill -TERM $load
wait $load
grep -q ' 0 errors' "$OUT/load.out" || fail "dvkload under capture: $(cat "$OUT/load.out" "$OUT/load.err" | head -c 300)"

# (dvk.ko not loaded: guest-suite.sh checks it after its final rmmod; a reload here,
# mid-suite, was followed by a soft lockup on a tracepoint's jump under TCG)

# ---- flight recorder -------------------------------------------------------------
$B/bin/dvkctl init -n 0 --name FLIGHT >/dev/null && $B/bin/dvkctl dc-init 0 DC0 >/dev/null ||
	fail "dvkctl init / dc-init for the flight recorder"
# arm NAME ARGS...: a flight recorder in the background ($fl), armed when it returns
arm() {
	local name=$1
	shift
	rm -f "$OUT/ready"
	DVK_CAPTURE_READY=$OUT/ready $CAP --flight "${sopt[@]}" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
	fl=$!
	for ((i = 0; i < 600; i++)); do
		[ ! -e "$OUT/ready" ] && kill -0 $fl 2>/dev/null || break
		sleep 0.1
	done
	[ -e "$OUT/ready" ] || { fail "$name: the flight recorder arms: $(head -c 300 "$OUT/$name.err")"; return 1; }
}
# ended PID SECONDS: PID ended within SECONDS; its status in $st
ended() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; st=$?; return 0; }
		sleep 0.1
	done
	return 1
}

# no trigger, no archive: 150 fast sendrecs only
if arm none -t 'sendrec>100ms' --pre 5 --post 1 -o "$R/none.tar.gz"; then
	build/tests/kernel/slow_call 0 20 21 150 0 0 2 >"$OUT/fast.out" 2>&1 || fail "slow_call (all fast): $(cat "$OUT/fast.out")"
	sleep 2
	if kill -0 $fl 2>/dev/null && [ ! -e "$R/none.tar.gz" ]; then
		pass "flight: 150 fast sendrecs do not trigger 'sendrec>100ms' (no archive, still armed; $(tail -n 1 "$OUT/fast.out"))"
	else
		fail "flight: fast sendrecs only: triggered anyway: $(head -c 300 "$OUT/none.err")"
	fi
	kill -TERM $fl
	ended $fl 60 && [ "$st" = 143 ] && [ ! -e "$R/none.tar.gz" ] && [ ! -e /run/dvk-capture/control ] &&
		pass "flight: SIGTERM stops it without an archive (status 143), control FIFO removed" ||
		fail "flight: SIGTERM: status ${st:-?}, archive $(ls "$R" | tr '\n' ' ')"
	untouched "flight stopped"
fi

# one 200 ms sendrec among fast ones: exactly one archive, with that call
if arm slow -t 'sendrec>100ms' -t error=EDVSNOTCONN --pre 5 --post 2 -o "$R/flight.tar.gz"; then
	ls "$R" >"$OUT/before.list"
	build/tests/kernel/slow_call 0 20 21 60 200 60 30 >"$OUT/slow.out" 2>&1 || fail "slow_call: $(cat "$OUT/slow.out")"
	cpid=$(sed -nE 's/^slow_call: pid ([0-9]+) .*/\1/p' "$OUT/slow.out")
	if ended $fl $((90 * scale)); then
		ls "$R" >"$OUT/after.list"
		new=$(comm -13 "$OUT/before.list" "$OUT/after.list")
		[ "$st" = 0 ] && [ "$new" = flight.tar.gz ] &&
			pass "flight: the 200 ms sendrec triggers exactly one archive (flight.tar.gz)" ||
			fail "flight: status $st, new files '$(tr '\n' ' ' <<<"$new")': $(head -c 300 "$OUT/slow.err")"
	else
		fail "flight: no archive 90 s after the slow call: $(head -c 300 "$OUT/slow.err")"
		kill $fl; wait $fl
	fi
	F=$OUT/f
	mkdir -p "$F" && tar -xzf "$R/flight.tar.gz" -C "$F" 2>/dev/null
	FM=$F/flight/manifest.json
	why=$(jq -r --arg pid "$cpid" '
		def need(c; msg): if c then empty else msg end;
		need(.schema == "dvk-capture/1" and .mode == "flight"; "mode"),
		need(.trigger.kind == "slow" and .trigger.spec == "sendrec>100ms"; "trigger kind/spec"),
		need(.trigger.event | test("dvk_call_exit: +call=sendrec nr=5 ret=0 failed=0 duration_ns=[0-9]+ tgid=" + $pid + "$"); "trigger event"),
		need((.trigger.event | capture("duration_ns=(?<d>[0-9]+)").d | tonumber) >= 200000000; "duration"),
		need(.trigger.monotonic_ns > .window.start.monotonic_ns - 1000000000 and .trigger.monotonic_ns < .window.end.monotonic_ns; "trigger time"),
		need((.trigger.realtime_ns - .trigger.monotonic_ns) - (.clocks[0].realtime_ns - .clocks[0].monotonic_ns) | fabs < 50000000; "trigger realtime"),
		need(.flight.pre_s == 5 and .flight.post_s == 2; "pre/post")
		' "$FM" 2>&1)
	[ -s "$FM" ] && [ -z "$why" ] &&
		pass "flight: the manifest names the trigger (slow, sendrec>100ms) and the triggering event (tgid $cpid, >= 200 ms)" ||
		fail "flight manifest: wrong: $(tr '\n' ' ' <<<"$why") $(jq -c .trigger "$FM" 2>&1 | head -c 300)"
	trace-cmd report -t "$F/flight/trace.dat" >"$OUT/freport" 2>/dev/null
	# the trace is in clock local: the trigger's time in it is its event line's
	tm=$(jq -r '.trigger.event | capture(" (?<s>[0-9]+)\\.(?<f>[0-9]+): dvk_call_exit") | (.s + "." + .f)' "$FM" 2>/dev/null |
		awk '{ printf "%.0f", $1 * 1e9 }')
	[ -n "$tm" ] || tm=0
	# the client's events: the slow exit, fast calls at least 1 s before and after it
	read -r slow_n before after <<<"$(awk -v pid="$cpid" -v tm="$tm" '/dvk_call_exit: *call=sendrec/ && $0 ~ ("tgid=" pid "$") {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) t = substr($i, 1, length($i) - 1) * 1e9
		if (match($0, /duration_ns=[0-9]+/)) d = substr($0, RSTART + 12, RLENGTH - 12) + 0
		if (d >= 200000000) s++
		else if (t < tm - 1e9) b++
		else if (t > tm + 1e9) a++ }
		END { print s + 0, b + 0, a + 0 }' "$OUT/freport")"
	[ "$slow_n" = 1 ] && [ "$before" -gt 5 ] && [ "$after" -gt 5 ] &&
		pass "flight: trace.dat holds that sendrec ($slow_n slow exit) and the client's calls more than 1 s before ($before) and after ($after)" ||
		fail "flight trace: slow $slow_n, before $before, after $after (pid $cpid, trigger $tm): $(grep -c dvk_ "$OUT/freport") dvk events"
	trace-cmd dump --clock "$F/flight/trace.dat" 2>/dev/null | grep -q '\[local\]' &&
		trace-cmd dump --clock "$W/window/trace.dat" 2>/dev/null | grep -q '\[mono\]' &&
		pass "flight trace.dat names its clock local, window trace.dat mono (trace-cmd dump --clock)" ||
		fail "trace.dat clocks: flight '$(trace-cmd dump --clock "$F/flight/trace.dat" 2>&1 | head -n 1)', window '$(trace-cmd dump --clock "$W/window/trace.dat" 2>&1 | head -n 1)'"
	# the clock pairs: one a second armed (>= 5 s here), each a dvk-clock marker of
	# the trace at its trace_ns, the trigger converted with them
	grep -E 'print: +tracing_mark_write: dvk-clock mono=' "$OUT/freport" |
		sed -nE 's/^.*[[:space:]]([0-9]+)\.([0-9]{9}): +print: .*mono=([0-9]+) .*$/\1\2 \3/p' >"$OUT/fmarks"
	why=$(jq -r --rawfile mk "$OUT/fmarks" '
		def need(c; msg): if c then empty else msg end;
		($mk | split("\n") | map(select(length > 0) | split(" ") | .[0] | tonumber)) as $ts |
		.trace.clock_pairs as $p |
		need(.trace.clock == "local"; "trace.clock"),
		need(($p | length) >= 5; "\($p | length) pairs"),
		need([$p[] | .trace_ns as $t | $ts | index([$t]) != null] | all; "a pair without its marker"),
		need([$p[] | .uncertainty_ns >= 0 and .uncertainty_ns < 20000000] | all; "uncertainty"),
		need(($p | map(.trace_ns) | . == sort); "order"),
		need(([$p[] | {d: ((.trace_ns - ($tm | tonumber)) | fabs), o: (.monotonic_ns - .trace_ns)}] | min_by(.d)) as $n |
			(.trigger.monotonic_ns - ($tm | tonumber) - $n.o) | fabs < 2000; "trigger not converted by the nearest pair")
		' --arg tm "$tm" "$FM" 2>&1)
	[ -z "$why" ] &&
		pass "flight: trace.clock local with $(jq '.trace.clock_pairs | length' "$FM") clock pairs, each a dvk-clock marker in trace.dat; the trigger converted to mono with the nearest" ||
		fail "flight clock pairs: $(tr '\n' ' ' <<<"$why") $(jq -c '.trace.clock_pairs[0:2]' "$FM" 2>&1 | head -c 300)"
	[ -s "$F/flight/start/proc/dvs/info" ] && [ -s "$F/flight/end/debug/dvk/endpoints" ] &&
		pass "flight: snapshots at the trigger and at the end" || fail "flight: snapshots missing"
	untouched "flight fired"
fi

# SIGUSR1, --fire, error=: each fires once
if arm sig --pre 1 --post 1 -o "$R/signal.tar.gz"; then
	kill -USR1 $fl
	ended $fl 60 && [ "$st" = 0 ] && [ "$(tar -xzOf "$R/signal.tar.gz" signal/manifest.json | jq -r '.trigger.kind + " " + .trigger.spec')" = "signal SIGUSR1" ] &&
		pass "flight: SIGUSR1 fires it (trigger kind signal)" || fail "flight SIGUSR1: status ${st:-?} $(head -c 300 "$OUT/sig.err")"
fi
if arm cmd --pre 1 --post 1 -o "$R/command.tar.gz"; then
	$CAP --fire "look now" >"$OUT/fire.out" 2>&1 || fail "dvk-capture --fire: $(cat "$OUT/fire.out")"
	ended $fl 60 && [ "$st" = 0 ] && [ "$(tar -xzOf "$R/command.tar.gz" command/manifest.json | jq -r '.trigger.kind + " " + .trigger.event')" = "command look now" ] &&
		pass "flight: dvk-capture --fire from another terminal fires it (kind command, its text)" || fail "flight --fire: status ${st:-?} $(head -c 300 "$OUT/cmd.err")"
fi
expect "--fire with no recorder armed fails" 1 'no flight recorder is waiting' $CAP --fire
if arm err -t error=EDVSNOSYS --pre 1 --post 1 -o "$R/error.tar.gz"; then
	build/tests/kernel/dvk_burst 3 1 0 >/dev/null
	ended $fl 60 && [ "$st" = 0 ] &&
		[ "$(tar -xzOf "$R/error.tar.gz" error/manifest.json | jq -r '.trigger.kind + " " + (.trigger.event | test("call=void0 nr=0 ret=-38 failed=1") | tostring)')" = "error true" ] &&
		pass "flight: error=EDVSNOSYS fires on void0's -38" || fail "flight error=: status ${st:-?} $(head -c 300 "$OUT/err.err")"
fi
# queue>2: clients queued on a slow server (dvkload: 6 clients, one of 2 servers 200 ms a request)
$B/bin/dvkctl dc-end 0 >/dev/null; $B/bin/dvkctl end >/dev/null
if arm queue -t 'queue>2' --pre 1 --post 1 -o "$R/queue.tar.gz"; then
	$B/bin/dvkload --ipc -r 20 -s 2 -c 6 --slow 1 --slow-ms 200 --lifetime 0 >"$OUT/qload.out" 2>&1 &
	ql=$!
	ended $fl $((90 * scale)); rc=$?
	kill -TERM $ql; wait $ql
	[ "$rc" = 0 ] && [ "$st" = 0 ] &&
		[ "$(tar -xzOf "$R/queue.tar.gz" queue/manifest.json | jq -r '.trigger.kind + " " + (.trigger.event | test("dvk_msg_send: id=[0-9]+ dcid=0 src=-?[0-9]+ dst=[0-9]+ queued depth=[3-9]") | tostring)')" = "queue true" ] &&
		pass "flight: queue>2 fires on a message queued at depth 3 or more (dvkload, a 200 ms server)" ||
		fail "flight queue>2: status ${st:-?}: $(tar -xzOf "$R/queue.tar.gz" queue/manifest.json 2>&1 | jq -c .trigger 2>&1 | head -c 300) $(head -c 300 "$OUT/queue.err")"
	kill $fl 2>/dev/null; wait $fl 2>/dev/null
fi
$B/bin/dvkctl init -n 0 --name FLIGHT >/dev/null && $B/bin/dvkctl dc-init 0 DC0 >/dev/null
untouched "flight end"

$B/bin/dvkctl dc-end 0 >/dev/null; $B/bin/dvkctl end >/dev/null
echo 0 >$by/tracing_on; rmdir $by
ls -l "$R" | sed 's/^/# capture: /'
rm -rf "$OUT"
exit 0
