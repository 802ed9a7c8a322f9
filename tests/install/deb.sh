#!/usr/bin/env bash
# tests/install/deb.sh - the Debian packages (debian/, docs/install.md): built
# with dpkg-buildpackage from a copy of the tree (tracked and new files) in
# build/deb/src, so the .debs land in build/deb; lintian finds no error and
# no warning in them; together dvk-observe, libdvk1 and libdvk-dev hold the
# files of docs/install.md's list (the library's in the multiarch directory;
# man pages and docs gzipped, as dh_compress does, plus each package's
# changelog and copyright), libdvk1 the shared library only; their
# dependencies are installed here; installed with dpkg into a root of its own
# (dpkg --root, nothing of the host's package database touched), a tool runs
# from there, a program builds against them, and removing them leaves only
# the operator's config.  dvk-dkms: the DKMS source tree and a postinst that
# hands it to DKMS (not installed: its postinst would build for the host's
# kernels).  Host only (tests/run, with tests/install/host.sh); needs
# debhelper, dh-dkms and lintian.
set -u
cd "$(dirname "$0")/../.." || exit 2
top=$PWD
D=build/deb
failed=0
pass() { echo "PASS deb: $*"; }
fail() { echo "FAIL deb: $*"; failed=1; }
# shellcheck source=tests/install/lib.sh
. tests/install/lib.sh	# expected, installed
ver=$(cat VERSION)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
obs=$D/dvk-observe_${ver}_amd64.deb
lib1=$D/libdvk1_${ver}_amd64.deb
dev=$D/libdvk-dev_${ver}_amd64.deb
dkms=$D/dvk-dkms_${ver}_all.deb
user_debs=("$obs" "$lib1" "$dev")

if [ "$(dpkg-parsechangelog -l debian/changelog -S Version)" = "$ver" ]; then
	pass "debian/changelog's version is VERSION's ($ver)"
else
	fail "debian/changelog says $(dpkg-parsechangelog -l debian/changelog -S Version), VERSION $ver"
fi
rm -rf "$D"
mkdir -p "$D/src"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$D/src"
if (cd "$D/src" && MAKEFLAGS=-j2 timeout 900 dpkg-buildpackage -b -us -uc) >"$D/build.log" 2>&1 &&
	[ -f "$obs" ] && [ -f "$lib1" ] && [ -f "$dev" ] && [ -f "$dkms" ]; then
	pass "dpkg-buildpackage -b builds $(basename "$obs"), $(basename "$lib1"), $(basename "$dev") and $(basename "$dkms")"
else
	fail "dpkg-buildpackage: $(tail -n 4 "$D/build.log" | tr '\n' ' ')"
	exit 1
fi

# ---- lintian: no error, no warning (overrides in debian/*.lintian-overrides) ----
changes=$(ls "$D"/dvk-observe_"$ver"_*.changes)
lintian --fail-on error,warning --display-info "$changes" >"$D/lintian.log" 2>&1
rc=$?
tags=$(grep -c '^[EWI]: ' "$D/lintian.log")
if [ "$rc" = 0 ] && ! grep -q '^[EW]: ' "$D/lintian.log"; then
	pass "lintian: no error or warning in the 4 packages ($tags notes at info level, in $D/lintian.log)"
else
	fail "lintian (status $rc): $(grep '^[EW]: ' "$D/lintian.log" | head -n 6 | tr '\n' ';')"
fi
# control: without the override, the same run fails on its warning
if ! lintian --fail-on error,warning --no-override "$obs" >"$D/lintian-control.log" 2>&1 &&
	grep -q '^W: dvk-observe: unusual-interpreter bpftrace' "$D/lintian-control.log"; then
	pass "control: lintian --no-override fails on the overridden warning (the check can fail)"
else
	fail "control: lintian --no-override did not fail on unusual-interpreter (see $D/lintian-control.log)"
fi

# ---- the user-space packages: their files, their dependencies -------------------
# names only (dh_fixperms sets the modes, dh_compress gzips man pages and docs);
# the library's files are in /usr/lib/MULTIARCH in the packages
expected | awk '{ print $2 }' | sed -E "s#^/usr/lib/(libdvk|pkgconfig/)#/usr/lib/$ma/\\1#" | sort >"$D/expected"
for p in "${user_debs[@]}"; do dpkg-deb -c "$p"; done | awk '$1 !~ /^d/ { print substr($6, 2) }' |
	sed 's/\.gz$//' | grep -vxE '/usr/share/doc/(dvk-observe|libdvk1|libdvk-dev)/(changelog|copyright)|/usr/share/lintian/overrides/dvk-observe' |
	sort >"$D/contents"
d=$(diff "$D/expected" "$D/contents" | sed -n 's/^< /missing: /p; s/^> /unexpected: /p')
if [ -z "$d" ]; then
	pass "dvk-observe, libdvk1 and libdvk-dev hold the $(wc -l <"$D/contents") files of docs/install.md (+ changelogs, copyrights, lintian override)"
else
	fail "the packages' files differ from docs/install.md: $(head -n 8 <<<"$d" | tr '\n' ';')"
fi
l1=$(dpkg-deb -c "$lib1" | awk '$1 !~ /^d/ { print substr($6, 2) }' | grep -v '^/usr/share/doc/libdvk1/' | tr '\n' ' ')
if [ "$l1" = "/usr/lib/$ma/libdvk.so.1 /usr/lib/$ma/libdvk.so.1.0.0 " ] ||
	[ "$l1" = "/usr/lib/$ma/libdvk.so.1.0.0 /usr/lib/$ma/libdvk.so.1 " ]; then
	pass "libdvk1 holds the shared library and its soname link only ($(dpkg-deb -f "$lib1" Multi-Arch), symbols file: $(dpkg-deb -I "$lib1" symbols | grep -c '@Base') symbols)"
else
	fail "libdvk1 holds: $l1"
fi
missing=''
for p in $(for p in "${user_debs[@]}"; do dpkg-deb -f "$p" Depends Pre-Depends; done |
	tr ',\n' '\n\n' | sed 's/(.*//; s/|.*//; s/^[A-Za-z-]*: //' | tr -d ' ' | sort -u); do
	case $p in ''|libdvk1) continue ;; esac	# empty, or one of ours
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
	pass "the packages' dependencies ($(dpkg-deb -f "$obs" Depends)) are Debian 12 packages installed here"
else
	fail "the packages depend on packages not installed here:$missing"
fi

# ---- installed with dpkg into a root of its own --------------------------------
r=$top/$D/root
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/triggers"
touch "$r/var/lib/dpkg/status" "$r/var/lib/dpkg/available"
# their dependencies are the host's, not in that root's database: --force-depends
dp=(dpkg "--root=$r" --force-depends --force-script-chrootless --log=/dev/null)
ok=1
if "${dp[@]}" -i "${user_debs[@]}" >"$D/dpkg.log" 2>&1; then
	for p in dvk-observe libdvk1 libdvk-dev; do
		[ "$(dpkg "--root=$r" -s "$p" 2>/dev/null | sed -n 's/^Status: //p')" = "install ok installed" ] || ok=0
	done
else
	ok=0
fi
if [ $ok = 1 ]; then
	pass "dpkg -i installs dvk-observe, libdvk1 and libdvk-dev (in $D/root: install ok installed)"
else
	fail "dpkg -i: $(grep -v 'depends on\|not installed\|dependency problems' "$D/dpkg.log" | tail -n 3 | tr '\n' ' ')"
fi
out=$("$r/usr/bin/dvkctl" strerror -310 2>&1)
if [[ $out == *EDVSNOTBIND* ]]; then
	pass "the packaged dvkctl runs: strerror -310 -> $out"
else
	fail "the packaged dvkctl strerror -310: $out"
fi
# shellcheck disable=SC2046  # pkg-config's flags are words
if cc -Wall -Wextra -Werror -o "$D/smoke" tests/install/smoke.c \
	$(PKG_CONFIG_LIBDIR=$r/usr/lib/$ma/pkgconfig PKG_CONFIG_SYSROOT_DIR=$r pkg-config --cflags --libs libdvk) >"$D/cc.log" 2>&1 &&
	LD_LIBRARY_PATH=$r/usr/lib/$ma ldd "$D/smoke" | grep -q "libdvk.so.1 => $r/usr/lib/$ma/libdvk.so.1 "; then
	pass "a program builds with libdvk-dev's libdvk.pc and loads libdvk1's libdvk.so.1"
else
	fail "building against the packages: $(head -c 300 "$D/cc.log")"
fi
"${dp[@]}" -r dvk-observe libdvk-dev libdvk1 >>"$D/dpkg.log" 2>&1
left=$(cd "$r" && find . \( -type f -o -type l \) ! -path './var/lib/dpkg/*' | sed 's/^\.//' | tr '\n' ' ')
want=''
[ ! -e etc/dvk.conf ] || want='/etc/dvk/dvk.conf '
if [ "$left" = "$want" ]; then
	pass "dpkg -r removes every file${want:+ but the conffile $want}"
else
	fail "dpkg -r left: ${left:-nothing} (want: ${want:-nothing})"
fi
# ---- dvk-dkms -----------------------------------------------------------------
dpkg-deb -x "$dkms" "$D/dkms" && dpkg-deb -e "$dkms" "$D/dkms-ctl"
s=$D/dkms/usr/src/dvk-$ver
if [ -f "$s/kernel/Makefile" ] && [ -f "$s/tracepoints/dvk_trace.h" ] && [ -x "$s/module-btf" ] &&
	grep -qx "PACKAGE_VERSION=\"$ver\"" "$s/dkms.conf" &&
	grep -q "^DKMS_NAME=dvk$" "$D/dkms-ctl/postinst" && grep -q "^DKMS_VERSION=$ver$" "$D/dkms-ctl/postinst" &&
	[[ $(dpkg-deb -f "$dkms" Depends) == *dkms* ]]; then
	pass "dvk-dkms: /usr/src/dvk-$ver (dkms.conf of version $ver, kernel/, tracepoints/, module-btf), its postinst adds it to DKMS, depends on dkms"
else
	fail "dvk-dkms: source tree, dkms.conf or postinst not as expected (see $D/dkms)"
fi
exit $failed
