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

static const char *const sort_names[DVK_SORT_NKEYS] = {
	[DVK_SORT_COUNT] = "count",
	[DVK_SORT_RATE] = "rate",
	[DVK_SORT_ERRORS] = "errors",
	[DVK_SORT_P50] = "p50",
	[DVK_SORT_P99] = "p99",
	[DVK_SORT_AVG] = "avg",
	[DVK_SORT_NAME] = "name",
	[DVK_SORT_NR] = "nr",
};

const char *dvk_sort_key_name(enum dvk_sort_key key)
{
	return key_name(sort_names, DVK_SORT_NKEYS, (int)key);
}

int dvk_sort_key_parse(const char *s)
{
	return key_parse(sort_names, DVK_SORT_NKEYS, s, "call", DVK_SORT_NAME);
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

int dvk_rows_filter(struct dvk_row *rows, int n, const char *filter)
{
	int kept = 0;

	if (!filter || !*filter)
		return n;
	for (int i = 0; i < n; i++)
		if (contains_nocase(rows[i].name, filter))
			rows[kept++] = rows[i];
	return kept;
}

/* <0 if a comes before b in the key's natural order (before reversing). */
static int row_cmp(const struct dvk_row *a, const struct dvk_row *b, enum dvk_sort_key key)
{
	switch (key) {
	case DVK_SORT_COUNT:
		return cmp_u64_desc(a->count, b->count);
	case DVK_SORT_RATE:
		return cmp_dbl_desc(a->rate, b->rate);
	case DVK_SORT_ERRORS:
		return cmp_u64_desc(a->errors, b->errors);
	case DVK_SORT_P50:
		return cmp_u64_desc(a->p50_ns, b->p50_ns);
	case DVK_SORT_P99:
		return cmp_u64_desc(a->p99_ns, b->p99_ns);
	case DVK_SORT_AVG:
		return cmp_u64_desc(a->avg_ns, b->avg_ns);
	case DVK_SORT_NAME:
		return strcmp(a->name, b->name);
	case DVK_SORT_NR:
	default:
		return a->nr - b->nr;
	}
}

/*
 * Sort by key (numbers largest first, name and nr smallest first; reverse
 * flips that); ties are broken by call number, smallest first, so the order
 * is total and rows do not jump around between refreshes.  n <= 36: an
 * insertion sort is plenty and needs no global state for qsort.
 */
void dvk_rows_sort(struct dvk_row *rows, int n, enum dvk_sort_key key, int reverse)
{
	for (int i = 1; i < n; i++) {
		struct dvk_row r = rows[i];
		int j = i;

		while (j > 0) {
			int c = row_cmp(&rows[j - 1], &r, key);

			if (reverse)
				c = -c;
			if (c == 0)
				c = rows[j - 1].nr - r.nr;
			if (c <= 0)
				break;
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = r;
	}
}

/* ------------------------------------------------------------------ */
/* The model                                                            */
/* ------------------------------------------------------------------ */
void dvk_model_init(struct dvk_model *m)
{
	memset(m, 0, sizeof(*m));
	m->sort = DVK_SORT_COUNT;
	m->ep_sort = DVK_EP_SORT_QUEUE;
}

void dvk_model_refresh(struct dvk_model *m)
{
	memcpy(m->rows, m->all, sizeof(m->all[0]) * (size_t)m->nall);
	m->nrows = dvk_rows_filter(m->rows, m->nall, m->filter);
	dvk_rows_sort(m->rows, m->nrows, m->sort, m->reverse);
	memcpy(m->ep_rows, m->ep_all, sizeof(m->ep_all[0]) * (size_t)m->nep_all);
	m->nep_rows = dvk_ep_rows_filter(m->ep_rows, m->nep_all, m->ep_filter);
	dvk_ep_rows_sort(m->ep_rows, m->nep_rows, m->ep_sort, m->ep_reverse);
	memcpy(m->px_rows, m->px_all, sizeof(m->px_all[0]) * (size_t)m->npx_all);
	m->npx_rows = dvk_px_rows_filter(m->px_rows, m->npx_all, m->px_filter);
	dvk_px_rows_sort(m->px_rows, m->npx_rows, m->px_sort, m->px_reverse);
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

	m->nall = dvk_rows_compute(m->nsamples > 1 ? &m->prev : NULL, &m->cur, m->all);
	m->total_count = 0;
	m->total_errors = 0;
	m->total_rate = 0;
	for (int i = 0; i < m->nall; i++) {
		m->total_count += m->all[i].count;
		m->total_errors += m->all[i].errors;
		m->total_rate += m->all[i].rate;
	}
	m->nep_all = dvk_ep_rows_compute(m->nsamples > 1 ? &m->prev : NULL, &m->cur, m->ep_all);
	m->ep_queued = 0;
	m->ep_in_rate = 0;
	for (int i = 0; i < m->nep_all; i++) {
		m->ep_queued += m->ep_all[i].e.queue;
		m->ep_in_rate += m->ep_all[i].in_rate;
	}
	dvk_px_model_update(m);
	dvk_model_refresh(m);
}

/* ------------------------------------------------------------------ */
/* /proc/dvs/info                                                       */
/* ------------------------------------------------------------------ */
static int parse_i32(const char *v, int32_t *out)
{
	char *end;
	long x = strtol(v, &end, 10);

	if (end == v)
		return 0;
	*out = (int32_t)x;
	return 1;
}

/**
 * dvk_dvs_parse - parse the key=value lines of /proc/dvs/info.
 * @text: the file's text (NUL-terminated)
 * @out:  fields found are set; others are left unchanged (state too)
 *
 * Known keys: name, nodeid, nr_dcs, nr_nodes, max_nr_procs, max_nr_tasks,
 * max_sys_procs, max_copy_buf, max_copy_len, version (decimal) and flags
 * (hexadecimal, as the kernel prints it with %llX).  Other lines are ignored.
 *
 * Return: the number of known keys found.
 */
int dvk_dvs_parse(const char *text, struct dvk_dvs_info *out)
{
	static const struct {
		const char *key;
		size_t off;
	} ints[] = {
		{ "nodeid", offsetof(struct dvk_dvs_info, nodeid) },
		{ "nr_dcs", offsetof(struct dvk_dvs_info, nr_dcs) },
		{ "nr_nodes", offsetof(struct dvk_dvs_info, nr_nodes) },
		{ "max_nr_procs", offsetof(struct dvk_dvs_info, max_nr_procs) },
		{ "max_nr_tasks", offsetof(struct dvk_dvs_info, max_nr_tasks) },
		{ "max_sys_procs", offsetof(struct dvk_dvs_info, max_sys_procs) },
		{ "max_copy_buf", offsetof(struct dvk_dvs_info, max_copy_buf) },
		{ "max_copy_len", offsetof(struct dvk_dvs_info, max_copy_len) },
		{ "version", offsetof(struct dvk_dvs_info, version) },
	};
	int found = 0;

	while (text && *text) {
		const char *eol = strchr(text, '\n');
		const char *eq = memchr(text, '=', eol ? (size_t)(eol - text) : strlen(text));
		size_t linelen = eol ? (size_t)(eol - text) : strlen(text);
		char key[32], val[128];

		if (eq && (size_t)(eq - text) < sizeof(key)) {
			size_t klen = (size_t)(eq - text);
			size_t vlen = linelen - klen - 1;

			memcpy(key, text, klen);
			key[klen] = '\0';
			if (vlen >= sizeof(val))
				vlen = sizeof(val) - 1;
			memcpy(val, eq + 1, vlen);
			val[vlen] = '\0';

			if (!strcmp(key, "name")) {
				size_t nl = strnlen(val, sizeof(out->name) - 1);

				memcpy(out->name, val, nl);
				out->name[nl] = '\0';
				found++;
			} else if (!strcmp(key, "flags")) {
				char *end;
				unsigned long long f = strtoull(val, &end, 16);

				if (end != val) {
					out->flags = f;
					found++;
				}
			} else {
				for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
					if (!strcmp(key, ints[i].key)) {
						found += parse_i32(val,
							(int32_t *)((char *)out + ints[i].off));
						break;
					}
			}
		}
		if (!eol)
			break;
		text = eol + 1;
	}
	return found;
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
