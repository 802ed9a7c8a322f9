#!/usr/bin/env bash
# cluster-metrics.sh - dvk-exporter on both nodes of the 2-guest boot, scraped
# every second by a real Prometheus (Debian's /usr/bin/prometheus, visible in
# the guest) that node 0 starts, against a known workload.
#
# Run by tests/run on both nodes, as `scripts/dvk-node
# tests/kernel/cluster-metrics.sh` (DVS, DC 0 and the proxies are
# dvk-node's).  Each node starts dvk-exporter on its address, port 7462;
# node 0 starts Prometheus (TSDB in a tmpfs directory) and waits until both
# targets are up.  Quiet moment tb: each node notes its debugfs counters
# (dvk/proxies); the workload: node 1 serves K sendrecs (probe_rmt serve),
# node 0 makes them, one vcopy of B bytes and one send (probe_rmt call), and
# node 0 makes F dc_init calls that fail (DC 0 runs).  Quiet moment ta:
# the debugfs counters again.  Node 0 asks Prometheus' HTTP API for the
# values at tb and ta and checks: sendrec calls +K on node 0, receive +K+1
# and send +K on node 1 (exact); dc_init errors +F under the name dvkctl
# printed; the sendrec histogram's _count +K, its histogram_quantile(0.5)
# inside the bucket holding the median of the window's buckets; the proxy
# bytes each way per pair (debugfs, through Prometheus) and per peer (BPF)
# equal the debugfs deltas of both nodes.  Also: `promtool check metrics`
# on a live scrape of each node, the OpenMetrics scrape through
# python3-prometheus-client's parser, hostile requests (POST, unknown path),
# and a clean stop of Prometheus and both exporters.  The cost of a scrape
# is printed as "# metrics:" lines (docs/metrics.md).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh	# cluster_barrier, cluster_link_up
me=$DVK_NODEID
peer=$((1 - me))
OUT=$DVK_NODE_DIR/metrics	# kept with the boot's logs
SH=$DVK_CLUSTER_DIR/metrics	# what node 1 hands node 0
mkdir -p "$OUT" "$SH"
K=20 B=4096 F=3 SRV=26 CLI=27 PORT=7462
scale=${DVK_TIMEOUT_SCALE:-1}
tstart=$SECONDS
failed=0
pass() { echo "PASS metrics: node $me: $*"; }
fail() { echo "FAIL metrics: node $me: $*"; failed=1; }
barrier() { cluster_barrier metrics "$1"; }
addr() { echo "192.0.2.$(($1 + 1))"; }
url="http://$(addr "$me"):$PORT"

for t in prometheus promtool curl jq /usr/bin/python3; do
	command -v $t >/dev/null || { echo "FAIL metrics: node $me: $t is not installed (scripts/setup.sh)"; exit 1; }
done
cluster_link_up || fail "link to node $peer not up in 60 s"
barrier ready
build/bin/dvk-exporter --listen "$(addr "$me"):$PORT" 2>"$OUT/exporter.err" &
exp=$!
t0=$SECONDS
until curl -sf -o "$OUT/first.prom" "$url/metrics"; do
	if ! kill -0 $exp 2>/dev/null || [ $((SECONDS - t0)) -gt $((120 * scale)) ]; then
		fail "dvk-exporter does not answer in $((SECONDS - t0)) s: $(tr '\n' ' ' <"$OUT/exporter.err")"
		break
	fi
	sleep 0.5
done
echo "# metrics: node $me: dvk-exporter answered after $((SECONDS - t0)) s" >&2

# a live scrape, both formats, through the linters
if promtool check metrics <"$OUT/first.prom" >"$OUT/promtool.out" 2>&1; then
	pass "promtool check metrics passes on a live scrape ($(grep -vc '^#' "$OUT/first.prom") samples)"
else
	fail "promtool check metrics: $(head -c 400 "$OUT/promtool.out" | tr '\n' ' ')"
fi
ct=$(curl -s -o "$OUT/first.om" -w '%{content_type}' -H 'Accept: application/openmetrics-text;version=1.0.0' "$url/metrics")
if [[ $ct == application/openmetrics-text* ]] && tail -n 1 "$OUT/first.om" | grep -qx '# EOF' &&
	r=$(/usr/bin/python3 tests/unit/openmetrics-check.py <"$OUT/first.om" 2>&1); then
	pass "OpenMetrics scrape ($ct) parses: $r"
else
	fail "OpenMetrics scrape: content type '$ct', parser: ${r:-}"
fi
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
hostile="$(code -X POST -d x=1 "$url/metrics") $(code -X GET -d x=1 "$url/metrics") $(code "$url/nope")"
hostile+=" $(code -I "$url/metrics") $(curl -s "$url/" | grep -c '/metrics')"
[ "$hostile" = "405 400 404 200 1" ] && pass "POST gets 405, a GET with a body 400, an unknown path 404, HEAD 200, / names /metrics" ||
	fail "hostile requests: POST, GET with a body, unknown path, HEAD, index gave '$hostile' (want '405 400 404 200 1')"

prom=''
if [ "$me" = 0 ]; then
	tsdb=$(mktemp -d /tmp/prometheus.XXXXXX)	# /tmp is a tmpfs in the guests
	cat >"$OUT/prometheus.yml" <<-EOF
		global:
		  scrape_interval: 1s
		  scrape_timeout: 1s
		scrape_configs:
		  - job_name: dvk
		    static_configs:
		      - targets: ['$(addr 0):$PORT', '$(addr 1):$PORT']
	EOF
	promtool check config "$OUT/prometheus.yml" >"$OUT/promtool-config.out" 2>&1 ||
		fail "promtool check config: $(tr '\n' ' ' <"$OUT/promtool-config.out")"
	prometheus --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$tsdb" \
		--web.listen-address=127.0.0.1:9090 --log.level=warn >"$OUT/prometheus.log" 2>&1 &
	prom=$!
	api=http://127.0.0.1:9090/api/v1
	t0=$SECONDS
	while [ "$(curl -s "$api/targets" | jq '[.data.activeTargets[] | select(.health == "up")] | length' 2>/dev/null)" != 2 ]; do
		if ! kill -0 $prom 2>/dev/null || [ $((SECONDS - t0)) -gt $((180 * scale)) ]; then
			fail "Prometheus: both targets not up after $((SECONDS - t0)) s: $(curl -s "$api/targets" | head -c 400) $(tail -n 3 "$OUT/prometheus.log")"
			break
		fi
		sleep 1
	done
	echo "# metrics: node 0: Prometheus scrapes both exporters $((SECONDS - t0)) s after its start" >&2
fi
barrier scraped

# pair NODE: the debugfs dvk/proxies fields of the pair serving NODE: msgs_out
# bytes_out msgs_in bytes_in (counted from the line's end: the name may hold spaces)
pair() {
	local line f n
	while read -r line; do
		read -ra f <<<"$line"
		n=${#f[@]}
		[[ ${f[0]} =~ ^[0-9]+$ ]] && [ "$n" -ge 16 ] && (( ${f[n-13]} & (1 << $1) )) || continue
		echo "${f[n-10]} ${f[n-9]} ${f[n-8]} ${f[n-7]}"
		return
	done </sys/kernel/debug/dvk/proxies
	echo "0 0 0 0"
}
sleep 3	# quiet: the last scrape before tb sees the state of tb
pair "$peer" >"$SH/before.$me"
[ "$me" = 0 ] && tb=$(date +%s.%N)
barrier before

build/bin/dvkctl add-node 0 "$peer" >/dev/null 2>&1	# a member already: fine either way
if [ "$me" = 0 ]; then
	build/bin/dvkctl rmtbind 0 $SRV 1 rsrv >/dev/null || fail "rmtbind $SRV on node 1"
else
	build/bin/dvkctl rmtbind 0 $CLI 0 rcli >/dev/null || fail "rmtbind $CLI on node 0"
fi
probe_rmt_run metrics $SRV $CLI $K $B "$OUT/load"
if [ "$me" = 0 ]; then
	for ((i = 0; i < F; i++)); do
		build/bin/dvkctl dc-init 0 again 2>>"$OUT/dcinit.err" && fail "dc-init of the running DC 0 succeeded"
	done
fi
barrier loaded
curl -s -o "$OUT/after.prom" -w "# metrics: node $me: a scrape after the load: %{size_download} bytes in %{time_total} s (curl)\n" "$url/metrics" >&2
sleep 1	# the last ACKs
pair "$peer" >"$SH/after.$me"
sleep 3
[ "$me" = 0 ] && ta=$(date +%s.%N)
barrier after

# q EXPR TIME: the values of an instant query, "labels value" a line (node, and le or direction)
q() {
	curl -s --get "$api/query" --data-urlencode "query=$1" --data-urlencode "time=$2" |
		jq -r '.data.result[] | "\(.metric.node // "-")\(if .metric.le then " " + .metric.le else "" end) \(.value[1])"'
}
# d EXPR: the value at ta minus the value at tb, one series (0 when absent)
d() {
	local a b
	a=$(q "$1" "$ta" | awk '{ print $NF; exit }') b=$(q "$1" "$tb" | awk '{ print $NF; exit }')
	awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { printf "%.0f\n", a - b }'
}
if [ "$me" = 0 ] && [ -n "$prom" ]; then
	s0=$(d 'dvk_calls_total{node="0",call="sendrec"}')
	r1=$(d 'dvk_calls_total{node="1",call="receive"}') x1=$(d 'dvk_calls_total{node="1",call="send"}')
	c0=$(d 'dvk_call_duration_seconds_count{node="0",call="sendrec"}')
	[ "$s0" = $K ] && [ "$c0" = $K ] && [ "$r1" = $((K + 1)) ] && [ "$x1" = $K ] &&
		pass "Prometheus: node 0 made $s0 sendrecs (histogram count $c0), node 1 $r1 receives and $x1 sends (want $K, $K, $((K + 1)), $K)" ||
		fail "Prometheus: sendrec +$s0, _count +$c0 on node 0, receive +$r1, send +$x1 on node 1 (want $K, $K, $((K + 1)), $K)"
	ename=$(grep -m1 -o 'EDVS[A-Z0-9]*' "$OUT/dcinit.err")
	e0=$(d "dvk_call_errors_total{node=\"0\",call=\"dc_init\",error=\"${ename:-none}\"}")
	[ -n "$ename" ] && [ "$e0" = $F ] && pass "Prometheus: dc_init errors by name: $ename +$e0" ||
		fail "Prometheus: dc_init errors '${ename:-no name from dvkctl}' +$e0 (want $F): $(head -c 200 "$OUT/dcinit.err")"
	# the window's buckets (cumulative) and Prometheus' median of them
	# (a series absent at tb, no sendrec yet since the exporter started, counts 0)
	h='dvk_call_duration_seconds_bucket{node="0",call="sendrec"}'
	win="$h - (($h @ $tb) or ($h * 0))"
	q "$win" "$ta" | sort -g -k2 >"$OUT/buckets"
	p50=$(q "histogram_quantile(0.5, $win)" "$ta" | awk '{ print $NF }')
	range=$(awk -v k=$K 'BEGIN { lo = 0 } $2 != "+Inf" { if ($3 >= k / 2) { print lo, $2; exit } lo = $2 }' "$OUT/buckets")
	if [ -n "$range" ] && awk -v p="$p50" -v lo="${range% *}" -v hi="${range#* }" 'BEGIN { exit !(p >= lo && p <= hi && p > 0) }'; then
		pass "Prometheus: histogram_quantile(0.5) of the sendrecs is $p50 s, inside its bucket [$range]"
	else
		fail "Prometheus: histogram_quantile(0.5) '$p50' not in the median's bucket [$range]: $(tr '\n' '|' <"$OUT/buckets")"
	fi
	for n in 0 1; do
		read -r mo bo mi bi <"$SH/before.$n"
		read -r mo2 bo2 mi2 bi2 <"$SH/after.$n"
		want="$((bo2 - bo)) $((bi2 - bi))"
		pp=$((1 - n))
		got="$(d "dvk_proxy_pair_bytes_total{node=\"$n\",direction=\"out\"}") $(d "dvk_proxy_pair_bytes_total{node=\"$n\",direction=\"in\"}")"
		bpf="$(d "dvk_proxy_bytes_total{node=\"$n\",peer=\"$pp\",direction=\"out\"}") $(d "dvk_proxy_bytes_total{node=\"$n\",peer=\"$pp\",direction=\"in\"}")"
		[ "$got" = "$want" ] && [ "$bpf" = "$want" ] && [ "${want% *}" -ge $((K * 168 + (1 - n) * B)) ] &&
			pass "Prometheus: node $n's proxy bytes out/in $got (pair) and $bpf (BPF, peer $pp) = debugfs deltas $want" ||
			fail "Prometheus: node $n's proxy bytes out/in $got (pair), $bpf (BPF) vs debugfs deltas $want (msgs $((mo2 - mo))/$((mi2 - mi)))"
	done
	# the cost of a scrape over the window, from the exporters' own metrics
	for n in 0 1; do
		sc=$(d "dvk_exporter_scrapes_total{node=\"$n\"}")
		cpu=$(q "process_cpu_seconds_total{node=\"$n\"} - process_cpu_seconds_total{node=\"$n\"} @ $tb" "$ta" | awk '{ print $NF }')
		dur=$(q "avg_over_time(dvk_exporter_sample_duration_seconds{node=\"$n\"}[30s])" "$ta" | awk '{ print $NF }')
		sd=$(q "avg_over_time(scrape_duration_seconds{instance=\"$(addr $n):$PORT\"}[30s])" "$ta" | awk '{ print $NF }')
		awk -v n="$n" -v sc="$sc" -v cpu="${cpu:-0}" -v dur="${dur:-0}" -v sd="${sd:-0}" 'BEGIN {
			per = sc > 0 ? cpu * 1000 / sc : 0	# (not inside printf: ">" would redirect)
			printf "# metrics: node %d: %d scrapes in the window, exporter CPU %.1f ms a scrape, sample %.1f ms, Prometheus scrape_duration %.1f ms (averages)\n", n, sc, per, dur * 1000, sd * 1000 }' >&2
	done
fi
barrier checked

if [ -n "$prom" ]; then
	kill -TERM $prom
	for ((i = 0; i < 60 * scale; i++)); do kill -0 $prom 2>/dev/null || break; sleep 0.5; done
	if kill -0 $prom 2>/dev/null; then
		fail "Prometheus still runs 30 s after SIGTERM"
		kill -KILL $prom
	fi
	wait $prom
	rm -rf "$tsdb"
fi
kill -TERM $exp
wait $exp
st=$?
[ $st = 0 ] && grep -q 'stopping after [0-9]* scrapes' "$OUT/exporter.err" &&
	pass "dvk-exporter stops on SIGTERM with status 0: $(grep -o 'after [0-9]* scrapes' "$OUT/exporter.err")" ||
	fail "dvk-exporter exit status $st after SIGTERM: $(tail -n 3 "$OUT/exporter.err" | tr '\n' ' ')"
barrier stopped
echo "# metrics: node $me: the test took $((SECONDS - tstart)) s" >&2
exit $failed
