// SPDX-License-Identifier: GPL-2.0
/* cli.c - the integer options of the tools (cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"

long cli_long(const char *fmt, const char *name, const char *s, int base, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, base);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, fmt, name, min, max, s);
		exit(2);
	}
	return v;
}
