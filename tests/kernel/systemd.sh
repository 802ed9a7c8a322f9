#!/usr/bin/env bash
# tests/kernel/systemd.sh - the units of systemd/ under a real systemd: the
# guest boots the host's systemd as PID 1 (`scripts/vm-run --systemd`; this
# script is the boot's one goal, a oneshot unit) and we drive dvk.service,
# dvk-proxy@.service and dvk-exporter.service as an operator would.
#
# The units are rendered as `make install` writes them, with SBINDIR the
# tree's build/bin and SYSCONFDIR a directory of /run, into
# /run/systemd/system.  The node has one peer that cannot be reached
# (192.0.2.1, TEST-NET-1: the guest has no network): its proxy runs and
# retries, which is all a unit can show without a second machine
# (cluster-service.sh brings real links up through dvk-service).
# Checks: the missing config file (ConditionPathExists); start: module, DVS,
# DC, one dvk-proxy@1 whose MainPID is the proxy; journald has the proxy's
# and dvk-service's lines with the levels of their <N> prefixes and no
# timestamps of their own; a killed proxy is restarted; the exporter serves
# /metrics; stop: the proxy stops with dvk.service (PartOf), the module is
# unloaded; a bad file fails the start in ExecStartPre, naming FILE:LINE in
# the journal at level err, with nothing loaded.  PASS/FAIL lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
failed=0
pass() { echo "PASS units: $*"; }
fail() { echo "FAIL units: $*"; failed=1; }
etc=/run/dvk-systemd-test/etc
conf=$etc/dvk/dvk.conf
units=/run/systemd/system

# wait_for SECS CMD...: CMD succeeds within SECS seconds (times
# DVK_TIMEOUT_SCALE; polled every 0.2 s)
wait_for() {
	local n=$(($1 * 5 * ${DVK_TIMEOUT_SCALE:-1}))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
state() { systemctl show -P ActiveState "$1"; }
# is_active UNIT: its ActiveState is active (a command for wait_for)
is_active() { [ "$(state "$1")" = active ]; }
# journal_lines UNIT: PRIORITY<TAB>MESSAGE of the unit's journal entries
journal_lines() {
	journalctl -q --no-pager -u "$1" -o json | jq -r '[.PRIORITY, (.MESSAGE | tostring)] | @tsv'
}

if [ "$(cat /proc/1/comm)" = systemd ]; then
	pass "systemd $(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') is PID 1 ($(systemctl is-system-running 2>/dev/null))"
else
	fail "PID 1 is $(cat /proc/1/comm), not systemd (run through scripts/vm-run --systemd)"
	exit 1
fi

# ---- the units as make install writes them --------------------------------------
mkdir -p "$etc/dvk"
for f in systemd/*.service.in; do
	sed -e "s|@SBINDIR@|$top/build/bin|g" -e "s|@BINDIR@|$top/build/bin|g" -e "s|@SYSCONFDIR@|$etc|g" \
		-e "s|@LIBEXECDIR@|$top/build/bin|g" "$f" >"$units/$(basename "$f" .in)"
done
systemctl daemon-reload

systemctl start dvk.service
if [ "$(systemctl show -P ConditionResult dvk.service)" = no ] && [ "$(state dvk.service)" = inactive ] &&
	[ ! -d /sys/module/dvk ]; then
	pass "without $conf, dvk.service does not start (ConditionPathExists), nothing loaded"
else
	fail "without a config: dvk.service $(state dvk.service), condition $(systemctl show -P ConditionResult dvk.service)"
fi

# ---- start ---------------------------------------------------------------------
build/bin/dvkctl keygen "$etc/dvk/cluster.key" >/dev/null
cat >"$conf" <<EOF
# written by tests/kernel/systemd.sh
node = 0
name = SDTEST
dc 0 = DC0
peer 1 = 192.0.2.1
key-file = $etc/dvk/cluster.key
module = $(readlink -f "${DVK_KO:-kernel/dvk.ko}")
EOF
chmod 600 "$conf"
if out=$(systemctl start dvk.service 2>&1) && [ "$(state dvk.service)" = active ]; then
	pass "systemctl start dvk: active ($(systemctl show -P SubState dvk.service))"
else
	fail "systemctl start dvk: '$out', $(state dvk.service); $(journalctl -q --no-pager -u dvk.service | tail -n 5 | tr '\n' ' ')"
fi
if grep -qx "nodeid=0" /proc/dvs/info 2>/dev/null && [ -d /proc/dvs/DC0 ]; then
	pass "the module is loaded, the DVS is node 0 with DC0 (/proc/dvs)"
else
	fail "/proc/dvs after start: $(tr '\n' ' ' </proc/dvs/info 2>/dev/null | head -c 200)"
fi
pid=
if wait_for 10 is_active dvk-proxy@1.service; then
	pid=$(systemctl show -P MainPID dvk-proxy@1.service)
fi
if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dvk-proxy ] &&
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--config $conf --node 1 "; then
	pass "dvk-proxy@1.service runs the proxy for node 1 (MainPID $pid, --config $conf --node 1)"
else
	fail "dvk-proxy@1.service: $(state dvk-proxy@1.service), MainPID '$pid'"
fi

# ---- the journal -----------------------------------------------------------------
# the proxy's start line is a notice (5); the <N> is consumed, no timestamp of its own
wait_for 10 bash -c 'journalctl -q --no-pager -u dvk-proxy@1.service | grep -q "pair .* up for node 1"'
lines=$(journal_lines dvk-proxy@1.service)
if grep -qP '^5\t\[0->1\] pair [0-9]+ up for node 1' <<<"$lines" &&
	! grep -qP '\t(<[0-9]>|[0-9]+\.[0-9]{3} )' <<<"$lines"; then
	pass "journald has the proxy's start at level notice (5), its own <5> prefix consumed, no timestamp in the text"
else
	fail "the proxy's journal: $(head -n 4 <<<"$lines" | tr '\n\t' '; ')"
fi
lines=$(journal_lines dvk.service)
if grep -qP '^6\tdvk-service: ' <<<"$lines" && ! grep -qP '\t<[0-9]>' <<<"$lines"; then
	pass "journald has dvk-service's lines at level info (6): $(grep -cP '^6\t' <<<"$lines") of them"
else
	fail "dvk-service's journal: $(head -n 4 <<<"$lines" | tr '\n\t' '; ')"
fi

# ---- a proxy that dies is restarted (Restart=on-failure) ---------------------------
if [ -n "$pid" ]; then
	kill -KILL "$pid"
	new=
	wait_for 15 bash -c 'p=$(systemctl show -P MainPID dvk-proxy@1.service); [ "$p" != 0 ] && [ "$p" != "$1" ]' _ "$pid" &&
		new=$(systemctl show -P MainPID dvk-proxy@1.service)
	if [ -n "$new" ] && [ "$(cat "/proc/$new/comm" 2>/dev/null)" = dvk-proxy ] &&
		[ "$(systemctl show -P NRestarts dvk-proxy@1.service)" = 1 ]; then
		pass "a proxy killed with SIGKILL is restarted by systemd (MainPID $pid -> $new, NRestarts 1)"
	else
		fail "after SIGKILL: dvk-proxy@1 $(state dvk-proxy@1.service), MainPID '$new', NRestarts $(systemctl show -P NRestarts dvk-proxy@1.service)"
	fi
fi

# ---- the exporter's unit -----------------------------------------------------------
systemctl start dvk-exporter.service
m=
wait_for 30 bash -c 'curl -sf http://127.0.0.1:7462/metrics >/run/dvk-systemd-test/metrics' &&
	m=$(grep -c '^dvk_' /run/dvk-systemd-test/metrics)
if [ -n "$m" ] && grep -q '^dvk_node_info{node="0",dvs="SDTEST",' /run/dvk-systemd-test/metrics; then
	pass "dvk-exporter.service serves /metrics on port 7462 ($m samples, dvk_node_info of node 0 \"SDTEST\")"
else
	fail "dvk-exporter.service: $(state dvk-exporter.service); $(journalctl -q --no-pager -u dvk-exporter.service | tail -n 3 | tr '\n' ' ')"
fi
systemctl stop dvk-exporter.service

# ---- stop ----------------------------------------------------------------------------
ppid=$(systemctl show -P MainPID dvk-proxy@1.service)
if systemctl stop dvk.service && [ "$(state dvk.service)" = inactive ] &&
	[ "$(state dvk-proxy@1.service)" = inactive ] && [ ! -d /sys/module/dvk ] &&
	! pgrep -x dvk-proxy >/dev/null; then
	pass "systemctl stop dvk: the proxy unit stops with it (PartOf), no dvk-proxy left, dvk.ko unloaded"
else
	fail "after stop: dvk $(state dvk.service), dvk-proxy@1 $(state dvk-proxy@1.service), module $([ -d /sys/module/dvk ] && echo loaded || echo gone), proxy $ppid $(cat "/proc/$ppid/comm" 2>/dev/null)"
fi

# ---- a bad file: ExecStartPre's check refuses it, nothing is loaded ---------------------
echo "peer 1 = 192.0.2.2" >>"$conf"
n=$(wc -l <"$conf")
systemctl start dvk.service 2>/dev/null
rc=$?
lines=$(journal_lines dvk.service)
if [ $rc != 0 ] && [ "$(state dvk.service)" = failed ] && [ ! -d /sys/module/dvk ] &&
	grep -qP "^3\tdvk-service: $conf:$n: " <<<"$lines"; then
	pass "a bad file fails the start (ExecStartPre), the journal names $conf:$n at level err (3), nothing loaded"
else
	fail "a bad file: start status $rc, dvk $(state dvk.service), module $([ -d /sys/module/dvk ] && echo loaded || echo gone); $(grep -P '^[0-3]\t' <<<"$lines" | tail -n 3 | tr '\n\t' '; ')"
fi
systemctl reset-failed dvk.service
exit $failed
