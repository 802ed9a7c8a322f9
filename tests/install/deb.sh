#!/usr/bin/env bash
# tests/install/deb.sh - the Debian packages (debian/, docs/install.md): built
# with dpkg-buildpackage from a copy of the tree (tracked and new files) in
# build/deb/src, so the .debs land in build/deb; dvk-observe holds the files
# of docs/install.md's list (man pages and docs gzipped, as dh_compress does,
# plus Debian's changelog and copyright); its dependencies are installed
# here; installed with dpkg into a root of its own (dpkg --root, nothing of
# the host's package database touched), a tool runs from there, a program
# builds against it, and removing it leaves only the operator's config.
# dvk-dkms: the DKMS source tree and a postinst that hands it to DKMS (not
# installed: its postinst would build for the host's kernels).  Host only
# (tests/run, with tests/install/host.sh); needs debhelper and dh-dkms.
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
obs=$D/dvk-observe_${ver}_amd64.deb
dkms=$D/dvk-dkms_${ver}_all.deb

if [ "$(dpkg-parsechangelog -l debian/changelog -S Version)" = "$ver" ]; then
	pass "debian/changelog's version is VERSION's ($ver)"
else
	fail "debian/changelog says $(dpkg-parsechangelog -l debian/changelog -S Version), VERSION $ver"
fi
rm -rf "$D"
mkdir -p "$D/src"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$D/src"
if (cd "$D/src" && MAKEFLAGS=-j2 timeout 900 dpkg-buildpackage -b -us -uc) >"$D/build.log" 2>&1 &&
	[ -f "$obs" ] && [ -f "$dkms" ]; then
	pass "dpkg-buildpackage -b builds $(basename "$obs") and $(basename "$dkms")"
else
	fail "dpkg-buildpackage: $(tail -n 4 "$D/build.log" | tr '\n' ' ')"
	exit 1
fi

# ---- dvk-observe: its files, its dependencies ---------------------------------
# names only (dh_fixperms sets the modes, dh_compress gzips man pages and docs)
expected | awk '{ print $2 }' | sort >"$D/expected"
dpkg-deb -c "$obs" | awk '$1 !~ /^d/ { print substr($6, 2) }' | sed 's/\.gz$//' |
	grep -vxE '/usr/share/doc/dvk-observe/(changelog|copyright)' | sort >"$D/contents"
d=$(diff "$D/expected" "$D/contents" | sed -n 's/^< /missing: /p; s/^> /unexpected: /p')
if [ -z "$d" ]; then
	pass "dvk-observe holds the $(wc -l <"$D/contents") files of docs/install.md (+ changelog, copyright)"
else
	fail "dvk-observe's files differ from docs/install.md: $(head -n 8 <<<"$d" | tr '\n' ';')"
fi
missing=''
for p in $(dpkg-deb -f "$obs" Depends | tr ',' '\n' | sed 's/(.*//; s/|.*//' | tr -d ' '); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
	pass "dvk-observe's dependencies ($(dpkg-deb -f "$obs" Depends | tr ',' '\n' | wc -l)) are Debian 12 packages installed here"
else
	fail "dvk-observe depends on packages not installed here:$missing"
fi

# ---- installed with dpkg into a root of its own --------------------------------
r=$top/$D/root
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/triggers"
touch "$r/var/lib/dpkg/status" "$r/var/lib/dpkg/available"
# its dependencies are the host's, not in that root's database: --force-depends
dp=(dpkg "--root=$r" --force-depends --force-script-chrootless --log=/dev/null)
if "${dp[@]}" -i "$obs" >"$D/dpkg.log" 2>&1 &&
	[ "$(dpkg "--root=$r" -s dvk-observe 2>/dev/null | sed -n 's/^Status: //p')" = "install ok installed" ]; then
	pass "dpkg -i installs dvk-observe (in $D/root: install ok installed)"
else
	fail "dpkg -i dvk-observe: $(grep -v 'depends on\|not installed\|dependency problems' "$D/dpkg.log" | tail -n 3 | tr '\n' ' ')"
fi
out=$("$r/usr/bin/dvkctl" strerror -310 2>&1)
if [[ $out == *EDVSNOTBIND* ]]; then
	pass "the packaged dvkctl runs: strerror -310 -> $out"
else
	fail "the packaged dvkctl strerror -310: $out"
fi
# shellcheck disable=SC2046  # pkg-config's flags are words
if cc -Wall -Wextra -Werror -o "$D/smoke" tests/install/smoke.c \
	$(PKG_CONFIG_LIBDIR=$r/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$r pkg-config --cflags --libs libdvk) >"$D/cc.log" 2>&1 &&
	LD_LIBRARY_PATH=$r/usr/lib ldd "$D/smoke" | grep -q "libdvk.so.1 => $r/usr/lib/libdvk.so.1 "; then
	pass "a program builds with the packaged libdvk.pc and loads the packaged libdvk.so.1"
else
	fail "building against the package: $(head -c 300 "$D/cc.log")"
fi
"${dp[@]}" -r dvk-observe >>"$D/dpkg.log" 2>&1
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
