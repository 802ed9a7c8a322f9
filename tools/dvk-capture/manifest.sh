# shellcheck shell=bash
# manifest.sh - the rest of the archive and manifest.json
# Sourced by dvk-capture (same directory); uses its variables and die/say/w.

finish_capture() {
	# ---- the rest of the archive ---------------------------------------------------
	dmesg >"$D/dmesg.txt" 2>/dev/null || full_check
	uname -a >"$D/uname.txt" || full_check
	say "dmesg, uname, modinfo, btf, proxies"
	module_info
	if [ -r /sys/kernel/btf/dvk ]; then
		w mkdir -p "$D/btf"
		w cp /sys/kernel/btf/dvk "$D/btf/dvk"
	fi
	nproxies=0
	proxies
	cp "$work/trace-cmd.log" "$D/trace-cmd.log" 2>/dev/null

	# the node, from /proc/dvs/info (id -1, name null when the DVS is not initialised)
	node_id=-1 node_name=null
	if [ -r /proc/dvs/info ]; then
		v=$(sed -nE 's/^nodeid=(-?[0-9]+)$/\1/p' /proc/dvs/info | head -n 1)
		[ -z "$v" ] || node_id=$v
		v=$(sed -nE 's/^name=(.*)$/\1/p' /proc/dvs/info | head -n 1)
		[ "$node_id" = -1 ] || node_name=$(jq -Rn --arg n "$v" '$n')
	fi

	# files: every member there, with what it is (one jq for all)
	files_in=''
	addf() { [ ! -e "$D/$1" ] || files_in+="$1"$'\t'"$2"$'\n'; }
	if [ "$mode" = flight ]; then
		addf trace.dat "the trace of the ring buffer (trace-cmd .dat, clock $fclock: converted to CLOCK_MONOTONIC by trace.clock_pairs; trace-cmd report trace.dat)"
	else
		addf trace.dat "the trace of the window (trace-cmd .dat, clock mono = CLOCK_MONOTONIC ns; trace-cmd report trace.dat)"
	fi
	addf samples.jsonl "dvktop's recorded samples, one JSON object per line (mono_ns, real_ns), for dvktop -r"
	addf dvktop.jsonl "what dvktop -j printed for the same samples"
	addf start "/proc/dvs (proc/dvs/...) and debugfs dvk/ (debug/dvk/...) at the start$([ "$mode" = flight ] && echo ' (when the trigger fired)')"
	addf end "/proc/dvs and debugfs dvk/ at the end"
	addf dmesg.txt "the kernel log (dmesg) at the end"
	addf uname.txt "uname -a"
	addf modinfo.txt "dvk.ko: /sys/module/dvk (version, srcversion, taint), build id, modinfo of its file when found"
	addf btf/dvk "the module's BTF (/sys/kernel/btf/dvk), for bpftool btf dump"
	addf proxies "per running dvk-proxy (by pid): cmdline, its --stats-file, its log (stderr) when a file"
	addf trace-cmd.log "trace-cmd's own output"
	files=$(printf '%smanifest.json\tthis file\n' "$files_in" |
		jq -R -s -c 'split("\n") | map(select(length > 0) | split("\t") | {path: .[0], what: .[1]})')

	samples_json=null
	[ "$samples" = 0 ] || samples_json=$(jq -n -c --argjson iv "$(awk -v i="$interval" 'BEGIN { printf "%d", i * 1000 + 0.5 }')" \
		--argjson n "$count" --argjson live "$([ "$mode" = window ] && echo '"dvktop.jsonl"' || echo null)" \
		'{file: "samples.jsonl", live: $live, interval_ms: $iv, count: $n}')
	filter_json=null
	[ -z "$filter" ] || filter_json=$(jq -Rn --arg f "$filter" '$f')
	clocks_json=$(printf '%s\n' "${clocks[@]}" | jq -s -c 'sort_by(.monotonic_ns)')
	jq -n --arg tool "dvk-capture $VERSION" --arg host "$host" \
		--argjson nid "$node_id" --argjson nname "$node_name" \
		--arg krel "$(uname -r)" --arg kver "$(uname -v)" \
		--arg mver "$version" --arg msrc "$srcversion" --arg mbid "$build_id" \
		--arg mode "$mode" --argjson wstart "$start" --argjson wend "$end" --argjson clocks "$clocks_json" \
		--arg inst "$inst" --argjson events "$events_json" --argjson filter "$filter_json" --argjson kb "$buffer_kb" \
		--argjson samples "$samples_json" --argjson trigger "$trigger_json" --argjson files "$files" \
		--argjson nproxies "$nproxies" --argjson pre "$pre" --argjson post "$post" \
		--arg tclock "$([ "$mode" = flight ] && echo "$fclock" || echo mono)" --argjson tpairs "$tpairs_json" \
		--argjson lost "${lost_events:-null}" '{
		schema: "dvk-capture/1", tool: $tool, host: $host,
		node: {id: $nid, name: $nname},
		kernel: {release: $krel, version: $kver},
		module: {version: $mver, srcversion: $msrc, build_id: $mbid},
		mode: $mode,
		window: {start: {realtime_ns: $wstart.realtime_ns, monotonic_ns: $wstart.monotonic_ns},
		         end: {realtime_ns: $wend.realtime_ns, monotonic_ns: $wend.monotonic_ns}},
		clocks: $clocks,
		trace: {file: "trace.dat", clock: $tclock, clock_pairs: $tpairs, instance: $inst, events: $events, filter: $filter,
		        buffer_kb: $kb, lost_events: $lost},
		samples: $samples,
		trigger: $trigger,
		flight: (if $mode == "flight" then {pre_s: $pre, post_s: $post} else null end),
		proxies: $nproxies,
		files: $files }' >"$D/manifest.json" || { full_check; die "cannot write manifest.json"; }

}
