#!/usr/bin/env bash
# tests/install/host.sh - the host half of the install test (docs/install.md,
# "The tests"): `make install DESTDIR=... PREFIX=/usr` into a staging root
# under build/install-test, compared file by file with docs/install.md's
# list; libdvk.pc; the installed dvk-capture; tests/install/smoke.c built
# against the staging root only (shared and --static, through pkg-config);
# `make uninstall`; the DKMS build of dvk.ko for the guest kernel (make
# dkms-build, trees under build/dkms).  Leaves what tests/kernel/install.sh
# runs in the guest.  Run by tests/run before the guest suite; needs `make`.
# One PASS/FAIL line per check.
set -u
cd "$(dirname "$0")/../.." || exit 2
top=$PWD
T=build/install-test
root=$top/$T/root
failed=0
pass() { echo "PASS install: $*"; }
fail() { echo "FAIL install: $*"; failed=1; }
rm -rf "$T"
mkdir -p "$T"

# shellcheck source=tests/install/lib.sh
. tests/install/lib.sh	# expected, installed

# ---- make install ------------------------------------------------------------
if make -s install DESTDIR="$root" PREFIX=/usr >"$T/install.log" 2>&1; then
	pass "make install DESTDIR=$T/root PREFIX=/usr"
else
	fail "make install DESTDIR=$T/root PREFIX=/usr: $(tail -n 3 "$T/install.log" | tr '\n' ' ')"
fi
expected | sort -k2 >"$T/expected"
installed "$root" | sort -k2 >"$T/installed"
n=$(wc -l <"$T/expected")
d=$(diff "$T/expected" "$T/installed" | sed -n 's/^< /missing or other mode: /p; s/^> /unexpected: /p')
if [ "$n" -lt 60 ]; then
	fail "the expected list has only $n files (docs/install.md's list not found?)"
elif [ -z "$d" ]; then
	pass "the $n installed files are those of docs/install.md, each with its mode or link target"
else
	fail "installed files differ from docs/install.md: $(head -n 8 <<<"$d" | tr '\n' ';')"
fi
# the control: a list without libdvk.so.1 must show it as unexpected
if sed '\|^link /usr/lib/libdvk.so.1 |d' "$T/expected" | diff - "$T/installed" | grep -q '^> link /usr/lib/libdvk.so.1 '; then
	pass "control: a list missing libdvk.so.1 is caught"
else
	fail "control: the comparison did not catch a list missing libdvk.so.1"
fi

# ---- libdvk.pc and the programs built against the staging root ------------------
export PKG_CONFIG_LIBDIR=$root/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
v=$(pkg-config --modversion libdvk 2>&1)
cf=$(pkg-config --cflags libdvk 2>&1 | sed 's/ *$//')
ls=$(pkg-config --libs --static libdvk 2>&1 | sed 's/ *$//')
if [ "$v" = "$(cat VERSION)" ] && [ "$cf" = "-I$root/usr/include/dvk" ] &&
	[[ " $ls " == *" -L$root/usr/lib -ldvk -lpthread "* ]]; then
	pass "libdvk.pc: version $v, cflags -I.../usr/include/dvk, static libs '-L.../usr/lib -ldvk -lpthread'"
else
	fail "libdvk.pc: version '$v', cflags '$cf', static libs '$ls'"
fi
W=(-O2 -Wall -Wextra -Werror -std=gnu11)
# shellcheck disable=SC2046  # pkg-config's flags are words
if cc "${W[@]}" -o "$T/smoke-shared" tests/install/smoke.c $(pkg-config --cflags --libs libdvk) >"$T/cc.log" 2>&1 &&
	readelf -d "$T/smoke-shared" | grep -q 'NEEDED.*\[libdvk\.so\.1\]'; then
	pass "smoke.c builds with pkg-config --cflags --libs libdvk against the staging root (NEEDED libdvk.so.1)"
else
	fail "smoke.c, shared: $(head -c 400 "$T/cc.log" | tr '\n' ' ')"
fi
# shellcheck disable=SC2046
if cc "${W[@]}" -static -o "$T/smoke-static" tests/install/smoke.c $(pkg-config --cflags --libs --static libdvk) >"$T/cc.log" 2>&1 &&
	! readelf -d "$T/smoke-static" 2>/dev/null | grep -q NEEDED; then
	pass "smoke.c builds -static with pkg-config --static libdvk (no shared library needed)"
else
	fail "smoke.c, static: $(head -c 400 "$T/cc.log" | tr '\n' ' ')"
fi
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR

# ---- the installed tools find their parts --------------------------------------
out=$(env -i PATH=/usr/bin:/bin "$root/usr/bin/dvk-capture" --flight -t error=EDVSNOPE 2>&1)
rc=$?
if [ "$rc" = 2 ] && grep -q "no DVK error code named 'EDVSNOPE'" <<<"$out"; then
	pass "the installed dvk-capture (a link into libexec/dvk) finds its parts and its helper"
else
	fail "the installed dvk-capture: status $rc: $(head -c 300 <<<"$out")"
fi
# the scripts, away from the tree's VERSION file, carry the number install wrote
ver=$(cat VERSION)
v1=$("$root/usr/bin/dvk-capture" --version 2>&1) v2=$("$root/usr/sbin/dvk-service" --version 2>&1)
if [ "$v1" = "dvk-capture $ver (dvk-capture/1)" ] && [ "$v2" = "dvk-service $ver" ]; then
	pass "the installed dvk-capture and dvk-service say version $ver"
else
	fail "the installed scripts' versions: '$v1', '$v2' (want $ver)"
fi
if [ "$(MANPATH=$root/usr/share/man man -w dvkctl 2>&1)" = "$root/usr/share/man/man1/dvkctl.1" ]; then
	pass "man finds the installed dvkctl(1) in the staging root's MANPATH"
else
	fail "man -w dvkctl in $root/usr/share/man: $(MANPATH=$root/usr/share/man man -w dvkctl 2>&1)"
fi

# ---- make uninstall: only the operator's config stays ---------------------------
r2=$top/$T/root2
make -s install DESTDIR="$r2" PREFIX=/usr >"$T/install2.log" 2>&1
make -s uninstall DESTDIR="$r2" PREFIX=/usr >>"$T/install2.log" 2>&1
left=$(installed "$r2" | awk '{ print $2 }' | tr '\n' ' ')
want=''
[ ! -e etc/dvk.conf ] || want='/etc/dvk/dvk.conf '
if [ "$left" = "$want" ]; then
	pass "make uninstall removes every installed file${want:+ but $want}"
else
	fail "make uninstall left: ${left:-nothing} (want: ${want:-nothing})"
fi
rm -rf "$r2"

# ---- DKMS: dkms add + build for the guest kernel ----------------------------
kver=$(make -s print-KVER)
ko=build/dkms/tree/dvk/$ver/$kver/x86_64/module/dvk.ko
if timeout 900 make -s dkms-build >"$T/dkms.log" 2>&1 && [ -f "$ko" ] &&
	[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ]; then
	pass "dkms add + build dvk/$ver for $kver (trees under build/dkms): $ko"
	if readelf -S "$ko" | grep -q '\.BTF'; then
		pass "the DKMS-built dvk.ko has BTF (module-btf ran in dkms.conf's MAKE)"
	else
		fail "the DKMS-built dvk.ko has no .BTF section: $(grep -m1 module-btf "$T/dkms.log")"
	fi
else
	fail "dkms build dvk/$ver for $kver: $(tail -n 5 "$T/dkms.log" | tr '\n' ' ')"
fi
exit $failed
