#!/usr/bin/env bash
# fuzz.sh - the DVK call fuzzer in a guest (docs/fuzzing.md): loads dvk.ko,
# makes the known findings again (dvk_fuzz --findings), runs
# build/tests/kernel/dvk_fuzz as root, then with its workers as uid 65534,
# then checks that no process is left in state D, that the kernel
# logged nothing bad meanwhile (scripts/klog-check) and that `rmmod dvk`
# works.  Prints check lines (tests/check.h) and "fuzz: N calls in S s".
#
# Run as root from the top of the tree, inside a guest (the guest suite does;
# `make fuzz` boots one for it).  Environment:
#   DVK_KO          the dvk.ko to load (default kernel/dvk.ko)
#   FUZZ_CALLS      calls in all, 3/5 as root and 2/5 as uid 65534 (default 200000,
#                   or no limit when FUZZ_SECONDS is set)
#   FUZZ_SECONDS    a time budget (split the same way; default 0: none)
#   FUZZ_SEED       master seed (default: a new one, printed); the user run takes SEED+1
#   FUZZ_WORKERS    worker processes per run (default 4)
#   FUZZ_DIR        reproducers and outputs (default build/fuzz)
#   DVK_TIMEOUT_SCALE, DVK_KLOG_ALLOW  as for the rest of the suite (a debug kernel)
# Exit status: 0 if every check passed, 1 otherwise.
set -u
KO=${DVK_KO:-kernel/dvk.ko}
F=build/tests/kernel/dvk_fuzz
D=${FUZZ_DIR:-build/fuzz}
secs=${FUZZ_SECONDS:-0}
calls=${FUZZ_CALLS:-$([ "$secs" -gt 0 ] && echo 0 || echo 200000)}
seed=${FUZZ_SEED:-0x$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')}
workers=${FUZZ_WORKERS:-4}
scale=${DVK_TIMEOUT_SCALE:-1}
failed=0

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failed=1; }

mkdir -p "$D"
t0=$SECONDS
klog0=$(dmesg | wc -l)
if ! insmod "$KO"; then
	fail "fuzz: insmod $KO"
	exit 1
fi

# run LABEL SEED CALLS SECONDS [--user]: one fuzzer run, its lines passed on;
# bounded by its budget plus a margin for the watchdog and the final checks.
total=0
run() {
	local label=$1 s=$2 n=$3 t=$4 rc limit out=$D/$1.out
	shift 4
	limit=$(((t > 0 ? t : n / 500 + 60) * scale + 180 * scale))	# >= 500 calls/s
	timeout -k 10 "$limit" "$F" --calls "$n" --seconds "$t" --seed "$s" --workers "$workers" \
		--repro "$D/repro-$label.txt" --klog-pattern "$(scripts/klog-check --pattern)" "$@" \
		>"$out" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL|SKIP|#) ' "$out"
	n=$(sed -nE 's/^dvk_fuzz: ([0-9]+) calls .*/\1/p' "$out")
	total=$((total + ${n:-0}))
	grep '^dvk_fuzz: ' "$out"
	case $rc in
	0|1) ;;
	124|137) fail "fuzz ($label): killed after $limit s (seed $s; see $out)" ;;
	*) fail "fuzz ($label): exit $rc (seed $s): $(tail -n 3 "$out" | tr '\n' ' ')" ;;
	esac
	[ "$rc" = 0 ] || failed=1
}

# What the fuzzers found before, made again (FAIL until the kernel is fixed).
timeout -k 10 $((120 * scale)) "$F" --findings >"$D/findings.out" 2>&1 || failed=1
grep -E '^(PASS|FAIL|SKIP|#) ' "$D/findings.out"

run root "$seed" $((calls * 3 / 5)) $((secs * 3 / 5))
printf -v useed '0x%x' $((seed + 1))
run user "$useed" $((calls - calls * 3 / 5)) $((secs - secs * 3 / 5)) --user

# Nobody in state D once the fuzzers are gone (a few seconds for exits to
# finish).  Builtins only: a fork costs ~0.5 s under TCG.
dstate() {
	local f line s
	for f in /proc/[0-9]*/stat; do
		read -r line <"$f" 2>/dev/null || continue
		s=${line##*) }
		[ "${s:0:1}" = D ] && printf '%s ' "${line%%) *})"
	done
}
for ((i = 0; i < 10 * scale; i++)); do
	d=$(dstate)
	[ -z "$d" ] && break
	sleep 1
done
[ -z "$d" ] && pass "fuzz: no process in state D afterwards" ||
	fail "fuzz: processes in state D afterwards: $d"

# The kernel log since the fuzz began (an earlier test's report is not ours).
dmesg | tail -n +$((klog0 + 1)) >"$D/dmesg"
if scripts/klog-check "$D/dmesg" >"$D/klog-bad" 2>&1; then
	pass "fuzz: kernel log clean during the fuzz"
else
	fail "fuzz: kernel log clean during the fuzz: $(head -n 3 "$D/klog-bad" | tr '\n' ' ')"
fi
if rmmod dvk; then
	pass "fuzz: rmmod dvk after the fuzz"
else
	fail "fuzz: rmmod dvk after the fuzz ($(grep '^dvk ' /proc/modules))"
fi
echo "fuzz: $total calls in $((SECONDS - t0)) s (seed $seed)"
exit "$failed"
