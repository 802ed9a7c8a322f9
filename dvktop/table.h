/* SPDX-License-Identifier: GPL-2.0 */
/*
 * table.h - a table of rows of one type, sorted by one of its columns and
 * filtered by a text (htop's Table/Row idea).  The Calls, Endpoints and
 * Proxies views are three tables that differ only in their row type and
 * their class: the columns (a sort key name and a compare function each),
 * the identity order and the filter.
 *
 * The order, the same for every table: rows follow the sort column's
 * natural order (numbers largest first; names, ids and call numbers
 * smallest first), reversed when reverse is set; rows that tie on it
 * follow the table's identity order (call number, (DC, endpoint), node),
 * smallest first and never reversed.  Identities are unique, so the order
 * is total and rows do not jump between refreshes.
 *
 * Pure C: the model and its host unit tests use it.
 */
#ifndef DVKTOP_TABLE_H
#define DVKTOP_TABLE_H

#include <stddef.h>

#define DVK_FILTER_LEN		32

/* <0 when row a comes before row b, 0 when they tie. */
typedef int (*dvk_row_cmp)(const void *a, const void *b);

struct dvk_column {
	const char *key;	/* the sort key's name: "count", "queue" */
	dvk_row_cmp cmp;	/* its natural order */
	int ascending;		/* natural order smallest first (names, ids) */
};

struct dvk_table_class {
	size_t row_size;
	const struct dvk_column *columns;
	int ncolumns;
	dvk_row_cmp identity;	/* the tie-break; unique per row */
	/* 1 if the row matches a non-empty filter text */
	int (*match)(const void *row, const char *filter);
	const char *alias;	/* one more key name (a column title) ... */
	int alias_col;		/* ... for this column */
};

/*
 * The model owns the row arrays (all and rows, cap rows each); the table
 * keeps pointers to them, so a model holding tables is not copied.
 */
struct dvk_table {
	const struct dvk_table_class *cls;
	int sort;			/* column index */
	int reverse;
	char filter[DVK_FILTER_LEN];
	void *all;			/* every row computed from the samples */
	int nall;
	void *rows;			/* the rows shown: filtered, sorted */
	int nrows;
};

void dvk_table_init(struct dvk_table *t, const struct dvk_table_class *cls, void *all,
		    void *rows);
/* rows = all, filtered and sorted (after new rows or a settings change) */
void dvk_table_refresh(struct dvk_table *t);
/* Keep the rows that match filter (all if it is empty or NULL); returns n. */
int dvk_table_filter(const struct dvk_table_class *cls, void *rows, int n, const char *filter);
void dvk_table_sort(const struct dvk_table_class *cls, void *rows, int n, int col, int reverse);
/* the next (dir 1) or previous (dir -1) sort column, cyclically (refresh after) */
void dvk_table_sort_step(struct dvk_table *t, int dir);
/* 1 if the rows are shown largest first (the status line's "desc") */
int dvk_table_descending(const struct dvk_table *t);

/* row i of the rows shown */
static inline const void *dvk_table_row(const struct dvk_table *t, int i)
{
	return (const char *)t->rows + (size_t)i * t->cls->row_size;
}

const char *dvk_table_key_name(const struct dvk_table_class *cls, int col);	/* "?" if none */
/* the column named s (case-insensitive, or the alias), or -1 */
int dvk_table_key_parse(const struct dvk_table_class *cls, const char *s);

/* Defines fn, a dvk_row_cmp that compares rows a and b of type by expr. */
#define DVK_ROW_CMP(fn, type, expr)					\
static int fn(const void *pa, const void *pb)				\
{									\
	const type *a = pa, *b = pb;					\
									\
	return expr;							\
}

/* A class from its row type, columns array and the rest of its fields. */
#define DVK_TABLE_CLASS(type, cols, identity_fn, match_fn, alias_key, alias_column) {	\
	.row_size = sizeof(type), .columns = cols,				\
	.ncolumns = (int)(sizeof(cols) / sizeof(cols[0])),			\
	.identity = identity_fn, .match = match_fn,				\
	.alias = alias_key, .alias_col = alias_column,				\
}

/* Compare helpers for column classes: numbers largest first. */
static inline int dvk_cmp_u64_desc(unsigned long long a, unsigned long long b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static inline int dvk_cmp_dbl_desc(double a, double b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static inline int dvk_cmp_int_asc(long long a, long long b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

#endif /* DVKTOP_TABLE_H */
