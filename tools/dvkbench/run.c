// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - the benchmark proper: set up the transport and the server,
 * check the mode works and warm up, time --repeat runs of --iterations
 * round trips, and print them (the format scripts/bench-guest reads).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dvkbench.h"

static void client_error(long rc, long i)
{
	if (rc == 1)
		fprintf(stderr, "dvkbench: round trip %ld: the reply is not the echo of the "
			"request\n", i);
	else if (got_signal)
		fprintf(stderr, "dvkbench: interrupted by signal %d (%s)\n", (int)got_signal,
			got_signal == SIGALRM ? "--timeout expired" : strsignal(got_signal));
	else if (is_dvk())
		fprintf(stderr, "dvkbench: round trip %ld: %s\n", i, dvk_strerror((int)rc));
	else
		fprintf(stderr, "dvkbench: round trip %ld: %s\n", i, strerror((int)-rc));
}

/* voluntary and involuntary context switches of pid so far; 0 if unknown */
static int ctxsw(pid_t pid, long long *vol, long long *invol)
{
	char path[64], line[128];
	FILE *f;
	int got = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "voluntary_ctxt_switches: %lld", vol) == 1)
			got |= 1;
		else if (sscanf(line, "nonvoluntary_ctxt_switches: %lld", invol) == 1)
			got |= 2;
	}
	fclose(f);
	return got == 3;
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Context switches of client and server at one moment. */
struct switches {
	long long cv, ci, sv, si;	/* client and server, voluntary and involuntary */
};

static int sample_switches(struct switches *s)
{
	return ctxsw(getpid(), &s->cv, &s->ci) && ctxsw(server_pid, &s->sv, &s->si);
}

/* The client's CPU, the transport of the mode and the server; 0 or -1. */
static int prepare(void)
{
	if (pin_to(opt.cpu_client, "client"))
		return -1;
	if (is_dvk() ? dvk_setup() : transport_open())
		return -1;
	return start_server();
}

/*
 * The first round trip, which also tells whether the mode works at all,
 * then the untimed warm-up ones; 0 or the exit status.
 */
static int first_round_trips(void)
{
	long rc = round_trip(PING, -1);

	if (opt.mode == M_DVK && rc == EDVSNOSYS) {
		fprintf(stderr, "dvkbench: dvk mode unavailable: this dvk.ko does not implement "
			"sendrec (%s); dvk-sr measures send + receive\n", dvk_strerror((int)rc));
		return EXIT_UNAVAILABLE;
	}
	if (rc) {
		client_error(rc, 0);
		return 1;
	}
	for (long i = 0; i < opt.warmup; i++) {
		rc = round_trip(PING, (int)i);
		if (rc) {
			client_error(rc, i);
			return 1;
		}
	}
	return 0;
}

static void print_header(void)
{
	if (!opt.quiet)
		printf("dvkbench: %s (%s), %ld round trips x %ld run%s, 48-byte messages, %s\n",
		       mode_names[opt.mode],
		       opt.mode == M_DVK && opt.use_reply ?
				"client sendrec, server receive(ANY) + reply" : mode_desc[opt.mode],
		       opt.iterations, opt.repeat, opt.repeat == 1 ? "" : "s",
		       opt.cpu_client < 0 ? "not pinned" :
		       opt.cpu_client == opt.cpu_server ? "both on one CPU" : "pinned apart");
	fflush(stdout);
}

/* Run @r (from 0): time it into *ns and print it; 0 or -1 (printed). */
static int timed_run(long r, double *ns)
{
	struct switches s0 = { 0 }, s1 = { 0 };
	int sw = opt.verbose && sample_switches(&s0);
	double t0 = now_ns(), t1;

	for (long i = 0; i < opt.iterations; i++) {
		long rc = round_trip(PING, (int)i);

		if (rc) {
			client_error(rc, i);
			return -1;
		}
	}
	t1 = now_ns();
	*ns = (t1 - t0) / (double)opt.iterations;
	if (opt.quiet)
		printf("%.1f\n", *ns);
	else
		printf("run %ld: %ld round trips in %.3f s: %.1f ns/round trip\n", r + 1,
		       opt.iterations, (t1 - t0) / 1e9, *ns);
	if (sw && sample_switches(&s1)) {
		double n = (double)opt.iterations;

		printf("%scontext switches per round trip: client %.2f voluntary + %.2f "
		       "involuntary, server %.2f + %.2f\n", opt.quiet ? "# " : "  ",
		       (double)(s1.cv - s0.cv) / n, (double)(s1.ci - s0.ci) / n,
		       (double)(s1.sv - s0.sv) / n, (double)(s1.si - s0.si) / n);
	}
	fflush(stdout);
	return 0;
}

/* The median of several runs, with their spread; sorts @ns. */
static void print_median(double *ns)
{
	double med;

	if (opt.quiet || opt.repeat < 2)
		return;
	qsort(ns, (size_t)opt.repeat, sizeof(double), cmp_double);
	med = opt.repeat % 2 ? ns[opt.repeat / 2] :
	      (ns[opt.repeat / 2 - 1] + ns[opt.repeat / 2]) / 2;
	printf("median: %.1f ns/round trip over %ld runs (min %.1f, max %.1f)\n", med,
	       opt.repeat, ns[0], ns[opt.repeat - 1]);
}

/* Runs the benchmark; returns the exit status. */
int bench(void)
{
	double *ns = calloc((size_t)opt.repeat, sizeof(double));
	int status = 1;

	if (!ns) {
		fprintf(stderr, "dvkbench: out of memory\n");
		return 1;
	}
	if (prepare())
		goto out;
	status = first_round_trips();
	if (status)
		goto out;
	status = 1;
	print_header();
	for (long r = 0; r < opt.repeat; r++)
		if (timed_run(r, &ns[r]))
			goto out;
	stop_server(1);
	print_median(ns);
	status = 0;
out:
	if (server_pid > 0)
		stop_server(0);
	cleanup();
	free(ns);
	return status;
}
