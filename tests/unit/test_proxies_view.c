// SPDX-License-Identifier: GPL-2.0
/*
 * test_proxies_view.c - host unit tests of dvktop's Proxies view: parsing
 * debugfs dvk/proxies, rows from pxstats + pairs (rates, link state, the
 * node without a valid id), filter and sort, the throughput history the
 * model keeps, the sparkline, error names and the text lines (columns line
 * up with the header).  Linked with dvktop's pure-C files (the model, the
 * screens, view_text.c), libdvkview and libdvk.
 */
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "json.h"
#include "libdvk.h"
#include "model.h"
#include "view_text.h"
#include "check.h"

/* What the kernel prints (kernel/dvk_debugfs.c proxies_show), two pairs. */
static const char proxies_text[] =
	"PX NAME             STATE NODES      QUEUE OLDEST_MS   MSGS_OUT  BYTES_OUT"
	"    MSGS_IN   BYTES_IN ERR_OUT ERR_IN LAST_ERR LAST_OUT_MS LAST_IN_MS  REFUSED\n"
	" 1 node1            ISR   0x00000002     3       250         15       2520"
	"         11       1848       1     15     -324         13         12        9\n"
	" 2 far away nodes   I-R   0x0000000c     0         -          0          0"
	"          0          0       0      0        0           -          -        0\n"
	"garbage line\n"
	" 3 bad state        IXR   0x00000010     0         -          0          0"
	"          0          0       0      0        0           -          -        0\n"
	" 4 short            ISR   0x00000010     0\n";

static struct dvk_sample s0, s1;
static struct dvk_model model;

static const struct dvk_px_row *row_of(const struct dvk_px_row *rows, int n, int node)
{
	for (int i = 0; i < n; i++)
		if (rows[i].node == node)
			return &rows[i];
	return NULL;
}

static void test_parse(void)
{
	struct dvk_pair p[4];
	int kept = -1, total;

	total = dvk_proxies_parse(proxies_text, p, 4, &kept);
	CHECK("proxies: two well-formed pairs of five lines", total == 2 && kept == 2,
	      "total %d kept %d", total, kept);
	CHECK("proxies: pair 1 fields", p[0].px == 1 && !strcmp(p[0].name, "node1") &&
	      !strcmp(p[0].state, "ISR") && p[0].nodemap == 0x2 && p[0].queue == 3 &&
	      p[0].oldest_ms == 250 && p[0].msgs_out == 15 && p[0].bytes_out == 2520 &&
	      p[0].msgs_in == 11 && p[0].bytes_in == 1848 && p[0].err_out == 1 &&
	      p[0].err_in == 15 && p[0].last_error == -324 && p[0].last_out_ms == 13 &&
	      p[0].last_in_ms == 12 && p[0].refused == 9,
	      "px %d name '%s' state '%s' map %llx q %d old %lld out %llu/%llu in %llu/%llu "
	      "err %llu/%llu last %lld ages %lld/%lld", p[0].px, p[0].name, p[0].state,
	      (unsigned long long)p[0].nodemap, p[0].queue, (long long)p[0].oldest_ms,
	      (unsigned long long)p[0].msgs_out, (unsigned long long)p[0].bytes_out,
	      (unsigned long long)p[0].msgs_in, (unsigned long long)p[0].bytes_in,
	      (unsigned long long)p[0].err_out, (unsigned long long)p[0].err_in,
	      (long long)p[0].last_error, (long long)p[0].last_out_ms,
	      (long long)p[0].last_in_ms);
	CHECK("proxies: a name with spaces, '-' ages as -1", !strcmp(p[1].name, "far away nodes") &&
	      !strcmp(p[1].state, "I-R") && p[1].nodemap == 0xc && p[1].oldest_ms == -1 &&
	      p[1].last_out_ms == -1 && p[1].last_in_ms == -1,
	      "name '%s' state '%s' oldest %lld", p[1].name, p[1].state,
	      (long long)p[1].oldest_ms);
	total = dvk_proxies_parse(proxies_text, p, 1, &kept);
	CHECK("proxies: max 1 keeps one row, counts both", total == 2 && kept == 1 && p[0].px == 1,
	      "total %d kept %d", total, kept);
	total = dvk_proxies_parse("", p, 4, &kept);
	CHECK("proxies: empty text", total == 0 && kept == 0, "total %d kept %d", total, kept);
	total = dvk_proxies_parse(" 1 x ISR 0x2 0 - 1 2 3 4 5 6 7 - - 0", p, 4, &kept);
	CHECK("proxies: a last line without newline", total == 1 && p[0].err_in == 6 &&
	      p[0].last_error == 7, "total %d", total);
	total = dvk_proxies_parse(" 1 x ISR 0x2 -5 - 1 2 3 4 5 6 7 - - 0\n"
				  "99 x ISR 0x2 0 - 1 2 3 4 5 6 7 - - 0\n"
				  " 1 x ISR 2 0 - 1 2 3 4 5 6 7 - - 0\n"
				  " 1 x ISR 0x2 0 -1 1 2 3 4 5 6 7 - - 0\n", p, 4, &kept);
	CHECK("proxies: negative queue, pair id out of range, nodemap without 0x, "
	      "negative age are refused", total == 0, "total %d", total);
}

/* Two samples one second apart: node 1 (pair up) and node 2 (half) busy. */
static void fill_samples(void)
{
	memset(&s0, 0, sizeof(s0));
	memset(&s1, 0, sizeof(s1));
	s0.time_ns = 1000000000ull;
	s1.time_ns = 2000000000ull;
	s0.pairs_total = s1.pairs_total = dvk_proxies_parse(proxies_text, s1.pairs,
							     DVK_MAX_PAIRS, &s1.npairs);
	memcpy(s0.pairs, s1.pairs, sizeof(s1.pairs));
	s0.npairs = s1.npairs;
	s0.pxstats[1].msgs_out = 100;
	s0.pxstats[1].bytes_out = 100 * 168;
	s1.pxstats[1].msgs_out = 150;
	s1.pxstats[1].bytes_out = 150 * 168 + 4096;
	s1.pxstats[1].wait_total_ns = 150 * 2000;
	s1.pxstats[1].msgs_in = 40;
	s1.pxstats[1].bytes_in = 40 * 168;
	s1.pxstats[1].errors_in = 2;
	s1.pxstats[2].msgs_in = 10;
	s1.pxstats[2].bytes_in = 10 * 168;
	/* node 7: counted, no pair any more (node_down) */
	s0.pxstats[7].msgs_out = 5;
	s1.pxstats[7].msgs_out = 5;
	/* commands that named no valid node */
	s1.pxstats[DVK_PX_OTHER].errors_in = 3;
}

static void test_rows(void)
{
	struct dvk_px_row rows[DVK_PX_SLOTS];
	const struct dvk_px_row *r;
	int n;

	fill_samples();
	n = dvk_px_rows_compute(&s0, &s1, rows);
	/* node 1 (pair 1), 2 and 3 (pair 2), 7 (counted), -1 (other); not 4 (bad line) */
	CHECK("px rows: nodes 1 2 3 7 and the unknown node", n == 5 && rows[0].node == 1 &&
	      rows[1].node == 2 && rows[2].node == 3 && rows[3].node == 7 && rows[4].node == -1,
	      "n %d", n);
	r = row_of(rows, n, 1);
	CHECK("px rows: node 1 rates over 1 s", r && r->out_rate == 50 &&
	      r->out_bps == 50 * 168 + 4096 && r->in_rate == 40 && r->in_bps == 40 * 168 &&
	      r->err_rate == 2, "out %.1f/%.1f in %.1f/%.1f err %.1f", r ? r->out_rate : -1,
	      r ? r->out_bps : -1, r ? r->in_rate : -1, r ? r->in_bps : -1,
	      r ? r->err_rate : -1);
	CHECK("px rows: node 1 joined with pair 1, link up, avg wait", r && r->has_pair &&
	      r->pair.px == 1 && r->link == DVK_LINK_UP && r->pair.queue == 3 &&
	      r->avg_wait_ns == 2000, "px %d link %d wait %llu", r ? r->pair.px : -9,
	      r ? (int)r->link : -1, r ? (unsigned long long)r->avg_wait_ns : 0);
	r = row_of(rows, n, 3);
	CHECK("px rows: node 3 shares pair 2, link half, no traffic", r && r->pair.px == 2 &&
	      r->link == DVK_LINK_HALF && r->out_bps == 0 && r->in_bps == 0,
	      "px %d link %d", r ? r->pair.px : -9, r ? (int)r->link : -1);
	r = row_of(rows, n, 7);
	CHECK("px rows: node 7 without a pair: link none, px -1, no queue age",
	      r && !r->has_pair && r->link == DVK_LINK_NONE && r->pair.px == -1 &&
	      r->pair.oldest_ms == -1 && r->out_rate == 0, "link %d px %d",
	      r ? (int)r->link : -1, r ? r->pair.px : -9);
	r = row_of(rows, n, -1);
	CHECK("px rows: the unknown node counts put2lcl errors", r && r->bpf.errors_in == 3 &&
	      r->err_rate == 3, "errors %llu", r ? (unsigned long long)r->bpf.errors_in : 0);
	n = dvk_px_rows_compute(NULL, &s1, rows);
	CHECK("px rows: without a previous sample all rates are 0", n == 5 &&
	      rows[0].out_rate == 0 && rows[0].in_bps == 0 && rows[0].bpf.msgs_out == 150,
	      "n %d rate %.1f", n, rows[0].out_rate);
	s0.pxstats[1].msgs_out = 1000;	/* counters went back: the source restarted */
	n = dvk_px_rows_compute(&s0, &s1, rows);
	CHECK("px rows: a counter that went back counts anew", rows[0].out_rate == 150,
	      "rate %.1f", rows[0].out_rate);
	s1.time_ns = s0.time_ns;
	n = dvk_px_rows_compute(&s0, &s1, rows);
	CHECK("px rows: no time between samples, no rates", n == 5 && rows[0].out_rate == 0,
	      "rate %.1f", rows[0].out_rate);
}

static void test_filter_sort(void)
{
	struct dvk_px_row rows[DVK_PX_SLOTS];
	int n;

	fill_samples();
	n = dvk_px_rows_compute(&s0, &s1, rows);
	dvk_table_sort(&dvk_px_class, rows, n, DVK_PX_SORT_BYTES, 0);
	CHECK("px sort bytes: node 1 (busiest) first, then node 2, ties in node order",
	      rows[0].node == 1 && rows[1].node == 2 && rows[2].node == 3 && rows[3].node == 7 &&
	      rows[4].node == -1, "%d %d %d %d %d", rows[0].node, rows[1].node, rows[2].node,
	      rows[3].node, rows[4].node);
	dvk_table_sort(&dvk_px_class, rows, n, DVK_PX_SORT_BYTES, 1);
	CHECK("px sort bytes reversed: ties stay in node order (the rule of every table)",
	      rows[0].node == 3 && rows[1].node == 7 && rows[2].node == -1 && rows[3].node == 2 &&
	      rows[4].node == 1, "%d %d %d %d %d", rows[0].node, rows[1].node, rows[2].node,
	      rows[3].node, rows[4].node);
	dvk_table_sort(&dvk_px_class, rows, n, DVK_PX_SORT_NODE, 1);
	CHECK("px sort node reversed: unknown node first, then 7 3 2 1",
	      rows[0].node == -1 && rows[1].node == 7 && rows[4].node == 1, "%d %d %d",
	      rows[0].node, rows[1].node, rows[4].node);
	dvk_table_sort(&dvk_px_class, rows, n, DVK_PX_SORT_QUEUE, 0);
	CHECK("px sort queue: node 1 (queue 3) first", rows[0].node == 1, "%d", rows[0].node);
	dvk_table_sort(&dvk_px_class, rows, n, DVK_PX_SORT_ERRORS, 0);
	CHECK("px sort errors: node 1 (16 errors) first", rows[0].node == 1, "%d",
	      rows[0].node);
	dvk_table_sort(&dvk_px_class, rows, n, DVK_PX_SORT_NODE, 0);
	n = dvk_table_filter(&dvk_px_class, rows, n, "FAR");
	CHECK("px filter by pair name (case-insensitive): nodes 2 and 3", n == 2 &&
	      rows[0].node == 2 && rows[1].node == 3, "n %d", n);
	n = dvk_px_rows_compute(&s0, &s1, rows);
	n = dvk_table_filter(&dvk_px_class, rows, n, "node7");
	CHECK("px filter by node id", n == 1 && rows[0].node == 7, "n %d", n);
	CHECK("px sort keys by name", dvk_table_key_parse(&dvk_px_class, "bytes") == DVK_PX_SORT_BYTES &&
	      dvk_table_key_parse(&dvk_px_class, "NODE") == DVK_PX_SORT_NODE &&
	      dvk_table_key_parse(&dvk_px_class, "peer") == DVK_PX_SORT_NODE &&
	      dvk_table_key_parse(&dvk_px_class, "nope") == -1 &&
	      !strcmp(dvk_table_key_name(&dvk_px_class, DVK_PX_SORT_ERRORS), "errors"), "mismatch");
}

/* The model: the history grows one value per interval, up to DVK_PX_HIST. */
static void test_history(void)
{
	struct dvk_sample *s = calloc(1, sizeof(*s));
	const struct dvk_px_row *r;
	int ok = 1;

	if (!s)
		abort();
	dvk_model_init(&model);
	fill_samples();
	*s = s1;
	for (int i = 0; i < DVK_PX_HIST + 5; i++) {
		s->time_ns = 1000000000ull * (uint64_t)(i + 1);
		s->pxstats[1].bytes_out += 1000 * (uint64_t)i;	/* bytes/s = 1000 i */
		dvk_model_update(&model, s);
		r = row_of(model.px_all, model.pxs.nall, 1);
		if (!r || r->nhist != (i < DVK_PX_HIST ? i : DVK_PX_HIST) ||
		    (i > 0 && r->hist[r->nhist - 1] != 1000.0 * i))
			ok = 0;
	}
	r = row_of(model.px_all, model.pxs.nall, 1);
	CHECK("px history: one value per interval, newest last, at most 60", ok && r &&
	      r->nhist == DVK_PX_HIST && r->hist[0] == 1000.0 * 5 &&
	      r->hist[DVK_PX_HIST - 1] == 1000.0 * (DVK_PX_HIST + 4),
	      "nhist %d first %.0f last %.0f", r ? r->nhist : -1, r ? r->hist[0] : -1,
	      r ? r->hist[r->nhist - 1] : -1);
	r = row_of(model.px_all, model.pxs.nall, 2);
	CHECK("px history: an idle node's history is all 0", r && r->nhist == DVK_PX_HIST &&
	      r->hist[0] == 0 && r->hist[DVK_PX_HIST - 1] == 0, "nhist %d", r ? r->nhist : -1);
	CHECK("px model totals: 1 peer up (node 1), 3 queued, bytes/s summed",
	      model.px_up == 1 && model.px_queued == 3 &&
	      model.px_out_bps == 1000.0 * (DVK_PX_HIST + 4), "up %d queued %d out %.0f",
	      model.px_up, model.px_queued, model.px_out_bps);
	snprintf(model.pxs.filter, sizeof(model.pxs.filter), "node1");
	model.pxs.sort = DVK_PX_SORT_BYTES;
	dvk_model_refresh(&model);
	CHECK("px model refresh: filter applies to px_rows only", model.pxs.nrows == 1 &&
	      model.px_rows[0].node == 1 && model.pxs.nall == 5, "rows %d all %d",
	      model.pxs.nrows, model.pxs.nall);
	free(s);
}

static void test_sparkline(void)
{
	static const double v[] = { 0, 1, 2, 4, 8 };
	char buf[256];

	dvk_sparkline(v, 5, 5, 0, buf, sizeof(buf));
	CHECK("sparkline ascii: 0 lowest, max highest, any traffic visible",
	      !strcmp(buf, "_.:=#"), "got '%s'", buf);
	dvk_sparkline(v, 5, 8, 0, buf, sizeof(buf));
	CHECK("sparkline: padded on the left, newest at the right", !strcmp(buf, "   _.:=#"),
	      "got '%s'", buf);
	dvk_sparkline(v, 5, 2, 0, buf, sizeof(buf));
	CHECK("sparkline: the last width values, scaled among them", !strcmp(buf, "=#"),
	      "got '%s'", buf);
	dvk_sparkline(v, 5, 5, 1, buf, sizeof(buf));
	CHECK("sparkline utf8: block glyphs, 3 bytes each",
	      !strcmp(buf, "\u2581\u2582\u2583\u2585\u2588"), "got '%s'", buf);
	dvk_sparkline(v, 5, 5, 1, buf, 7);
	CHECK("sparkline: a short buffer holds whole glyphs only", strlen(buf) == 6,
	      "len %zu", strlen(buf));
	dvk_sparkline(v, 0, 4, 0, buf, sizeof(buf));
	CHECK("sparkline: no values, blanks", !strcmp(buf, "    "), "got '%s'", buf);
	dvk_sparkline(v, 5, 0, 0, buf, sizeof(buf));
	CHECK("sparkline: width 0, empty", buf[0] == '\0', "got '%s'", buf);
}

static void test_text(void)
{
	struct dvk_px_row rows[DVK_PX_SLOTS];
	char head[512], line[512];
	const char *h;
	int n;

	CHECK("error names from dvk.h", dvk_errname(-64) &&
	      !strcmp(dvk_errname(-64), "EDVSNOTCONN") && !dvk_errname(-12345) &&
	      !strcmp(dvk_errname(-329), "EDVSENQUEUED"), "-64 -> %s",
	      dvk_errname(-64) ? dvk_errname(-64) : "NULL");
	fill_samples();
	n = dvk_px_rows_compute(&s0, &s1, rows);
	CHECK("px text: 5 rows to print", n == 5, "n %d", n);
	vt_px_header(20, 0, head, sizeof(head));
	vt_px_row(&rows[0], 0, 20, 0, line, sizeof(line));
	h = strstr(head, "HISTORY");
	CHECK("px text: HISTORY starts after the fixed columns, as the sparkline does",
	      h && h - head == VT_PX_FIXED + 1 && strlen(line) == VT_PX_FIXED + 1 + 20,
	      "HISTORY at %ld, row length %zu: '%s'", h ? (long)(h - head) : -1L,
	      strlen(line), line);
	CHECK("px text: node 1 row (fitted numbers; ERRS = errors 1 + 15, refused 9)",
	      !strncmp(line, "   1  1 up     50.0  12.5k   40.0 6720.0     3  250ms    25", 59),
	      "got '%s'", line);
	vt_px_header(20, 1, head, sizeof(head));
	vt_px_row(&rows[0], 1, 20, 0, line, sizeof(line));
	CHECK("px text raw: exact numbers, LASTERR and NAME at the end",
	      strstr(line, " 12496 ") && strstr(line, " 250ms ") &&
	      strstr(line, "EDVSPROCSTS node1") && strstr(head, "LASTERR     NAME"),
	      "got '%s' / '%s'", line, head);
	CHECK("px last error: the text of node 1's pair, with its counts",
	      vt_px_error(&rows[0], line, sizeof(line)) &&
	      !strncmp(line, "node 1 px 1: EDVSPROCSTS (-324): ", 33) &&
	      strstr(line, "(errors in 15, out 1, refused 9)"), "got '%s'", line);
	CHECK("px last error: none without a pair", !vt_px_error(&rows[4], line, sizeof(line)),
	      "got '%s'", line);
	vt_px_row(&rows[4], 1, 20, 0, line, sizeof(line));
	CHECK("px text raw: the unknown node is '?', without a pair '-'",
	      !strncmp(line, "   ?  - none", 12) && strstr(line, " -           -"),
	      "got '%s'", line);
	dvk_model_init(&model);
	dvk_model_update(&model, &s1);
	vt_px_title(&model, line, sizeof(line));
	CHECK("px title: pairs, peers, up, queued",
	      !strcmp(line, "PROXIES (2 pairs, 5 peers, 1 up, 3 queued)"), "got '%s'", line);
	model.cur.pairs_total = -1;
	vt_px_title(&model, line, sizeof(line));
	CHECK("px title: debugfs unreadable", strstr(line, "unreadable") != NULL, "got '%s'",
	      line);
}

int main(void)
{
	test_parse();
	test_rows();
	test_filter_sort();
	test_history();
	test_sparkline();
	test_text();
	return CHECK_EXIT();
}
