// SPDX-License-Identifier: GPL-2.0
/*
 * model_calls.c - the model of the Calls view: one row per DVK call number
 * seen, from the call_stats of two samples, and the view's table class.
 * Call names are libdvk's (dvk_callname(), from the DVK_CALL_LIST X-macro
 * of dvk.h): dvktop links libdvk for its names, never for its calls.
 */
#include <string.h>
#include "libdvk.h"
#include "model.h"
#include "model_util.h"

int dvk_rows_compute(const struct dvk_sample *prev, const struct dvk_sample *cur,
		     struct dvk_row rows[DVK_STAT_SLOTS])
{
	double interval;
	int n = 0;

	if (!cur)
		return 0;
	interval = seconds_between(prev, cur);

	for (int slot = 0; slot < DVK_STAT_SLOTS; slot++) {
		const struct dvk_call_stat *c = &cur->calls[slot];
		struct dvk_row *r = &rows[n];

		if (c->count == 0)
			continue;
		memset(r, 0, sizeof(*r));
		r->nr = slot;
		r->name = dvk_callname(slot);
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

#define CALL_CMP(fn, expr) DVK_ROW_CMP(fn, struct dvk_row, expr)
CALL_CMP(call_identity, dvk_cmp_int_asc(a->nr, b->nr))
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

const struct dvk_table_class dvk_calls_class =
	DVK_TABLE_CLASS(struct dvk_row, call_columns, call_identity, call_match, "call", DVK_SORT_NAME);
