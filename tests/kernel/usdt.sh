#!/usr/bin/env bash
# usdt.sh - libdvk's USDT probes (docs/probes.md) seen by bpftrace, in a guest.
#
# Run by guest-suite.sh (group suite of tests.list) as root with dvk.ko loaded
# and no DVS; starts its own DVS and DC 0 and ends them.  Two bpftrace run at
# once (their start-up is the slow part under TCG):
#   count   counts every probe of build/lib/libdvk.so and of the static
#           build/tests/kernel/dvk_burst, with the arguments and results
#   dvklib  bpf/bpftrace/dvklib.bt on build/lib/libdvk.so
# while usdt_calls (linked against libdvk.so) and dvk_burst make known calls;
# each count must be exactly what the programs did.  USDT_KEEP=DIR keeps
# bpftrace's outputs there.  Exit 1 if a check failed.
# shellcheck disable=SC2015  # A && pass || fail on purpose
set -u
B=build
OUT=$(mktemp -d)
N=20			# usdt_calls: getdvsinfo, sendrec, void0 calls each
SRV=11 CLI=12		# its server's and client's endpoints in DC 0
LIB=$B/lib/libdvk.so
BURST=$B/tests/kernel/dvk_burst
secs=$((240 * ${DVK_TIMEOUT_SCALE:-1}))

failed=0
pass() { echo "PASS usdt: $*"; }
fail() { echo "FAIL usdt: $*"; failed=$((failed + 1)); }
skip() { echo "SKIP usdt: $*"; }

if ! command -v bpftrace >/dev/null || ! command -v jq >/dev/null; then
	skip "bpftrace or jq not installed"
	exit 0
fi
if ! readelf -n "$LIB" | grep -q 'Name: sendrec__return'; then
	fail "$LIB has no USDT notes (readelf -n)"
	exit 1
fi

# ---- the two bpftrace, attached before any call ---------------------------------
# Ready when BEGIN prints: bpftrace runs it once every probe is attached
# ("Attaching N probes" comes before the attaching).
cat >"$OUT/count.bt" <<EOF
BEGIN { printf("counting\\n"); }
usdt:$LIB:dvk:getdvsinfo__entry { @ge = count(); @gptr[arg0 != 0] = count(); }
usdt:$LIB:dvk:getdvsinfo__return { @gr[arg0] = count(); }
usdt:$LIB:dvk:sendrec__entry { @se[arg0, arg1, arg2] = count(); }
usdt:$LIB:dvk:sendrec__return { @sr[arg0] = count(); }
usdt:$LIB:dvk:receive__entry { @re[arg0, arg2] = count(); }
usdt:$LIB:dvk:receive__return { @rr[arg0] = count(); }
usdt:$LIB:dvk:send__entry { @xe = count(); }
usdt:$LIB:dvk:send__return { @xr[arg0] = count(); }
usdt:$LIB:dvk:bind__entry { @be[arg0, arg1, arg2, arg3, arg4] = count(); }
usdt:$LIB:dvk:bind__return { @br[arg0] = count(); }
usdt:$LIB:dvk:unbind__entry { @ue[arg0, arg1, arg2] = count(); }
usdt:$LIB:dvk:unbind__return { @ur[arg0] = count(); }
usdt:$LIB:dvk:getdcinfo__entry { @de[arg0, arg1] = count(); }
usdt:$LIB:dvk:getdcinfo__return { @dr[arg0] = count(); }
usdt:$LIB:dvk:ipc__entry { @ie[arg0] = count(); @ia[arg0, arg1, arg2, arg3, arg4, arg5] = count(); }
usdt:$LIB:dvk:ipc__return { @ir[arg0] = count(); }
usdt:$BURST:dvk:getdvsinfo__return { @bg[arg0] = count(); }
usdt:$BURST:dvk:ipc__return { @bi[arg0] = count(); }
EOF
timeout -s INT $secs bpftrace -f json "$OUT/count.bt" >"$OUT/count.json" 2>"$OUT/count.err" &
cpid=$!
timeout -s INT $secs bpftrace -f json bpf/bpftrace/dvklib.bt "$LIB" >"$OUT/lib.json" 2>"$OUT/lib.err" &
lpid=$!
attached() { grep -q '"type": "printf"' "$1"; }
for ((i = 0; i < secs * 10; i++)); do
	attached "$OUT/count.json" && attached "$OUT/lib.json" && break
	kill -0 $cpid 2>/dev/null && kill -0 $lpid 2>/dev/null || break
	sleep 0.1
done
if ! attached "$OUT/count.json" || ! attached "$OUT/lib.json"; then
	fail "bpftrace did not attach: $(head -c 300 "$OUT/count.err") $(head -c 300 "$OUT/lib.err")"
	kill -INT $cpid $lpid 2>/dev/null
	wait
	exit 1
fi

# ---- the known calls ---------------------------------------------------------------
build/bin/dvkctl end >/dev/null 2>&1	# a DVS left by an earlier test, if any
build/bin/dvkctl init -n 0 >/dev/null && build/bin/dvkctl dc-init 0 DC0 >/dev/null
timeout 120 $B/tests/kernel/usdt_calls 0 $SRV $CLI $N >"$OUT/calls.out" 2>&1
crc=$?
timeout 60 $BURST 9 2 0 >"$OUT/burst.out" 2>&1
brc=$?
build/bin/dvkctl dc-end 0 >/dev/null; build/bin/dvkctl end >/dev/null
kill -INT $cpid $lpid
wait $cpid $lpid
[ $crc = 0 ] && [ $brc = 0 ] && pass "usdt_calls and dvk_burst made their calls" ||
	fail "usdt_calls exit $crc, dvk_burst exit $brc: $(tr '\n' ' ' <"$OUT/calls.out")"
val() { sed -n "s/^$1=//p" "$OUT/calls.out"; }

# ---- what bpftrace counted ----------------------------------------------------------
# maps FILE: one JSON object of every map bpftrace printed
maps() { jq -s 'map(select(.type == "map" or .type == "stats") | .data) | add // {}' "$1"; }
maps "$OUT/count.json" >"$OUT/count.maps"
maps "$OUT/lib.json" >"$OUT/lib.maps"
# check NAME JQ-EXPRESSION: PASS if the expression is true on the maps of count.bt
check() {
	if jq -e "$2" "$OUT/count.maps" >/dev/null 2>&1; then pass "$1"; else
		fail "$1: $(jq -c . "$OUT/count.maps" | head -c 1200)"; fi
}
ep=$(val sendrec_m) info=$(val getdvsinfo_ret) dcret=$(val getdcinfo_ret) dcptr=$(val getdcinfo_ptr)
check "libdvk.so: $N getdvsinfo__entry and $N __return probes, result $info" \
	".\"@ge\" == $N and .\"@gptr\" == {\"1\": $N} and .\"@gr\" == {\"$info\": $N}"
check "libdvk.so: $N sendrec__entry (ep $SRV, the message pointer, forever) and __return 0" \
	".\"@se\" == {\"$SRV,$ep,-1\": $N} and .\"@sr\" == {\"0\": $N}"
check "libdvk.so: the server's $N receive(ANY) and $N send, all 0" \
	".\"@re\" == {\"31438,-1\": $N} and .\"@rr\" == {\"0\": $N} and .\"@xe\" == $N and .\"@xr\" == {\"0\": $N}"
check "libdvk.so: 2 bind__entry (SELF_BIND, DC 0, pid -1, ep $SRV / $CLI, LOCALNODE) returning the endpoints" \
	".\"@be\" == {\"0,0,-1,$SRV,-1\": 1, \"0,0,-1,$CLI,-1\": 1} and .\"@br\" == {\"$SRV\": 1, \"$CLI\": 1}"
check "libdvk.so: 2 unbind (DC 0, forever) returning 0" \
	".\"@ue\" == {\"0,$SRV,-1\": 1, \"0,$CLI,-1\": 1} and .\"@ur\" == {\"0\": 2}"
check "libdvk.so: getdcinfo__entry (1000, its pointer) and __return $dcret" \
	".\"@de\" == {\"1000,$dcptr\": 1} and .\"@dr\" == {\"$dcret\": 1}"
# ipc: the raw calls only (the named ones have their own probes); void0's word 0x10000
check "libdvk.so: $N ipc__entry (void0: word 65536, arguments 0) and $N __return -38" \
	".\"@ie\" == {\"65536\": $N} and .\"@ia\" == {\"65536,0,0,0,0,0\": $N} and .\"@ir\" == {\"-38\": $N}"
check "static dvk_burst: 9 getdvsinfo__return 0, 2 ipc__return -38 (void0)" \
	".\"@bg\" == {\"0\": 9} and .\"@bi\" == {\"-38\": 2}"

# ---- dvklib.bt -----------------------------------------------------------------------
# libcheck NAME JQ-EXPRESSION: the same on dvklib.bt's maps
libcheck() {
	if jq -e "$2" "$OUT/lib.maps" >/dev/null 2>&1; then pass "$1"; else
		fail "$1: $(jq -c . "$OUT/lib.maps" | head -c 1200)"; fi
}
libcheck "dvklib.bt counts each call once: $N sendrec/receive/send/getdvsinfo/void0, 2 bind/unbind, 1 getdcinfo" \
	"(.\"@total_ns\" | map_values(.count)) == {\"sendrec,5\": $N, \"receive,3\": $N, \"send,2\": $N,
	  \"getdvsinfo,27\": $N, \"void0,0\": $N, \"bind,9\": 2, \"unbind,10\": 2, \"getdcinfo,14\": 1}"
# shellcheck disable=SC2016  # jq's variables
libcheck "dvklib.bt: total = lib + sys + dvk for every call, no part negative, dvk.ko timed in each" \
	'. as $m | $m."@total_ns" | keys | all(.[]; . as $k |
	  $m."@total_ns"[$k].total == $m."@lib_ns"[$k].total + $m."@sys_ns"[$k].total + $m."@dvk_ns"[$k].total
	  and ([$m."@lib_ns"[$k], $m."@sys_ns"[$k], $m."@dvk_ns"[$k]] | all(.[]; .average < 1e10))
	  and $m."@dvk_ns"[$k].total > 0)'
# shellcheck disable=SC2016
libcheck "dvklib.bt: a sendrec (waiting for its reply) spends longer in dvk.ko than a getdvsinfo" \
	'."@dvk_ns"["sendrec,5"].average > ."@dvk_ns"["getdvsinfo,27"].average'
[ -z "${USDT_KEEP:-}" ] || cp -r "$OUT/." "$USDT_KEEP"
rm -rf "$OUT"
exit $((failed > 0))
