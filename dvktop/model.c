// SPDX-License-Identifier: GPL-2.0
/*
 * model.c - dvktop's model: from samples to the rows the views draw.
 *
 * Pure C (no ncurses, no libbpf, no libdvk): linked alone into the host
 * unit test tests/unit/test_model.c.  Call names come from the
 * DVK_CALL_LIST X-macro of dvk.h, not from libdvk.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model.h"
#include "model_util.h"

/* ------------------------------------------------------------------ */
/* Names                                                                */
/* ------------------------------------------------------------------ */
#define _DVKTOP_CALLNAME(nr, name) [nr] = #name,
static const char *const call_names[DVK_NR_CALLS] = {
	DVK_CALL_LIST(_DVKTOP_CALLNAME)
};
#undef _DVKTOP_CALLNAME

const char *dvk_model_callname(int nr)
{
	if (nr >= 0 && nr < DVK_NR_CALLS && call_names[nr])
		return call_names[nr];
	return "invalid";
}

const char *dvk_dvs_state_name(enum dvk_dvs_state st)
{
	switch (st) {
	case DVK_DVS_INITIALIZED:
		return "initialized";
	case DVK_DVS_NOT_INITIALIZED:
		return "not_initialized";
	case DVK_DVS_NOT_LOADED:
	default:
		return "not_loaded";
	}
}

/* ------------------------------------------------------------------ */
/* Percentiles                                                          */
/* ------------------------------------------------------------------ */
/**
 * dvk_hist_percentile - estimate a latency percentile from a log2 histogram.
 * @hist:   slot i counts durations in [2^i, 2^(i+1)) ns; slot 0 is [0, 2)
 * @nslots: number of slots (the last one is taken as [2^n-1, 2^n))
 * @p:      the percentile as a fraction, 0 <= p <= 1 (0.5, 0.99)
 *
 * Method: nearest rank, then linear interpolation inside the bucket.
 * With N samples the wanted sample is the k-th smallest, k = ceil(p * N)
 * (at least 1).  The bucket holding it is found by summing the slots.  The
 * h samples of a bucket [lo, hi) are assumed spread evenly across it, the
 * j-th (1 <= j <= h) at the centre of its share:
 *     value = lo + (j - 0.5) / h * (hi - lo)
 * so the estimate always lies strictly inside the bucket (all samples in
 * [1024, 2048) give a p50 of 1536).  The error is at most half a bucket,
 * i.e. within a factor of 2 of the truth, as for any log2 histogram.
 *
 * Return: the estimate in ns (truncated); 0 when the histogram is empty.
 */
uint64_t dvk_hist_percentile(const __u64 *hist, int nslots, double p)
{
	uint64_t n = 0, k, before = 0;
	int i;

	if (!hist || nslots <= 0)
		return 0;
	for (i = 0; i < nslots; i++)
		n += hist[i];
	if (n == 0)
		return 0;
	if (!(p > 0))		/* also catches NaN */
		p = 0;
	if (p > 1)
		p = 1;
	/* ceil(p * n), tolerant of 0.99 * 100 = 99.000000000000014 */
	k = (uint64_t)ceil(p * (double)n - 1e-9 * (double)n);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	for (i = 0; i < nslots; i++) {
		if (hist[i] && before + hist[i] >= k) {
			double lo = i == 0 ? 0.0 : ldexp(1.0, i);
			double hi = ldexp(1.0, i + 1);
			double j = (double)(k - before);

			/* truncated, so that the estimate stays below hi */
			return (uint64_t)floor(lo + (j - 0.5) / (double)hist[i] * (hi - lo));
		}
		before += hist[i];
	}
	return 0;	/* not reached */
}

/* ------------------------------------------------------------------ */
/* Rows                                                                 */
/* ------------------------------------------------------------------ */
int dvk_rows_compute(const struct dvk_sample *prev, const struct dvk_sample *cur,
		     struct dvk_row rows[DVK_STAT_SLOTS])
{
	double interval = 0;
	int n = 0;

	if (!cur)
		return 0;
	if (prev && cur->time_ns > prev->time_ns)
		interval = (double)(cur->time_ns - prev->time_ns) / 1e9;

	for (int slot = 0; slot < DVK_STAT_SLOTS; slot++) {
		const struct dvk_call_stat *c = &cur->calls[slot];
		struct dvk_row *r = &rows[n];

		if (c->count == 0)
			continue;
		memset(r, 0, sizeof(*r));
		r->nr = slot;
		r->name = dvk_model_callname(slot);
		r->count = c->count;
		r->errors = c->errors;
		r->err_pct = 100.0 * (double)c->errors / (double)c->count;
		r->avg_ns = c->total_ns / c->count;
		r->p50_ns = dvk_hist_percentile(c->hist, DVK_HIST_SLOTS, 0.50);
		r->p99_ns = dvk_hist_percentile(c->hist, DVK_HIST_SLOTS, 0.99);
		if (interval > 0) {
			const struct dvk_call_stat *p = &prev->calls[slot];

			r->rate = (double)delta(c->count, p->count) / interval;
			r->err_rate = (double)delta(c->errors, p->errors) / interval;
		}
		n++;
	}
	return n;
}

static int call_identity(const void *a, const void *b)
{
	return dvk_cmp_int_asc(((const struct dvk_row *)a)->nr, ((const struct dvk_row *)b)->nr);
}

#define CALL_CMP(fn, expr)						\
static int fn(const void *pa, const void *pb)				\
{									\
	const struct dvk_row *a = pa, *b = pb;				\
									\
	return expr;							\
}
CALL_CMP(call_by_count, dvk_cmp_u64_desc(a->count, b->count))
CALL_CMP(call_by_rate, dvk_cmp_dbl_desc(a->rate, b->rate))
CALL_CMP(call_by_errors, dvk_cmp_u64_desc(a->errors, b->errors))
CALL_CMP(call_by_p50, dvk_cmp_u64_desc(a->p50_ns, b->p50_ns))
CALL_CMP(call_by_p99, dvk_cmp_u64_desc(a->p99_ns, b->p99_ns))
CALL_CMP(call_by_avg, dvk_cmp_u64_desc(a->avg_ns, b->avg_ns))
CALL_CMP(call_by_name, strcmp(a->name, b->name))
#undef CALL_CMP

static int call_match(const void *row, const char *filter)
{
	return contains_nocase(((const struct dvk_row *)row)->name, filter);
}

static const struct dvk_column call_columns[DVK_SORT_NKEYS] = {
	[DVK_SORT_COUNT] = { "count", call_by_count, 0 },
	[DVK_SORT_RATE] = { "rate", call_by_rate, 0 },
	[DVK_SORT_ERRORS] = { "errors", call_by_errors, 0 },
	[DVK_SORT_P50] = { "p50", call_by_p50, 0 },
	[DVK_SORT_P99] = { "p99", call_by_p99, 0 },
	[DVK_SORT_AVG] = { "avg", call_by_avg, 0 },
	[DVK_SORT_NAME] = { "name", call_by_name, 1 },
	[DVK_SORT_NR] = { "nr", call_identity, 1 },
};

const struct dvk_table_class dvk_calls_class = {
	.row_size = sizeof(struct dvk_row),
	.columns = call_columns,
	.ncolumns = DVK_SORT_NKEYS,
	.identity = call_identity,
	.match = call_match,
	.alias = "call",
	.alias_col = DVK_SORT_NAME,
};

/* ------------------------------------------------------------------ */
/* The model                                                            */
/* ------------------------------------------------------------------ */
void dvk_model_init(struct dvk_model *m)
{
	memset(m, 0, sizeof(*m));
	dvk_table_init(&m->calls, &dvk_calls_class, m->call_all, m->call_rows);
	dvk_table_init(&m->eps, &dvk_ep_class, m->ep_all, m->ep_rows);
	dvk_table_init(&m->pxs, &dvk_px_class, m->px_all, m->px_rows);
	m->calls.sort = DVK_SORT_COUNT;
	m->eps.sort = DVK_EP_SORT_QUEUE;
	m->pxs.sort = DVK_PX_SORT_NODE;
}

void dvk_model_refresh(struct dvk_model *m)
{
	dvk_table_refresh(&m->calls);
	dvk_table_refresh(&m->eps);
	dvk_table_refresh(&m->pxs);
}

void dvk_model_update(struct dvk_model *m, const struct dvk_sample *s)
{
	if (m->nsamples > 0)
		m->prev = m->cur;
	m->cur = *s;
	m->nsamples++;
	m->interval_s = 0;
	if (m->nsamples > 1 && m->cur.time_ns > m->prev.time_ns)
		m->interval_s = (double)(m->cur.time_ns - m->prev.time_ns) / 1e9;

	m->calls.nall = dvk_rows_compute(m->nsamples > 1 ? &m->prev : NULL, &m->cur, m->call_all);
	m->total_count = 0;
	m->total_errors = 0;
	m->total_rate = 0;
	for (int i = 0; i < m->calls.nall; i++) {
		m->total_count += m->call_all[i].count;
		m->total_errors += m->call_all[i].errors;
		m->total_rate += m->call_all[i].rate;
	}
	m->eps.nall = dvk_ep_rows_compute(m->nsamples > 1 ? &m->prev : NULL, &m->cur, m->ep_all);
	m->ep_queued = 0;
	m->ep_in_rate = 0;
	for (int i = 0; i < m->eps.nall; i++) {
		m->ep_queued += m->ep_all[i].e.queue;
		m->ep_in_rate += m->ep_all[i].in_rate;
	}
	dvk_px_model_update(m);
	dvk_model_refresh(m);
}

/* ------------------------------------------------------------------ */
/* Formatting                                                           */
/* ------------------------------------------------------------------ */
char *dvk_fmt_ns(uint64_t ns, char *buf, size_t len)
{
	static const struct {
		double div;
		const char *unit;
	} units[] = { { 1e3, "us" }, { 1e6, "ms" }, { 1e9, "s" } };

	if (!len)
		return buf;
	if (ns < 1000) {
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
		return buf;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double v = (double)ns / units[i].div;

		/* 999.96us would print as "1000.0us": take the next unit */
		if (v < 999.95 || i == sizeof(units) / sizeof(units[0]) - 1) {
			if (v < 99999.95)
				snprintf(buf, len, "%.1f%s", v, units[i].unit);
			else
				snprintf(buf, len, "%.0f%s", v, units[i].unit);
			break;
		}
	}
	return buf;
}

char *dvk_fmt_count(uint64_t v, int width, char *buf, size_t len)
{
	static const char suffix[] = "kMGTPE";
	double d = (double)v;

	if (!len)
		return buf;
	snprintf(buf, len, "%llu", (unsigned long long)v);
	if (width <= 0 || strlen(buf) <= (size_t)width)
		return buf;
	/* the first unit that brings the value under 1000: 123.5G, not 123457M */
	for (int i = 0; suffix[i]; i++) {
		d /= 1000.0;
		if (d >= 999.95 && suffix[i + 1])
			continue;
		snprintf(buf, len, "%.1f%c", d, suffix[i]);
		if (strlen(buf) > (size_t)width)
			snprintf(buf, len, "%.0f%c", d, suffix[i]);
		break;
	}
	return buf;
}

char *dvk_fmt_rate(double v, int width, char *buf, size_t len)
{
	static const char suffix[] = "kMGTPE";

	if (!len)
		return buf;
	if (!(v >= 0) || isinf(v))	/* NaN, negative, infinite: no rate */
		v = 0;
	snprintf(buf, len, "%.1f", v);
	if (width <= 0 || strlen(buf) <= (size_t)width)
		return buf;
	for (int i = 0; suffix[i]; i++) {
		v /= 1000.0;
		if (v >= 999.95 && suffix[i + 1])
			continue;
		snprintf(buf, len, "%.1f%c", v, suffix[i]);
		if (strlen(buf) > (size_t)width)
			snprintf(buf, len, "%.0f%c", v, suffix[i]);
		break;
	}
	return buf;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

size_t dvk_json_escape(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t out = 0;

#define PUT(str, n) do {						\
	for (size_t _i = 0; _i < (n); _i++, out++)			\
		if (out + 1 < len)					\
			buf[out] = (str)[_i];				\
} while (0)

	while (*p) {
		char esc[8];
		size_t n;

		switch (*p) {
		case '"':  PUT("\\\"", 2); p++; continue;
		case '\\': PUT("\\\\", 2); p++; continue;
		case '\n': PUT("\\n", 2); p++; continue;
		case '\r': PUT("\\r", 2); p++; continue;
		case '\t': PUT("\\t", 2); p++; continue;
		case '\b': PUT("\\b", 2); p++; continue;
		case '\f': PUT("\\f", 2); p++; continue;
		default:
			break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			PUT(esc, 6);
			p++;
		} else if (*p < 0x80) {
			PUT((const char *)p, 1);
			p++;
		} else if ((n = utf8_seq_len(p)) > 0) {
			PUT((const char *)p, n);
			p += n;
		} else {
			PUT("\\ufffd", 6);
			p++;
		}
	}
#undef PUT
	if (len)
		buf[out < len ? out : len - 1] = '\0';
	return out;
}
