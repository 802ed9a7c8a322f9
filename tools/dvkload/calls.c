// SPDX-License-Identifier: GPL-2.0
/*
 * calls.c - the non-message load: worker threads making getdvsinfo calls,
 * plus error_pct % of calls that fail on purpose (void0 -> EDVSNOSYS, a
 * second dvs_init -> EDVSDVSBUSY, a bad pointer -> EDVSFAULT) so dvktop has
 * errors to show.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "libdvk.h"
#include "dvkload.h"

struct worker {
	pthread_t th;
	unsigned int seed;
	long calls, errors;
};

static const struct dvkload_opts *opt;
static struct worker *w;
static long nworkers;

static long one_call(struct worker *wk)
{
	dvs_usr_t d;

	if ((long)(rand_r(&wk->seed) % 100) >= opt->error_pct)
		return dvk_getdvsinfo(&d);
	switch (rand_r(&wk->seed) % 3) {
	case 0: return dvk_ipc(DVK_VOID0, 0, 0, 0, 0, 0);
	case 1: return dvk_dvs_init(0, NULL);
	default: return dvk_ipc(DVK_GETDVSINFO, 0, 0, 0, 8, 0);
	}
}

static void *work(void *arg)
{
	struct worker *wk = arg;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!dvkload_stop) {
		if (one_call(wk) < 0)
			wk->errors++;
		wk->calls++;
		dvkload_pace(&next, opt->rate);
	}
	return NULL;
}

int calls_start(const struct dvkload_opts *o)
{
	sigset_t block, old;
	dvs_usr_t d;
	long rc = dvk_getdvsinfo(&d);

	if (rc < 0) {
		fprintf(stderr, "dvkload: getdvsinfo: %s\n", dvk_strerror((int)rc));
		return 1;
	}
	opt = o;
	w = calloc(o->workers, sizeof(*w));
	if (!w) {
		fprintf(stderr, "dvkload: out of memory\n");
		return 1;
	}
	/* signals go to the main thread, which may wait in waitpid (mixed mode) */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (long i = 0; i < o->workers; i++) {
		w[i].seed = (unsigned int)(i * 7919 + time(NULL));
		if (pthread_create(&w[i].th, NULL, work, &w[i])) {
			fprintf(stderr, "dvkload: cannot start worker %ld\n", i);
			dvkload_stop = 1;
			break;
		}
		nworkers++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

void calls_finish(long *calls, long *errors)
{
	*calls = *errors = 0;
	for (long i = 0; i < nworkers; i++) {
		pthread_join(w[i].th, NULL);
		*calls += w[i].calls;
		*errors += w[i].errors;
	}
	free(w);
	w = NULL;
	nworkers = 0;
}
