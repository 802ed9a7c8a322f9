# shellcheck shell=bash
# tests/kernel/lib.sh - shell helpers of the in-guest test scripts (sourced).

# wait_for_lines FILE N SECONDS: until FILE has N lines (a writer attached and
# printing); false if it still has fewer after SECONDS.
wait_for_lines() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# cluster_barrier TAG NAME: wait until the peer node of a 2-guest boot got to
# NAME too (a file per node in the shared cluster directory, TAG keeps the
# tests apart); after 120 s says so with the caller's fail and returns 1.
# Uses the caller's $me, $peer and $DVK_CLUSTER_DIR.
cluster_barrier() {
	local i
	touch "$DVK_CLUSTER_DIR/$1.$2.$me"
	for ((i = 0; i < 1200; i++)); do
		[ -e "$DVK_CLUSTER_DIR/$1.$2.$peer" ] && return 0
		sleep 0.1
	done
	fail "barrier $2: node $peer did not arrive in 120 s"
	return 1
}

# cluster_link_up: wait up to 60 s for the proxy pair to node $peer to be up
# both ways (debugfs dvk/proxies state ISR); false if it is not.
cluster_link_up() {
	local i
	for ((i = 0; i < 600; i++)); do
		grep -qE "^ *$peer +[^ ]+ +ISR " /sys/kernel/debug/dvk/proxies && return 0
		sleep 0.1
	done
	return 1
}

# cmdline_keeper on|off: hold the kernel's comm recording (sched_switch and
# sched_wakeup probes) for the whole boot.  Every tracefs event enabled with
# record-cmd takes a global reference on it; the first one patches those
# tracepoints in __schedule in and the last one out (text_poke_bp on every
# CPU).  Under TCG that patching of the hottest jump in the kernel once left
# one CPU looping in the int3 handler while the other waited on its IPI (a
# soft lockup at an instance's rmdir).  An instance that keeps one event
# (module_load: seen only at insmod, and its ring is off) enabled keeps the
# reference above zero, so the tests' instances come and go without that patch.
cmdline_keeper() {
	local k=/sys/kernel/tracing/instances/dvk-cmdline-keeper
	case $1 in
	on)
		# an instance takes record-cmd from the top level (where it is on by
		# default) and cannot change it: false if it is off, the keeper useless
		mkdir -p $k && echo 0 >$k/tracing_on && [ "$(cat /sys/kernel/tracing/options/record-cmd)" = 1 ] &&
			echo 1 >$k/events/module/module_load/enable ;;
	off)
		[ -d $k ] || return 0
		echo 0 >$k/events/module/module_load/enable && rmdir $k ;;
	esac
}

# probe_rmt_run TAG SRV CLI K B OUTFILE: probe_rmt's remote load between the two
# nodes: node 1 serves K sendrecs (and a B-byte vcopy) on endpoint SRV, node 0
# calls it from CLI; each node's output in OUTFILE.  Both meet at barrier
# TAG/serving (cluster_barrier); a failure is said with the caller's fail.
probe_rmt_run() {
	local tag=$1 srv=$2 cli=$3 k=$4 b=$5 out=$6 load secs=$((120 * ${DVK_TIMEOUT_SCALE:-1}))
	if [ "$me" = 1 ]; then
		timeout $secs build/tests/kernel/probe_rmt serve "$srv" "$k" >"$out" 2>&1 &
		load=$!
		wait_for_lines "$out" 1 30
		cluster_barrier "$tag" serving
		wait "$load" || fail "probe_rmt serve: exit $?: $(tr '\n' ' ' <"$out")"
	else
		cluster_barrier "$tag" serving
		timeout $secs build/tests/kernel/probe_rmt call "$cli" "$srv" "$k" "$b" >"$out" 2>&1 ||
			fail "probe_rmt call: exit $?: $(tr '\n' ' ' <"$out")"
	fi
}
