// SPDX-License-Identifier: GPL-2.0
/* bindwaits.c - the parser of debugfs dvk/bindwaits (dvkview.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dvkview.h"

/*
 * The kernel prints fixed columns ("%7d %-16.16s %4d %-6s %6s %10llu
 * %10ld", docs/proc-debugfs.md); the command name may hold spaces, so it
 * is cut by column, the rest by fields.
 */
int dvk_bindwait_line(const char *line, struct dvk_bindwait_row *r)
{
	char oper[16], target[16];
	unsigned long long waited;
	long long timeout;
	char *after;

	memset(r, 0, sizeof(*r));
	r->pid = (int32_t)strtol(line, &after, 10);
	if (after == line || r->pid <= 0 || strlen(line) < 25 || line[7] != ' ')
		return -1;	/* the header or garbage */
	memcpy(r->comm, line + 8, 16);
	r->comm[16] = '\0';
	for (int i = 15; i >= 0 && r->comm[i] == ' '; i--)
		r->comm[i] = '\0';
	if (sscanf(line + 24, "%d %15s %15s %llu %lld", &r->dcid, oper, target, &waited,
		   &timeout) != 5)
		return -1;
	if (!strcmp(oper, "bind"))
		r->oper = WAIT_BIND;
	else if (!strcmp(oper, "unbind"))
		r->oper = WAIT_UNBIND;
	else
		return -1;
	r->target = strcmp(target, "SELF") ? (int32_t)strtol(target, NULL, 10) : SELF;
	r->waited_ms = waited;
	r->timeout_ms = timeout;
	return 0;
}

/* longest wait first; the same wait by pid */
static int bindwait_cmp(const void *a, const void *b)
{
	const struct dvk_bindwait_row *x = a, *y = b;

	if (x->waited_ms != y->waited_ms)
		return x->waited_ms < y->waited_ms ? 1 : -1;
	return x->pid - y->pid;
}

int dvk_bindwaits_parse(const char *text, struct dvk_bindwait_row *rows, int max, int *kept)
{
	const char *pos = text;
	int total = 0, n = 0;
	char buf[160];

	while (dvkview_line(&pos, buf, sizeof(buf)) >= 0) {
		struct dvk_bindwait_row r;

		if (dvk_bindwait_line(buf, &r))
			continue;
		total++;
		if (n < max)
			rows[n++] = r;
		else if (max > 0 && r.waited_ms > rows[max - 1].waited_ms)
			rows[max - 1] = r;	/* keep the longest waits */
		if (n > 1)
			qsort(rows, (size_t)n, sizeof(*rows), bindwait_cmp);
	}
	if (kept)
		*kept = n;
	return total;
}
