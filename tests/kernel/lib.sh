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
