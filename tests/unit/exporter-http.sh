#!/usr/bin/env bash
# tests/unit/exporter-http.sh - dvk-exporter's HTTP side on the host, with no
# dvk.ko: --replay serves dvktop's replay fixture (one sample a scrape, then
# the last one again).  Checks the counters advance with the samples and
# stop at the last, promtool on a scrape over HTTP, the OpenMetrics
# negotiation, hostile requests (POST 405, a GET with a body 400, an unknown
# path 404, HEAD 200, a 40 KB header 431, a silent connection that does not
# block others) and a clean stop on SIGTERM.  PASS/FAIL lines (tests/run unit).
set -u
cd "$(dirname "$0")/../.." || exit 2
failed=0
pass() { echo "PASS exporter-http: $*"; }
fail() { echo "FAIL exporter-http: $*"; failed=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -z "${pid:-}" ] || kill "$pid" 2>/dev/null' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
build/bin/dvk-exporter --listen 127.0.0.1:"$port" --replay tests/unit/fixtures/dvktop-replay.jsonl 2>"$tmp/err" &
pid=$!
for ((i = 0; i < 50; i++)); do curl -sf -o /dev/null "$url/" && break; sleep 0.1; done
sendrec() { curl -s "$url/metrics" | sed -n 's/^dvk_calls_total{node="0",call="sendrec"} //p'; }
counts=$(for i in 1 2 3 4 5 6 7; do sendrec; done | tr '\n' ' ')
[ "$counts" = "8 188 331 491 647 647 647 " ] &&
	pass "one replayed sample a scrape, then the last again: sendrec $counts" ||
	fail "sendrec counts over 7 scrapes '$counts' (want 8 188 331 491 647 647 647)"
if curl -s "$url/metrics" | promtool check metrics >"$tmp/promtool" 2>&1; then
	pass "promtool check metrics passes on a scrape over HTTP"
else
	fail "promtool check metrics: $(head -c 300 "$tmp/promtool" | tr '\n' ' ')"
fi
ct=$(curl -s -o "$tmp/om" -w '%{content_type}' -H 'Accept: application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5' "$url/metrics")
[ "$ct" = "application/openmetrics-text; version=1.0.0; charset=utf-8" ] && [ "$(tail -n 1 "$tmp/om")" = "# EOF" ] &&
	/usr/bin/python3 tests/unit/openmetrics-check.py <"$tmp/om" >/dev/null &&
	pass "Accept: openmetrics gets OpenMetrics ($ct), which parses" ||
	fail "OpenMetrics: content type '$ct', last line '$(tail -n 1 "$tmp/om")'"
ct=$(curl -s -o /dev/null -w '%{content_type}' "$url/metrics")
[ "$ct" = "text/plain; version=0.0.4; charset=utf-8" ] && pass "no Accept gets the Prometheus text format" ||
	fail "no Accept: content type '$ct'"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
got="$(code -X POST -d x=1 "$url/metrics") $(code -X GET -d x=1 "$url/metrics") $(code "$url/nope") $(code -I "$url/metrics")"
got+=" $(curl -s "$url/" | grep -c 'href="/metrics"')"
[ "$got" = "405 400 404 200 1" ] && pass "POST 405, GET with a body 400, unknown path 404, HEAD 200, / links /metrics" ||
	fail "POST, GET with a body, unknown path, HEAD, index: '$got' (want '405 400 404 200 1')"
# shellcheck disable=SC2016  # python, not shell
got=$(python3 -c '
import socket, sys, urllib.request
port = int(sys.argv[1])
silent = socket.create_connection(("127.0.0.1", port))  # sends nothing: must not block the next
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
first = s.recv(100).split(b"\r\n")[0].decode()
print(first.split(" ")[1], urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=5).status)' "$port" 2>&1)
[ "$got" = "431 200" ] && pass "a 40 KB header gets 431; a silent connection does not block another request" ||
	fail "big header / silent connection: '$got' (want '431 200')"
kill -TERM "$pid"
wait "$pid"
st=$?
pid=''
[ "$st" = 0 ] && grep -q 'stopping after [0-9]* scrapes' "$tmp/err" && pass "SIGTERM: exit status 0, $(grep -o 'after [0-9]* scrapes' "$tmp/err")" ||
	fail "SIGTERM: exit status $st: $(tr '\n' ' ' <"$tmp/err")"
# the unit as make install writes it (placeholders substituted): systemd-analyze verify
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$tmp/sbin"
	ln -s "$PWD/build/bin/dvk-exporter" "$tmp/sbin/dvk-exporter"
	sed "s|@SBINDIR@|$tmp/sbin|g" systemd/dvk-exporter.service.in >"$tmp/dvk-exporter.service"
	out=$(cd "$tmp" && systemd-analyze verify --man=no ./dvk-exporter.service 2>&1 | grep -v '^Failed to read \$container\|^$')
	[ -z "$out" ] && ! grep -q '@[A-Z]*@' "$tmp/dvk-exporter.service" &&
		pass "systemd-analyze verify: dvk-exporter.service as installed, no complaint" ||
		fail "systemd-analyze verify dvk-exporter.service: $out"
else
	echo "SKIP exporter-http: systemd-analyze is not installed (package systemd)"
fi
exit $failed
