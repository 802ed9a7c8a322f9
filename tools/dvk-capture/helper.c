// SPDX-License-Identifier: GPL-2.0
/*
 * dvk-capture-helper - what tools/dvk-capture/dvk-capture cannot do in shell.
 *
 *   dvk-capture-helper clocks [TRIES]
 *       one CLOCK_REALTIME / CLOCK_MONOTONIC pair as a JSON object
 *       {"realtime_ns":R,"monotonic_ns":M,"uncertainty_ns":U}: CLOCK_MONOTONIC
 *       is read before and after CLOCK_REALTIME, M is the midpoint and U half
 *       the gap; of TRIES pairs (default 7) the one with the smallest gap.
 *   dvk-capture-helper marks MARKER INTERVAL_S
 *       clock pairs written INTO a trace (docs/support.md, "Clocks of a flight
 *       trace"): every INTERVAL_S seconds (0: once), and at SIGUSR1 or SIGTERM
 *       (once more, then exit), reads CLOCK_MONOTONIC (m1) and CLOCK_REALTIME
 *       (r), writes "dvk-clock mono=m1 real=r" to MARKER (a tracefs instance's
 *       trace_marker: the marker gets the instance's trace clock's time stamp),
 *       reads CLOCK_MONOTONIC again (m2), and prints on stdout one line
 *       {"mono1_ns":m1,"realtime_ns":r,"mono2_ns":m2} (flushed).  The time
 *       stamp of the marker lies between m1 and m2.
 *   dvk-capture-helper errno NAME|NUMBER
 *       the (negative) value of a DVK error code, by name (EDVSNOTCONN) or
 *       number (-64 or 64), from the uapi's DVK_ERROR_LIST
 *   dvk-capture-helper call NAME|NUMBER
 *       the number of a DVK call (sendrec -> 5), from DVK_CALL_LIST
 *
 * No /dev/dvk needed.  Exit status 0; 1 for an unknown name; 2 for bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "dvk.h"

static int64_t ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts)) {
		perror("dvk-capture-helper: clock_gettime");
		exit(1);
	}
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmd_clocks(int tries)
{
	int64_t best_gap = INT64_MAX, best_m = 0, best_r = 0;

	for (int i = 0; i < tries; i++) {
		int64_t m1 = ns(CLOCK_MONOTONIC);
		int64_t r = ns(CLOCK_REALTIME);
		int64_t m2 = ns(CLOCK_MONOTONIC);

		if (m2 - m1 < best_gap) {
			best_gap = m2 - m1;
			best_m = m1 + (m2 - m1) / 2;
			best_r = r;
		}
	}
	printf("{\"realtime_ns\":%lld,\"monotonic_ns\":%lld,\"uncertainty_ns\":%lld}\n",
	       (long long)best_r, (long long)best_m, (long long)(best_gap + 1) / 2);
	return 0;
}

static volatile sig_atomic_t mark_now, mark_last;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		mark_now = 1;
	else
		mark_last = 1;
}

/* one marker; 0 or -1 (said on stderr) */
static int mark_once(int fd)
{
	char buf[96];
	int64_t m1 = ns(CLOCK_MONOTONIC), r = ns(CLOCK_REALTIME), m2;
	int len = snprintf(buf, sizeof(buf), "dvk-clock mono=%lld real=%lld",
			   (long long)m1, (long long)r);

	if (write(fd, buf, (size_t)len) != len) {
		perror("dvk-capture-helper: marks: write");
		return -1;
	}
	m2 = ns(CLOCK_MONOTONIC);
	printf("{\"mono1_ns\":%lld,\"realtime_ns\":%lld,\"mono2_ns\":%lld}\n",
	       (long long)m1, (long long)r, (long long)m2);
	fflush(stdout);
	return 0;
}

static int cmd_marks(const char *marker, long interval)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: sleep ends */
	int fd = open(marker, O_WRONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "dvk-capture-helper: marks: %s: %s\n", marker, strerror(errno));
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (;;) {
		if (mark_once(fd))
			return 1;
		if (interval == 0 || mark_last)
			break;
		mark_now = 0;
		/* sleep() returns early on a signal: then mark at once */
		for (unsigned int left = (unsigned int)interval; left && !mark_now && !mark_last;)
			left = sleep(left);
	}
	close(fd);
	return 0;
}

/* parse a whole decimal integer; 0 if @s is not one */
static int whole(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && !errno;
}

#define ERR_ENTRY(name, value, text) { #name, value },
static const struct { const char *name; int value; } errors[] = {
	DVK_ERROR_LIST(ERR_ENTRY)
};

static int cmd_errno(const char *s)
{
	long v;

	if (whole(s, &v)) {
		if (v > 0)
			v = -v;
		for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
			if (errors[i].value == v) {
				printf("%ld %s\n", v, errors[i].name);
				return 0;
			}
		/* a plain negative number is a valid spec even without a name */
		printf("%ld ?\n", v);
		return v < 0 ? 0 : 1;
	}
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (!strcasecmp(errors[i].name, s)) {
			printf("%d %s\n", errors[i].value, errors[i].name);
			return 0;
		}
	fprintf(stderr, "dvk-capture-helper: no DVK error code named '%s'\n", s);
	return 1;
}

#define CALL_ENTRY(nr, name) { #name, nr },
static const struct { const char *name; int nr; } calls[] = {
	DVK_CALL_LIST(CALL_ENTRY)
};

static int cmd_call(const char *s)
{
	long v;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcasecmp(calls[i].name, s) || (whole(s, &v) && v == calls[i].nr)) {
			printf("%d %s\n", calls[i].nr, calls[i].name);
			return 0;
		}
	fprintf(stderr, "dvk-capture-helper: no DVK call named '%s'\n", s);
	return 1;
}

int main(int argc, char **argv)
{
	long tries = 7;

	if (argc >= 2 && !strcmp(argv[1], "clocks") && argc <= 3) {
		if (argc == 3 && (!whole(argv[2], &tries) || tries < 1 || tries > 1000)) {
			fprintf(stderr, "dvk-capture-helper: clocks: TRIES must be 1..1000\n");
			return 2;
		}
		return cmd_clocks((int)tries);
	}
	if (argc == 4 && !strcmp(argv[1], "marks")) {
		long iv;

		if (!whole(argv[3], &iv) || iv < 0 || iv > 86400) {
			fprintf(stderr, "dvk-capture-helper: marks: INTERVAL_S must be 0..86400\n");
			return 2;
		}
		return cmd_marks(argv[2], iv);
	}
	if (argc == 3 && !strcmp(argv[1], "errno"))
		return cmd_errno(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "call"))
		return cmd_call(argv[2]);
	fprintf(stderr, "usage: dvk-capture-helper clocks [TRIES] | marks MARKER INTERVAL_S | errno NAME|NUMBER | call NAME|NUMBER\n");
	return 2;
}
