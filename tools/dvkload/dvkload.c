// SPDX-License-Identifier: GPL-2.0
/*
 * dvkload - a steady, mixed load of DVK calls for the demo and benchmarks.
 *
 *   dvkload [-r RATE] [-t SECONDS] [-w WORKERS] [-e ERROR_PERCENT]
 *
 * Each worker makes RATE calls per second (0 = as fast as possible):
 * mostly getdvsinfo, plus ERROR_PERCENT of calls that fail on purpose
 * (void0 -> EDVSNOSYS, a second dvs_init -> EDVSDVSBUSY, a bad pointer ->
 * EDVSFAULT) so dvktop has errors to show.  Runs until -t expires or
 * SIGINT/SIGTERM, then prints how many calls it made.  Needs CAP_SYS_ADMIN
 * and an initialised DVS (dvkctl init).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "libdvk.h"

static volatile sig_atomic_t stop;
static long rate = 200, seconds, error_pct = 5;

struct worker {
	pthread_t th;
	unsigned int seed;
	long calls, errors;
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long parse_long(const char *opt, const char *s, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min) {
		fprintf(stderr, "dvkload: %s: expected an integer >= %ld, got '%s'\n", opt, min, s);
		exit(2);
	}
	return v;
}

static long one_call(struct worker *w)
{
	dvs_usr_t d;

	if ((long)(rand_r(&w->seed) % 100) >= error_pct)
		return dvk_getdvsinfo(&d);
	switch (rand_r(&w->seed) % 3) {
	case 0: return dvk_ipc(DVK_VOID0, 0, 0, 0, 0, 0);
	case 1: return dvk_dvs_init(0, NULL);
	default: return dvk_ipc(DVK_GETDVSINFO, 0, 0, 0, 8, 0);
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop) {
		if (one_call(w) < 0)
			w->errors++;
		w->calls++;
		if (rate > 0) {
			next.tv_nsec += 1000000000L / rate;
			while (next.tv_nsec >= 1000000000L) {
				next.tv_nsec -= 1000000000L;
				next.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "time", required_argument, NULL, 't' },
		{ "workers", required_argument, NULL, 'w' },
		{ "errors", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct worker *w;
	long workers = 2, calls = 0, errors = 0, rc;
	dvs_usr_t d;
	int c;

	while ((c = getopt_long(argc, argv, "r:t:w:e:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rate = parse_long("--rate", optarg, 0); break;
		case 't': seconds = parse_long("--time", optarg, 0); break;
		case 'w': workers = parse_long("--workers", optarg, 1); break;
		case 'e': error_pct = parse_long("--errors", optarg, 0); break;
		case 'V': printf("dvkload 0.1.0\n"); return 0;
		case 'h':
			printf("usage: dvkload [-r RATE/s per worker, 0=max] [-t SECONDS, 0=forever] "
			       "[-w WORKERS] [-e ERROR_PERCENT]\n");
			return 0;
		default: return 2;
		}
	}
	if (error_pct > 100) {
		fprintf(stderr, "dvkload: --errors: at most 100\n");
		return 2;
	}
	rc = dvk_getdvsinfo(&d);
	if (rc < 0) {
		fprintf(stderr, "dvkload: getdvsinfo: %s\n", dvk_strerror((int)rc));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (seconds) {
		signal(SIGALRM, on_signal);
		alarm((unsigned int)seconds);
	}
	w = calloc(workers, sizeof(*w));
	if (!w)
		return 1;
	for (long i = 0; i < workers; i++) {
		w[i].seed = (unsigned int)(i * 7919 + time(NULL));
		pthread_create(&w[i].th, NULL, work, &w[i]);
	}
	for (long i = 0; i < workers; i++) {
		pthread_join(w[i].th, NULL);
		calls += w[i].calls;
		errors += w[i].errors;
	}
	printf("dvkload: %ld calls, %ld failed on purpose\n", calls, errors);
	free(w);
	return 0;
}
