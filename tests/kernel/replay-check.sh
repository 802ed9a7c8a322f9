#!/usr/bin/env bash
# replay-check.sh NAME LIVE SAMPLES JQ-CONDITION [DVKTOP-OPTION...]
#
# dvktop's replay shows what it showed live: LIVE holds the -j lines of a
# `dvktop -b -j --record SAMPLES ...` run; `dvktop -r SAMPLES -b -j` (with
# the same DVKTOP-OPTIONs, e.g. sorts) must print, for each of those
# samples, the same object plus its "replay" marker: every count, rate,
# percentile, endpoint, proxy, bind wait and the proxies' history equal
# (the model computes the rates from the samples' own CLOCK_MONOTONIC times,
# which the recording keeps).  JQ-CONDITION must hold on LIVE's last line
# (what the check is about: calls counted, an endpoint queue, a proxy's
# traffic...), so an empty comparison cannot pass.  Every line, live and
# replayed, must carry "schema":"dvktop-json/1", and a replayed line the
# sample's own real_ns and time (the marker's real_ns).  One PASS/FAIL line.
# Runs in the guest or on the host (needs jq); DVKTOP overrides the binary.
set -u
name=$1 live=$2 samples=$3 cond=$4
shift 4
dvktop=${DVKTOP:-build/bin/dvktop}
out=$(mktemp -d)
fail() { echo "FAIL $name: $*"; rm -rf "$out"; exit 1; }

n=$(wc -l <"$live")
[ "$n" -gt 0 ] || fail "no live -j lines in $live"
[ "$(tail -n 1 "$live" | jq "$cond" 2>&1)" = true ] ||
	fail "the live run does not show what is checked ($cond): $(tail -n 1 "$live" | head -c 400)"
# the recorder writes a sample before the line is printed: a recorder
# killed between the two has one sample more than lines (-n n leaves it)
"$dvktop" -r "$samples" -b -j -n "$n" "$@" >"$out/replay" 2>"$out/err" ||
	fail "dvktop -r exited $?: $(head -c 300 "$out/err")"
[ "$(wc -l <"$out/replay")" = "$n" ] ||
	fail "$(wc -l <"$out/replay") replayed lines for $n live ones"
jq -c . "$live" >"$out/want" 2>"$out/err" || fail "LIVE is not JSON lines: $(head -c 200 "$out/err")"
jq -c 'del(.replay)' "$out/replay" >"$out/got" || fail "the replay is not JSON lines"
marks=$(jq -r '.replay.sample' "$out/replay" | tr '\n' ' ')
[ "$marks" = "$(seq 1 "$n" | tr '\n' ' ')" ] && [ "$(jq -s "map(.replay.of >= $n) | all" "$out/replay")" = true ] ||
	fail "replay markers: samples '$marks' of $(jq -r .replay.of "$out/replay" | sort -u | tr '\n' ' ')"
if ! cmp -s "$out/want" "$out/got"; then
	i=$(cmp "$out/want" "$out/got" | sed -n 's/.* line \([0-9]*\).*/\1/p')
	fail "sample ${i:-?} differs: live $(sed -n "${i:-1}p" "$out/want" | head -c 300) ... replay $(sed -n "${i:-1}p" "$out/got" | head -c 300)"
fi
# the schema on every line; a replay's wall-clock time is the sample's (as
# text: jq 1.6 rounds numbers past 2^53)
[ "$(jq -r .schema "$live" "$out/replay" | sort -u)" = dvktop-json/1 ] ||
	fail "not every line has schema dvktop-json/1: $(jq -r .schema "$live" "$out/replay" | sort -u | tr '\n' ' ')"
sed -n 's/.*"replay":{[^}]*"real_ns":\([0-9]*\)},"time_ns":[0-9]*,"real_ns":\([0-9]*\),"time":"[-0-9T:.]*Z".*/\1 \2/p' \
	"$out/replay" >"$out/real"
[ "$(wc -l <"$out/real")" = "$n" ] && awk '$1 != $2 || $1 < 1e18 { exit 1 }' "$out/real" ||
	fail "replayed real_ns/time differ from the sample's: $(head -n 3 "$out/real" | tr '\n' ' ') $(head -c 300 "$out/replay")"
last=$(tail -n 1 "$out/got")
echo "PASS $name: dvktop -r prints the live -j objects of all $n samples ($(jq -r \
	'"\(.calls | length) calls at \([.calls[].rate] | add // 0 | floor)/s, \(.endpoints | length) endpoints, \(.proxies | length) proxies, \(.bindwaits | length) bind waits"' <<<"$last") in the last)"
rm -rf "$out"
