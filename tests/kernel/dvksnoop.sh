#!/usr/bin/env bash
# dvksnoop.sh - dvksnoop's lines against a load whose calls are known.
#
# Run by guest-suite.sh (tests/kernel/tests.list, group suite) as root, from
# the top of the tree, with dvk.ko loaded and the DVS not initialised; leaves
# it so.  Six dvksnoop -j run at once over one load: unfiltered (the
# reference), -d 1, -e 12, -p PID, -x and --min-ms 150.  The load: dvk_burst
# (50 getdvsinfo, 7 void0, 3 malformed) and two slow_call (DC 0: server 10,
# client 11; DC 1: server 12, client 13; 10 fast sendrecs, one of 300 ms, 10
# fast, one to quit) = 60 + 2 x 70 calls.  Checks: the reference has exactly
# those calls, none lost; client sendrec and server receive name the same
# message ids; each filtered run printed exactly the reference's lines that
# its filter selects (and not all of them); a forced-loss run (4 KB ring,
# reading stalled) reports losses, lines + lost = calls; under test_remote
# (node 1's proxies played by hand) put2lcl and get2rmt lines carry the
# remote commands, an ACK the id of the send it answers.
# One PASS/FAIL line per check (tests/check.h protocol).
set -u
cd "$(dirname "$0")/../.." || exit 1
T=build/tests/kernel
SNOOP=build/bin/dvksnoop
OUT=$(mktemp -d)
failed=0
pass() { echo "PASS dvksnoop: $*"; }
fail() { echo "FAIL dvksnoop: $*"; failed=1; }
# ok NAME CONDITION-STATUS DETAIL: pass or fail by the status of the last command
ok() { if [ "$2" = 0 ]; then pass "$1"; else fail "$1: $3"; fi; }

# ---- usage errors, before anything is loaded --------------------------------
$SNOOP -d x >/dev/null 2>"$OUT/bad.err"
rc=$?
[ "$rc" = 2 ] && grep -q "wants an integer" "$OUT/bad.err"
ok "a bad -d value is a usage error (exit 2)" $? "exit $rc $(head -c 200 "$OUT/bad.err")"
$SNOOP --ring-size 5000 >/dev/null 2>"$OUT/bad.err"
rc=$?
[ "$rc" = 2 ] && grep -q "power of 2" "$OUT/bad.err"
ok "--ring-size not a power of 2 is a usage error (exit 2)" $? "exit $rc"
$SNOOP -h | grep -q -- "--min-ms"
ok "-h lists the options" $? "no --min-ms in -h"
setpriv --reuid=65534 --regid=65534 --clear-groups $SNOOP >/dev/null 2>"$OUT/user.err"
rc=$?
[ "$rc" = 1 ] && grep -q "needs root" "$OUT/user.err"
ok "as a user: says it needs root (exit 1)" $? "exit $rc $(head -c 200 "$OUT/user.err")"

build/bin/dvkctl init -n 0 --name SNOOP >/dev/null && build/bin/dvkctl dc-init 0 DC0 >/dev/null &&
	build/bin/dvkctl dc-init 1 DC1 >/dev/null || fail "dvkctl init / dc-init 0 1"

# The -p target: a shell that execs dvk_burst once every dvksnoop is attached.
mkfifo "$OUT/go"
(read -r _ <"$OUT/go"; exec $T/dvk_burst 50 7 3 >"$OUT/burst.out") &
burst=$!

# attached FILE: until dvksnoop said on FILE (its stderr) that it traces
attached() {
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -q '^dvksnoop: tracing' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# snoop NAME ARGS...: dvksnoop -j ARGS in the background, JSON to $OUT/NAME.json
declare -A spid
snoop() {
	local name=$1
	shift
	$SNOOP -j "$@" >"$OUT/$name.json" 2>"$OUT/$name.err" &
	spid[$name]=$!
}
snoop all
snoop dc1 -d 1
snoop ep12 -e 12
snoop pid -p "$burst"
snoop err -x
snoop slow --min-ms 150
$SNOOP -j -c 5 -d 0 >"$OUT/cnt.json" 2>"$OUT/cnt.err" &	# ends by itself, while the load runs
cnt=$!
for n in "${!spid[@]}" cnt; do
	attached "$OUT/$n.err" || fail "dvksnoop $n does not attach: $(head -c 300 "$OUT/$n.err")"
done

# ---- the load ---------------------------------------------------------------
echo go >"$OUT/go"
wait "$burst"
$T/slow_call 0 10 11 10 300 10 >"$OUT/sc0.out" 2>&1 &
sc0=$!
$T/slow_call 1 12 13 10 300 10 >"$OUT/sc1.out" 2>&1
rc1=$?
wait "$sc0"
rc0=$?
[ "$rc0$rc1" = 00 ] && grep -q 'unexpected=0' "$OUT/burst.out"
ok "the load ran (dvk_burst, slow_call in DC 0 and DC 1)" $? \
	"rc $rc0 $rc1: $(cat "$OUT/burst.out" "$OUT/sc0.out" "$OUT/sc1.out" | tr '\n' ' ' | head -c 300)"
for ((i = 0; i < 50; i++)); do kill -0 $cnt 2>/dev/null || break; sleep 0.1; done
if kill -0 $cnt 2>/dev/null; then
	fail "-c 5 -d 0 still runs after the load: $(wc -l <"$OUT/cnt.json") lines"
	kill $cnt
else
	wait $cnt
	rc=$?
	[ "$rc" = 0 ] && [ "$(jq -s -c 'map(.dcid)' "$OUT/cnt.json")" = "[0,0,0,0,0]" ]
	ok "-c 5 -d 0 ends by itself after 5 lines of DC 0, printed as they came" $? \
		"exit $rc $(head -c 300 "$OUT/cnt.json")"
fi
sleep 0.5
for n in "${!spid[@]}"; do kill -INT "${spid[$n]}"; done
for n in "${!spid[@]}"; do
	wait "${spid[$n]}"
	rc=$?
	[ "$rc" = 0 ] || fail "dvksnoop $n: exit $rc $(head -c 300 "$OUT/$n.err")"
done

# ---- the reference: every call, exactly -------------------------------------
A=$OUT/all.json
good='.type == "call" and (.ts | type) == "number" and .node == 0 and (.comm | type) == "string"
	and (.pid | type) == "number" and .lat_ns > 0 and .seen_enter == true'
jq -e -s "length > 0 and all(.[]; $good)" "$A" >/dev/null
ok "-j: every line is a JSON object with ts, node 0, pid, comm, a latency" $? \
	"$(jq -c "select(($good) | not)" "$A" 2>&1 | head -c 400)"
got=$(jq -s -r --argjson p "$burst" '[.[] | select(.pid == $p)] | group_by(.call) |
	map("\(.[0].call)=\(length)/\([.[] | select(.failed)] | length)/\([.[].result] | unique | join(","))") | join(" ")' "$A")
want="getdvsinfo=50/0/OK invalid=3/3/EDVSNOSYS void0=7/7/EDVSNOSYS"
[ "$got" = "$want" ]
ok "dvk_burst's 60 calls, one line each, results by name ($got)" $? "got '$got', want '$want'"
# per slow_call: bind 2, sendrec 22, receive 22, send 22, unbind 2 (libdvk makes no other call)
sc() { # sc DC: "call=count ..." of the lines of that DC's slow_call processes
	jq -s -r --argjson d "$1" '[.[] | select(.comm == "slow_call" and .dcid == $d)] | group_by(.call) |
		map("\(.[0].call)=\(length)") | join(" ")' "$A"
}
got="$(sc 0) | $(sc 1)"
want="bind=2 receive=22 send=22 sendrec=22 unbind=2 | bind=2 receive=22 send=22 sendrec=22 unbind=2"
[ "$got" = "$want" ]
ok "slow_call's 70 calls per DC, each with its DC" $? "got '$got', want '$want'"
total=$(wc -l <"$A")
[ "$total" = 200 ] && grep -q ' 200 calls printed, 0 lost' "$OUT/all.err"
ok "200 lines for the 200 calls, 0 lost" $? "$total lines; $(tail -n 1 "$OUT/all.err")"
got=$(jq -s -r '[.[] | select(.comm == "slow_call" and .dcid == 1 and .call == "sendrec")] |
	map("\(.src)>\(.dst)") | unique | join(" ")' "$A")
[ "$got" = "13>12" ]
ok "sendrec lines show src -> dst (13 -> 12 in DC 1)" $? "got '$got'"
ids() { # ids DC CALL: the sorted message ids of those lines
	jq -s -r --argjson d "$1" --arg c "$2" '[.[] | select(.dcid == $d and .call == $c) | .msg_id] |
		sort | map(tostring) | join(" ")' "$A"
}
a=$(ids 0 sendrec) b=$(ids 0 receive)
[ -n "$a" ] && [ "$a" = "$b" ] && ! grep -q null <<<"$a"
ok "client sendrec and server receive carry the same 22 message ids" $? "sendrec '$a' receive '$b'"
got=$(jq -s '[.[] | select(.call == "sendrec" and .lat_ns >= 300000000)] | length' "$A")
[ "$got" = 2 ]
ok "the two 300 ms sendrecs are timed >= 300 ms" $? "got $got"

# ---- each filter: exactly the reference's lines it selects ------------------
# same NAME JQ-PREDICATE: the lines of NAME = the reference's lines where PREDICATE holds
same() {
	local key='"\(.pid) \(.tid) \(.call) \(.msg_id) \(.ret)"' want got n
	want=$(jq -r "select($2) | $key" "$A" | sort)
	got=$(jq -r "$key" "$OUT/$1.json" | sort)
	n=$(grep -c . <<<"$want")
	if [ -n "$want" ] && [ "$want" = "$got" ] && [ "$n" -lt "$total" ]; then
		pass "$1: its $n lines are exactly the reference's with $2"
	else	# files, not <(...): the guest has no /dev/fd
		echo "$want" >"$OUT/want" && echo "$got" >"$OUT/got"
		fail "$1: $(grep -c . <<<"$got") lines, want $n of $total; diff: $(diff "$OUT/want" "$OUT/got" | head -5 | tr '\n' ' ')"
	fi
}
same dc1 '.dcid == 1'
same ep12 '.src == 12 or .dst == 12'
same pid ".pid == $burst"
same err '.failed'
same slow '.lat_ns >= 150000000'
build/bin/dvkctl dc-end 1 >/dev/null; build/bin/dvkctl dc-end 0 >/dev/null

# ---- forced loss: a 4 KB ring (~40 records) not read for 3 s ----------------
$SNOOP -j --ring-size 4096 --stall-ms 3000 -t 1 >"$OUT/loss.json" 2>"$OUT/loss.err" &
lp=$!
if attached "$OUT/loss.err"; then
	$T/dvk_burst 300 0 0 >/dev/null
	wait "$lp"
	lines=$(jq -s '[.[] | select(.type == "call")] | length' "$OUT/loss.json")
	lost=$(jq -s '[.[] | select(.type == "lost") | .lost] | add // 0' "$OUT/loss.json")
	[ "$lost" -gt 0 ] && [ $((lines + lost)) = 300 ] &&
		grep -q " $lines calls printed, $lost lost" "$OUT/loss.err"
	ok "forced loss: lost > 0 and lines + lost = 300 ($lines + $lost), said on stderr too" $? \
		"lines $lines lost $lost; $(tail -n 1 "$OUT/loss.err")"
else
	fail "the forced-loss dvksnoop does not attach: $(head -c 300 "$OUT/loss.err")"
fi
build/bin/dvkctl end >/dev/null

# ---- messages from another node: test_remote plays node 1's proxies by hand --
$SNOOP -j >"$OUT/rmt.json" 2>"$OUT/rmt.err" &
rp=$!
if attached "$OUT/rmt.err"; then
	timeout 120 $T/test_remote >"$OUT/test_remote.out" 2>&1
	rc=$?
	sleep 0.3
	kill -INT $rp
	wait $rp
	R=$OUT/rmt.json
	[ "$rc" = 0 ]
	ok "test_remote runs under dvksnoop" $? "exit $rc $(grep FAIL "$OUT/test_remote.out" | head -c 300)"
	got=$(jq -s -r '[.[] | select((.call == "put2lcl" or .call == "get2rmt") and (.failed | not))] |
		"\(length) \(map(select(.rmt_node != 1 or (.rmt_cmd | test("^[a-z_]+$") | not)
			or .rmt != (if .call == "put2lcl" then "in" else "out" end))) | length)"' "$R")
	[ "${got% *}" -gt 0 ] && [ "${got#* }" = 0 ]
	ok "every put2lcl/get2rmt that worked is marked <n1/>n1 with its command (${got% *} lines)" $? \
		"lines / unmarked: $got"
	got=$(jq -s -r '([.[] | select(.rmt == "in" and .rmt_cmd == "send_ack" and (.failed | not)) | .msg_id]) as $a |
		([.[] | select(.rmt == "out" and .rmt_cmd == "send") | .msg_id]) as $s |
		"\($a | length) \($a - $s | length)"' "$R")
	[ "${got% *}" -gt 0 ] && [ "${got#* }" = 0 ]
	ok "each send_ack put2lcl carries the id of a send that left by get2rmt (${got% *} acks)" $? \
		"acks / unmatched: $got"
	got=$(jq -s '[.[] | select(.rmt == "in" and .rmt_cmd == "send" and .msg_node == 1 and .dcid == 0)] | length' "$R")
	[ "$got" -gt 0 ]
	ok "sends from node 1 show as put2lcl lines with node 1's message ids ($got)" $? "got $got"
else
	fail "dvksnoop for test_remote does not attach: $(head -c 300 "$OUT/rmt.err")"
	kill $rp 2>/dev/null
fi
rm -rf "$OUT"
exit $failed
