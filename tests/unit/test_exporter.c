// SPDX-License-Identifier: GPL-2.0
/*
 * test_exporter.c - host unit tests of dvk-exporter's exposition writer
 * (tools/dvk-exporter/expo.c): a synthetic model gives exact expected lines
 * in both formats (counters, errors by name, a histogram from log2 buckets
 * with cumulative le in seconds, +Inf, _sum, _count; endpoints with a
 * hostile name; proxies; bind waiters); the Accept header negotiation; the
 * samples of dvktop's replay fixture.  `promtool check metrics` (Debian's
 * prometheus package) lints the Prometheus text, and the OpenMetrics text
 * goes through python3-prometheus-client's OpenMetrics parser
 * (tests/unit/openmetrics-check.py).  Both are installed by scripts/setup.sh:
 * their absence is a failure, not a skip.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "expo.h"
#include "libdvk.h"
#include "model.h"
#include "check.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

static struct dvk_sample s;
static struct dvk_model m;

/* The exposition of m in fmt, malloc'ed. */
static char *expose(enum dvk_expo_format fmt, int max_endpoints)
{
	struct dvk_expo_meta meta = { .scrapes = 7, .sample_ns = 1500000, .cpu_ns = 2000000000,
				      .max_endpoints = max_endpoints };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || dvk_expo_write(f, &m, fmt, &meta)) {
		printf("FAIL exporter: writing to a memory stream\n");
		exit(1);
	}
	fclose(f);
	return buf;
}

/* 1 if text holds line as a whole line. */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/* Lines of text starting with prefix. */
static int count_lines(const char *text, const char *prefix)
{
	int n = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

/* Each of lines[] is a whole line of text; the first missing one in *miss. */
static int has_lines(const char *text, const char *const *lines, const char **miss)
{
	for (; *lines; lines++)
		if (!has_line(text, *lines)) {
			*miss = *lines;
			return 0;
		}
	return 1;
}

/* The synthetic node: sendrec 4 calls (1 failed), one endpoint, one pair. */
static void build_model(void)
{
	memset(&s, 0, sizeof(s));
	s.time_ns = 5000000000ull;
	s.real_ns = 1796425080123456789ull;
	s.dvs.state = DVK_DVS_INITIALIZED;
	strcpy(s.dvs.name, "DVS_TEST");
	s.dvs.nodeid = 1;
	s.dvs.version = 202202;
	s.calls[DVK_SENDREC].count = 4;
	s.calls[DVK_SENDREC].errors = 1;
	s.calls[DVK_SENDREC].total_ns = 3000001500ull;
	s.calls[DVK_SENDREC].hist[0] = 1;	/* [0, 2) ns */
	s.calls[DVK_SENDREC].hist[10] = 2;	/* [1024, 2048) ns */
	s.calls[DVK_SENDREC].hist[39] = 1;	/* the open-ended last slot */
	s.nerrstats = 1;
	s.errstats[0] = (struct dvk_errstat){ .slot = DVK_SENDREC, .code = EDVSNOTBIND, .count = 1 };
	s.endpoints_total = s.nendpoints = 2;
	s.endpoints[0] = (struct dvk_endpoint){ .dcid = 0, .ep = 3, .pid = 10, .queue = 2, .ntfy = 1,
						.oldest_ms = 1500, .msgs_in = 9, .msgs_out = 8,
						.bytes_copied = 4096 };
	strcpy(s.endpoints[0].name, "a\"b\\c\n\xff");
	s.endpoints[1] = (struct dvk_endpoint){ .dcid = 1, .ep = 7, .oldest_ms = -1 };
	strcpy(s.endpoints[1].name, "idle");
	s.pairs_total = s.npairs = 1;
	s.pairs[0] = (struct dvk_pair){ .px = 0, .state = "ISR", .nodemap = 1, .queue = 1, .oldest_ms = 20,
					.msgs_out = 15, .bytes_out = 2520, .msgs_in = 11, .bytes_in = 1848,
					.err_out = 1, .err_in = 2, .refused = 3, .last_error = -324 };
	strcpy(s.pairs[0].name, "node0");
	s.pxstats[0] = (struct dvk_px_stat){ .msgs_out = 5, .bytes_out = 840, .msgs_in = 4,
					     .bytes_in = 4768, .errors_in = 1, .wait_total_ns = 2500 };
	s.bindwaits_total = s.nbindwaits = 1;
	s.bindwaits[0] = (struct dvk_bindwait_row){ .pid = 9, .dcid = -1, .waited_ms = 2250,
						    .timeout_ms = -1 };
	s.waits_total = 0;
	dvk_model_init(&m);
	dvk_model_update(&m, &s);
}

static const char *const prom_lines[] = {
	"# TYPE dvk_calls_total counter",
	"dvk_calls_total{node=\"1\",call=\"sendrec\"} 4",
	"# TYPE dvk_call_errors_total counter",
	"dvk_call_errors_total{node=\"1\",call=\"sendrec\",error=\"EDVSNOTBIND\",code=\"-310\"} 1",
	"# TYPE dvk_call_duration_seconds histogram",
	"dvk_call_duration_seconds_bucket{node=\"1\",call=\"sendrec\",le=\"0.000000002\"} 1",
	"dvk_call_duration_seconds_bucket{node=\"1\",call=\"sendrec\",le=\"0.000001024\"} 1",
	"dvk_call_duration_seconds_bucket{node=\"1\",call=\"sendrec\",le=\"0.000002048\"} 3",
	"dvk_call_duration_seconds_bucket{node=\"1\",call=\"sendrec\",le=\"549.755813888\"} 3",
	"dvk_call_duration_seconds_bucket{node=\"1\",call=\"sendrec\",le=\"+Inf\"} 4",
	"dvk_call_duration_seconds_sum{node=\"1\",call=\"sendrec\"} 3.000001500",
	"dvk_call_duration_seconds_count{node=\"1\",call=\"sendrec\"} 4",
	"# TYPE dvk_node_info gauge",
	"dvk_node_info{node=\"1\",dvs=\"DVS_TEST\",dvs_version=\"202202\"} 1",
	"dvk_exporter_build_info{node=\"1\",version=\"" DVK_PACKAGE_VERSION "\",schema=\"1\"} 1",
	"dvk_sample_timestamp_seconds{node=\"1\"} 1796425080.123456789",
	"dvk_exporter_sample_duration_seconds{node=\"1\"} 0.001500000",
	"process_cpu_seconds_total{node=\"1\"} 2.000000000",
	"dvk_exporter_scrapes_total{node=\"1\"} 7",
	"dvk_exporter_view_readable{node=\"1\",view=\"endpoints\"} 1",
	"dvk_endpoints{node=\"1\"} 2",
	"dvk_endpoint_queue_depth{node=\"1\",dc=\"0\",ep=\"3\",name=\"a\\\"b\\\\c\\n?\"} 2",
	"dvk_endpoint_oldest_wait_seconds{node=\"1\",dc=\"0\",ep=\"3\",name=\"a\\\"b\\\\c\\n?\"} 1.500000000",
	"dvk_endpoint_oldest_wait_seconds{node=\"1\",dc=\"1\",ep=\"7\",name=\"idle\"} 0.000000000",
	"dvk_endpoint_pending_notifies{node=\"1\",dc=\"0\",ep=\"3\",name=\"a\\\"b\\\\c\\n?\"} 1",
	"dvk_endpoint_messages_in_total{node=\"1\",dc=\"0\",ep=\"3\",name=\"a\\\"b\\\\c\\n?\"} 9",
	"dvk_endpoint_messages_out_total{node=\"1\",dc=\"0\",ep=\"3\",name=\"a\\\"b\\\\c\\n?\"} 8",
	"dvk_endpoint_copied_bytes_total{node=\"1\",dc=\"0\",ep=\"3\",name=\"a\\\"b\\\\c\\n?\"} 4096",
	"dvk_proxy_link_up{node=\"1\",peer=\"0\"} 1",
	"dvk_proxy_commands_total{node=\"1\",peer=\"0\",direction=\"out\"} 5",
	"dvk_proxy_commands_total{node=\"1\",peer=\"0\",direction=\"in\"} 4",
	"dvk_proxy_bytes_total{node=\"1\",peer=\"0\",direction=\"in\"} 4768",
	"dvk_proxy_errors_total{node=\"1\",peer=\"0\"} 1",
	"dvk_proxy_queue_wait_seconds_total{node=\"1\",peer=\"0\"} 0.000002500",
	"dvk_proxy_pair_connected{node=\"1\",px=\"0\",pair=\"node0\",proxy=\"receiver\"} 1",
	"dvk_proxy_pair_queue_depth{node=\"1\",px=\"0\",pair=\"node0\"} 1",
	"dvk_proxy_pair_oldest_seconds{node=\"1\",px=\"0\",pair=\"node0\"} 0.020000000",
	"dvk_proxy_pair_bytes_total{node=\"1\",px=\"0\",pair=\"node0\",direction=\"out\"} 2520",
	"dvk_proxy_pair_errors_total{node=\"1\",px=\"0\",pair=\"node0\",direction=\"in\"} 2",
	"dvk_proxy_pair_refused_total{node=\"1\",px=\"0\",pair=\"node0\"} 3",
	"dvk_proxy_pair_last_error_code{node=\"1\",px=\"0\",pair=\"node0\"} -324",
	"dvk_bind_waiters{node=\"1\"} 1",
	"dvk_bind_wait_longest_seconds{node=\"1\"} 2.250000000",
	"dvk_wait_cycles{node=\"1\"} 0",
	NULL
};

/* What OpenMetrics writes differently. */
static const char *const om_lines[] = {
	"# TYPE dvk_calls counter",
	"dvk_calls_total{node=\"1\",call=\"sendrec\"} 4",
	"# TYPE dvk_node info",
	"dvk_node_info{node=\"1\",dvs=\"DVS_TEST\",dvs_version=\"202202\"} 1",
	"# TYPE dvk_call_duration_seconds histogram",
	"# UNIT dvk_call_duration_seconds seconds",
	"# TYPE dvk_proxy_bytes counter",
	"# UNIT dvk_proxy_bytes bytes",
	NULL
};

/* Run a shell command on text (its stdin); its output and status. */
static int run_on(const char *cmd, const char *text, char *out, size_t outlen)
{
	char path[] = "/tmp/test_exporter.XXXXXX", full[512];
	int fd = mkstemp(path), st;
	FILE *p;
	size_t n;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -1;
	close(fd);
	snprintf(full, sizeof(full), "%s <%s 2>&1", cmd, path);
	p = popen(full, "r");
	n = p ? fread(out, 1, outlen - 1, p) : 0;
	out[n] = '\0';
	st = p ? pclose(p) : -1;
	unlink(path);
	return st;
}

static void check_tools(const char *what, const char *prom, const char *om)
{
	char out[4096], name[160];
	int st;

	st = run_on("promtool check metrics", prom, out, sizeof(out));
	snprintf(name, sizeof(name), "exporter: promtool check metrics passes on %s", what);
	CHECK(name, st == 0 && !out[0], "status %d: %.600s", st, out);
	st = run_on("/usr/bin/python3 tests/unit/openmetrics-check.py", om, out, sizeof(out));
	snprintf(name, sizeof(name), "exporter: the OpenMetrics parser takes %s", what);
	CHECK(name, st == 0, "status %d: %.600s", st, out);
}

static void test_synthetic(void)
{
	const char *miss = "";
	char *prom, *om, *cut;

	build_model();
	prom = expose(DVK_EXPO_PROMETHEUS, 1024);
	om = expose(DVK_EXPO_OPENMETRICS, 1024);
	CHECK("exporter: Prometheus text has the expected lines", has_lines(prom, prom_lines, &miss),
	      "missing '%s'", miss);
	CHECK("exporter: OpenMetrics text has its own lines", has_lines(om, om_lines, &miss),
	      "missing '%s'", miss);
	CHECK("exporter: OpenMetrics ends with # EOF, Prometheus text has no EOF",
	      strlen(om) > 6 && !strcmp(om + strlen(om) - 6, "# EOF\n") && !strstr(prom, "# EOF") &&
	      !strstr(prom, "# UNIT"), "om tail '%s'", strlen(om) > 20 ? om + strlen(om) - 20 : om);
	CHECK("exporter: 39 finite buckets (2 ns to 2^39 ns) and +Inf per call",
	      count_lines(prom, "dvk_call_duration_seconds_bucket{node=\"1\",call=\"sendrec\",le=") == 40 &&
	      has_line(prom, "dvk_call_duration_seconds_bucket{node=\"1\",call=\"sendrec\",le=\"274.877906944\"} 3"),
	      "%d bucket lines", count_lines(prom, "dvk_call_duration_seconds_bucket{"));
	check_tools("the synthetic model", prom, om);
	free(prom);
	free(om);

	cut = expose(DVK_EXPO_PROMETHEUS, 1);
	CHECK("exporter: --max-endpoints 1 keeps the first endpoint, counts the other",
	      has_line(cut, "dvk_exporter_endpoints_omitted{node=\"1\"} 1") &&
	      !strstr(cut, "name=\"idle\"") && strstr(cut, "ep=\"3\""), "%s", "wrong endpoint series");
	free(cut);

	s.dvs.state = DVK_DVS_NOT_INITIALIZED;
	dvk_model_update(&m, &s);
	cut = expose(DVK_EXPO_PROMETHEUS, 1024);
	CHECK("exporter: without a DVS no node label and no dvk_node_info",
	      has_line(cut, "dvk_dvs_initialized 0") && !strstr(cut, "node=") &&
	      !strstr(cut, "dvk_node_info"), "%s", "node label or info present");
	free(cut);
}

static void test_negotiate(void)
{
	static const struct {
		const char *accept;
		enum dvk_expo_format want;
	} t[] = {
		{ NULL, DVK_EXPO_PROMETHEUS },
		{ "", DVK_EXPO_PROMETHEUS },
		{ "text/plain", DVK_EXPO_PROMETHEUS },
		{ "*/*", DVK_EXPO_PROMETHEUS },
		/* what Prometheus 2.42 sends */
		{ "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		  "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", DVK_EXPO_OPENMETRICS },
		{ "application/openmetrics-text", DVK_EXPO_OPENMETRICS },
		{ "text/plain, Application/OpenMetrics-Text; q=0.3", DVK_EXPO_OPENMETRICS },
		{ "application/openmetrics-text;q=0", DVK_EXPO_PROMETHEUS },
		{ "application/openmetrics-text;version=0.0.1", DVK_EXPO_PROMETHEUS },
		{ "application/openmetrics-textual", DVK_EXPO_OPENMETRICS },	/* prefix: harmless */
		{ ",,,;;;q=", DVK_EXPO_PROMETHEUS },
	};
	int bad = -1;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]) && bad < 0; i++)
		if (dvk_expo_negotiate(t[i].accept) != t[i].want)
			bad = (int)i;
	CHECK("exporter: Accept negotiation (Prometheus' header, q=0, other versions)", bad < 0,
	      "Accept '%s'", bad >= 0 && t[bad].accept ? t[bad].accept : "(null)");
	CHECK("exporter: content types", !strcmp(dvk_expo_content_type(DVK_EXPO_OPENMETRICS),
		"application/openmetrics-text; version=1.0.0; charset=utf-8") &&
	      !strcmp(dvk_expo_content_type(DVK_EXPO_PROMETHEUS), "text/plain; version=0.0.4; charset=utf-8"),
	      "%s", dvk_expo_content_type(DVK_EXPO_PROMETHEUS));
}

/* The samples of dvktop's replay fixture (a demo-like node) through the writer. */
static void test_fixture(void)
{
	struct dvk_source src = { .ops = &dvk_source_replay_ops };
	struct dvk_source_opts o = { .path = "tests/unit/fixtures/dvktop-replay.jsonl" };
	int n = 0;
	char *prom, *om;

	dvk_model_init(&m);
	if (src.ops->open(&src, &o)) {
		CHECK("exporter: the replay fixture opens", 0, "%s", src.err);
		return;
	}
	while (src.ops->sample(&src, &s) == 0) {
		dvk_model_update(&m, &s);
		n++;
	}
	src.ops->close(&src);
	prom = expose(DVK_EXPO_PROMETHEUS, 1024);
	om = expose(DVK_EXPO_OPENMETRICS, 1024);
	CHECK("exporter: the fixture's last sample: sendrec count, srv3-slow's queue and messages",
	      n == 5 && has_line(prom, "dvk_calls_total{node=\"0\",call=\"sendrec\"} 647") &&
	      has_line(prom, "dvk_endpoint_queue_depth{node=\"0\",dc=\"0\",ep=\"4\",name=\"srv3-slow\"} 3") &&
	      has_line(prom, "dvk_endpoint_messages_in_total{node=\"0\",dc=\"0\",ep=\"4\",name=\"srv3-slow\"} 289"),
	      "%d samples", n);
	check_tools("dvktop's replay fixture", prom, om);
	free(prom);
	free(om);
}

/*
 * The user-space cost of a scrape on this host, with a full model (every
 * call, 1024 endpoints, 32 pairs): the model update and the writing, not
 * the reading of the maps and views (that needs dvk.ko: scripts/bench-guest
 * BENCH_EXPORTER).  Printed as a "#" line for docs/metrics.md; not a check.
 */
static void measure(void)
{
	struct timespec t0, t1;
	size_t bytes = 0;
	const int n = 50;

	build_model();
	for (int i = 0; i < DVK_STAT_SLOTS; i++)
		s.calls[i] = s.calls[DVK_SENDREC];
	s.endpoints_total = s.nendpoints = DVK_MAX_ENDPOINTS;
	for (int i = 0; i < DVK_MAX_ENDPOINTS; i++) {
		s.endpoints[i] = s.endpoints[1];
		s.endpoints[i].dcid = i / 200;
		s.endpoints[i].ep = i % 200;
	}
	s.npairs = 31;
	for (int i = 0; i < s.npairs; i++) {
		s.pairs[i] = s.pairs[0];
		s.pairs[i].nodemap = 1ull << (i + 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		char *text;

		dvk_model_update(&m, &s);
		text = expose(DVK_EXPO_PROMETHEUS, DVK_MAX_ENDPOINTS);
		bytes = strlen(text);
		free(text);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# exporter: model update + writing with 36 calls, 1024 endpoints, 31 pairs: %.0f us a scrape, %zu bytes (host, mean of %d)\n",
	       ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / n,
	       bytes, n);
}

int main(void)
{
	test_negotiate();
	test_synthetic();
	test_fixture();
	measure();
	return CHECK_EXIT();
}
