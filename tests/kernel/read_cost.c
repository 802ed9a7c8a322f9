// SPDX-License-Identifier: GPL-2.0
/*
 * read_cost - how long one read of a text view of dvk.ko takes, as dvktop
 * reads it each refresh: open, read to the end into a 256 KiB buffer,
 * close (dvktop/source_live.c, read_text()).  For scripts/bench-guest's
 * debugfs part (docs/performance.md, "Developer probes attached").
 *
 *   read_cost [-n N] FILE
 *
 * Reads FILE N times (default 1000) after 10 untimed reads and prints
 *   read_cost: FILE: N reads of B bytes (L rows): X us a read, parse Y us
 * the parse being lib/dvkview's parser of that view (dvk_waits_parse for a
 * file named waits, dvk_endpoints_parse for endpoints; "-" for others),
 * timed over N parses of the last text.  Exit status 0, 1 if FILE cannot
 * be read, 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dvkview/dvkview.h"
#include "dvkview/waits.h"

#define MAX_ROWS 1024

static char text[1 << 18];
static struct dvk_wait wrows[MAX_ROWS];
static struct dvk_endpoint erows[MAX_ROWS];

/* One read as dvktop makes it; the bytes read, or -1. */
static long read_once(const char *path)
{
	size_t used = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (used < sizeof(text) - 1) {
		n = read(fd, text + used, sizeof(text) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	text[used] = '\0';
	return (long)used;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	const char *path, *base;
	long n = 1000, i, bytes = 0, rows = 0;
	int c, kind;
	double t0, read_us, parse_us = -1;

	while ((c = getopt(argc, argv, "n:")) != -1) {
		if (c != 'n' || (n = atol(optarg)) <= 0) {
			fprintf(stderr, "usage: read_cost [-n N] FILE\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: read_cost [-n N] FILE\n");
		return 2;
	}
	path = argv[optind];
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	kind = !strcmp(base, "waits") ? 1 : !strcmp(base, "endpoints") ? 2 : 0;
	for (i = 0; i < 10; i++)
		if (read_once(path) < 0) {
			fprintf(stderr, "read_cost: %s: %s\n", path, strerror(errno));
			return 1;
		}
	t0 = now_us();
	for (i = 0; i < n; i++)
		bytes = read_once(path);
	read_us = (now_us() - t0) / n;
	if (kind) {
		t0 = now_us();
		for (i = 0; i < n; i++)
			rows = kind == 1 ? dvk_waits_parse(text, wrows, MAX_ROWS, NULL) :
					   dvk_endpoints_parse(text, erows, MAX_ROWS, NULL);
		parse_us = (now_us() - t0) / n;
	} else {
		for (i = 0; text[i]; i++)
			rows += text[i] == '\n';
		rows = rows > 0 ? rows - 1 : 0;	/* lines past a header */
	}
	printf("read_cost: %s: %ld reads of %ld bytes (%ld rows): %.1f us a read, parse ", path, n,
	       bytes, rows, read_us);
	if (parse_us < 0)
		printf("-\n");
	else
		printf("%.1f us\n", parse_us);
	return 0;
}
