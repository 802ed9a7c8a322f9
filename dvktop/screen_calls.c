// SPDX-License-Identifier: GPL-2.0
/*
 * screen_calls.c - the Calls screen (screen.h): one row per DVK call seen,
 * and under it the Bind waits section (processes sleeping in wait4bind).
 *
 * The Bind waits section belongs here until a Bind-waits screen exists:
 * that screen would be one more file like this one and one line in
 * dvk_screens[], and would take over vt_bindwaits_* and the section.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "screen.h"

/* Column layout of the calls table: 79 characters, fits 80 columns. */
#define VT_W_CALL	14
#define VT_W_NR		3
#define VT_W_COUNT	10
#define VT_W_RATE	9
#define VT_W_ERRORS	8
#define VT_W_ERRPCT	6
#define VT_W_NS		7
/* where the ERRORS and ERR% columns start and how wide they are together */
#define VT_ERR_COL	(VT_W_CALL + 1 + VT_W_NR + 1 + VT_W_COUNT + 1 + VT_W_RATE + 1)
#define VT_ERR_WIDTH	(VT_W_ERRORS + 1 + VT_W_ERRPCT)

void vt_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf, size_t len)
{
	char rate[16];

	vt_status_start(&m->calls, st, buf, len);
	if (st->pid)
		vt_append(buf, len, "  pid %d", st->pid);
	dvk_fmt_rate(m->total_rate, 0, rate, sizeof(rate));
	vt_append(buf, len, "  calls %llu (%s/s) err %llu", (unsigned long long)m->total_count,
	       rate, (unsigned long long)m->total_errors);
}

void vt_table_header(char *buf, size_t len)
{
	snprintf(buf, len, "%-*s %*s %*s %*s %*s %*s %*s %*s %*s",
		 VT_W_CALL, "CALL", VT_W_NR, "NR", VT_W_COUNT, "COUNT", VT_W_RATE, "RATE/s",
		 VT_W_ERRORS, "ERRORS", VT_W_ERRPCT, "ERR%", VT_W_NS, "P50", VT_W_NS, "P99",
		 VT_W_NS, "AVG");
}

static const char *ns_or_dash(uint64_t ns, char *buf, size_t len)
{
	if (!ns)
		return "-";
	return dvk_fmt_ns(ns, buf, len);
}

void vt_table_row(const struct dvk_row *r, int raw, char *buf, size_t len)
{
	char nr[16], count[32], rate[32], errors[32], p50[16], p99[16], avg[16];

	if (r->nr >= DVK_NR_CALLS)
		snprintf(nr, sizeof(nr), "-");
	else
		snprintf(nr, sizeof(nr), "%d", r->nr);
	if (raw) {
		snprintf(count, sizeof(count), "%llu", (unsigned long long)r->count);
		snprintf(rate, sizeof(rate), "%.1f", r->rate);
		snprintf(errors, sizeof(errors), "%llu", (unsigned long long)r->errors);
	} else {
		dvk_fmt_count(r->count, VT_W_COUNT, count, sizeof(count));
		dvk_fmt_rate(r->rate, VT_W_RATE, rate, sizeof(rate));
		dvk_fmt_count(r->errors, VT_W_ERRORS, errors, sizeof(errors));
	}
	snprintf(buf, len, "%-*.*s %*s %*s %*s %*s %*.1f %*s %*s %*s",
		 VT_W_CALL, VT_W_CALL, r->name, VT_W_NR, nr, VT_W_COUNT, count,
		 VT_W_RATE, rate, VT_W_ERRORS, errors, VT_W_ERRPCT, r->err_pct,
		 VT_W_NS, ns_or_dash(r->p50_ns, p50, sizeof(p50)),
		 VT_W_NS, ns_or_dash(r->p99_ns, p99, sizeof(p99)),
		 VT_W_NS, ns_or_dash(r->avg_ns, avg, sizeof(avg)));
}

void vt_bindwaits_title(const struct dvk_sample *s, char *buf, size_t len)
{
	if (s->bindwaits_total < 0)
		snprintf(buf, len, "BIND WAITS: /sys/kernel/debug/dvk/bindwaits unreadable");
	else
		snprintf(buf, len, "BIND WAITS (%d process%s in wait4bind)", s->bindwaits_total,
			 s->bindwaits_total == 1 ? "" : "es");
}

void vt_bindwaits_header(char *buf, size_t len)
{
	snprintf(buf, len, "%7s %-16s %4s %-6s %6s %10s %10s", "PID", "COMM", "DC", "OPER",
		 "TARGET", "WAITED", "TIMEOUT");
}

void vt_bindwaits_row(const struct dvk_bindwait_row *r, char *buf, size_t len)
{
	char target[16], waited[16], timeout[16];

	if (r->target == SELF)
		snprintf(target, sizeof(target), "SELF");
	else
		snprintf(target, sizeof(target), "%d", r->target);
	dvk_fmt_ns(r->waited_ms * 1000000ULL, waited, sizeof(waited));
	if (r->timeout_ms < 0)
		snprintf(timeout, sizeof(timeout), "forever");
	else
		dvk_fmt_ns((uint64_t)r->timeout_ms * 1000000ULL, timeout, sizeof(timeout));
	snprintf(buf, len, "%7d %-16.16s %4d %-6s %6s %10s %10s", r->pid, r->comm, r->dcid,
		 r->oper == WAIT_BIND ? "bind" : "unbind", target, waited, timeout);
}

/* ------------------------------------------------------------------ */
/* TUI                                                                  */
/* ------------------------------------------------------------------ */
static void calls_header(const struct dvk_canvas *c, char *buf, size_t len)
{
	(void)c;
	vt_table_header(buf, len);
}

static const char *calls_empty(const struct dvk_model *m)
{
	return m->calls.filter[0] ? "  (no call matches the filter)" :
	       "  (no DVK calls since dvktop started)";
}

/* ERRORS and ERR% stand out on a row with errors (with colours only) */
static void calls_draw_row(const struct dvk_canvas *c, int y, const void *row)
{
	const struct dvk_row *r = row;
	char line[512];

	vt_table_row(r, 0, line, sizeof(line));
	c->put(c, y, 0, line, DVK_STYLE_NORMAL, 0);
	if (r->errors && c->colors && strlen(line) >= VT_ERR_COL + VT_ERR_WIDTH) {
		char err[VT_ERR_WIDTH + 1];

		memcpy(err, line + VT_ERR_COL, VT_ERR_WIDTH);
		err[VT_ERR_WIDTH] = '\0';
		c->put(c, y, VT_ERR_COL, err, DVK_STYLE_ALERT, 0);
	}
}

/* The Bind waits section: a blank line, title, header, the longest waits first. */
static void bindwaits_draw(const struct dvk_canvas *c, const struct dvk_model *m, int y,
			   int bottom)
{
	const struct dvk_sample *s = &m->cur;
	char line[256];

	if (s->bindwaits_total == 0 || y + 2 >= bottom)
		return;
	vt_bindwaits_title(s, line, sizeof(line));
	c->put(c, y + 1, 0, line, DVK_STYLE_BOLD, 0);
	if (s->nbindwaits == 0)
		return;
	vt_bindwaits_header(line, sizeof(line));
	c->put(c, y + 2, 0, line, DVK_STYLE_REVERSE, 1);
	for (int i = 0; i < s->nbindwaits && y + 3 + i < bottom; i++) {
		vt_bindwaits_row(&s->bindwaits[i], line, sizeof(line));
		c->put(c, y + 3 + i, 0, line, DVK_STYLE_NORMAL, 0);
	}
}

/* ------------------------------------------------------------------ */
/* Batch text and JSON                                                  */
/* ------------------------------------------------------------------ */
static void calls_text_row(const void *row, char *buf, size_t len)
{
	vt_table_row(row, 1, buf, len);
}

static void calls_write_text(FILE *f, const struct dvk_model *m, const struct vt_status *st)
{
	const struct dvk_sample *s = &m->cur;
	char line[512];

	vt_status_line(m, st, line, sizeof(line));
	fprintf(f, "%s\n", line);
	vt_table_header(line, sizeof(line));
	fprintf(f, "%s\n", line);
	dvk_screen_text_rows(f, &m->calls, calls_text_row);
	/* no blank line: blocks are separated by one (scripts rely on it) */
	if (s->bindwaits_total != 0) {
		vt_bindwaits_title(s, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (s->nbindwaits > 0) {
		vt_bindwaits_header(line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	for (int i = 0; i < s->nbindwaits; i++) {
		vt_bindwaits_row(&s->bindwaits[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

static void bindwaits_write_json(FILE *f, const struct dvk_sample *s)
{
	fprintf(f, ",\"bindwaits_total\":%d,\"bindwaits\":[", s->bindwaits_total);
	for (int i = 0; i < s->nbindwaits; i++) {
		const struct dvk_bindwait_row *b = &s->bindwaits[i];

		fprintf(f, "%s{\"pid\":%d,\"comm\":", i ? "," : "", b->pid);
		dvk_json_string(f, b->comm);
		fprintf(f, ",\"dcid\":%d,\"oper\":\"%s\",\"target\":%d,\"waited_ms\":%llu,"
			"\"timeout_ms\":%lld}", b->dcid, b->oper == WAIT_BIND ? "bind" : "unbind",
			b->target, (unsigned long long)b->waited_ms, (long long)b->timeout_ms);
	}
	fprintf(f, "]");
}

static void calls_json_row(FILE *f, const void *row)
{
	const struct dvk_row *r = row;

	fprintf(f, "{\"nr\":%d,\"name\":", r->nr);
	dvk_json_string(f, r->name);
	fprintf(f, ",\"count\":%llu,\"rate\":%.3f,\"errors\":%llu,\"p50_ns\":%llu,"
		"\"p99_ns\":%llu,\"avg_ns\":%llu,\"err_rate\":%.3f,\"err_pct\":%.2f}",
		(unsigned long long)r->count, r->rate, (unsigned long long)r->errors,
		(unsigned long long)r->p50_ns, (unsigned long long)r->p99_ns,
		(unsigned long long)r->avg_ns, r->err_rate, r->err_pct);
}

static void calls_write_json(FILE *f, const struct dvk_model *m)
{
	dvk_screen_json_rows(f, "calls", &m->calls, calls_json_row);
	bindwaits_write_json(f, &m->cur);
}

static const char *const calls_legend[] = {
	"COUNT ERRORS   since dvktop started; ERR% = errors/count",
	"RATE/s         calls per second over the last interval",
	"P50 P99        estimated from log2 latency histograms",
	"AVG            mean latency since dvktop started",
	NULL,
};

const struct dvk_screen dvk_screen_calls = {
	.name = "Calls",
	.keys = "c",
	.legend = calls_legend,
	.table = offsetof(struct dvk_model, calls),
	.status = vt_status_line,
	.header = calls_header,
	.empty = calls_empty,
	.draw_row = calls_draw_row,
	.draw_below = bindwaits_draw,
	.write_text = calls_write_text,
	.write_json = calls_write_json,
};
