// SPDX-License-Identifier: GPL-2.0
/*
 * replay.c - re-run the calls of a reproducer (--replay FILE).
 *
 * Each actor slot makes its recorded calls again, in order, in a worker
 * process laid out as in the run (same slots, two threads, the admin as
 * root, the others as uid 65534 with --user), pids resolved to the replay's
 * own actors, the same content built at the same arena addresses.  A
 * worker runs one generation: when its actors have made their calls of
 * that generation it ends (it is killed if one of them is still blocked,
 * as the run's SIGKILL found it), and the next generation starts in a new
 * process.  The supervisor judges the replay exactly as it judges a run.
 */
#include <stdio.h>
#include "fuzz.h"

#define PARK_KILL_MS	200	/* an actor still blocked this long after its sibling parked */

struct fz_replay_slot fz_rs[FZ_MAX_ACTORS];

/* The generation worker @proc runs next, or -1 when its calls are all made. */
int fz_replay_next_gen(int proc)
{
	int gen = -1;

	for (int i = 0; i < FZ_THREADS; i++) {
		int s = proc * FZ_THREADS + i;
		uint64_t at = fz->actor[s].seq;

		if (at < (uint64_t)fz_rs[s].n && (gen < 0 || fz_rs[s].calls[at].gen < gen))
			gen = fz_rs[s].calls[at].gen;
	}
	return gen;
}

/* A worker one of whose actors parked while the other is blocked: kill it, as the run did. */
void fz_replay_tick(const pid_t *procpid, int64_t now)
{
	for (int p = 0; p < fz->nprocs; p++) {
		int parked = 0, blocked = 0;

		if (procpid[p] <= 0)
			continue;
		for (int i = 0; i < FZ_THREADS; i++) {
			const struct fz_actor *a = &fz->actor[p * FZ_THREADS + i];

			parked |= a->parked;
			blocked |= a->in_call && now - a->since_ms > PARK_KILL_MS;
		}
		if (parked && blocked)
			fz_kill_proc(p);
	}
}
