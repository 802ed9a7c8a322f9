# shellcheck shell=bash
# clocks.sh - clock pairs: taken by the helper, written into a trace as markers, read back
# Sourced by dvk-capture (same directory); uses its variables and die/say/w.

clocks=()	# JSON pairs
# pair: one clock pair into $P, kept for the manifest's clocks
pair() { P=$("$helper" clocks) || die "dvk-capture-helper clocks failed"; clocks+=("$P"); }


# the clock of a trace_pipe line ("  comm-pid  [000] d..1.  123.456789: ...") in ns
line_ns() {
	local t
	t=$(sed -nE 's/^.*\[[0-9]+\][^:]*[[:space:]]([0-9]+)\.([0-9]+):.*$/\1 \2/p' <<<"$1")
	[ -n "$t" ] || return 1
	# shellcheck disable=SC2086
	set -- $t
	local frac=${2}000000000
	echo $(( $1 * 1000000000 + 10#${frac:0:9} ))
}

# clock_option FILE CLOCK: trace-cmd extract (it has no -C) names the top instance's
# clock in the file's TRACECLOCK option ("local [global] counter ..."), though the
# time stamps are our instance's, CLOCK.  The same list with [CLOCK] selected has the
# same length: it is put in place when the old one is found exactly once (an
# uncompressed options section); else the file stays as it is (the manifest says CLOCK).
clock_option() {
	local cur want
	read -r cur <"$T/trace_clock" || return 0
	[[ $cur == *"[$2]"* ]] && return 0
	want=$(sed -E "s/\[([a-z0-9_-]+)\]/\1/; s/(^| )$2( |\$)/\1[$2]\2/" <<<"$cur")
	[ ${#want} = ${#cur} ] || return 0
	command -v perl >/dev/null || return 0
	CUR=$cur WANT=$want perl -0777 -i -pe 'my $n = () = /\Q$ENV{CUR}\E/g;
		s/\Q$ENV{CUR}\E/$ENV{WANT}/ if $n == 1' "$1" 2>/dev/null || full_check
}

# trace_pairs FILE: the clock pairs the marks helper wrote into the trace FILE,
# joined with what it printed ($work/marks.jsonl), as JSON objects, one a line:
# {"trace_ns","monotonic_ns","realtime_ns","uncertainty_ns"}.  The marker's time
# stamp (trace clock) lies between the helper's two CLOCK_MONOTONIC reads m1, m2:
# monotonic_ns is their midpoint, uncertainty_ns half their gap; realtime_ns the
# CLOCK_REALTIME read after m1, moved to that midpoint.
trace_pairs() {
	local -A mk=()
	local m1 r m2 s f
	# files, not process substitutions: some systems have no /dev/fd
	sed -nE 's/^\{"mono1_ns":([0-9]+),"realtime_ns":([0-9]+),"mono2_ns":([0-9]+)\}$/\1 \2 \3/p' \
		"$work/marks.jsonl" >"$work/marks.txt" || return 1
	while read -r m1 r m2; do
		mk[$m1]="$r $m2"
	done <"$work/marks.txt"
	trace-cmd report -t "$1" 2>/dev/null |
		sed -nE 's/^.*[[:space:]]([0-9]+)\.([0-9]{9}): +print: +tracing_mark_write: dvk-clock mono=([0-9]+) real=[0-9]+.*$/\1 \2 \3/p' |
		while read -r s f m1; do
			[ -n "${mk[$m1]:-}" ] || continue
			read -r r m2 <<<"${mk[$m1]}"
			echo "{\"trace_ns\":$((s * 1000000000 + 10#$f)),\"monotonic_ns\":$((m1 + (m2 - m1) / 2)),\"realtime_ns\":$((r + (m2 - m1) / 2)),\"uncertainty_ns\":$(((m2 - m1 + 1) / 2))}"
		done
}

# trace_to_mono NS: a trace clock time stamp of the flight ring in CLOCK_MONOTONIC,
# by the offset of the nearest clock pair (pairs are a second apart: the drift
# between the clocks over that is far below the microseconds trace_pipe prints);
# fails when there is no pair
trace_to_mono() {
	local t=$1 best='' d tn mn off=0
	sed -nE 's/^\{"trace_ns":([0-9]+),"monotonic_ns":([0-9]+),.*$/\1 \2/p' "$work/tpairs.jsonl" >"$work/tpairs.txt"
	while read -r tn mn; do
		d=$((t > tn ? t - tn : tn - t))
		if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d off=$((mn - tn)); fi
	done <"$work/tpairs.txt"
	[ -n "$best" ] || return 1
	echo $((t + off))
}
