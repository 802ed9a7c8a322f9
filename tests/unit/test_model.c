// SPDX-License-Identifier: GPL-2.0
/*
 * test_model.c - host unit tests of dvktop's model (dvktop/model*.c,
 * table.c): percentiles from log2 histograms, rates from two samples,
 * errors, sort orders, the filter, the "invalid" row, the parsers of
 * lib/dvkview, the formatting helpers and the help text made from the
 * screens.  Linked with dvktop's pure-C files, libdvkview and libdvk.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "json.h"
#include "libdvk.h"
#include "model.h"
#include "screen.h"
#include "check.h"

static struct dvk_sample s0, s1;	/* zeroed */

/* Record n calls of call nr, each lasting ns, e failing, into s. */
static void add_calls(struct dvk_sample *s, int nr, uint64_t n, uint64_t ns, uint64_t e)
{
	struct dvk_call_stat *c = &s->calls[nr];
	int b = 0;

	while (b < DVK_HIST_SLOTS - 1 && (ns >> (b + 1)))
		b++;
	c->count += n;
	c->errors += e;
	c->total_ns += n * ns;
	c->hist[b] += n;
}

static const struct dvk_row *find_row(const struct dvk_row *rows, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].name, name))
			return &rows[i];
	return NULL;
}

static void test_percentiles(void)
{
	__u64 h[DVK_HIST_SLOTS];
	uint64_t v;

	memset(h, 0, sizeof(h));
	CHECK("percentile of an empty histogram is 0",
	      dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.5) == 0 &&
	      dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.99) == 0, "not 0");

	h[10] = 1000;
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.5);
	CHECK("p50 of bucket 10 lies in [1024, 2048)", v >= 1024 && v < 2048, "got %llu",
	      (unsigned long long)v);
	CHECK("p50 of a full bucket is its middle (~1536)", v >= 1535 && v <= 1536, "got %llu",
	      (unsigned long long)v);
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.99);
	CHECK("p99 of bucket 10 lies in [1024, 2048)", v >= 1024 && v < 2048, "got %llu",
	      (unsigned long long)v);

	memset(h, 0, sizeof(h));
	h[10] = 1;
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.99);
	CHECK("a single sample stays inside its bucket", v >= 1024 && v < 2048, "got %llu",
	      (unsigned long long)v);

	/* skewed: 990 fast calls (~1 us), 10 slow ones (~1 ms) */
	memset(h, 0, sizeof(h));
	h[10] = 990;
	h[20] = 10;
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.5);
	CHECK("skewed: p50 in the fast bucket", v >= 1024 && v < 2048, "got %llu",
	      (unsigned long long)v);
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.99);
	CHECK("skewed: p99 = the 990th of 1000 = last fast sample", v >= 1024 && v < 2048,
	      "got %llu", (unsigned long long)v);
	h[10] = 980;
	h[20] = 20;
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.99);
	CHECK("skewed (2% slow): p99 in the slow bucket [2^20, 2^21)",
	      v >= (1u << 20) && v < (1u << 21), "got %llu", (unsigned long long)v);

	/* 100 samples: p99 is the 99th, i.e. exactly at the slot boundary */
	memset(h, 0, sizeof(h));
	h[5] = 99;
	h[15] = 1;
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.99);
	CHECK("p99 of 99 fast + 1 slow is fast (nearest rank 99)", v >= 32 && v < 64,
	      "got %llu", (unsigned long long)v);
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 1.0);
	CHECK("p100 is in the slowest bucket", v >= 32768 && v < 65536, "got %llu",
	      (unsigned long long)v);

	/* interpolation: 4 samples in [1024, 2048) sit at 1152 1408 1664 1920 */
	memset(h, 0, sizeof(h));
	h[10] = 4;
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.25);
	CHECK("linear interpolation inside the bucket (p25 of 4 = 1152)", v == 1152, "got %llu",
	      (unsigned long long)v);

	memset(h, 0, sizeof(h));
	h[0] = 3;
	v = dvk_hist_percentile(h, DVK_HIST_SLOTS, 0.5);
	CHECK("slot 0 covers [0, 2)", v < 2, "got %llu", (unsigned long long)v);
}

static void test_rows(void)
{
	struct dvk_row rows[DVK_STAT_SLOTS];
	const struct dvk_row *r;
	int n;

	memset(&s0, 0, sizeof(s0));
	memset(&s1, 0, sizeof(s1));
	s0.time_ns = 1000000000ull;
	s1.time_ns = 3000000000ull;	/* 2 s later */
	add_calls(&s0, DVK_GETDVSINFO, 10, 1500, 0);
	add_calls(&s1, DVK_GETDVSINFO, 10, 1500, 0);
	add_calls(&s1, DVK_GETDVSINFO, 40, 1500, 0);	/* +40 in 2 s */
	add_calls(&s0, DVK_VOID0, 4, 3000, 4);
	add_calls(&s1, DVK_VOID0, 10, 3000, 10);	/* +6 errors in 2 s */
	add_calls(&s1, DVK_STAT_INVALID, 3, 100, 3);

	n = dvk_rows_compute(&s0, &s1, rows);
	CHECK("one row per call with count > 0", n == 3, "got %d rows", n);

	r = find_row(rows, n, "getdvsinfo");
	CHECK("count is cumulative", r && r->count == 50, "got %llu",
	      r ? (unsigned long long)r->count : 0ull);
	CHECK("rate = delta / interval (40 calls in 2 s = 20/s)", r && fabs(r->rate - 20.0) < 1e-9,
	      "got %f", r ? r->rate : -1);
	CHECK("average = total_ns / count", r && r->avg_ns == 1500, "got %llu",
	      r ? (unsigned long long)r->avg_ns : 0ull);
	CHECK("row carries its call number", r && r->nr == DVK_GETDVSINFO, "got %d",
	      r ? r->nr : -1);

	r = find_row(rows, n, "void0");
	CHECK("errors are counted (cumulative)", r && r->errors == 10, "got %llu",
	      r ? (unsigned long long)r->errors : 0ull);
	CHECK("error rate over the interval (6 in 2 s = 3/s)", r && fabs(r->err_rate - 3.0) < 1e-9,
	      "got %f", r ? r->err_rate : -1);
	CHECK("error percentage", r && fabs(r->err_pct - 100.0) < 1e-9, "got %f",
	      r ? r->err_pct : -1);

	r = find_row(rows, n, "invalid");
	CHECK("slot 35 is the row named invalid", r && r->nr == DVK_STAT_INVALID && r->count == 3,
	      "row %s", r ? "has wrong values" : "missing");
	CHECK("callname out of range is invalid",
	      !strcmp(dvk_callname(DVK_STAT_INVALID), "invalid") &&
	      !strcmp(dvk_callname(-1), "invalid") &&
	      !strcmp(dvk_callname(DVK_SENDREC), "sendrec") &&
	      !strcmp(dvk_callname(34), "wakeup"), "bad names");

	n = dvk_rows_compute(NULL, &s1, rows);
	r = find_row(rows, n, "getdvsinfo");
	CHECK("no previous sample: rate 0", r && r->rate == 0 && r->count == 50, "got %f",
	      r ? r->rate : -1);

	/* a counter that went back (source restarted) is not a negative rate */
	n = dvk_rows_compute(&s1, &s0, rows);
	CHECK("counter reset gives no negative rate", n == 2 && rows[0].rate >= 0 &&
	      rows[1].rate >= 0, "n=%d", n);
}

/* Rows with given values, for the sort tests. */
static int sort_fixture(struct dvk_row *rows)
{
	static const struct dvk_row fx[] = {
		{ .nr = 2, .name = "send", .count = 30, .rate = 1.0, .errors = 5,
		  .p50_ns = 300, .p99_ns = 9000, .avg_ns = 500 },
		{ .nr = 27, .name = "getdvsinfo", .count = 100, .rate = 0.5, .errors = 0,
		  .p50_ns = 100, .p99_ns = 200, .avg_ns = 120 },
		{ .nr = 5, .name = "sendrec", .count = 10, .rate = 7.0, .errors = 1,
		  .p50_ns = 900, .p99_ns = 5000, .avg_ns = 2000 },
		{ .nr = 35, .name = "invalid", .count = 10, .rate = 2.0, .errors = 10,
		  .p50_ns = 50, .p99_ns = 60, .avg_ns = 55 },
	};

	memcpy(rows, fx, sizeof(fx));
	return 4;
}

static void order(const struct dvk_row *rows, int n, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%d", i ? "," : "", rows[i].nr);
}

static void test_sort(void)
{
	static const struct {
		enum dvk_sort_key key;
		int reverse;
		const char *want;
	} cases[] = {
		{ DVK_SORT_COUNT, 0, "27,2,5,35" },	/* ties (10) by nr */
		{ DVK_SORT_COUNT, 1, "5,35,2,27" },
		{ DVK_SORT_RATE, 0, "5,35,2,27" },
		{ DVK_SORT_ERRORS, 0, "35,2,5,27" },
		{ DVK_SORT_ERRORS, 1, "27,5,2,35" },
		{ DVK_SORT_P50, 0, "5,2,27,35" },
		{ DVK_SORT_P99, 0, "2,5,27,35" },
		{ DVK_SORT_P99, 1, "35,27,5,2" },
		{ DVK_SORT_AVG, 0, "5,2,27,35" },
		{ DVK_SORT_NAME, 0, "27,35,2,5" },	/* getdvsinfo invalid send sendrec */
		{ DVK_SORT_NAME, 1, "5,2,35,27" },
		{ DVK_SORT_NR, 0, "2,5,27,35" },
		{ DVK_SORT_NR, 1, "35,27,5,2" },
	};
	struct dvk_row rows[DVK_STAT_SLOTS];
	char got[64], name[96];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = sort_fixture(rows);

		dvk_table_sort(&dvk_calls_class, rows, n, cases[i].key, cases[i].reverse);
		order(rows, n, got, sizeof(got));
		snprintf(name, sizeof(name), "sort by %s%s", dvk_table_key_name(&dvk_calls_class, cases[i].key),
			 cases[i].reverse ? " reversed" : "");
		CHECK(name, !strcmp(got, cases[i].want), "got %s, want %s", got, cases[i].want);
	}
	CHECK("sort keys parse back from their names",
	      dvk_table_key_parse(&dvk_calls_class, "p99") == DVK_SORT_P99 && dvk_table_key_parse(&dvk_calls_class, "RATE") == DVK_SORT_RATE &&
	      dvk_table_key_parse(&dvk_calls_class, "name") == DVK_SORT_NAME && dvk_table_key_parse(&dvk_calls_class, "nr") == DVK_SORT_NR &&
	      dvk_table_key_parse(&dvk_calls_class, "bogus") == -1, "bad parse");
}

static void test_filter_and_model(void)
{
	struct dvk_row rows[DVK_STAT_SLOTS];
	static struct dvk_model m;
	char got[64];
	int n;

	n = dvk_table_filter(&dvk_calls_class, rows, sort_fixture(rows), "send");
	dvk_table_sort(&dvk_calls_class, rows, n, DVK_SORT_NR, 0);
	order(rows, n, got, sizeof(got));
	CHECK("filter keeps names containing the text", !strcmp(got, "2,5"), "got %s", got);
	n = dvk_table_filter(&dvk_calls_class, rows, sort_fixture(rows), "DVS");
	CHECK("filter ignores case", n == 1 && rows[0].nr == 27, "got %d rows", n);
	n = dvk_table_filter(&dvk_calls_class, rows, sort_fixture(rows), "");
	CHECK("empty filter keeps everything", n == 4, "got %d rows", n);
	n = dvk_table_filter(&dvk_calls_class, rows, sort_fixture(rows), "zzz");
	CHECK("filter matching nothing", n == 0, "got %d rows", n);

	/* the model: two updates, then sort/filter changes without a sample */
	dvk_model_init(&m);
	dvk_model_update(&m, &s0);
	CHECK("model: first sample has no interval and no rate",
	      m.interval_s == 0 && m.calls.nall == 2 && m.total_rate == 0, "interval %f nall %d",
	      m.interval_s, m.calls.nall);
	dvk_model_update(&m, &s1);
	CHECK("model: interval from the two timestamps", fabs(m.interval_s - 2.0) < 1e-9,
	      "got %f", m.interval_s);
	CHECK("model: totals", m.total_count == 63 && m.total_errors == 13 &&
	      fabs(m.total_rate - 24.5) < 1e-9, "count %llu errors %llu rate %f",
	      (unsigned long long)m.total_count, (unsigned long long)m.total_errors,
	      m.total_rate);
	CHECK("model: default sort is count, largest first",
	      m.calls.nrows == 3 && m.call_rows[0].nr == DVK_GETDVSINFO, "first row %d",
	      m.calls.nrows ? m.call_rows[0].nr : -1);
	snprintf(m.calls.filter, sizeof(m.calls.filter), "void");
	dvk_model_refresh(&m);
	CHECK("model: filter applies on refresh", m.calls.nrows == 1 && m.call_rows[0].nr == DVK_VOID0 &&
	      m.calls.nall == 3, "nrows %d", m.calls.nrows);
}

static void test_dvs_parse(void)
{
	static const char text[] =
		"name=SUITE\nnodeid=3\nnr_dcs=32\nnr_nodes=32\nmax_nr_procs=221\n"
		"max_nr_tasks=35\nmax_sys_procs=64\nmax_copy_buf=65536\nmax_copy_len=1048576\n"
		"dbglvl=0\nversion=202202\nflags=101\nsizeof(proc)=1234\n"
		"sizeof(proc) aligned=1280\n";
	struct dvk_dvs_info d;
	int n;

	memset(&d, 0, sizeof(d));
	n = dvk_dvs_parse(text, &d);
	CHECK("/proc/dvs/info: all 11 keys found", n == 11, "got %d", n);
	CHECK("/proc/dvs/info: values", !strcmp(d.name, "SUITE") && d.nodeid == 3 &&
	      d.nr_dcs == 32 && d.nr_nodes == 32 && d.max_nr_procs == 221 &&
	      d.max_nr_tasks == 35 && d.max_sys_procs == 64 && d.max_copy_buf == 65536 &&
	      d.max_copy_len == 1048576 && d.version == 202202, "name %s nodeid %d", d.name,
	      d.nodeid);
	CHECK("/proc/dvs/info: flags are hexadecimal", d.flags == 0x101, "got 0x%llx",
	      (unsigned long long)d.flags);
	memset(&d, 0, sizeof(d));
	CHECK("/proc/dvs/info: empty text finds nothing", dvk_dvs_parse("", &d) == 0, "found keys");
	CHECK("dvs state names", !strcmp(dvk_dvs_state_name(DVK_DVS_INITIALIZED), "initialized") &&
	      !strcmp(dvk_dvs_state_name(DVK_DVS_NOT_INITIALIZED), "not_initialized") &&
	      !strcmp(dvk_dvs_state_name(DVK_DVS_NOT_LOADED), "not_loaded"), "bad names");
}

static void test_format(void)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} ns_cases[] = {
		{ 0, "0ns" }, { 850, "850ns" }, { 999, "999ns" }, { 1000, "1.0us" },
		{ 12345, "12.3us" }, { 999949, "999.9us" }, { 999999, "1.0ms" },
		{ 4100000, "4.1ms" }, { 2000000000ull, "2.0s" }, { 125000000000ull, "125.0s" },
	};
	char buf[32], name[64];

	for (size_t i = 0; i < sizeof(ns_cases) / sizeof(ns_cases[0]); i++) {
		dvk_fmt_ns(ns_cases[i].ns, buf, sizeof(buf));
		snprintf(name, sizeof(name), "format %llu ns as %s",
			 (unsigned long long)ns_cases[i].ns, ns_cases[i].want);
		CHECK(name, !strcmp(buf, ns_cases[i].want), "got %s", buf);
	}
	CHECK("format count that fits", !strcmp(dvk_fmt_count(123456, 10, buf, sizeof(buf)),
	      "123456"), "got %s", buf);
	CHECK("format count too wide gets a suffix",
	      !strcmp(dvk_fmt_count(123456789012ull, 8, buf, sizeof(buf)), "123.5G"), "got %s",
	      buf);
	CHECK("format count too wide for k goes to M",
	      !strcmp(dvk_fmt_count(1234567, 6, buf, sizeof(buf)), "1.2M"), "got %s", buf);
	CHECK("format rate", !strcmp(dvk_fmt_rate(12.34, 9, buf, sizeof(buf)), "12.3"),
	      "got %s", buf);
	CHECK("format rate too wide", !strcmp(dvk_fmt_rate(123456789.0, 7, buf, sizeof(buf)),
	      "123.5M"), "got %s", buf);

	dvk_json_escape("a\"b\\c\n\x01", buf, sizeof(buf));
	CHECK("json escape of quotes, backslash, control", !strcmp(buf, "a\\\"b\\\\c\\n\\u0001"),
	      "got %s", buf);
	dvk_json_escape("caf\xc3\xa9 \xff", buf, sizeof(buf));
	CHECK("json keeps valid UTF-8, replaces invalid bytes",
	      !strcmp(buf, "caf\xc3\xa9 \\ufffd"), "got %s", buf);
	CHECK("json escape reports the needed length",
	      dvk_json_escape("\"\"\"", buf, 4) == 6 && strlen(buf) == 3, "got '%s'", buf);
}

/* the -j lines' wall-clock members (json.c): RFC 3339 UTC, ms, null when unknown */
static void test_json_time(void)
{
	char buf[64], *text = NULL;
	size_t n, len = 0;
	FILE *f;

	n = dvk_json_rfc3339(1796425080626841900ull, buf, sizeof(buf));
	CHECK("json time: RFC 3339 UTC with milliseconds, truncated not rounded",
	      n == 24 && !strcmp(buf, "2026-12-04T22:58:00.626Z"), "got %zu '%s'", n, buf);
	n = dvk_json_rfc3339(999999999ull, buf, sizeof(buf));
	CHECK("json time: the epoch's first second", n == 24 && !strcmp(buf, "1970-01-01T00:00:00.999Z"),
	      "got %zu '%s'", n, buf);
	n = dvk_json_rfc3339(0, buf, sizeof(buf));
	CHECK("json time: 0 (unknown) gives nothing", n == 0 && buf[0] == '\0', "got %zu '%s'", n, buf);
	n = dvk_json_rfc3339(1796425080626841900ull, buf, 24);
	CHECK("json time: a buffer one byte short gives nothing", n == 0 && buf[0] == '\0',
	      "got %zu '%s'", n, buf);
	f = open_memstream(&text, &len);
	if (!f) {
		CHECK("json time: open_memstream", 0, "failed");
		return;
	}
	dvk_json_walltime(f, 1796425080626841900ull);
	fputc(' ', f);
	dvk_json_walltime(f, 0);
	fclose(f);
	CHECK("json time: the real_ns and time members, time null when unknown",
	      !strcmp(text, "\"real_ns\":1796425080626841900,\"time\":\"2026-12-04T22:58:00.626Z\" "
			    "\"real_ns\":0,\"time\":null"), "got %s", text);
	free(text);
}

static void test_bindwaits_parse(void)
{
	static const char text[] =
		"    PID COMM             DCID OPER   TARGET  WAITED_MS TIMEOUT_MS\n"
		"    503 rproxy             -1 bind     SELF       1520         -1\n"
		"    511 my client 2         0 bind       71        300      10000\n"
		"    512 srv                 0 unbind    -5      99999          0\n"
		"garbage line\n";
	struct dvk_bindwait_row rows[2];
	int kept = -1, total;

	total = dvk_bindwaits_parse(text, rows, 2, &kept);
	CHECK("bindwaits: counts every waiter", total == 3, "total=%d", total);
	CHECK("bindwaits: keeps at most max rows", kept == 2, "kept=%d", kept);
	CHECK("bindwaits: longest wait first", rows[0].pid == 512 && rows[0].waited_ms == 99999 &&
	      rows[0].oper == WAIT_UNBIND && rows[0].target == -5 && rows[0].timeout_ms == 0,
	      "pid=%d waited=%llu", rows[0].pid, (unsigned long long)rows[0].waited_ms);
	CHECK("bindwaits: SELF target and -1 DC", rows[1].pid == 503 && rows[1].target == SELF &&
	      rows[1].dcid == -1 && rows[1].timeout_ms == -1 && !strcmp(rows[1].comm, "rproxy"),
	      "pid=%d target=%d comm='%s'", rows[1].pid, rows[1].target, rows[1].comm);
	{
		struct dvk_bindwait_row all[4];

		dvk_bindwaits_parse(text, all, 4, &kept);
		CHECK("bindwaits: command names with spaces", kept == 3 &&
		      !strcmp(all[2].comm, "my client 2") && all[2].target == 71,
		      "kept=%d comm='%s'", kept, all[2].comm);
	}
	CHECK("bindwaits: header only means none",
	      dvk_bindwaits_parse("    PID COMM             DCID OPER   TARGET  WAITED_MS TIMEOUT_MS\n",
				  rows, 2, &kept) == 0 && kept == 0, "kept=%d", kept);
}

/* ---- the Endpoints view ---- */
static const char ep_text[] =
	"DC    EP     PID FLAGS STATE QUEUE NTFY OLDEST_MS    MSGS_IN   MSGS_OUT BYTES_COPIED NAME\n"
	" 0     1     412     0 -         3    0       318          7          2            0 server\n"
	" 0    10     415     4 S         0    0         -          0          5          100 client\n"
	" 0    11     416     C SR        1    2        12          1          1            0 my client 2\n"
	" 1     5     419     8 R         0    0         -         40         41     12345678 worker\n"
	"garbage line\n"
	" 0    12     417     4 S         0    0       -1          0          0            0 bad-oldest\n";

static void add_epstat(struct dvk_sample *s, int dcid, int ep, uint64_t sent, uint64_t recv,
		       uint64_t wait_total, uint64_t wait_max)
{
	struct dvk_epstat *e = &s->epstats[s->nepstats++];

	e->dcid = dcid;
	e->ep = ep;
	e->sent = sent;
	e->received = recv;
	e->wait_total_ns = wait_total;
	e->wait_max_ns = wait_max;
}

static const struct dvk_ep_row *find_ep(const struct dvk_ep_row *rows, int n, int dcid, int ep)
{
	for (int i = 0; i < n; i++)
		if (rows[i].e.dcid == dcid && rows[i].e.ep == ep)
			return &rows[i];
	return NULL;
}

static void test_endpoints_parse(void)
{
	struct dvk_endpoint rows[8];
	int kept = -1, total;

	total = dvk_endpoints_parse(ep_text, rows, 8, &kept);
	CHECK("endpoints: header, garbage and a negative age are skipped", total == 4 && kept == 4,
	      "total=%d kept=%d", total, kept);
	CHECK("endpoints: a receiver with 3 queued senders, oldest 318 ms",
	      rows[0].dcid == 0 && rows[0].ep == 1 && rows[0].pid == 412 && rows[0].flags == 0 &&
	      !strcmp(rows[0].state, "-") && rows[0].queue == 3 && rows[0].oldest_ms == 318 &&
	      rows[0].msgs_in == 7 && rows[0].msgs_out == 2 && !strcmp(rows[0].name, "server"),
	      "ep=%d queue=%d oldest=%lld name='%s'", rows[0].ep, rows[0].queue,
	      (long long)rows[0].oldest_ms, rows[0].name);
	CHECK("endpoints: '-' means no queued sender (-1), flags in hex",
	      rows[1].oldest_ms == -1 && rows[1].flags == SENDING && !strcmp(rows[1].state, "S") &&
	      rows[1].bytes_copied == 100, "oldest=%lld flags=%x", (long long)rows[1].oldest_ms,
	      rows[1].flags);
	CHECK("endpoints: names with spaces, notifies, two-letter state",
	      !strcmp(rows[2].name, "my client 2") && rows[2].ntfy == 2 && rows[2].flags == 0xC &&
	      !strcmp(rows[2].state, "SR"), "name='%s' ntfy=%d", rows[2].name, rows[2].ntfy);
	CHECK("endpoints: second DC, big counters", rows[3].dcid == 1 && rows[3].ep == 5 &&
	      rows[3].bytes_copied == 12345678 && rows[3].msgs_out == 41, "dcid=%d copied=%llu",
	      rows[3].dcid, (unsigned long long)rows[3].bytes_copied);
	total = dvk_endpoints_parse(ep_text, rows, 2, &kept);
	CHECK("endpoints: more than max are counted, max kept", total == 4 && kept == 2 &&
	      rows[1].ep == 10, "total=%d kept=%d", total, kept);
	total = dvk_endpoints_parse("DC    EP     PID FLAGS STATE QUEUE NTFY OLDEST_MS    "
				    "MSGS_IN   MSGS_OUT BYTES_COPIED NAME\n", rows, 8, &kept);
	CHECK("endpoints: header only means none", total == 0 && kept == 0, "total=%d", total);
	CHECK("endpoints: sort key names", dvk_table_key_parse(&dvk_ep_class, "queue") == DVK_EP_SORT_QUEUE &&
	      dvk_table_key_parse(&dvk_ep_class, "OLDEST") == DVK_EP_SORT_OLDEST &&
	      dvk_table_key_parse(&dvk_ep_class, "rate") == DVK_EP_SORT_RATE &&
	      dvk_table_key_parse(&dvk_ep_class, "depth") == DVK_EP_SORT_QUEUE &&
	      dvk_table_key_parse(&dvk_ep_class, "bogus") == -1 &&
	      !strcmp(dvk_table_key_name(&dvk_ep_class, DVK_EP_SORT_WAIT), "wait"), "mismatch");
}

static void test_endpoints_model(void)
{
	static struct dvk_sample a, b;
	static struct dvk_ep_row rows[DVK_MAX_ENDPOINTS];
	static struct dvk_model m;
	const struct dvk_ep_row *r;
	int n;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.time_ns = 1000000000ull;
	b.time_ns = 3000000000ull;	/* 2 s later */
	a.endpoints_total = dvk_endpoints_parse(ep_text, a.endpoints, DVK_MAX_ENDPOINTS,
						&a.nendpoints);
	b.endpoints_total = dvk_endpoints_parse(ep_text, b.endpoints, DVK_MAX_ENDPOINTS,
						&b.nendpoints);
	/* epstats in no particular order; (1, 5) appears only in b */
	add_epstat(&a, 0, 10, 100, 0, 0, 0);
	add_epstat(&a, 0, 1, 10, 50, 5000, 900);
	add_epstat(&a, 0, 99, 1, 1, 1, 1);		/* unbound: no row */
	add_epstat(&b, 0, 99, 1, 1, 1, 1);
	add_epstat(&b, 1, 5, 40, 20, 0, 0);
	add_epstat(&b, 0, 1, 30, 250, 40000, 2000);
	add_epstat(&b, 0, 10, 300, 0, 0, 0);

	n = dvk_ep_rows_compute(NULL, &b, rows);
	r = find_ep(rows, n, 0, 1);
	CHECK("ep rates: 0 without a previous sample; avg wait since start",
	      n == 4 && r && r->in_rate == 0 && r->out_rate == 0 && r->has_stats &&
	      r->avg_wait_ns == 160 && r->max_wait_ns == 2000 && r->received == 250,
	      "n=%d avg=%llu", n, r ? (unsigned long long)r->avg_wait_ns : 0ULL);

	n = dvk_ep_rows_compute(&a, &b, rows);
	r = find_ep(rows, n, 0, 1);
	CHECK("ep rates: (250-50)/2 s in, (30-10)/2 s out",
	      r && fabs(r->in_rate - 100.0) < 1e-9 && fabs(r->out_rate - 10.0) < 1e-9,
	      "in=%f out=%f", r ? r->in_rate : -1, r ? r->out_rate : -1);
	r = find_ep(rows, n, 0, 10);
	CHECK("ep rates: a sender only sends", r && r->in_rate == 0 &&
	      fabs(r->out_rate - 100.0) < 1e-9 && r->avg_wait_ns == 0, "out=%f",
	      r ? r->out_rate : -1);
	r = find_ep(rows, n, 1, 5);
	CHECK("ep rates: an entry new in this interval counts from 0",
	      r && fabs(r->out_rate - 20.0) < 1e-9 && fabs(r->in_rate - 10.0) < 1e-9,
	      "out=%f in=%f", r ? r->out_rate : -1, r ? r->in_rate : -1);
	r = find_ep(rows, n, 0, 11);
	CHECK("ep rates: no epstats entry, no stats", r && !r->has_stats && r->in_rate == 0 &&
	      r->out_rate == 0, "has_stats=%d", r ? r->has_stats : -1);
	CHECK("ep rows: unbound endpoints with stats are not listed", !find_ep(rows, n, 0, 99),
	      "listed");

	/* counters that went back (source restarted) count anew */
	b.epstats[0].sent = 5;	/* whatever is first after the sort */
	n = dvk_ep_rows_compute(&a, &b, rows);
	CHECK("ep rates: never negative", n == 4 && rows[0].out_rate >= 0 && rows[1].out_rate >= 0,
	      "negative");

	/* sorting */
	n = dvk_ep_rows_compute(&a, &b, rows);
	dvk_table_sort(&dvk_ep_class, rows, n, DVK_EP_SORT_QUEUE, 0);
	CHECK("ep sort queue: deepest first, ties by (dc, ep)",
	      rows[0].e.ep == 1 && rows[1].e.ep == 11 && rows[2].e.ep == 10 &&
	      rows[3].e.dcid == 1, "order %d %d %d %d", rows[0].e.ep, rows[1].e.ep, rows[2].e.ep,
	      rows[3].e.ep);
	dvk_table_sort(&dvk_ep_class, rows, n, DVK_EP_SORT_QUEUE, 1);
	CHECK("ep sort queue reversed: shallowest first", rows[3].e.ep == 1 && rows[0].e.ep == 10,
	      "first %d last %d", rows[0].e.ep, rows[3].e.ep);
	dvk_table_sort(&dvk_ep_class, rows, n, DVK_EP_SORT_OLDEST, 0);
	CHECK("ep sort oldest: 318 ms, 12 ms, then empty queues",
	      rows[0].e.ep == 1 && rows[1].e.ep == 11 && rows[2].e.oldest_ms == -1,
	      "order %d %d", rows[0].e.ep, rows[1].e.ep);
	dvk_table_sort(&dvk_ep_class, rows, n, DVK_EP_SORT_RATE, 0);
	CHECK("ep sort rate: in+out, busiest first (0/1: 110/s, 0/10: 100/s, 1/5: 30/s)",
	      rows[0].e.ep == 1 && rows[1].e.ep == 10 && rows[2].e.ep == 5 && rows[3].e.ep == 11,
	      "order %d %d %d %d", rows[0].e.ep, rows[1].e.ep, rows[2].e.ep, rows[3].e.ep);
	dvk_table_sort(&dvk_ep_class, rows, n, DVK_EP_SORT_EP, 0);
	CHECK("ep sort ep: (dc, ep) ascending", rows[0].e.ep == 1 && rows[1].e.ep == 10 &&
	      rows[2].e.ep == 11 && rows[3].e.dcid == 1, "order %d %d %d", rows[0].e.ep,
	      rows[1].e.ep, rows[2].e.ep);
	dvk_table_sort(&dvk_ep_class, rows, n, DVK_EP_SORT_NAME, 0);
	CHECK("ep sort name", !strcmp(rows[0].e.name, "client") &&
	      !strcmp(rows[3].e.name, "worker"), "first '%s'", rows[0].e.name);
	n = dvk_table_filter(&dvk_ep_class, rows, n, "CLIENT");
	CHECK("ep filter: case-insensitive substring of the name", n == 2, "n=%d", n);

	/* through the model: two updates */
	dvk_model_init(&m);
	CHECK("model: endpoints sorted by queue by default", m.eps.sort == DVK_EP_SORT_QUEUE,
	      "sort %d", m.eps.sort);
	dvk_model_update(&m, &a);
	dvk_model_update(&m, &b);
	CHECK("model: endpoint rows, queued total, in-rate total",
	      m.eps.nall == 4 && m.eps.nrows == 4 && m.ep_queued == 4 && m.ep_rows[0].e.ep == 1 &&
	      m.ep_in_rate > 109.9 && m.ep_in_rate < 110.1, "n=%d queued=%d in=%f", m.eps.nall,
	      m.ep_queued, m.ep_in_rate);
	snprintf(m.eps.filter, sizeof(m.eps.filter), "work");
	dvk_model_refresh(&m);
	CHECK("model: the endpoints filter does not touch the calls table",
	      m.eps.nrows == 1 && m.ep_rows[0].e.dcid == 1 && m.calls.nrows == m.calls.nall, "n=%d", m.eps.nrows);
}

/* The help window is made from the screens: every screen, key and sort key. */
static void test_help_text(void)
{
	static struct dvk_model m;
	static char lines[DVK_HELP_LINES][DVK_HELP_WIDTH];
	int n, views = 0, cols = 0;

	dvk_model_init(&m);
	n = dvk_help_text(&m, lines);
	for (int i = 0; i < n; i++) {
		views += !strcmp(lines[i], "  c e P x w   Calls / Endpoints / Proxies / Waits view (P and x)");
		cols += !strcmp(lines[i], "              proxies: node bytes msgs queue errors") ||
			!strcmp(lines[i], "  1 2 3       endpoints: sort by queue, oldest wait, rate");
	}
	CHECK("help: the keys of every screen", views == 1, "%d lines", n);
	CHECK("help: sort keys and 1 2 3 of the screens", cols == 2, "%d found", cols);
	CHECK("help: screens in Tab order, each with a key", dvk_screen_for_key('x') ==
	      &dvk_screen_proxies && dvk_screens[0] == &dvk_screen_calls &&
	      dvk_screen_for_key('e') == dvk_screens[1] && !dvk_screen_for_key('z'), "mismatch");
}

int main(void)
{
	test_percentiles();
	test_rows();
	test_sort();
	test_filter_and_model();
	test_dvs_parse();
	test_format();
	test_json_time();
	test_bindwaits_parse();
	test_endpoints_parse();
	test_endpoints_model();
	test_help_text();
	return CHECK_EXIT();
}
