#!/usr/bin/env bash
# dvktop-replay-tui.sh - dvktop -r on the host (no kernel needed): batch
# replay of a recording, and the ncurses replay driven in an 80x24 tmux
# pane: pause, go to a time, step forward and back, speed, views, help,
# play to the end.  The rows on screen must be those the batch replay
# prints for the same sample (a step back shows what that sample showed).
#
# The recording is tests/unit/fixtures/dvktop-replay.jsonl: 5 samples of
# `dvktop -b -j --record` a second apart under `dvkload --mode mixed` in a
# guest (tests/kernel/dvktop-replay.sh FIXTURE wrote it).
# Run by `tests/run unit`; one PASS/FAIL/SKIP line per check.
set -u
cd "$(dirname "$0")/../.." || exit 1
F=tests/unit/fixtures/dvktop-replay.jsonl
D=build/bin/dvktop
OUT=$(mktemp -d)
failed=0
pass() { echo "PASS dvktop-replay-tui: $*"; }
fail() { echo "FAIL dvktop-replay-tui: $*"; failed=1; }

# ---- batch replay ------------------------------------------------------------
$D -r $F -b >"$OUT/text" 2>&1
[ "$(grep -c '^REPLAY of dvktop-replay.jsonl node 0 "DVKLOAD" [0-9-]* [0-9:]* (sample [1-5]/5)$' "$OUT/text")" = 5 ] &&
	pass "-r -b prints the 5 samples, each block headed REPLAY of ... (sample i/5)" ||
	fail "-r -b: $(grep -c ^REPLAY "$OUT/text") REPLAY lines: $(head -c 300 "$OUT/text")"
$D -r $F -b -j -n 3 >"$OUT/json" 2>&1
[ "$(jq -r '.replay.sample' "$OUT/json" 2>&1 | tr '\n' ' ')" = "1 2 3 " ] &&
	pass "-r -j -n 3 prints samples 1 to 3 with their replay marker" ||
	fail "-r -j -n 3: $(head -c 300 "$OUT/json")"
# every -j line names its schema; a replay's wall-clock members are the
# recording's (exact: compared as text, jq 1.6 rounds numbers past 2^53)
$D -r $F -b -j >"$OUT/all.json" 2>&1
want=$(grep -o '^{"schema":"dvktop-sample/1","mono_ns":[0-9]*,"real_ns":[0-9]*' $F | sed 's/.*"real_ns"://')
got=$(sed -n 's/^{"schema":"dvktop-json\/1","replay":{[^}]*"real_ns":\([0-9]*\)},"time_ns":[0-9]*,"real_ns":\([0-9]*\),"time":"\([^"]*\)".*/\1 \2 \3/p' "$OUT/all.json")
ok=1
[ "$(wc -l <<<"$got")" = 5 ] && [ "$(wc -l <<<"$want")" = 5 ] || ok=0
while [ $ok = 1 ] && read -r rr real iso && read -r w <&3; do
	[ "$rr" = "$w" ] && [ "$real" = "$w" ] &&
		[ "$iso" = "$(date -u -d "@${w:0:10}" +%Y-%m-%dT%H:%M:%S).${w:10:3}Z" ] || ok=0
done <<<"$got" 3<<<"$want"
[ $ok = 1 ] && [ "$(jq -r .schema "$OUT/all.json" | sort -u)" = dvktop-json/1 ] &&
	pass "-r -j: every line has schema dvktop-json/1 and the recorded sample's real_ns and time (RFC 3339 UTC), not now" ||
	fail "-r -j schema and wall-clock time: want real_ns $(echo $want), got: $(echo "$got" | head -c 300); $(head -c 200 "$OUT/all.json")"
# a capture of dvk-capture (docs/support.md): its samples.jsonl, named by the manifest's host
mkdir -p "$OUT/cap/capture-testhost"
printf '{"schema":"dvk-capture/1","host":"testhost","node":{"id":0,"name":"DVKLOAD"},"mode":"window"}\n' \
	>"$OUT/cap/capture-testhost/manifest.json"
cp $F "$OUT/cap/capture-testhost/samples.jsonl"
tar -C "$OUT/cap" -czf "$OUT/cap.tar.gz" capture-testhost
$D -r $F -b -j | jq -c 'del(.replay.what)' >"$OUT/bare" 2>&1
for what in cap.tar.gz cap/capture-testhost cap; do
	$D -r "$OUT/$what" -b -j >"$OUT/cap.json" 2>&1
	[ "$(jq -r .replay.what "$OUT/cap.json" 2>&1 | sort -u)" = testhost ] &&
		jq -c 'del(.replay.what)' "$OUT/cap.json" | cmp -s - "$OUT/bare" &&
		pass "-r of a capture ($what) replays its samples.jsonl as \"testhost\"" ||
		fail "-r of a capture ($what): $(head -c 300 "$OUT/cap.json")"
done
$D -r tests/unit/fixtures -b >"$OUT/err" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'no manifest.json' "$OUT/err" &&
	pass "-r of a directory that is no capture exits 1, saying why" ||
	fail "-r of a directory that is no capture: exit $rc: $(head -c 300 "$OUT/err")"
$D -r $F -R -b >/dev/null 2>&1 && $D -r $F -p 1 -b >"$OUT/err" 2>&1
rc=$?
[ $rc = 2 ] && grep -q '^dvktop: -p filters the live source' "$OUT/err" &&
	pass "-R reverses (was -r); -p with -r is a usage error (status 2)" ||
	fail "-R / -p with -r: exit $rc: $(head -c 300 "$OUT/err")"

# ---- the ncurses replay in tmux ----------------------------------------------
if ! command -v tmux >/dev/null || ! command -v jq >/dev/null; then
	echo "SKIP dvktop-replay-tui: tmux or jq not installed: the ncurses replay is not checked"
	exit 0
fi
$D -r $F -b -j >"$OUT/all.json" 2>&1
# shellcheck source=tests/unit/tmux-lib.sh
. tests/unit/tmux-lib.sh	# tm, screen_has, pane
# row_re SAMPLE: the Calls screen's first row of sample SAMPLE (1-based) as a regex
row_re() {
	jq -r --argjson s "$1" 'select(.replay.sample == $s) | .calls[0] |
		"^\(.name) +\(.nr) +\(.count) +\(.rate * 10 | round / 10 | tostring | if test("\\.") then . else . + ".0" end) "' "$OUT/all.json"
}
ep_re() {
	jq -r --argjson s "$1" 'select(.replay.sample == $s) | .endpoints[0] |
		"^ *\(.dcid) +\(.ep) +\(.pid) +[A-Z-]+ +\(.queue) .* \(.name)$"' "$OUT/all.json"
}
hdr() { echo "\\(sample $1/5, speed $2x$3\\)\$"; }

TERM=xterm tm new-session -d -x 80 -y 24 "$D -r $F 2>$OUT/tui.err"
screen_has '^REPLAY of dvktop-repl[a-z.]*~? node 0 "DVKLOAD" [0-9:]{8} \(sample' &&
	pass "the header says REPLAY of what (cut to fit 80 columns), which node, when" || fail "no REPLAY header: $(pane) $(head -c 200 "$OUT/tui.err")"
tm send-keys p
screen_has "$(hdr '[1-5]' 1 ', paused')" && screen_has '^[0-9:]{8}  PAUSED  interval' &&
	pass "p pauses (header and status line say so)" || fail "p: $(pane)"
tm send-keys g
screen_has '^Go to \(HH:MM:SS or \+SECONDS\): _' && tm send-keys +0 Enter &&
	screen_has "$(hdr 1 1 ', paused')" &&
	pass "g +0 goes to the first sample" || fail "g +0: $(pane)"
tm send-keys . .
screen_has "$(hdr 3 1 ', paused')" && screen_has "$(row_re 3)" &&
	pass ". . steps to sample 3, its rows as the batch replay's ('$(row_re 3)')" ||
	fail ". . to sample 3 ('$(row_re 3)'): $(pane)"
tm send-keys ,
screen_has "$(hdr 2 1 ', paused')" && screen_has "$(row_re 2)" &&
	pass ", steps back to sample 2, showing sample 2's rows again ('$(row_re 2)')" ||
	fail ", back to sample 2 ('$(row_re 2)'): $(pane)"
tm send-keys '>' '>'
screen_has "$(hdr 2 4 ', paused')" && tm send-keys '<' && screen_has "$(hdr 2 2 ', paused')" &&
	pass "> > doubles the speed twice (4x), < halves it (2x)" || fail "speed keys: $(pane)"
tm send-keys e
screen_has '^DC +EP +PID FLAGS QUEUE' && screen_has "$(ep_re 2)" &&
	pass "e shows sample 2's endpoints as the batch replay does ('$(ep_re 2)')" ||
	fail "e at sample 2 ('$(ep_re 2)'): $(pane)"
tm send-keys Right
screen_has "$(hdr 3 2 ', paused')" && screen_has "$(ep_re 3)" && tm send-keys Left &&
	screen_has "$(hdr 2 2 ', paused')" && screen_has "$(ep_re 2)" &&
	pass "Right and Left step too, the Endpoints rows following" || fail "Right/Left: $(pane)"
tm send-keys c g 2 5 : 6 1 Enter
screen_has "dvktop: '25:61': expected HH:MM:SS, HH:MM or \+SECONDS" && screen_has "$(hdr 2 2 ', paused')" &&
	pass "g with a bad time says what it expects and stays" || fail "g 25:61: $(pane)"
tm send-keys g + 2 . 5 Enter
screen_has "$(hdr 3 2 ', paused')" && screen_has "$(row_re 3)" &&
	pass "g +2.5 goes to sample 3 (taken about 2 s after the first)" || fail "g +2.5: $(pane)"
tm send-keys h
screen_has 'g +go to a time: HH:MM:SS, HH:MM or \+SECONDS' && tm send-keys x &&
	screen_has "$(hdr 3 2 ', paused')" &&
	pass "h: the help lists the replay keys; a key closes it" || fail "help: $(pane)"
tm send-keys Space
screen_has "$(hdr '[45]' 2 '')" && screen_has "$(hdr 5 2 ', paused')" && screen_has "$(row_re 5)" &&
	pass "space plays on at 2x and pauses at the last sample (5/5, its rows)" ||
	fail "play to the end: $(pane)"
tm send-keys q
for ((i = 0; i < 30; i++)); do tm has-session 2>/dev/null || break; sleep 0.1; done
tm has-session 2>/dev/null && fail "q does not quit the replay" || pass "q quits the replay"
tm kill-server 2>/dev/null

# The Proxies view names the last error of each pair under its rows: the
# fixture's samples given one pair (node 1, link down, last error -64)
jq -c '.pairs_total = 1 | .pairs = [{"px":1,"name":"node1","state":"I--","nodemap":2,
	"queue":0,"oldest_ms":-1,"msgs_out":5,"bytes_out":840,"msgs_in":3,"bytes_in":504,
	"err_out":2,"err_in":1,"refused":0,"last_error":-64,"last_out_ms":100,"last_in_ms":200}]' \
	$F >"$OUT/px.jsonl"
TERM=xterm tm new-session -d -x 80 -y 24 "$D -r $OUT/px.jsonl -P 2>$OUT/px.err"
tm send-keys p
screen_has '^   1  1 down ' && screen_has '^LAST ERRORS$' &&
	screen_has '^node 1 px 1: EDVSNOTCONN \(-64\): .*\(errors in 1, out 2, refused 0\)$' &&
	pass "Proxies: the pair's last error as text under the rows" || fail "Proxies last error: $(pane)"
tm send-keys q
for ((i = 0; i < 30; i++)); do tm has-session 2>/dev/null || break; sleep 0.1; done
tm kill-server 2>/dev/null
rm -rf "$OUT"
exit $failed
