#!/usr/bin/python3
"""openmetrics-check.py - parse OpenMetrics text (stdin) with
python3-prometheus-client's OpenMetrics parser, which rejects what the
format forbids (a missing "# EOF", a counter sample without _total,
interleaved families, histogram buckets that are not cumulative or lack
+Inf, a _count unlike the +Inf bucket...).  Used by tests/unit/test_exporter.c
and tests/kernel/cluster-metrics.sh.  Exit 0 and print the family count, or
print the parser's complaint and exit 1."""
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families

text = sys.stdin.read()
try:
    families = list(text_string_to_metric_families(text))
except Exception as e:  # the parser raises ValueError and friends
    print("OpenMetrics parse error: %s" % e)
    sys.exit(1)
# the parser does not check that _count equals the +Inf bucket: do it here
for f in families:
    if f.type != "histogram":
        continue
    inf, count = {}, {}
    for s in f.samples:
        key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
        if s.name.endswith("_bucket") and s.labels.get("le") == "+Inf":
            inf[key] = s.value
        elif s.name.endswith("_count"):
            count[key] = s.value
    if inf != count:
        print("%s: _count %s differs from the +Inf buckets %s" % (f.name, count, inf))
        sys.exit(1)
print("%d families" % len(families))
