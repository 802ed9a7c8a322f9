#!/bin/sh
# bpf/bpftrace/tables.sh - the name tables of the bpftrace tools, made from
# the uapi lists they must equal: call names (DVK_CALL_LIST), error names
# (DVK_ERROR_LIST), proxy command names (dvk_show_cmd of the trace events).
#
#   bpf/bpftrace/tables.sh calls|errors|cmds   print that table (bpftrace syntax)
#   bpf/bpftrace/tables.sh --update            rewrite the tables in bpf/bpftrace/*.bt
#
# A script holds a table between the lines "// tables.sh KIND {" and
# "// }"; tests/unit/bt-tables.sh fails when one differs from what this prints.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
U=$top/kernel/include/uapi

# group: N assignments a line, indented with a tab
# shellcheck disable=SC2046  # one "-" argument of paste per column
group() { tr ';' '\n' | sed -n 's/^ *\(@.*\)/\1;/p' | paste -d' ' $(yes - | head -n "$1") | sed 's/^/\t/; s/ *$//'; }

table() {
	case "$1" in
	calls)
		printf '#include "dvk_abi_calls.h"\n#define C(n, name) @call[n] = #name;\nDVK_CALL_LIST(C)\n' |
			cpp -P -I"$U" - | grep '@call' | group 4 ;;
	errors)
		printf '#include "dvk_abi_errors.h"\n#define E(name, v, t) @errname[v] = #name;\nDVK_ERROR_LIST(E)\n' |
			cpp -P -I"$U" - | grep '@errname' | group 3 ;;
	cmds)
		# the pairs { CMD_X, "name" } of dvk_show_cmd, CMD_X resolved by cpp
		{ printf '#include "dvk_abi_proxy.h"\n'
		  sed -n '/^#define dvk_show_cmd/,/})$/p' "$top/tracepoints/dvk_trace_rmt.h" |
			grep -o '{ CMD_[A-Z_]*, "[a-z_]*" }' |
			sed 's/{ \(CMD_[A-Z_]*\), \("[a-z_]*"\) }/@cmdname[\1] = \2;/'
		} | cpp -P -I"$U" - | grep '@cmdname' |
			sed 's/\[(\([0-9]*\) | (0x2000))\]/[\1 + 0x2000]/; s/\[(\([0-9]*\) | 0x2000)\]/[\1 + 0x2000]/' |
			awk '{ if (match($0, /\[[0-9]+ \+ 0x2000\]/)) { n = substr($0, RSTART + 1, RLENGTH - 2) + 0
				sub(/\[[0-9]+ \+ 0x2000\]/, "[" n + 8192 "]") } print }' | group 3 ;;
	*) echo "tables.sh: unknown table '$1' (calls, errors, cmds)" >&2; exit 2 ;;
	esac
}

# update FILE: replace each table block of FILE by the current one
update() {
	local_tmp=$(mktemp)
	awk -v sh="$0" '
		/^[\t ]*\/\/ tables.sh [a-z]+ \{$/ { print; kind = $3; cmd = sh " " kind; while ((cmd | getline l) > 0) print l
			close(cmd); skip = 1; next }
		skip && /^[\t ]*\/\/ }$/ { skip = 0 }
		!skip { print }' "$1" >"$local_tmp"
	if cmp -s "$1" "$local_tmp"; then rm -f "$local_tmp"; else cat "$local_tmp" >"$1"; rm -f "$local_tmp"; echo "updated $1"; fi
}

case "${1:-}" in
--update) for f in "$top"/bpf/bpftrace/*.bt; do update "$f"; done ;;
calls|errors|cmds) table "$1" ;;
*) echo "usage: bpf/bpftrace/tables.sh calls|errors|cmds|--update" >&2; exit 2 ;;
esac
