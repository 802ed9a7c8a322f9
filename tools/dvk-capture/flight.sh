# shellcheck shell=bash
# flight.sh - flight mode: a ring buffer kept until a trigger fires
# Sourced by dvk-capture (same directory); uses its variables and die/say/w.

capture_flight() {
	# ---- flight recorder ---------------------------------------------------------
	# the ring's clock: local (sched_clock, the TSC) costs a fraction of mono where
	# CLOCK_MONOTONIC's clocksource is slow (the HPET of a TCG guest); the marks
	# helper writes clock pairs into the ring to convert it (docs/support.md)
	echo "$fclock" >"$I/trace_clock" || die "the kernel has no $fclock trace clock"
	echo "$buffer_kb" >"$I/buffer_size_kb" || die "cannot size the ring buffer to $buffer_kb KB per CPU"
	echo 1 >"$I/options/overwrite" 2>/dev/null
	add_events "$I"
	# the trigger instance: only the trigger events, each with its kernel filter
	J=$T/instances/$inst_trig
	if [ ${#trig_event[@]} -gt 0 ]; then
		mkdir "$J" || die "cannot create tracefs instance $inst_trig"
		echo 0 >"$J/tracing_on"
		echo "$fclock" >"$J/trace_clock"
		echo 16 >"$J/buffer_size_kb"
		declare -A jf=()
		for ((i = 0; i < ${#trig_event[@]}; i++)); do
			e=${trig_event[i]}
			jf[$e]="${jf[$e]:+${jf[$e]} || }(${trig_filter[i]})"
		done
		for e in "${!jf[@]}"; do
			echo "${jf[$e]}" >"$J/events/dvk/$e/filter" || bad "trigger filter '${jf[$e]}' refused by dvk:$e"
			echo 1 >"$J/events/dvk/$e/enable" || die "cannot enable dvk:$e in $inst_trig"
		done
	fi
	# the control FIFO of --fire
	mkdir -p "$(dirname "$control")" || die "cannot create $(dirname "$control")"
	if [ -e "$control" ]; then
		opid=$(cat "$control.pid" 2>/dev/null)
		[ -z "$opid" ] || ! kill -0 "$opid" 2>/dev/null ||
			die "another flight recorder (pid $opid) is running: $control is its control FIFO"
		rm -f "$control" "$control.pid"
	fi
	mkfifo -m 600 "$control" || die "cannot create the control FIFO $control"
	ctl_made=1
	echo $$ >"$control.pid"
	if [ "$samples" = 1 ]; then
		rot=$(awk -v p="$pre" -v q="$post" -v i="$interval" 'BEGIN { print int((p + q) / i) + 2 }')
		"$dvktop" -b --record "$work/samples.jsonl" --record-rotate "$rot" -d "$interval" \
			>/dev/null 2>"$work/dvktop.err" &
		dpid=$!
		pids+=("$dpid")
		# armed once dvktop has its BPF programs attached and wrote a sample
		for ((i = 0; i < 1200; i++)); do
			[ ! -s "$work/samples.jsonl" ] || break
			kill -0 "$dpid" 2>/dev/null || die "dvktop --record stopped: $(head -c 400 "$work/dvktop.err")"
			sleep 0.1
		done
		[ -s "$work/samples.jsonl" ] || die "dvktop --record wrote no sample in 120 s: $(head -c 400 "$work/dvktop.err")"
	fi
	pair	# when it was armed
	echo 1 >"$I/tracing_on"
	[ ! -d "$J" ] || echo 1 >"$J/tracing_on"
	# a clock pair into the ring every second (and at the end, on SIGTERM)
	"$helper" marks "$I/trace_marker" 1 >"$work/marks.jsonl" 2>"$work/marks.err" &
	mpid=$!
	pids+=("$mpid")
	# the waiters: each writes its finding and exits; SIGUSR1 fires by itself
	if [ -d "$J" ]; then
		head -n 1 "$J/trace_pipe" >"$work/fired.trace" 2>/dev/null &
		wt=$!
		pids+=("$wt")
	fi
	# the reader keeps a writer open so that it blocks, not sees EOF, between --fire's
	# (exec: head is that process, and dies with it; no head left on the FIFO)
	bash -c 'exec 3<>"$1"; exec head -n 1 <&3 >"$2"' _ "$control" "$work/fired.command" &
	wc_=$!
	pids+=("$wc_")
	fired_signal=0
	trap 'fired_signal=1' USR1
	echo "$prog: flight recorder armed (instance $inst, ${buffer_kb} KB per CPU; triggers: ${triggers[*]:-none}; SIGUSR1 to pid $$ or '$prog --fire' fire it)" >&2
	[ -z "${DVK_CAPTURE_READY:-}" ] || : >"$DVK_CAPTURE_READY"
	if [ -n "${wt:-}" ]; then wait -n "$wt" "$wc_"; else wait -n "$wc_"; fi
	trap - USR1
	pair; now=$P
	now_mono=$(jq -r .monotonic_ns <<<"$now")
	now_real=$(jq -r .realtime_ns <<<"$now")
	if [ "$fired_signal" = 1 ]; then
		kind=signal spec=SIGUSR1 ev="" tmono=$now_mono treal=$now_real
	elif [ -s "$work/fired.trace" ]; then
		ev=$(head -n 1 "$work/fired.trace")
		# the event's time stamp (trace clock): converted once the pairs are known
		ttrace=$(line_ns "$ev") || ttrace=''
		tmono=$now_mono treal=$now_real
		# which spec matched: the event and its fields
		kind='' spec=''
		for ((i = 0; i < ${#trig_event[@]}; i++)); do
			case ${trig_kind[i]} in
			slow) [[ $ev == *"${trig_event[i]}:"* ]] || continue
				n=$(sed -nE 's/.* nr=(-?[0-9]+) .*duration_ns=([0-9]+).*/\1 \2/p' <<<"$ev")
				f=${trig_filter[i]}
				want_nr=$(sed -nE 's/^nr == (-?[0-9]+) .*/\1/p' <<<"$f")
				want_ns=${f##*> }
				# shellcheck disable=SC2086
				set -- $n
				[ $# = 2 ] && { [ -z "$want_nr" ] || [ "$1" = "$want_nr" ]; } && [ "$2" -gt "$want_ns" ] || continue ;;
			error) [[ $ev == *"${trig_event[i]}:"* ]] && [[ $ev == *" ret=${trig_filter[i]#ret == } "* ]] || continue ;;
			queue) [[ $ev == *"${trig_event[i]}:"* ]] || continue ;;
			esac
			kind=${trig_kind[i]} spec=${triggers[i]}
			break
		done
		[ -n "$kind" ] || { kind=${trig_kind[0]} spec=${triggers[0]}; }
	elif [ -s "$work/fired.command" ]; then
		kind=command spec="dvk-capture --fire" ev=$(head -n 1 "$work/fired.command") tmono=$now_mono treal=$now_real
	else
		die "the flight recorder's waiters ended without a trigger"
	fi
	echo "$prog: trigger $kind ($spec) fired; recording $post s more" >&2
	# start/: the state at the trigger; end/: after the post window
	start=$now
	snapshot "$D/start"
	sleep "$post"
	# the last clock pair, then the ring stops
	kill -TERM "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	for i in "${!pids[@]}"; do [ "${pids[i]}" != "$mpid" ] || unset 'pids[i]'; done
	echo 0 >"$I/tracing_on"
	[ ! -d "$J" ] || echo 0 >"$J/tracing_on"
	pair; end=$P
	say "trace-cmd extract -B $inst"
	(cd "$work" && exec trace-cmd extract -B "$inst" -o "$D/trace.dat") >"$work/trace-cmd.log" 2>&1 ||
		{ full_check "$work/trace-cmd.log"; die "trace-cmd extract failed: $(head -c 500 "$work/trace-cmd.log")"; }
	clock_option "$D/trace.dat" "$fclock"
	say "the clock pairs in the trace"
	trace_pairs "$D/trace.dat" >"$work/tpairs.jsonl" || full_check
	tpairs_json=$(jq -s -c 'sort_by(.trace_ns)' "$work/tpairs.jsonl") || die "cannot read the clock pairs"
	[ "$tpairs_json" != '[]' ] ||
		echo "$prog: warning: no clock pair found in the trace (marks helper: $(head -c 200 "$work/marks.err")); its time stamps stay in clock $fclock" >&2
	if [ -n "${ttrace:-}" ]; then
		if m=$(trace_to_mono "$ttrace"); then
			tmono=$m treal=$((now_real - (now_mono - tmono)))
		else
			echo "$prog: warning: the trigger's time is when it was seen, not the event's (no clock pair)" >&2
		fi
	fi
	trigger_json=$(jq -n -c --arg spec "$spec" --arg kind "$kind" --argjson m "$tmono" --argjson r "$treal" \
		--arg ev "$ev" '{spec: $spec, kind: $kind, monotonic_ns: $m, realtime_ns: $r, event: $ev}')
	snapshot "$D/end"
	if [ "$samples" = 1 ]; then
		kill "$dpid" 2>/dev/null
		wait "$dpid" 2>/dev/null
		lo=$((tmono - ${pre%.*} * 1000000000)) hi=$(jq -r .monotonic_ns <<<"$end")
		cat "$work/samples.jsonl.1" "$work/samples.jsonl" 2>/dev/null |
			jq -c --argjson lo "$lo" --argjson hi "$hi" 'select(.mono_ns >= $lo and .mono_ns <= $hi)' \
			>"$D/samples.jsonl" || full_check
		count=$(wc -l <"$D/samples.jsonl")
		# the trace matters more than the samples: warn, keep the archive
		[ "$count" -gt 0 ] || echo "$prog: warning: dvktop recorded no sample in the window: $(head -c 400 "$work/dvktop.err")" >&2
	fi
}
