// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - sorting and filtering of the rows of a table (table.h).
 */
#define _GNU_SOURCE		/* qsort_r: the sort's key travels with the call */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "table.h"

void dvk_table_init(struct dvk_table *t, const struct dvk_table_class *cls, void *all,
		    void *rows)
{
	memset(t, 0, sizeof(*t));
	t->cls = cls;
	t->all = all;
	t->rows = rows;
}

int dvk_table_filter(const struct dvk_table_class *cls, void *rows, int n, const char *filter)
{
	char *base = rows;
	int kept = 0;

	if (!filter || !*filter)
		return n;
	for (int i = 0; i < n; i++) {
		char *row = base + (size_t)i * cls->row_size;

		if (!cls->match(row, filter))
			continue;
		if (kept != i)
			memcpy(base + (size_t)kept * cls->row_size, row, cls->row_size);
		kept++;
	}
	return kept;
}

struct sort_order {
	dvk_row_cmp cmp;
	dvk_row_cmp identity;
	int reverse;
};

/* the rule of table.h: the column (reversed if asked), then the identity */
static int order_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_order *o = arg;
	int c = o->cmp ? o->cmp(a, b) : 0;

	c = c < 0 ? -1 : c > 0;
	if (o->reverse)
		c = -c;
	return c ? c : o->identity(a, b);
}

void dvk_table_sort(const struct dvk_table_class *cls, void *rows, int n, int col, int reverse)
{
	struct sort_order o = { .identity = cls->identity, .reverse = reverse };

	if (col >= 0 && col < cls->ncolumns)
		o.cmp = cls->columns[col].cmp;
	if (n > 1)
		qsort_r(rows, (size_t)n, cls->row_size, order_cmp, &o);
}

void dvk_table_refresh(struct dvk_table *t)
{
	memcpy(t->rows, t->all, t->cls->row_size * (size_t)t->nall);
	t->nrows = dvk_table_filter(t->cls, t->rows, t->nall, t->filter);
	dvk_table_sort(t->cls, t->rows, t->nrows, t->sort, t->reverse);
}

void dvk_table_sort_step(struct dvk_table *t, int dir)
{
	int n = t->cls->ncolumns;

	t->sort = ((t->sort + dir) % n + n) % n;
}

int dvk_table_descending(const struct dvk_table *t)
{
	int asc = t->sort >= 0 && t->sort < t->cls->ncolumns && t->cls->columns[t->sort].ascending;

	return asc == !!t->reverse;
}

const char *dvk_table_key_name(const struct dvk_table_class *cls, int col)
{
	return col >= 0 && col < cls->ncolumns ? cls->columns[col].key : "?";
}

int dvk_table_key_parse(const struct dvk_table_class *cls, const char *s)
{
	if (!s)
		return -1;
	for (int k = 0; k < cls->ncolumns; k++)
		if (!strcasecmp(s, cls->columns[k].key))
			return k;
	return cls->alias && !strcasecmp(s, cls->alias) ? cls->alias_col : -1;
}
