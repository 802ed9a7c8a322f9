#!/usr/bin/env bash
# shellcheck disable=SC2016  # the bash -c scripts expand their own arguments
# tests/unit/service.sh - the node configuration file and the service, on the
# host (no dvk.ko): dvk-proxy --print-config on the example and on bad files
# (each: exit 2, FILE:LINE and the problem), the command line against the
# file, dvk-service check, and systemd-analyze verify on the units with their
# placeholders substituted as `make install` does.  One PASS/FAIL line each.
set -u
cd "$(dirname "$0")/../.." || exit 1
proxy=build/bin/dvk-proxy
svc=tools/dvk-service/dvk-service
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
pass() { echo "PASS service: $*"; }
fail() { echo "FAIL service: $*"; failed=1; }

# expect NAME STATUS PATTERN CMD...: CMD exits STATUS and prints PATTERN (ERE;
# an empty one: nothing at all).
expect() {
	local name=$1 want=$2 pat=$3 rc
	shift 3
	"$@" >"$T/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ] && if [ -n "$pat" ]; then grep -qE -- "$pat" "$T/out"; else [ ! -s "$T/out" ]; fi; then
		pass "$name"
	else
		fail "$name: status $rc (want $want), output: $(head -c 300 "$T/out" | tr '\n' ' ')"
	fi
}

# conf NAME LINES...: a file $T/NAME.conf of those lines, ours, mode 644
conf() {
	local f=$T/$1.conf
	shift
	printf '%s\n' "$@" >"$f"
	chmod 644 "$f"
}

# the example of the tree parses; what --print-config prints parses to itself
install -m 644 etc/dvk.conf "$T/example.conf"
expect "the example etc/dvk.conf parses (node 0, DC0, peer 1)" 0 '^peer 1 = 192\.0\.2\.2$' \
	$proxy --config "$T/example.conf" --print-config
cp "$T/out" "$T/printed.conf"
expect "--print-config's output is a valid file that prints the same" 0 '' \
	bash -c '"$1" --config "$2" --print-config | diff - "$2"' _ $proxy "$T/printed.conf"
conf full 'node = 3' 'name = edge3' 'dc 0 = DC0' 'dc 7 = web' '  peer 1 = 10.0.0.1   # no' \
	'peer 31 = fe80::1' 'port-base = 4000' 'key-file = /etc/dvk/k2' 'encrypt = no' \
	'log-level = debug' 'heartbeat = 1000' 'backoff-max = 500' 'module = /lib/dvk.ko'
sed -i 's/   # no$//' "$T/full.conf"
expect "every setting read (name, two DCs, IPv6 peer, ports, key, encrypt, level, times, module)" 0 \
	'^node = 3.name = edge3.dc 0 = DC0.dc 7 = web.peer 1 = 10\.0\.0\.1.peer 31 = fe80::1.port-base = 4000.key-file = /etc/dvk/k2.encrypt = no.log-level = debug.heartbeat = 1000.backoff-max = 500.module = /lib/dvk\.ko.$' \
	bash -c '"$1" --config "$2" --print-config | tr "\n" .' _ $proxy "$T/full.conf"

# bad files: exit 2, the file and line, the problem
bad() {
	local name=$1 pat=$2
	shift 2
	conf bad "$@"
	expect "bad file: $name -> exit 2 naming FILE:LINE" 2 "^dvk-proxy: $T/bad\\.conf:$pat" \
		$proxy --config "$T/bad.conf" --print-config
}
bad "unknown key" "2: unknown setting 'colour'" 'node = 0' 'colour = blue'
bad "bad number" "1: node: 'zero' is not a number in 0\\.\\.31" 'node = zero'
bad "number with trailing junk" "2: port-base: '3000x'" 'node = 0' 'port-base = 3000x'
bad "duplicate peer" "4: a second 'peer 1' \\(the first is line 2\\)" 'node = 0' 'peer 1 = a' '# c' 'peer 1 = b'
bad "duplicate setting" "3: a second 'log-level' \\(the first is line 2\\)" 'node = 0' 'log-level = info' 'log-level = debug'
bad "peer id out of range" "2: peer: '32' is not a number in 0\\.\\.31" 'node = 0' 'peer 32 = h'
bad "peer is this node" "3: peer 2 is this node" '# x' 'dc 0 = DC0' 'peer 2 = h' 'node = 2'
bad "peer host with shell syntax" "2: peer 1: 'a;b' is not a host" 'node = 0' 'peer 1 = a;b'
bad "peer without id" "2: 'peer ID = HOST' needs an id" 'node = 0' 'peer = h'
bad "bad log level" "2: log-level is error, warning, notice, info or debug, not 'loud'" 'node = 0' 'log-level = loud'
bad "bad encrypt" "2: encrypt is 'yes' or 'no', not 'maybe'" 'node = 0' 'encrypt = maybe'
bad "relative key-file" "2: key-file: 'k' is not an absolute path" 'node = 0' 'key-file = k'
bad "DC name too long" "2: dc 0: name 'a-name-too-long-for-dvk'" 'node = 0' 'dc 0 = a-name-too-long-for-dvk'
bad "not name = value" "2: not 'name = value'" 'node = 0' 'peer 1 host'
bad "empty value" "2: 'module' has no value" 'node = 0' 'module ='
conf bad '# only a comment' 'peer 1 = h'
expect "bad file: missing node -> exit 2 naming the file" 2 "^dvk-proxy: $T/bad\\.conf: no 'node = ID' line" \
	$proxy --config "$T/bad.conf" --print-config
conf bad 'node = 0'
chmod 666 "$T/bad.conf"
expect "bad file: world-writable -> exit 2" 2 "^dvk-proxy: $T/bad\\.conf: must be owned by root and writable by it alone \\(owner [0-9]+, mode 0666\\)" \
	$proxy --config "$T/bad.conf" --print-config
chmod 620 "$T/bad.conf"
expect "bad file: group-writable -> exit 2" 2 "mode 0620" $proxy --config "$T/bad.conf" --print-config
expect "a missing --config FILE -> exit 2" 2 "^dvk-proxy: $T/none\\.conf: No such file" \
	$proxy --config "$T/none.conf" --print-config

# the command line and the file (these fail later, at /dev/dvk: no module on the host)
expect "--node without --peer takes the file's peer (then needs dvk.ko: exit 1)" 1 'cannot open /dev/dvk' \
	$proxy --config "$T/example.conf" --node 1
expect "--node of no peer in the file and no --peer -> exit 2" 2 "no address for node 5: --peer HOST, or 'peer 5 = HOST' in $T/example\\.conf" \
	$proxy --config "$T/example.conf" --node 5
expect "--peer given: the file need not name the node" 1 'cannot open /dev/dvk' \
	$proxy --config "$T/example.conf" --node 5 --peer 192.0.2.9
expect "--log-level rejects a bad level (exit 2)" 2 "--log-level: 'loud' is not error" \
	$proxy --config "$T/example.conf" --node 1 --log-level loud
expect "--log-format journal: the fatal error has the <3> prefix" 1 '^<3>dvk-proxy: cannot open /dev/dvk' \
	$proxy --config "$T/example.conf" --node 1 --log-format journal
expect "JOURNAL_STREAM = stderr's dev:ino: the fatal error has the <3> prefix" 1 '^<3>dvk-proxy: cannot open /dev/dvk' \
	bash -c 'exec 2>"$3"; JOURNAL_STREAM=$(stat -c %d:%i "$3") "$1" --config "$2" --node 1; s=$?; cat "$3" >&1; exit $s' \
	_ $proxy "$T/example.conf" "$T/stderr"

# dvk-service: check names the line; usage errors
expect "dvk-service check: a bad file -> exit 2 naming FILE:LINE" 2 "^dvk-service: $T/bad2\\.conf:3: unknown setting 'prt-base'" \
	bash -c 'printf "node = 1\npeer 0 = h\nprt-base = 1\n" >"$1"; chmod 600 "$1"; "$2" --config "$1" check' _ "$T/bad2.conf" $svc
sed 's|^#key-file = .*|key-file = '"$T"'/key|' etc/dvk.conf >"$T/key.conf"
chmod 644 "$T/key.conf"
expect "dvk-service check: a good file whose key is missing -> exit 1 naming the key file" 1 "key-file $T/key: cannot read it" \
	$svc -c "$T/key.conf" check
: >"$T/key"
expect "dvk-service check: a good file with its key -> exit 0, its settings printed" 0 "^key-file = $T/key$" \
	$svc -c "$T/key.conf" check
expect "dvk-service with stderr the journal's stream (JOURNAL_STREAM): <3> on the error" 2 "^<3>dvk-service: $T/bad2\\.conf:3: unknown setting" \
	bash -c 'exec 2>"$3"; JOURNAL_STREAM=$(stat -c %d:%i "$3") "$1" --config "$2" check; s=$?; cat "$3"; exit $s' _ $svc "$T/bad2.conf" "$T/stderr2"
expect "dvk-service with JOURNAL_STREAM naming another stream: no prefix" 2 "^dvk-service: $T/bad2\\.conf:3: unknown setting" \
	env JOURNAL_STREAM=1:1 $svc --config "$T/bad2.conf" check
expect "dvk-service without a command -> exit 2 with the usage" 2 '^usage: dvk-service' $svc
expect "dvk-service rejects an unknown command (exit 2)" 2 "unknown argument 'start'" $svc start
expect "dvk-service --help prints the usage" 0 '^usage: dvk-service' $svc --help

# the units as make install writes them: placeholders substituted, verified
mkdir -p "$T/sbin" "$T/etc/dvk" "$T/units"
ln -s "$PWD/$proxy" "$T/sbin/dvk-proxy"
ln -s "$PWD/$svc" "$T/sbin/dvk-service"
for f in systemd/*.service.in; do
	sed -e "s|@SBINDIR@|$T/sbin|g" -e "s|@BINDIR@|$T/bin|g" -e "s|@SYSCONFDIR@|$T/etc|g" \
		-e "s|@LIBEXECDIR@|$T/libexec|g" "$f" >"$T/units/$(basename "$f" .in)"
done
cp "$T/units/dvk-proxy@.service" "$T/units/dvk-proxy@1.service"
if ! command -v systemd-analyze >/dev/null; then
	echo "SKIP service: systemd-analyze verify: systemd-analyze is not installed (package systemd)"
else
	expect "systemd-analyze verify: dvk.service and dvk-proxy@1.service as installed, no complaint" 0 '' \
		bash -c 'cd "$1" && systemd-analyze verify --man=no ./dvk.service ./dvk-proxy@1.service 2>&1 | grep -v "^Failed to read \$container\|^$"; exit ${PIPESTATUS[0]}' _ "$T/units"
	cp systemd/dvk.service.in "$T/units/raw.service"
	expect "systemd-analyze verify fails a unit left with its placeholders (the check can fail)" 1 'SBINDIR@' \
		systemd-analyze verify --man=no "$T/units/raw.service"
	u=$T/units/dvk-proxy@.service
	if grep -q "^ExecStart=$T/sbin/dvk-proxy --config $T/etc/dvk/dvk.conf --node %i " "$u" &&
		grep -q '^BindsTo=dvk.service' "$u" && grep -q '^Restart=on-failure' "$u"; then
		pass "dvk-proxy@.service runs dvk-proxy --config .../dvk.conf --node %i, bound to dvk.service, restarted on failure"
	else
		fail "dvk-proxy@.service: its ExecStart, BindsTo or Restart line is not as documented"
	fi
fi
exit $failed
