// SPDX-License-Identifier: GPL-2.0
/* endpoints.c - the parser of debugfs dvk/endpoints (dvkview.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dvkview.h"

/*
 * The kernel prints "%2d %5d %7d %5X %-5s %5d %4d %9s %10llu %10llu %12llu
 * %s" (docs/proc-debugfs.md): eleven fields, then the name, which may hold
 * spaces and runs to the end of the line.
 */
int dvk_endpoint_line(const char *line, struct dvk_endpoint *r)
{
	char state[17], oldest[32];
	unsigned long long in, out, copied;
	unsigned int flags;
	int used = 0;

	memset(r, 0, sizeof(*r));
	if (sscanf(line, "%d %d %d %x %16s %d %d %31s %llu %llu %llu %n", &r->dcid, &r->ep,
		   &r->pid, &flags, state, &r->queue, &r->ntfy, oldest, &in, &out, &copied,
		   &used) != 11 || used == 0)
		return -1;	/* the header or garbage */
	if (!strcmp(oldest, "-")) {
		r->oldest_ms = -1;
	} else {
		char *after;

		r->oldest_ms = strtoll(oldest, &after, 10);
		if (*after || r->oldest_ms < 0)
			return -1;
	}
	r->flags = flags;
	snprintf(r->state, sizeof(r->state), "%s", state);
	r->msgs_in = in;
	r->msgs_out = out;
	r->bytes_copied = copied;
	snprintf(r->name, sizeof(r->name), "%.16s", line + used);
	return 0;
}

static int endpoint_line(const char *line, void *row)
{
	return dvk_endpoint_line(line, row);
}

int dvk_endpoints_parse(const char *text, struct dvk_endpoint *rows, int max, int *kept)
{
	return dvkview_collect(text, 256, endpoint_line, rows, sizeof(*rows), max, kept);
}
