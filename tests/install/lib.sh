# shellcheck shell=bash
# tests/install/lib.sh - what host.sh and deb.sh share (sourced, from the top
# of the tree): the file list of docs/install.md and how to list a root.

# expected: docs/install.md's list, plus one file per man page, completion,
# doc, SBIN_PROGS entry, unit and example config (the rules written above it)
expected() {
	local f p
	sed -n '/<!-- install-list begin/,/<!-- install-list end/p' docs/install.md | grep -E '^(link|0[0-7]{3}) /'
	for f in man/*.scd; do
		[ -e "$f" ] || continue
		p=$(basename "$f" .scd)
		echo "0644 /usr/share/man/man${p##*.}/$p"
	done
	for f in completions/bash/*; do echo "0644 /usr/share/bash-completion/completions/${f##*/}"; done
	for f in README.md docs/*.md; do echo "0644 /usr/share/doc/dvk-observe/${f##*/}"; done
	for p in $(make -s print-SBIN_PROGS); do echo "0755 /usr/sbin/$p"; done
	for f in systemd/*.in; do
		[ -e "$f" ] || continue
		f=${f##*/}
		echo "0644 /usr/lib/systemd/system/${f%.in}"
	done
	if [ -e etc/dvk.conf ]; then
		echo "0644 /etc/dvk/dvk.conf"
		echo "0644 /usr/share/doc/dvk-observe/examples/dvk.conf"
	fi
}
# installed ROOT: what is there, in the list's format
installed() {
	(cd "$1" && find . \( -type f -o -type l \) -printf '%m %p %l\n') | sed 's| \./| /|' |
		awk '{ if ($3 != "") print "link", $2, "->", $3; else printf "%04d %s\n", $1, $2 }'
}

