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
