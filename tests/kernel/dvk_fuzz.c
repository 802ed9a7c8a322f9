// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_fuzz.c - a fuzzer of the DVK calls (docs/fuzzing.md).
 *
 * Workers (processes of two threads each) make random calls of all 35
 * kinds, with arguments mostly valid-looking and partly junk and bad
 * pointers of every kind, while the supervisor SIGKILLs workers at random
 * (mostly ones blocked in a call), and, as root, an admin worker binds the
 * others, unbinds them, ends their DCs and the DVS.  Any hang, stray
 * signal, thread in state D, kernel log report or wrong result fails the
 * run; the seeds and the last calls of every actor then go to a reproducer
 * file that --replay runs again.  The parts are in tests/kernel/fuzz/.
 *
 * usage: dvk_fuzz [--calls N] [--seconds S] [--seed S] [--workers N] [--user]
 *                 [--repro FILE] [--replay FILE] [--no-kills] [--kill-rate N]
 *                 [--klog-pattern RE] [-v]
 *
 * Prints check lines (tests/check.h) and "dvk_fuzz: N calls ..."; exit 1
 * on a failure, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include "fuzz/fuzz.h"
#include "proc.h"

struct fz_shared *fz;

static void usage(FILE *f)
{
	fprintf(f, "usage: dvk_fuzz [options]\n"
		"  --calls N          stop after N calls in all (default 100000; 0: no limit)\n"
		"  --seconds S        stop after S seconds (default 0: no limit)\n"
		"  --seed S           master seed (default: from the clock, printed)\n"
		"  --workers N        worker processes of 2 threads each, 1..%d (default 4)\n"
		"  --user             workers run as uid %d (the admin stays root)\n"
		"  --repro FILE       where a failure's reproducer goes (default dvk-fuzz-repro.txt)\n"
		"  --replay FILE      make the calls of a reproducer again, judged the same way\n"
		"  --findings         make the known findings again (tests/kernel/fuzz/findings.c)\n"
		"  --no-kills         no random SIGKILL of workers\n"
		"  --kill-rate N      random SIGKILLs a second (default 1)\n"
		"  --klog-pattern RE  kernel log lines that fail the run (default: klog-check's)\n"
		"  --klog-allow RE    ... except these (default: DVK_KLOG_ALLOW)\n"
		"  -v, --verbose      the calls made per kind; in a replay, every call\n",
		FZ_MAX_WORKERS, FZ_USER_UID);
}

static void parse(int argc, char **argv, struct fz_opts *o)
{
	static const struct option lo[] = {
		{ "calls", 1, 0, 'c' }, { "seconds", 1, 0, 's' }, { "seed", 1, 0, 'S' },
		{ "workers", 1, 0, 'w' }, { "user", 0, 0, 'u' }, { "repro", 1, 0, 'r' },
		{ "replay", 1, 0, 'R' }, { "findings", 0, 0, 'F' }, { "no-kills", 0, 0, 'K' }, { "kill-rate", 1, 0, 'k' },
		{ "klog-pattern", 1, 0, 'p' }, { "klog-allow", 1, 0, 'a' }, { "verbose", 0, 0, 'v' }, { "help", 0, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;

	*o = (struct fz_opts){ .calls = 100000, .workers = 4, .kills = 1, .kill_per_s = 1,
			       .repro = "dvk-fuzz-repro.txt" };
	o->seed = (uint64_t)time(NULL) * 2654435761ULL ^ (uint64_t)getpid();
	o->klog_allow = getenv("DVK_KLOG_ALLOW") && *getenv("DVK_KLOG_ALLOW") ? getenv("DVK_KLOG_ALLOW")
									    : NULL;
	o->scale = timeout_scale();
	while ((c = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
		switch (c) {
		case 'c': o->calls = strtoull(optarg, NULL, 0); break;
		case 's': o->seconds = atoi(optarg); break;
		case 'S': o->seed = strtoull(optarg, NULL, 0); break;
		case 'w': o->workers = atoi(optarg); break;
		case 'u': o->user = 1; break;
		case 'r': o->repro = optarg; break;
		case 'R': o->replay = optarg; break;
		case 'F': o->findings = 1; break;
		case 'K': o->kills = 0; break;
		case 'k': o->kill_per_s = atoi(optarg); break;
		case 'p': o->klog_pattern = optarg; break;
		case 'a': o->klog_allow = optarg; break;
		case 'v': o->verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc || o->workers < 1 || o->workers > FZ_MAX_WORKERS || o->seconds < 0 ||
	    o->kill_per_s < 0 || o->kill_per_s > 100) {
		usage(stderr);
		exit(2);
	}
}

/* Calls made of each kind, and how many succeeded: is the fuzz getting deep? */
static void print_calls(void)
{
	uint64_t n[DVK_NR_CALLS + 1] = { 0 }, ok[DVK_NR_CALLS + 1] = { 0 };

	for (int s = 0; s < fz->nprocs * FZ_THREADS; s++)
		for (int i = 0; i <= DVK_NR_CALLS; i++)
			n[i] += fz->actor[s].count[i], ok[i] += fz->actor[s].ok[i];
	for (int i = 0; i <= DVK_NR_CALLS; i++)
		printf("%s%s %llu/%llu%s", i % 6 ? "" : "# calls (made/succeeded):",
		       i < DVK_NR_CALLS ? dvk_callname(i) : "malformed", (unsigned long long)n[i],
		       (unsigned long long)ok[i], i % 6 == 5 || i == DVK_NR_CALLS ? "\n" : ",");
}

/* -v: the five commonest results of each kind of call. */
static void print_results(void)
{
	for (int i = 0; i <= DVK_NR_CALLS; i++) {
		uint64_t *r = fz->rets[i];
		int top[5] = { -1, -1, -1, -1, -1 };

		for (int k = 0; k < FZ_RETS; k++) {
			for (int j = 0; j < 5 && r[k]; j++) {
				if (top[j] < 0 || r[k] > r[top[j]]) {
					memmove(top + j + 1, top + j, (4 - j) * sizeof(int));
					top[j] = k;
					break;
				}
			}
		}
		printf("# results of %s:", i < DVK_NR_CALLS ? dvk_callname(i) : "malformed");
		for (int j = 0; j < 5 && top[j] >= 0; j++)
			printf(" %s %llu", top[j] ? dvk_errname(-top[j]) ?: "other" : "OK",
			       (unsigned long long)r[top[j]]);
		printf("\n");
	}
}

static void report(const char *who)
{
	double secs = fz_st.ms / 1000.0;

	if (fz->opts.verbose || fz->failed)
		print_calls();
	if (fz->opts.verbose)
		print_results();
	if (fz->failed) {
		fz_write_repro(fz->opts.repro);
		printf("FAIL fuzz (%s): %s (seed 0x%llx; reproducer %s)\n", who, fz->failure,
		       (unsigned long long)fz->opts.seed, fz->opts.repro);
	} else {
		printf("PASS fuzz (%s): %llu calls by %d workers%s in %.1f s, %llu SIGKILLs (%llu "
		       "of a worker in a call, %llu by the watchdog), %llu worker exits: no hang, "
		       "D state, stray signal, kernel report or wrong result\n", who,
		       (unsigned long long)fz->calls, fz->opts.workers, fz->admin ? " + admin" : "",
		       secs, (unsigned long long)fz_st.kills + fz_st.watchdog_kills,
		       (unsigned long long)fz_st.kills_blocked,
		       (unsigned long long)fz_st.watchdog_kills, (unsigned long long)fz_st.exits);
	}
	printf("dvk_fuzz: %llu calls in %.1f s (%.0f calls/s), seed 0x%llx\n",
	       (unsigned long long)fz->calls, secs, secs > 0 ? fz->calls / secs : 0.0,
	       (unsigned long long)fz->opts.seed);
}

int main(int argc, char **argv)
{
	struct fz_opts o;
	const char *who;
	int bad;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv, &o);
	fz = mmap(NULL, sizeof(*fz), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fz == MAP_FAILED)
		return 2;
	fz->opts = o;
	if (o.findings)
		return fz_findings() ? 1 : 0;
	fz->root = geteuid() == 0;
	fz->admin = fz->root;
	if (o.replay) {
		fz->replaying = 1;
		if (fz_read_repro(o.replay) <= 0)
			return 2;
		fz->opts.replay = o.replay, fz->opts.repro = o.repro, fz->opts.verbose = o.verbose;
		fz->opts.klog_pattern = o.klog_pattern, fz->opts.klog_allow = o.klog_allow;
		fz->opts.scale = o.scale;
		fz->admin &= fz->root;
	}
	fz->nprocs = fz->opts.workers + fz->admin;
	fz->limit = fz->replaying ? 0 : fz->opts.calls;
	if (fz_arena_map(fz->opts.seed))
		return 2;
	if (fz->root)
		fz_setup_dvs();
	who = fz->replaying ? "replay" : fz->opts.user ? "user" : fz->root ? "root" : "unprivileged";
	printf("# fuzz (%s): seed 0x%llx, %d workers%s, %s%s, calls %llu, seconds %d\n", who,
	       (unsigned long long)fz->opts.seed, fz->opts.workers, fz->admin ? " + admin" : "",
	       fz->opts.user ? "workers as uid 65534" : "workers as the caller",
	       fz->opts.kills && !fz->replaying ? ", random SIGKILLs" : "",
	       (unsigned long long)fz->limit, fz->opts.seconds);
	bad = fz_run();
	report(who);
	if (!bad)
		bad = fz_final_checks();
	return bad ? 1 : 0;
}
