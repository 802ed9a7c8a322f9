#!/usr/bin/env bash
# tests/kernel/install.sh - the guest half of the install test (docs/install.md,
# "The tests"), in the guest suite (group suite, last: the DVS is down).
# Uses what tests/install/host.sh left on the host: the staging root of
# `make install` (build/install-test/root), the smoke programs built against
# it, and the DKMS-built dvk.ko (build/dkms).  Swaps the tree's dvk.ko for
# the DKMS one (dkms install, depmod, modprobe), starts the DVS and DC 0
# with the installed dvkctl, runs the smoke programs (shared: the installed
# libdvk.so.1 through LD_LIBRARY_PATH; static), ends both, and loads the tree's module again (DVK_KO, default
# kernel/dvk.ko) for the rest of the suite.  On another kernel than the one
# DKMS built for (the debug lane) the DKMS part is skipped and the programs
# run on the suite's module.  One PASS/FAIL/SKIP line per check; exit 1 on a FAIL.
set -u
T=build/install-test
root=$PWD/$T/root
KO=${DVK_KO:-kernel/dvk.ko}
dko=build/dkms/tree/dvk/$(cat VERSION)/$(uname -r)/x86_64/module/dvk.ko
dvkctl=$root/usr/bin/dvkctl
failed=0
pass() { echo "PASS install: $*"; }
fail() { echo "FAIL install: $*"; failed=1; }
skip() { echo "SKIP install: $*"; }
OUT=$(mktemp -d)

if [ ! -x "$T/smoke-shared" ] || [ ! -x "$T/smoke-static" ] || [ ! -x "$dvkctl" ]; then
	fail "no staging root or smoke programs in $T: tests/install/host.sh makes them (tests/run runs it before the guest suite)"
	exit 1
fi
# a DVS an earlier test left (rmmod would end it too, not the debug lane's no-swap case)
[ ! -e /proc/dvs/info ] || build/bin/dvkctl end >/dev/null 2>&1

# ---- the DKMS-built module in place of the tree's -------------------------------
# `dkms install` as an operator runs it (into /lib/modules/KVER/updates/dkms,
# then depmod), then `modprobe dvk`.  /lib/modules is the host's, read-only:
# an overlay on a tmpfs takes the writes and is dropped at the end.
swapped=0 mods=/lib/modules/$(uname -r) ov=''
dkms_opts=(--dkmstree "$PWD/build/dkms/tree" --sourcetree "$PWD/build/dkms/src")
if [ -f "$dko" ]; then
	ov=$(mktemp -d)
	mkdir -p "$ov/upper" "$ov/work"
	if rmmod dvk && modprobe overlay &&
		mount -t overlay overlay -o "lowerdir=$mods,upperdir=$ov/upper,workdir=$ov/work" "$mods" &&
		sign_file=/nonexistent/no-signing dkms install "${dkms_opts[@]}" -k "$(uname -r)" "dvk/$(cat VERSION)" >"$OUT/dkms" 2>&1 &&
		[ "$(modinfo -n dvk)" = "$mods/updates/dkms/dvk.ko" ] && modprobe dvk; then
		swapped=1
		want=$(modinfo -F srcversion "$dko")
		if [ -n "$want" ] && [ "$(cat /sys/module/dvk/srcversion)" = "$want" ]; then
			pass "dkms install puts the DKMS build in $mods/updates/dkms (depmod: modinfo -n finds it there), modprobe dvk loads it (srcversion $want)"
		else
			fail "the module loaded is not $dko (srcversion $(cat /sys/module/dvk/srcversion), want $want)"
		fi
		if ! readelf -S "$dko" | grep -q '\.BTF'; then
			fail "$dko has no BTF (module-btf did not run in the DKMS build)"
		elif [ -e /sys/kernel/btf/dvk ]; then
			pass "the DKMS-built module's BTF is in /sys/kernel/btf/dvk"
		else
			fail "the DKMS-built module has .BTF but /sys/kernel/btf/dvk is absent"
		fi
	else
		fail "dkms install + modprobe dvk in place of $KO: modinfo -n '$(modinfo -n dvk 2>&1)'; $(tail -n 3 "$OUT/dkms" 2>/dev/null | tr '\n' ' ')"
	fi
elif [ -n "${DVK_KO:-}" ]; then
	skip "no DKMS build for $(uname -r) (DKMS built for the Debian kernel): the programs run on $KO"
else
	fail "no DKMS-built dvk.ko for $(uname -r) at $dko (tests/install/host.sh builds it)"
fi

# ---- the installed dvkctl and the programs built against the install -------------
if "$dvkctl" init -n 0 >"$OUT/ctl" 2>&1 && "$dvkctl" dc-init 0 DC0 >>"$OUT/ctl" 2>&1; then
	pass "the installed dvkctl starts the DVS (node 0) and DC 0"
else
	fail "the installed dvkctl init / dc-init: $(head -c 300 "$OUT/ctl" | tr '\n' ' ')"
fi
# run NAME ENV...: a smoke program, its check lines named, its libdvk line kept
run() {
	local name=$1 rc
	shift
	env "$@" timeout -k 5 60 "$T/smoke-$name" 0 2 1 >"$OUT/$name" 2>&1
	rc=$?
	sed -n 's/^\(PASS\|FAIL\) /\1 install: '"$name"': /p' "$OUT/$name"
	grep -q '^FAIL' "$OUT/$name" && failed=1
	[ "$rc" = 0 ] || fail "$name: smoke exited $rc: $(tail -n 2 "$OUT/$name" | tr '\n' ' ')"
	libdvk=$(sed -n 's/^libdvk: //p' "$OUT/$name")
}
run shared LD_LIBRARY_PATH="$root/usr/lib"
if [ "$libdvk" = "$root/usr/lib/libdvk.so.1.0.0" ]; then
	pass "shared: /proc/self/maps shows the installed libdvk.so.1.0.0 (through libdvk.so.1)"
else
	fail "shared: mapped '${libdvk:-no libdvk}', want $root/usr/lib/libdvk.so.1.0.0"
fi
run static
if [ "$libdvk" = static ]; then
	pass "static: no libdvk.so mapped (libdvk.a linked in)"
else
	fail "static: mapped '$libdvk'"
fi
# the control: without LD_LIBRARY_PATH the shared one finds no libdvk.so.1
"$T/smoke-shared" 0 2 1 >"$OUT/noldp" 2>&1
rc=$?
if [ "$rc" = 127 ] && grep -q 'libdvk.so.1: cannot open shared object' "$OUT/noldp"; then
	pass "control: without LD_LIBRARY_PATH the shared one does not start (no libdvk.so.1 elsewhere)"
else
	fail "control: the shared one without LD_LIBRARY_PATH: exit $rc $(head -c 200 "$OUT/noldp")"
fi
if "$dvkctl" dc-end 0 >"$OUT/ctl" 2>&1 && "$dvkctl" end >>"$OUT/ctl" 2>&1; then
	pass "the installed dvkctl ends DC 0 and the DVS"
else
	fail "the installed dvkctl dc-end / end: $(head -c 300 "$OUT/ctl" | tr '\n' ' ')"
fi

# ---- the tree's module back for the rest of the suite -----------------------------
if [ -n "$ov" ]; then
	[ ! -d /sys/module/dvk ] || rmmod dvk
	umount "$mods" && rm -rf "$ov"
	if [ "$swapped" = 1 ] && insmod "$KO" && [ -c /dev/dvk ] && ! modinfo -n dvk >/dev/null 2>&1; then
		pass "the DKMS module unloads, the overlay goes (no dvk in $mods), $KO is loaded again"
	elif [ "$swapped" = 1 ]; then
		fail "cannot put $KO back in place of the DKMS module"
	else
		insmod "$KO"
	fi
fi
rm -rf "$OUT"
exit $failed
