# shellcheck shell=bash
# demo-layout.sh - the endpoints of the 2-node demo load, sourced by
# scripts/demo-node and the cluster tests that run the same load
# (tests/kernel/cluster-dvktop.sh, cluster-trace.sh).
#
# demo_layout ME sets, for node ME (0 or 1) of DC 0:
#   base     its dvkload --ep-base (servers base.., clients after them)
#   users    its dvkload --user-base (user-slot clients)
#   theirs   the peer's endpoints it binds remotely (rmtbind)
#   servers  the peer's servers its clients call (--remote-servers)
# shellcheck disable=SC2034  # the variables are the sourcing script's
demo_layout() {
	if [ "$1" = 0 ]; then
		base=1 users=29 theirs="11 12 13 14 15 16 17 40 41 42" servers=11,12,13,14
	else
		base=11 users=40 theirs="1 2 3 4 5 6 7 29 30 31" servers=1,2,3,4
	fi
}

# demo_bind_peer PEER: rmtbind the peer's endpoints ($theirs) in DC 0; on
# the first failure prints which and returns 1.
demo_bind_peer() {
	local ep
	for ep in $theirs; do
		build/bin/dvkctl rmtbind 0 "$ep" "$1" "n${1}ep$ep" >/dev/null || {
			echo "rmtbind $ep on node $1 failed"
			return 1
		}
	done
}
