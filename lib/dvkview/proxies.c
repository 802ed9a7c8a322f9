// SPDX-License-Identifier: GPL-2.0
/* proxies.c - the parser of debugfs dvk/proxies (dvkview.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dvkview.h"

/* The columns after NAME, in the kernel's order. */
enum pair_field {
	F_STATE, F_NODES, F_QUEUE, F_OLDEST_MS, F_MSGS_OUT, F_BYTES_OUT, F_MSGS_IN, F_BYTES_IN,
	F_ERR_OUT, F_ERR_IN, F_LAST_ERR, F_LAST_OUT_MS, F_LAST_IN_MS, F_REFUSED,
	PX_FIELDS
};

/* "-" (never) as -1, else a decimal >= 0; 0 if the token is neither. */
static int parse_age(const char *tok, int64_t *out)
{
	char *end;
	long long v;

	if (!strcmp(tok, "-")) {
		*out = -1;
		return 1;
	}
	v = strtoll(tok, &end, 10);
	if (end == tok || *end || v < 0)
		return 0;
	*out = v;
	return 1;
}

static int parse_u64(const char *tok, uint64_t *out)
{
	char *end;

	if (*tok < '0' || *tok > '9')
		return 0;
	*out = strtoull(tok, &end, 0);
	return !*end;
}

static int parse_s64(const char *tok, int64_t *out)
{
	char *end;

	*out = strtoll(tok, &end, 10);
	return end != tok && !*end;
}

struct tokens {
	const char *start[64], *end[64];
	int n;
};

/* Split at blanks; 0 if there are more tokens than a line of the view has. */
static int split(const char *p, struct tokens *t)
{
	t->n = 0;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (t->n == (int)(sizeof(t->start) / sizeof(t->start[0])))
			return 0;
		t->start[t->n] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		t->end[t->n++] = p;
	}
	return 1;
}

/* token k into buf (size bytes); 0 if it does not fit */
static int token(const struct tokens *t, int k, char *buf, size_t size)
{
	size_t l = (size_t)(t->end[k] - t->start[k]);

	if (l >= size)
		return 0;
	memcpy(buf, t->start[k], l);
	buf[l] = '\0';
	return 1;
}

static int parse_counters(char f[PX_FIELDS][32], struct dvk_pair *r)
{
	return parse_age(f[F_OLDEST_MS], &r->oldest_ms) && parse_u64(f[F_MSGS_OUT], &r->msgs_out) &&
	       parse_u64(f[F_BYTES_OUT], &r->bytes_out) && parse_u64(f[F_MSGS_IN], &r->msgs_in) &&
	       parse_u64(f[F_BYTES_IN], &r->bytes_in) && parse_u64(f[F_ERR_OUT], &r->err_out) &&
	       parse_u64(f[F_ERR_IN], &r->err_in) && parse_s64(f[F_LAST_ERR], &r->last_error) &&
	       parse_age(f[F_LAST_OUT_MS], &r->last_out_ms) &&
	       parse_age(f[F_LAST_IN_MS], &r->last_in_ms) && parse_u64(f[F_REFUSED], &r->refused);
}

/*
 * One line: "PX NAME STATE NODES QUEUE OLDEST_MS MSGS_OUT BYTES_OUT MSGS_IN
 * BYTES_IN ERR_OUT ERR_IN LAST_ERR LAST_OUT_MS LAST_IN_MS REFUSED"
 * (docs/proc-debugfs.md).  The name is what proxies_bind was given and may
 * hold spaces: the fields are taken from both ends, the name is between.
 */
int dvk_pair_line(const char *line, struct dvk_pair *r)
{
	struct tokens t;
	char f[PX_FIELDS][32], px[16];
	const char *s;
	int64_t v;

	if (!split(line, &t) || t.n < 1 + PX_FIELDS)
		return -1;
	for (int i = 0; i < PX_FIELDS; i++)
		if (!token(&t, t.n - PX_FIELDS + i, f[i], sizeof(f[i])))
			return -1;
	memset(r, 0, sizeof(*r));
	if (!token(&t, 0, px, sizeof(px)) || !parse_s64(px, &v) || v < 0 || v >= DVK_MAX_PAIRS)
		return -1;
	r->px = (int32_t)v;
	/* the name: from its first to its last token, inner spaces kept */
	if (t.n > 1 + PX_FIELDS)
		snprintf(r->name, sizeof(r->name), "%.*s",
			 (int)(t.end[t.n - PX_FIELDS - 1] - t.start[1]), t.start[1]);
	s = f[F_STATE];
	if (strlen(s) != 3 || s[0] != 'I' || (s[1] != 'S' && s[1] != '-') ||
	    (s[2] != 'R' && s[2] != '-'))
		return -1;
	memcpy(r->state, s, 4);
	if (strncmp(f[F_NODES], "0x", 2) || !parse_u64(f[F_NODES], &r->nodemap))
		return -1;
	if (!parse_s64(f[F_QUEUE], &v) || v < 0 || v > INT32_MAX)
		return -1;
	r->queue = (int32_t)v;
	return parse_counters(f, r) ? 0 : -1;
}

static int pair_line(const char *line, void *row)
{
	return dvk_pair_line(line, row);
}

int dvk_proxies_parse(const char *text, struct dvk_pair *rows, int max, int *kept)
{
	return dvkview_collect(text, 512, pair_line, rows, sizeof(*rows), max, kept);
}
