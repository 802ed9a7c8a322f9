#!/usr/bin/env bash
# tests/kernel/kmemleak.sh - in a guest of the debug kernel (make test-debug):
# ask kmemleak for the memory leaked so far and judge it.
#
# usage: tests/kernel/kmemleak.sh LABEL REPORT
#        tests/kernel/kmemleak.sh --judge LABEL REPORT
#
# Scans twice, 5 s apart (kmemleak reports an object only once it is 5 s old
# and a scan finds no reference to it), copies /sys/kernel/debug/kmemleak to
# REPORT, then clears the list, so that the next call judges only new leaks.
# A leak is dvk's when a frame of its allocation backtrace is in dvk.ko
# ("[dvk]", a dvk_ function) or no longer resolves to a symbol: on the debug
# kernel everything else is built in, so such a frame is in a dvk.ko unloaded
# since.  Prints one line (the tests/check.h protocol):
#   FAIL kmemleak LABEL: N leaks from dvk.ko ... (the first one's key lines)
#   PASS kmemleak LABEL: no leak from dvk.ko (M other suspected leaks: REPORT)
#   SKIP kmemleak LABEL: ... (a kernel without kmemleak, e.g. Debian's)
# Exit status 0, or 1 after a FAIL.  Run as root (debugfs mounted, as in the
# guests of scripts/vm-run).  Called by tests/kernel/guest-suite.sh and
# scripts/dvk-node when DVK_KMEMLEAK=1, and by tests/run debug.  --judge only
# judges REPORT, an existing copy of the kmemleak file (tests/run unit).
set -u
judge=0
[ "${1-}" != --judge ] || { judge=1; shift; }
label=${1:?usage: kmemleak.sh [--judge] LABEL REPORT} report=${2:?usage: kmemleak.sh [--judge] LABEL REPORT}
k=/sys/kernel/debug/kmemleak

t0=$SECONDS
if [ "$judge" = 0 ]; then
	if [ ! -e "$k" ]; then
		echo "SKIP kmemleak $label: no $k (a kernel without CONFIG_DEBUG_KMEMLEAK)"
		exit 0
	fi
	mkdir -p "$(dirname "$report")"
	if ! { echo scan >"$k" && sleep 5 && echo scan >"$k" && cat "$k" >"$report"; } 2>"$report.err"; then
		echo "FAIL kmemleak $label: scanning failed (kmemleak disabled itself?): $(head -c 200 "$report.err")"
		exit 1
	fi
	rm -f "$report.err"
	echo clear >"$k" 2>/dev/null
elif [ ! -r "$report" ]; then
	echo "FAIL kmemleak $label: cannot read $report"
	exit 1
fi

# One record per "unreferenced object" line; it is dvk's if a backtrace frame is.
# Prints "TOTAL DVK", then the dvk records' key lines (object, comm, frames).
summary=$(awk '
	function flush() {
		if (!n) return
		total++
		if (mine) { dvk++; if (dvk <= 1) printf "%s", rec }
	}
	/^unreferenced object / { flush(); n = 1; mine = 0; bt = 0; nf = 0; rec = $0 " |"; next }
	!n { next }
	/^  comm / { rec = rec " " substr($0, 3) " |"; next }
	/^  backtrace:/ { bt = 1; next }
	bt && /^    \[</ {
		f = $0; sub(/^    \[<[0-9a-f]+>\] /, "", f)
		if (f ~ /\[dvk\]/ || f ~ /(^|[^A-Za-z0-9_])dvk_/ || f ~ /^0x[0-9a-f]+$/) mine = 1
		if (nf++ < 8) rec = rec " " f
		next
	}
	END { flush(); printf "\n%d %d\n", total, dvk }' "$report")
read -r total dvk <<<"$(tail -n 1 <<<"$summary")"
first=$(head -n 1 <<<"$summary")
secs=$((SECONDS - t0))
if [ "${dvk:-0}" -gt 0 ]; then
	echo "FAIL kmemleak $label: $dvk leaks from dvk.ko ($total suspected in all; report: $report): first: ${first:0:900}"
	exit 1
fi
others=
[ "${total:-0}" = 0 ] || others=": $report"
echo "PASS kmemleak $label: no leak from dvk.ko (${total:-0} other suspected leaks$others; scans took $secs s)"
exit 0
