#!/usr/bin/env bash
# demo-resize.sh - `make demo`'s terminal follows the host's size (host side,
# run by tests/run's vm lane; one short interactive guest).
#
# In a tmux pane of 60x20, `scripts/vm-run --interactive` boots a guest that
# runs this script with --guest: it prints "SIZE <rows> <cols>" (stty size of
# its terminal) when it starts and again when the size changes, then runs
# the one-node demo, scripts/demo-guest (dvktop under the demo's loads and
# bind waiter).  The host resizes the tmux window (resize-window) twice:
#   - to 70x22: the guest must see "22 70" (within 30 s, else the size never
#     arrived: FAIL);
#   - with dvktop on screen at 70 columns, its second header line cut at 70,
#     to 100x30: dvktop must redraw at the new width (the line ends with
#     "copylen=1048576") and height (its key bar on the 30th line); there
#     the Bind waits section shows the demo's waiter (dvkctl, SELF);
# then q; the guest prints its final size ("SIZE-END 30 100") and exits 0
# (demo-guest unloads dvk.ko: its waiter and loads are gone); its kernel log
# must be clean (scripts/klog-check).  One PASS/FAIL line per check; the
# PASS lines say how long each size took to arrive.
#
# usage: tests/kernel/demo-resize.sh [RESULT-DIR [env VAR=VALUE...]]   (host; tmux)
#        tests/kernel/demo-resize.sh --guest                            (in the guest)
# RESULT-DIR (default build/test-results) gets demo-resize.{console,dmesg};
# the words after it prefix the guest's command (tests/run debug: DVK_KO...);
# DVK_TIMEOUT_SCALE=N multiplies the waits (the debug kernel is slower).
set -u
cd "$(dirname "$0")/../.." || exit 1

if [ "${1:-}" = --guest ]; then
	s0=$(stty size)
	echo "SIZE $s0"
	s=$s0
	for ((i = 0; i < 600; i++)); do	# at most 60 s
		[ "$s" = "$s0" ] || break
		sleep 0.1
		s=$(stty size)
	done
	echo "SIZE $s"
	scripts/demo-guest
	rc=$?
	echo "SIZE-END $(stty size) demo exit $rc"
	exit $rc
fi

name=demo-resize
res=${1:-build/test-results}
[ $# -eq 0 ] || shift
scale=${DVK_TIMEOUT_SCALE:-1}
pre=''
for w in "$@"; do pre+="$(printf '%q' "$w") "; done
OUT=$(mktemp -d)
pass() { echo "PASS $name: $*"; }
fail() { echo "FAIL $name: $*"; failed=1; }
failed=0
if ! command -v tmux >/dev/null; then
	echo "FAIL $name: tmux is not installed (scripts/setup.sh installs it)"
	exit 1
fi
# shellcheck source=tests/unit/tmux-lib.sh
. tests/unit/tmux-lib.sh	# tm, pane
# wait_pane SECS REGEX: the pane shows REGEX within SECS s (capture in $OUT/pane)
wait_pane() {
	local end=$((SECONDS + $1 * scale))
	while [ $SECONDS -le "$end" ]; do
		tm capture-pane -p >"$OUT/pane" 2>/dev/null
		grep -qE -- "$2" "$OUT/pane" && return 0
		sleep 0.2
	done
	return 1
}
# ms_since T0: milliseconds since T0 (date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
finish() {
	tm kill-server 2>/dev/null
	rm -rf "$OUT"
	exit $failed
}

mkdir -p "$res"
dmesg=$res/$name.dmesg console=$res/$name.console
rm -f "$dmesg"
TERM=xterm tm new-session -d -x 60 -y 20 \
	"scripts/vm-run --interactive --timeout $((240 * scale)) --log $console --dmesg $dmesg -- ${pre}tests/kernel/$name.sh --guest; echo \"VM-RUN-EXIT \$?\"; sleep 600"
t0=$(date +%s)
if ! wait_pane 120 '^SIZE 20 60$'; then
	fail "the guest starts with the pane's 20x60 terminal: $(pane)"
	finish
fi
pass "the guest's terminal starts at the host's size (20 rows, 60 columns; guest up after $(( $(date +%s) - t0 )) s)"

t1=$(date +%s%N)
tm resize-window -x 70 -y 22
if wait_pane 30 '^SIZE 22 70$'; then
	pass "a host resize (tmux 60x20 -> 70x22) reaches the guest's terminal (stty size 22 70 after $(ms_since "$t1") ms)"
else
	fail "the new size (22 70) never reached the guest in 30 s: $(pane)"
	finish
fi

# dvktop at 70x22: its second header line (76 characters) cut, its key bar
# on line 22
if wait_pane 90 '^dcs=[0-9]+ .*copybuf=' && ! grep -q 'copylen=1048576' "$OUT/pane" &&
	[ "$(wc -l <"$OUT/pane")" = 22 ] && tail -n 1 "$OUT/pane" | grep -q '^h Help  Tab '; then
	pass "dvktop draws at 70x22 (its header line cut at 70 columns, key bar on line 22)"
else
	fail "dvktop at 70 columns: $(pane)"
	finish
fi
t1=$(date +%s%N)
tm resize-window -x 100 -y 30
if wait_pane 30 '^dcs=[0-9]+ .*copylen=1048576$' && [ "$(wc -l <"$OUT/pane")" = 30 ] &&
	tail -n 1 "$OUT/pane" | grep -q '^h Help  Tab '; then
	pass "dvktop redraws at the new size 100x30 (whole header line, key bar on line 30) $(ms_since "$t1") ms after the resize"
else
	fail "dvktop did not redraw at 100x30 within 30 s: $(pane)"
fi
if wait_pane 30 '^ *[0-9]+ +dvkctl +-1 +bind +SELF ' && grep -q '^BIND WAITS (1 process in wait4bind)' "$OUT/pane"; then
	pass "the demo's Bind waits section shows its waiter (dvkctl in wait4bind SELF)"
else
	fail "the demo's bind waiter is not on the Calls screen: $(pane)"
fi
tm send-keys q
if wait_pane 60 '^VM-RUN-EXIT [0-9]+$'; then
	st=$(sed -n 's/^VM-RUN-EXIT //p' "$OUT/pane")
	grep -q '^SIZE-END 30 100 demo exit 0' "$OUT/pane" && [ "$st" = 0 ] &&
		pass "q quits dvktop; the guest's terminal is still 30x100, the demo ends cleanly (dvk.ko unloaded) and the guest exits 0" ||
		fail "the guest's end: vm-run exit $st: $(pane)"
else
	fail "the guest did not end within 60 s of q: $(pane)"
fi
if [ ! -s "$dmesg" ]; then
	fail "no guest kernel log collected ($console)"
elif bad=$(scripts/klog-check "$dmesg" 2>&1); then
	pass "kernel log clean"
else
	fail "kernel log not clean: $(head -n 3 <<<"$bad" | tr '\n' ' ')"
fi
echo "# $name: $(( $(date +%s) - t0 )) s in all"
finish
