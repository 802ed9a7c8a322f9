# shellcheck shell=bash
# tests/unit/tmux-lib.sh - helpers of the tests that drive dvktop's ncurses
# screens in a tmux pane (sourced).  They use the caller's $OUT (a private
# directory: the tmux socket and the last capture live there).

# tm ARGS...: tmux on the test's own server
tm() { tmux -S "$OUT/tmux" "$@"; }

# screen_has REGEX: the pane shows REGEX within 5 s (the capture is left in $OUT/pane)
screen_has() {
	local i
	for ((i = 0; i < 50; i++)); do
		tm capture-pane -p >"$OUT/pane" 2>/dev/null
		grep -qE -- "$1" "$OUT/pane" && return 0
		sleep 0.1
	done
	return 1
}

# pane: the last capture on one line, for a FAIL message
pane() { tr '\n' '|' <"$OUT/pane" | tr -s ' ' | head -c 900; }
