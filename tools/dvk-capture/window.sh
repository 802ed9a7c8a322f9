# shellcheck shell=bash
# window.sh - window mode: the trace of the next SECONDS
# Sourced by dvk-capture (same directory); uses its variables and die/say/w.

capture_window() {
	# ---- window -------------------------------------------------------------
	# The instance is set up here (clock, size, no overwrite, events), switched
	# on for exactly the window between two clock pairs, then read with
	# `trace-cmd extract -B` once it is off.  Not `trace-cmd record`: its
	# recorders splice from trace_pipe_raw, which (kernel buffer_percent 50)
	# wakes them only when the ring is half full, so under load everything
	# was read by the final flush after SIGINT, by processes competing with
	# that load (1 vCPU under TCG: 6 s to stop), and the clock pairs around
	# it bracketed trace-cmd's start and stop, not the trace (a 5 s window
	# stood in the manifest as 11-15 s).  Here the kernel keeps the window in
	# the ring, the manifest's window is the time tracing was on, and the
	# kernel's own count of what did not fit (per_cpu/cpuN/stats, no
	# overwrite: "dropped events") goes into the manifest as lost_events.
	# The ring must hold the window: without -b it is sized by the duration,
	# 512 KB per CPU and second (the 2-node test load makes ~170 KB/s), at
	# least 4096 KB, at most 65536 KB; a loss is said on stderr.
	if [ "$buffer_set" = 0 ]; then
		buffer_kb=$(awk -v d="$duration" 'BEGIN { k = int(d * 512 + 0.999); print (k < 4096 ? 4096 : (k > 65536 ? 65536 : k)) }')
	fi
	say "snapshot start/"
	snapshot "$D/start"
	echo mono >"$I/trace_clock" || die "the kernel has no mono trace clock"
	echo "$buffer_kb" >"$I/buffer_size_kb" || die "cannot size the ring buffer to $buffer_kb KB per CPU"
	echo 0 >"$I/options/overwrite" || die "cannot switch off overwrite in instance $inst"
	add_events "$I"
	if [ "$samples" = 1 ]; then
		count=$(awk -v d="$duration" -v i="$interval" 'BEGIN { n = int(d / i + 0.5); print (n < 1 ? 1 : n) }')
		"$dvktop" -b -j --record "$D/samples.jsonl" -d "$interval" -n "$count" \
			>"$D/dvktop.jsonl" 2>"$work/dvktop.err" &
		dpid=$!
		pids+=("$dpid")
		# the window starts once dvktop has its BPF programs attached and wrote a sample
		for ((i = 0; i < 1200; i++)); do
			[ ! -s "$D/samples.jsonl" ] || break
			kill -0 "$dpid" 2>/dev/null || break
			sleep 0.1
		done
		[ -s "$D/samples.jsonl" ] || die "dvktop recorded no sample: $(head -c 400 "$work/dvktop.err")"
	fi
	say "recording for $duration s (instance $inst, $buffer_kb KB per CPU)"
	pair; start=$P
	echo 1 >"$I/tracing_on" || die "cannot switch on tracing in instance $inst"
	sleep "$duration"
	echo 0 >"$I/tracing_on"
	pair; end=$P
	# what the ring could not hold: "dropped events" (no overwrite), "overrun" (overwrite)
	lost_events=$(cat "$I"/per_cpu/cpu*/stats 2>/dev/null |
		awk '/^(overrun|dropped events):/ { n += $NF } END { print n + 0 }')
	if [ "$samples" = 1 ]; then
		# it takes COUNT samples, one every interval: give it a little longer
		for ((i = 0; i < 100; i++)); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
		kill "$dpid" 2>/dev/null
		wait "$dpid" 2>/dev/null
		count=$(wc -l <"$D/samples.jsonl")
	fi
	say "trace-cmd extract -B $inst"
	# a trace-cmd that fails (a full disk) switches the top instance's tracing
	# off on its way out: it is put back as it was
	read -r top_on <"$T/tracing_on"
	(cd "$work" && exec trace-cmd extract -B "$inst" -o "$D/trace.dat") >"$work/trace-cmd.log" 2>&1
	trc=$?
	[ "$(cat "$T/tracing_on")" = "$top_on" ] || echo "$top_on" >"$T/tracing_on"
	[ "$trc" = 0 ] || { full_check "$work/trace-cmd.log"; die "trace-cmd extract failed: $(head -c 500 "$work/trace-cmd.log")"; }
	[ -s "$D/trace.dat" ] || { full_check "$work/trace-cmd.log"; die "trace-cmd wrote no trace.dat: $(head -c 500 "$work/trace-cmd.log")"; }
	clock_option "$D/trace.dat" mono
	# extract reads until the ring is empty: what is left was not written
	left_events=$(cat "$I"/per_cpu/cpu*/stats 2>/dev/null | awk '/^entries:/ { n += $NF } END { print n + 0 }')
	lost_events=$((lost_events + left_events))
	[ "$lost_events" = 0 ] ||
		echo "$prog: warning: $lost_events events of the window are not in trace.dat (the ring buffer of $buffer_kb KB per CPU was full: raise -b)" >&2
	say "snapshot end/"
	snapshot "$D/end"
}
