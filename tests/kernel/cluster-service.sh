#!/usr/bin/env bash
# cluster-service.sh - a node brought up and down by dvk-service from its
# configuration file, on every node of the 2-guest boot.
#
# Run by tests/run as `DVK_NODE_SETUP=0 scripts/dvk-node tests/kernel/cluster-service.sh`:
# scripts/dvk-node leaves the set-up to us.  Each node writes a dvk.conf
# (node, DC0, its peers, the cluster key, dvk.ko's path), checks it, runs
# `dvk-service up` (systemd is not PID 1 in the guest: the proxies run as
# processes with pid files in /run/dvk), waits for the link, runs
# tests/kernel/cluster_ipc's remote calls across it, then `dvk-service down`:
# exit 0, proxies gone, module unloaded.  `dvk-service check` on a bad file
# must name its line.  One PASS/FAIL line per check (tests/check.h protocol).
set -u
cd "$(dirname "$0")/../.." || exit 1
me=$DVK_NODEID
svc=tools/dvk-service/dvk-service
T=$(mktemp -d)
conf=$T/dvk.conf
failed=0
pass() { echo "PASS service: $*"; }
fail() { echo "FAIL service: $*"; failed=1; }
# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# cluster_link_up, cluster_barrier

# the file: this node, DC0, every other node of $DVK_PEERS ("ID:ADDR ...")
{
	echo "# written by tests/kernel/cluster-service.sh"
	echo "node = $me"
	echo "dc 0 = DC0"
	for p in $DVK_PEERS; do
		[ "${p%%:*}" = "$me" ] || echo "peer ${p%%:*} = ${p#*:}"
	done
	echo "key-file = $DVK_KEY_FILE"
	echo "module = $(readlink -f "${DVK_KO:-kernel/dvk.ko}")"
} >"$conf"
chmod 600 "$conf"

if out=$($svc -c "$conf" check 2>&1); then
	pass "node $me: dvk-service check accepts the node's file"
else
	fail "node $me: dvk-service check: $out"
fi
sed 's/^dc 0 = DC0$/dc 0 = DC0\ndc 0 = again/' "$conf" >"$T/bad.conf"
chmod 600 "$T/bad.conf"
out=$($svc -c "$T/bad.conf" check 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q "^dvk-service: $T/bad.conf:4: a second 'dc 0' (the first is line 3)" <<<"$out"; then
	pass "node $me: dvk-service check on a bad file exits 2 naming FILE:LINE"
else
	fail "node $me: dvk-service check on a bad file: status $rc, '$out'"
fi

# a proxy that cannot start (no key file): up fails and undoes what it did
sed "s|^key-file = .*|key-file = $T/none.key|" "$conf" >"$T/nokey.conf"
chmod 600 "$T/nokey.conf"
out=$($svc -c "$T/nokey.conf" up 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q "dvk-proxy for node .* ended: .*$T/none.key" <<<"$out" && [ ! -d /sys/module/dvk ] &&
	! pgrep -x dvk-proxy >/dev/null; then
	pass "node $me: dvk-service up with a missing key file exits 1 saying why, undone (no proxy, module unloaded)"
else
	fail "node $me: dvk-service up with a missing key file: status $rc, module $([ -d /sys/module/dvk ] && echo loaded || echo gone), '$out'"
	$svc -c "$conf" down >/dev/null 2>&1
fi

t0=$(date +%s%N)
if out=$($svc -c "$conf" up 2>&1); then
	pass "node $me: dvk-service up (module, DVS node $me, DC0, proxies) in $((($(date +%s%N) - t0) / 1000000)) ms"
else
	fail "node $me: dvk-service up: $out"
fi
# the proxies: one per peer, running, as pid files say
for p in $DVK_PEERS; do
	peer=${p%%:*}
	[ "$peer" = "$me" ] && continue
	pid=$(cat "/run/dvk/proxy-$peer.pid" 2>/dev/null)
	if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dvk-proxy ] &&
		tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- " --node $peer "; then
		pass "node $me: dvk-proxy for node $peer runs (pid file /run/dvk/proxy-$peer.pid)"
	else
		fail "node $me: no dvk-proxy for node $peer (pid '$pid'): $(tail -c 300 "/run/dvk/proxy-$peer.log" 2>/dev/null)"
	fi
	if cluster_link_up; then
		pass "node $me: the link to node $peer is up (ISR)"
	else
		fail "node $me: the link to node $peer is not up in 60 s"
	fi
done
# the DVS and DC0 as the file says
if grep -qx "nodeid=$me" /proc/dvs/info 2>/dev/null && [ -d /proc/dvs/DC0 ]; then
	pass "node $me: the DVS is node $me with DC0 (/proc/dvs)"
else
	fail "node $me: /proc/dvs: $(tr '\n' ' ' </proc/dvs/info 2>/dev/null | head -c 200) $(ls /proc/dvs 2>&1 | tr '\n' ' ')"
fi

# remote IPC across the service's links: cluster_ipc under another name, as its
# barrier files carry the program's name (cluster_ipc ran earlier in this boot)
ln -sf "$PWD/build/tests/kernel/cluster_ipc" "$T/svc_ipc"
"$T/svc_ipc" 2>&1 | sed -u 's/^\(PASS\|FAIL\|SKIP\) /\1 service: ipc: /'
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || fail "node $me: cluster_ipc across the service's links exited $rc"
cluster_barrier service ipc-done

# the proxy's own log: today's text format (stderr is a file, not the journal)
log=/run/dvk/proxy-$((1 - me)).log
if grep -qE '^[0-9]+\.[0-9]{3} dvk-proxy\[[0-9]+->[0-9]+\]: pair [0-9]+ up for node' "$log" && ! grep -q '^<[0-9]>' "$log"; then
	pass "node $me: the proxy logs in text format with timestamps to $log (not the journal)"
else
	fail "node $me: the proxy's log $log: $(head -c 300 "$log" 2>/dev/null)"
fi

pids=$(cat /run/dvk/proxy-*.pid 2>/dev/null)
if out=$($svc -c "$conf" down 2>&1); then
	pass "node $me: dvk-service down exits 0"
else
	fail "node $me: dvk-service down: $out"
fi
alive=
for pid in $pids; do
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dvk-proxy ] && alive="$alive $pid"
done
if [ -z "$alive" ] && [ ! -d /sys/module/dvk ] && ! ls /run/dvk/proxy-*.pid >/dev/null 2>&1; then
	pass "node $me: after down: no proxy left, no pid file, dvk.ko unloaded"
else
	fail "node $me: after down: proxies '$alive', module $([ -d /sys/module/dvk ] && echo loaded || echo gone), pid files: $(ls /run/dvk/)"
fi
if out=$($svc -c "$conf" down 2>&1) && grep -q "not loaded: nothing more to stop" <<<"$out"; then
	pass "node $me: dvk-service down on a node that is down exits 0"
else
	fail "node $me: dvk-service down again: '$out'"
fi
# the proxy's last counters (written as it ended): the IPC went through it
msgs=$(sed -n 's/^out: msgs=\([0-9]*\) .*/\1/p' "/run/dvk/proxy-$((1 - me)).stats" 2>/dev/null)
if [ "${msgs:-0}" -gt 500 ]; then
	pass "node $me: the proxy's stats file counts the IPC ($msgs commands out)"
else
	fail "node $me: the proxy's stats file: ${msgs:-no} commands out"
fi
rm -rf "$T" /run/dvk/proxy-*.log /run/dvk/proxy-*.stats
exit $failed
