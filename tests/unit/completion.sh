#!/usr/bin/env bash
# tests/unit/completion.sh - the bash completion files (completions/bash/*):
# each loads in a bash with bash-completion and registers its tool; then
# completions asked as bash would (COMP_WORDS/COMP_CWORD, the function of
# `complete -p`) give what the tools' --help says: options, subcommands,
# files for the options that take one.  Host only (tests/run unit).
set -u
cd "$(dirname "$0")/../.." || exit 2
top=$PWD
failed=0
pass() { echo "PASS completion: $*"; }
fail() { echo "FAIL completion: $*"; failed=1; }
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || { fail "$BC missing (package bash-completion, scripts/setup.sh)"; exit 1; }
export PATH="$top/build/bin:$top/tools/dvk-capture:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/rec.samples" "$tmp/node0.tar.gz"

# each file loads (status 0, nothing on stderr) and registers its own tool
for f in completions/bash/*; do
	t=$(basename "$f")
	# shellcheck disable=SC2016  # expanded by that bash
	if out=$(bash -c '. "$1" && . "$2" && complete -p "$3"' _ "$BC" "$f" "$t" 2>&1) &&
		[[ $out == "complete -F _dvk_complete $t" ]]; then
		pass "$f loads and completes $t"
	else
		fail "$f does not load or register $t: $(head -c 200 <<<"$out")"
	fi
done

# comp DIR WORD...: what bash completion offers for the last WORD (the
# command line WORD..., the cursor at its end), sorted, on one line
comp() {
	local dir=$1
	shift
	# shellcheck disable=SC2016  # expanded by that bash
	(cd "$dir" && bash -c '. "$1"; . "$2"; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		f=$(complete -p "$1" | sed -E "s/.* -F ([^ ]+) .*/\1/")
		"$f" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$BC" "$top/completions/bash/$1" "$@")
}

# expect WHAT WANT WORD...: PASS if the completion of WORD... is WANT
expect() {
	local what=$1 want=$2 got
	shift 2
	got=$(comp "$tmp" "$@")
	got=${got% }
	if [ "$got" = "$want" ]; then
		pass "$what: '$*' -> '${want:-(nothing)}'"
	else
		fail "$what: '$*' gave '$got', want '$want'"
	fi
}

expect "a long option" "--json" dvktop --js
expect "an unknown option: nothing (the control)" "" dvktop --zzz
expect "options of subcommands too" "--name" dvkctl init --na
expect "dvkctl's commands from its --help" "wait4bind waits" dvkctl wa
expect "dvkctl migrate's steps" "commit rollback start" dvkctl migrate ''
expect "dvk-trace's subcommands" "summary" dvk-trace su
expect "dvk-trace: an archive after the subcommand" "node0.tar.gz rec.samples" dvk-trace summary ''
expect "a FILE option gives files" "rec.samples" dvktop --record rec
expect "a PATH option (-r of dvktop) gives files" "node0.tar.gz" dvktop -r node
expect "an option with another argument gives nothing" "" dvktop -d ''
expect "dvkbench's modes from its MODE: block" "pipe" dvkbench pi
expect "dvk-capture (a script) options" "--flight" dvk-capture --fl
expect "dvk-proxy's key file option gives files" "rec.samples" dvk-proxy --key-file r
if command -v dvk-service >/dev/null; then
	expect "dvk-service's commands" "check down up" dvk-service ''
fi
exit $failed
