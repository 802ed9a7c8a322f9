#!/usr/bin/env bash
# dvktop-waits-tui.sh - dvktop's Waits screen on the host (no kernel
# needed): the batch and JSON replay of a recording that holds a chain of
# three and a two-node cycle, then the ncurses screen in an 80x24 tmux
# pane: the tree drawn (UTF-8 glyphs, ASCII in the C locale), the cycle's
# line first and in red, w and Tab, the filter, stepping samples.
#
# The recording is tests/unit/fixtures/dvktop-waits.jsonl: 3 samples a
# second apart in the dvktop-sample/1 format, written by hand as node 0
# would record them: the cycle 0/3@0 <-> 0/5@1 (5 a remote caller's
# stand-in), 0/7 waiting on 3, and the chain 10 -> 11 -> 12 (12 receives
# from ANY); each wait 1000 ms longer per sample.
# Run by `tests/run unit`; one PASS/FAIL/SKIP line per check.
set -u
cd "$(dirname "$0")/../.." || exit 1
F=tests/unit/fixtures/dvktop-waits.jsonl
OLD=tests/unit/fixtures/dvktop-replay.jsonl
D=build/bin/dvktop
OUT=$(mktemp -d)
failed=0
pass() { echo "PASS dvktop-waits-tui: $*"; }
fail() { echo "FAIL dvktop-waits-tui: $*"; failed=1; }
CYCLE='deadlock: 0/3@0 -> 0/5@1 -> 0/3@0'

# ---- batch and JSON ----------------------------------------------------------
$D -r $F -b -n 1 >"$OUT/text" 2>&1
sed -n '/^WAITS/,$p' "$OUT/text" >"$OUT/section"
[ "$(sed -n 1p "$OUT/section")" = "WAITS (5 waiters, longest 4.0s, 1 cycle)" ] &&
	[ "$(sed -n 3p "$OUT/section")" = "$CYCLE" ] &&
	grep -qx ' 0     112 receive   3000ms          - 12@0 server' "$OUT/section" &&
	grep -qx ' 0     111 sendrec   2000ms         81 `- 11@0 middle' "$OUT/section" &&
	grep -qx ' 0     110 sendrec   2500ms         80    `- 10@0 client' "$OUT/section" &&
	pass "-b: the WAITS section names the cycle first, then the chain of three as a tree" ||
	fail "-b section: $(tr '\n' '|' <"$OUT/section" | head -c 600)"
$D -r $F -b -j -n 1 >"$OUT/json" 2>&1
[ "$(jq -c '[.waits[] | select(.dcid == 0 and .ep >= 10) | [.ep, .depth]]' "$OUT/json" 2>&1)" = \
  '[[12,0],[11,1],[10,2]]' ] &&
	pass "-j: the chain of three, 12 at depth 0, 11 at 1, 10 at 2" ||
	fail "-j chain: $(head -c 600 "$OUT/json")"
[ "$(jq -r '.cycles[0].name, (.cycles | length), ([.waits[] | select(.cycle == 1)] | length)' \
	"$OUT/json" 2>&1 | tr '\n' ' ')" = "0/3@0 -> 0/5@1 -> 0/3@0 1 2 " ] &&
	pass "-j: cycles[0] named, its 2 members numbered 1" ||
	fail "-j cycles: $(jq -c .cycles "$OUT/json" 2>&1 | head -c 300)"
[ "$($D -r $OLD -b -j -n 1 2>&1 | jq -c '[.waits_total, (.waits | length)]')" = '[-1,0]' ] &&
	pass "-j of a recording made before dvk/waits: waits_total -1, no rows" ||
	fail "old recording: $($D -r $OLD -b -j -n 1 2>&1 | head -c 300)"

# ---- the ncurses screen in tmux ----------------------------------------------
if ! command -v tmux >/dev/null || ! command -v python3 >/dev/null; then
	echo "SKIP dvktop-waits-tui: tmux or python3 not installed: the ncurses screen is not checked"
	rm -rf "$OUT"
	exit $failed
fi
# shellcheck source=tests/unit/tmux-lib.sh
. tests/unit/tmux-lib.sh	# tm, screen_has, pane
# red_lines: the text of the pane's lines drawn in red (SGR 31), one a line
red_lines() {
	tm capture-pane -p -e | python3 -c '
import re, sys
red = False     # the colour carries on from line to line
for line in sys.stdin:
    text = ""
    for esc, ch in re.findall(r"\x1b\[([0-9;]*)m|(.)", line.rstrip("\n")):
        if ch:
            if red:
                text += ch
            continue
        for p in (esc or "0").split(";"):
            if p in ("0", "39"):
                red = False
            elif p == "31":
                red = True
    if text.strip():
        print(text.strip())'
}

TERM=xterm tm new-session -d -x 80 -y 24 \
	"LC_ALL=C.UTF-8 $D -r $F -w 2>$OUT/tui.err"
screen_has '^DC +PID WAIT +WAITED +MSG_ID EP@NODE NAME' &&
	screen_has 'sort tree asc  cycles 1 waiters 5 longest [4-6]\.0s$' &&
	pass "-w starts in the Waits screen; the status line counts waiters, longest wait, cycles" ||
	fail "-w: $(pane) $(head -c 200 "$OUT/tui.err")"
tm send-keys p g + 0 Enter	# paused at the first sample
screen_has 'sample 1/3, speed 1x, paused' && screen_has "^$CYCLE" && screen_has '^ 0 +111 sendrec +2\.0s +81 └─ 11@0 middle$' &&
	screen_has '^ 0 +110 sendrec +2\.5s +80    └─ 10@0 client$' &&
	screen_has '^ 0  remote sendrec +3\.9s +78 ├─ 5@1 cyc-b$' &&
	pass "the tree: the cycle's line first, each waiter under what it waits on (UTF-8 glyphs)" ||
	fail "tree: $(pane)"
red_lines >"$OUT/red"
grep -qx "$CYCLE" "$OUT/red" && grep -q '3@0 cyc-a$' "$OUT/red" && grep -q '5@1 cyc-b$' "$OUT/red" &&
	! grep -q 'hanger\|middle\|client\|server' "$OUT/red" &&
	pass "the cycle's line and members are red, the others not" ||
	fail "red lines: $(tr '\n' '|' <"$OUT/red")"
tm send-keys .
screen_has 'sample 2/3' && screen_has '^ 0 +103 sendrec +5\.0s +77 3@0 cyc-a$' &&
	pass ". steps to sample 2: the waits grew by a second" || fail "step: $(pane)"
tm send-keys / c l i e n t Enter
screen_has 'filter "client"' && screen_has "^$CYCLE" && screen_has '10@0 client$' &&
	! grep -q 'middle' "$OUT/pane" &&
	pass "/client keeps the deadlock line and the matching endpoint" || fail "filter: $(pane)"
tm send-keys ,
screen_has 'sample 1/3' && screen_has 'filter "client"' && screen_has '^ 0 +110 sendrec +2\.5s +80 ' &&
	! grep -q 'middle' "$OUT/pane" &&
	pass ", steps back to sample 1 keeping the filter" || fail "step back with a filter: $(pane)"
tm send-keys Tab
screen_has '^CALL +NR +COUNT' && tm send-keys P && screen_has '^NODE +PX +LINK' &&
	tm send-keys Tab && screen_has '^DC +PID WAIT +WAITED' && tm send-keys c w &&
	screen_has '^DC +PID WAIT +WAITED' &&
	pass "Tab goes from Waits to Calls and from Proxies to Waits; w shows it" ||
	fail "Tab and w: $(pane)"
tm send-keys h
screen_has 'c e P x w +Calls / Endpoints / Proxies / Waits view' && tm send-keys x &&
	pass "h: the help names the Waits view and its key" || fail "help: $(pane)"
tm send-keys q
for ((i = 0; i < 30; i++)); do tm has-session 2>/dev/null || break; sleep 0.1; done
tm kill-server 2>/dev/null

# the C locale: ASCII glyphs
TERM=xterm tm new-session -d -x 80 -y 24 "LC_ALL=C $D -r $F -w 2>$OUT/tui.err"
tm send-keys p g + 0 Enter
screen_has '^ 0 +110 sendrec +[0-9.]+s +80    `- 10@0 client$' &&
	screen_has '^ 0 +103 sendrec +[0-9.]+s +77 3@0 cyc-a$' && screen_has '\|- 5@1 cyc-b$' &&
	pass "without UTF-8 the tree is drawn in ASCII" || fail "ASCII tree: $(pane)"
tm send-keys q
for ((i = 0; i < 30; i++)); do tm has-session 2>/dev/null || break; sleep 0.1; done
tm kill-server 2>/dev/null
rm -rf "$OUT"
exit $failed
