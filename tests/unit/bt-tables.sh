#!/usr/bin/env bash
# tests/unit/bt-tables.sh - the name tables of bpf/bpftrace/*.bt equal the
# uapi lists they come from (bpf/bpftrace/tables.sh makes them), so a call,
# error or proxy command added to the ABI cannot leave a script naming it
# wrong; and the scripts' header comments and examples exist.  Host only,
# run by tests/run's unit lane.  One PASS/FAIL line per check.
set -u
cd "$(dirname "$0")/../.." || exit 2
BT=bpf/bpftrace
failed=0
pass() { echo "PASS bt-tables: $*"; }
fail() { echo "FAIL bt-tables: $*"; failed=1; }

# block FILE KIND: the lines of FILE's "// tables.sh KIND {" block
block() { awk -v k="$2" '$0 ~ "^[\t ]*// tables.sh " k " [{]$" { s = 1; next }
	s && /^[\t ]*\/\/ }$/ { exit } s' "$1"; }

for kind in calls errors cmds; do
	want=$($BT/tables.sh "$kind") || { fail "tables.sh $kind failed"; continue; }
	n=$(grep -o '@[a-z]*\[' <<<"$want" | wc -l)
	case $kind in	# the lists' sizes today: a parse that lost entries fails here
	calls) [ "$n" = 35 ] ;; errors) [ "$n" -ge 130 ] ;; cmds) [ "$n" = 16 ] ;;
	esac || fail "tables.sh $kind made $n entries (calls 35, errors >= 130, cmds 16)"
	users=0
	for f in $BT/*.bt; do
		grep -q "// tables.sh $kind {" "$f" || continue
		users=$((users + 1))
		if [ "$(block "$f" "$kind")" = "$want" ]; then
			pass "$(basename "$f"): its $kind table equals the uapi list ($n names)"
		else
			fail "$(basename "$f"): its $kind table differs from the uapi list: run bpf/bpftrace/tables.sh --update"
		fi
	done
	[ "$users" -gt 0 ] || fail "no script holds a $kind table"
done

# names printed from a table must not be written out by hand elsewhere:
# a call name in quotes outside the tables would escape this check
for f in $BT/*.bt; do
	[ "$(basename "$f")" = dvklib.bt ] && continue	# the USDT part's (its own checks)
	hand=$(awk '/\/\/ tables.sh [a-z]+ [{]$/ { s = 1 } s && /\/\/ }$/ { s = 0; next } !s' "$f" |
		grep -oE '"(sendrec|receive|send|vcopy|notify|reply|EDVS[A-Z0-9]+)"' | sort -u | tr '\n' ' ')
	[ -z "$hand" ] || fail "$(basename "$f"): names written by hand outside its tables: $hand"
done

# dvkrmt.bt declares cmd_t up to c_len: the offset must be the uapi's
got=$(printf '#include <stddef.h>\n#include "dvk.h"\n_Static_assert(offsetof(cmd_t, c_len) == 28, "c_len");\n_Static_assert(offsetof(cmd_t, c_cmd) == 0, "c_cmd");\n' |
	cc -fsyntax-only -Ikernel/include/uapi -x c - 2>&1)
[ -z "$got" ] && grep -qE '^	int c_len;$' $BT/dvkrmt.bt &&
	[ "$(sed -n '/^struct dvk_cmd_head {/,/^};/p' $BT/dvkrmt.bt | grep -c '^	int ')" = 8 ] &&
	pass "dvkrmt.bt's struct dvk_cmd_head matches cmd_t (c_cmd at 0, c_len at 28)" ||
	fail "dvkrmt.bt's struct dvk_cmd_head vs cmd_t: $got"

# each tool: executable, #!/usr/bin/env bpftrace, a header saying USAGE and
# Events, and an example of real output
for f in $BT/*.bt; do
	b=$(basename "$f" .bt)
	[ "$b" = dvklib ] && continue	# the USDT part's, checked there
	if [ -x "$f" ] && [ "$(head -n 1 "$f")" = '#!/usr/bin/env bpftrace' ] &&
		grep -q '^ \* USAGE: ' "$f" && grep -q '^ \* Events' "$f" &&
		[ -s "$BT/${b}_example.txt" ]; then
		pass "$b.bt: executable, header (USAGE, Events), ${b}_example.txt"
	else
		fail "$b.bt: executable with #!/usr/bin/env bpftrace, USAGE and Events in its header, ${b}_example.txt"
	fi
done
exit $failed
