# shellcheck shell=bash
# demo-layout.sh - the endpoints of the 2-node demo load, sourced by
# scripts/demo-node and the cluster tests that run the same load
# (tests/kernel/cluster-dvktop.sh, cluster-trace.sh); and the demo's bind
# waiter (demo_bind_waiter, also for scripts/demo-guest).
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

# demo_bind_waiter: keeps one process waiting in wait4bind, so dvktop's Bind
# waits section is never empty: `dvkctl wait4bind -t 20000` waits to be
# bound (SELF), as a server started before its binder does; nobody binds
# it, so after 20 s it fails with EDVSTIMEDOUT (a wait4bind error in the
# calls view) and the next one starts.  Run it in the background; SIGTERM
# ends it and the waiting dvkctl (which holds /dev/dvk: rmmod needs it gone).
demo_bind_waiter() {
	local w=''
	trap '[ -z "$w" ] || kill "$w" 2>/dev/null || true; exit 0' TERM
	while :; do
		build/bin/dvkctl wait4bind -t 20000 >/dev/null 2>&1 &
		w=$!
		wait "$w" || true	# it fails every 20 s (set -e callers: go on)
		sleep 0.2	# no busy loop if the call fails at once (no DVS)
	done
}
