#!/usr/bin/env bash
# tests/unit/man-pages.sh - the man pages (man/*.scd, built by `make man` into
# build/man): each renders with no warning (`MANWIDTH=80 man --warnings -l`);
# for each section 1 and 8 page whose tool is built (build/bin, or a script
# tools/*/TOOL), the long options of `TOOL --help` are exactly the *--long*
# options of the page's OPTIONS section; dvkctl's page names every command
# of its --help; every tool's --version and every page's footer carry the
# version of the VERSION file.  Negative controls first: each comparison must fail on a
# page made wrong on purpose.  Host only (tests/run unit); PASS/FAIL lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
failed=0
pass() { echo "PASS man: $*"; }
fail() { echo "FAIL man: $*"; failed=1; }
skip() { echo "SKIP man: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# help_opts TOOL: the long options its --help prints, one a line, sorted
help_opts() {
	"$1" --help 2>&1 | grep -oE -- '(^|[^A-Za-z0-9_/-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | sort -u
}
# page_opts SCD: the *--long* options of its OPTIONS section, sorted
page_opts() {
	awk '/^# / { s = ($0 == "# OPTIONS") } s' "$1" | grep -oE -- '\*--[a-z][a-z0-9-]*' | sed 's/^\*//' | sort -u
}
# same_opts TOOL SCD: empty output if equal, else what differs
same_opts() {
	diff <(help_opts "$1") <(page_opts "$2") | sed -n 's/^< /only in --help: /p; s/^> /only in the page: /p' | tr '\n' ' '
}
# warnings PAGE: what man --warnings says on stderr (groff's warnings)
warnings() { { MANWIDTH=80 man --warnings -l "$1" >/dev/null; } 2>&1; }
# tool_of NAME: the built tool of a page, or nothing
tool_of() {
	local t
	for t in "build/bin/$1" tools/*/"$1"; do
		[ -f "$t" ] && [ -x "$t" ] && { echo "$t"; return; }
	done
}
# dvkctl_cmds: the commands of dvkctl's --help ("commands:" block)
dvkctl_cmds() {
	build/bin/dvkctl --help 2>&1 | awk '/^commands:/ { s = 1; next } s && /^  [a-z]/ { print $1 }' | sort -u
}

# ---- negative controls ------------------------------------------------------
printf '.TH X 1\n.SH NAME\nx \\- y\n.bogusmacro\n' >"$tmp/bad.1"
if [ -n "$(warnings "$tmp/bad.1")" ]; then
	pass "control: a page with an undefined macro gives a warning"
else
	fail "control: man --warnings said nothing about an undefined macro (the check below cannot fail)"
fi
if [ -x build/bin/dvktop ]; then
	grep -v -- '--record-rotate' man/dvktop.1.scd >"$tmp/dvktop.1.scd"
	printf '\n# OPTIONS\n\n*--bogus*\n\tx\n' >>"$tmp/dvktop.1.scd"
	d=$(same_opts build/bin/dvktop "$tmp/dvktop.1.scd")
	if [[ $d == *"only in --help: --record-rotate "* && $d == *"only in the page: --bogus "* ]]; then
		pass "control: a page missing --record-rotate and adding --bogus is caught"
	else
		fail "control: the option comparison missed a wrong page: '$d'"
	fi
fi

# ---- every page renders without warnings ------------------------------------
n=0
for scd in man/*.scd; do
	page=build/man/$(basename "$scd" .scd)
	n=$((n + 1))
	if [ ! -s "$page" ]; then
		fail "$page: not built from $scd (make man)"
		continue
	fi
	w=$(warnings "$page")
	if [ -z "$w" ]; then
		pass "$(basename "$page") renders without warnings (MANWIDTH=80 man --warnings -l)"
	else
		fail "$(basename "$page") renders with warnings: $(head -c 300 <<<"$w" | tr '\n' ' ')"
	fi
done
[ "$n" -ge 8 ] || fail "only $n pages in man/ (want at least the 8 of the tools and libdvk)"

# ---- --help and OPTIONS agree -----------------------------------------------
for scd in man/*.1.scd man/*.8.scd; do
	[ -e "$scd" ] || continue
	name=$(basename "$scd" .scd)
	name=${name%.*}
	tool=$(tool_of "$name")
	if [ -z "$tool" ]; then
		skip "$name: no built tool (build/bin/$name or tools/*/$name), its options are not compared"
		continue
	fi
	k=$(help_opts "$tool" | wc -l)
	d=$(same_opts "$tool" "$scd")
	if [ "$k" -eq 0 ]; then
		fail "$name --help prints no long option"
	elif [ -z "$d" ]; then
		pass "$name: the $k long options of --help are those of the page's OPTIONS"
	else
		fail "$name: --help and $scd differ: $d"
	fi
done

# ---- one version: VERSION's, in every tool and page --------------------------
version=$(cat VERSION)
for scd in man/*.1.scd man/*.8.scd; do
	name=$(basename "$scd" .scd)
	name=${name%.*}
	tool=$(tool_of "$name")
	[ -n "$tool" ] || continue
	v=$("$tool" --version 2>&1 | head -n 1)
	if [ "${v%% *}" = "$name" ] && [[ " $v " == *" $version "* ]]; then
		pass "$name --version says $version (VERSION): '$v'"
	else
		fail "$name --version: '$v' (want '$name $version ...', from VERSION)"
	fi
done
bad=0
for scd in man/*.scd; do
	page=build/man/$(basename "$scd" .scd)
	[ -s "$page" ] || continue
	grep -q "^\.TH .*\"dvk-observe $version\"" "$page" && continue
	fail "$(basename "$page"): its footer does not name dvk-observe $version"; bad=1
done
[ $bad = 1 ] || pass "every page's footer names dvk-observe $version"

# ---- dvkctl's commands ------------------------------------------------------
if [ -x build/bin/dvkctl ]; then
	cmds=$(dvkctl_cmds)
	missing=''
	for c in $cmds; do
		grep -qE "^\*$c( [a-z]+)?\*" man/dvkctl.1.scd || missing="$missing $c"
	done
	if [ "$(wc -w <<<"$cmds")" -lt 10 ]; then
		fail "dvkctl --help: only $(wc -w <<<"$cmds") commands parsed ($cmds)"
	elif [ -z "$missing" ]; then
		pass "dvkctl: its $(wc -w <<<"$cmds") commands of --help each have an entry in dvkctl(1)"
	else
		fail "dvkctl(1) has no entry for:$missing"
	fi
fi
exit $failed
