// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - the supervisor: starts the workers, kills some with SIGKILL
 * at random (blocked ones first), respawns them, and watches for what
 * counts as a failure:
 *   - a worker (or the view reader, reader.c) dead of a signal we did not
 *     send, or exiting non-zero;
 *   - a call running past its own timeout plus FZ_SLACK_MS (a hang);
 *   - a worker not gone 20 s after our SIGKILL (unkillable);
 *   - a thread in state D for 10 s;
 *   - a line of the kernel log matching klog-check's pattern;
 *   - a wrong result an actor saw (actor.c: wrong_result).
 * The first failure stops the run and goes to the reproducer file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "fuzz.h"

#define TICK_MS		10
#define DEAD_MS		(20000 * fz->opts.scale)	/* a SIGKILLed worker must be gone by then */
#define DSTATE_MS	(10000 * fz->opts.scale)	/* nobody sleeps uninterruptibly this long */
/* a call's limit (its timeout + FZ_SLACK_MS), with the slack scaled */
#define LIMIT_MS(a)	((a)->limit_ms + (int64_t)(fz->opts.scale - 1) * FZ_SLACK_MS)
/* scripts/klog-check --pattern, the default of --klog-pattern */
#define KLOG_PATTERN	"BUG:|WARNING:|Oops|Call Trace|KASAN|UBSAN|lockdep|possible recursive " \
			"locking|circular locking|INFO: |refcount_t|general protection|kernel panic"

char fz_klog[8192];		/* the kernel's report, for the reproducer */
struct fz_stats fz_st;

static pid_t procpid[FZ_MAX_PROCS];
static pid_t reader;			/* reader.c: the views read meanwhile */
static int64_t killed_at[FZ_MAX_PROCS];	/* when we sent SIGKILL, 0 if not */
static int64_t dsince[FZ_MAX_ACTORS];	/* since when the actor's thread is in D */
static uint64_t srng;
static int kmsg_fd = -1;
static regex_t klog_re, allow_re;

void fz_fail(const char *fmt, ...)
{
	va_list ap;

	if (!__sync_bool_compare_and_swap(&fz->failed, 0, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(fz->failure, sizeof(fz->failure), fmt, ap);
	va_end(ap);
}

/* State letter, wchan and kernel stack of a thread, for a report. */
static void thread_state(pid_t pid, pid_t tid, char *out, size_t n)
{
	char path[96], buf[2048] = "", wchan[64] = "?", *p;
	char state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if ((f = fopen(path, "r"))) {
		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) && p[1])
			state = p[2];
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
	if ((f = fopen(path, "r"))) {
		if (!fgets(wchan, sizeof(wchan), f))
			snprintf(wchan, sizeof(wchan), "?");
		fclose(f);
	}
	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
	if ((f = fopen(path, "r"))) {
		size_t len = fread(buf, 1, sizeof(buf) - 1, f);

		buf[len] = '\0';
		for (p = buf; (p = strchr(p, '\n')); )
			*p = '|';
		fclose(f);
	}
	snprintf(out, n, "state %c wchan %s stack %s", state, wchan, buf);
}

static char thread_letter(pid_t pid, pid_t tid)
{
	char s[2600];

	thread_state(pid, tid, s, sizeof(s));
	return s[6];
}

/* ---- workers ---------------------------------------------------------------- */

static int nslots(void)
{
	return fz->nprocs * FZ_THREADS;
}

static void start_proc(int p, uint32_t gen)
{
	for (int i = 0; i < FZ_THREADS; i++) {
		struct fz_actor *a = &fz->actor[p * FZ_THREADS + i];

		a->gen = gen;
		a->seed = fz_seed_of(fz->opts.seed, p * FZ_THREADS + i, gen);
		a->rng = a->seed;
		a->pid = a->tid = 0;
		a->in_call = 0;
		a->parked = 0;
		a->last_src = NONE;
	}
	killed_at[p] = 0;
	procpid[p] = fz_spawn(p, fz->replaying);
	if (procpid[p] < 0)
		fz_fail("fork: %s", strerror(errno));
}

static void kill_proc(int p)
{
	if (procpid[p] > 0 && !killed_at[p]) {
		kill(procpid[p], SIGKILL);
		killed_at[p] = fz_now_ms();
	}
}

/* The worker @p is gone with @status: was that allowed? */
static void judge_exit(int p, int status)
{
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && killed_at[p])
		return;
	if (WIFSIGNALED(status))
		fz_fail("worker %d (pid %d) died of signal %d (%s), not sent by the fuzzer", p,
			procpid[p], WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status))
		fz_fail("worker %d (pid %d) exited with status %d", p, procpid[p],
			WEXITSTATUS(status));
	else
		fz_st.exits++;
}

/* Reap the workers that ended; respawn them (@respawn) as their next generation. */
static void reap(int respawn)
{
	int status, p;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == reader) {
			if (!fz->stop || (status && !(WIFSIGNALED(status) &&
						      WTERMSIG(status) == SIGKILL)))
				fz_fail("the view reader (pid %d) ended: status 0x%x", pid, status);
			reader = 0;
			continue;
		}
		for (p = 0; p < fz->nprocs && procpid[p] != pid; p++)
			;
		if (p == fz->nprocs)
			continue;
		judge_exit(p, status);
		procpid[p] = 0;
		for (int i = 0; i < FZ_THREADS; i++)
			fz->actor[p * FZ_THREADS + i].in_call = 0;
		if (!respawn || fz->failed)
			continue;
		if (!fz->replaying)
			start_proc(p, fz->actor[p * FZ_THREADS].gen + 1);
		else if (fz_replay_next_gen(p) >= 0)
			start_proc(p, (uint32_t)fz_replay_next_gen(p));
	}
}

static int live_workers(void)
{
	int n = 0;

	for (int p = 0; p < fz->nprocs; p++)
		n += procpid[p] > 0;
	return n;
}

static int live_procs(void)
{
	return live_workers() + (reader > 0);
}

/* Calls past their limit fail; unbounded ones blocked too long are killed. */
static void watchdog(int64_t now)
{
	for (int s = 0; s < nslots(); s++) {
		struct fz_actor *a = &fz->actor[s];
		int p = s / FZ_THREADS;
		int32_t seq = a->in_call;
		int64_t el = now - a->since_ms;

		if (procpid[p] <= 0 || !seq)
			continue;
		if (a->limit_ms >= 0 && el > LIMIT_MS(a) && !killed_at[p]) {
			char st[2600];

			thread_state(procpid[p], a->tid, st, sizeof(st));
			fz_fail("hang: call %d of actor %d (%s) still running after %lld ms, its "
				"limit %d ms; %s", seq, s, fz_callname(a->ring[(seq - 1) % FZ_RING].word),
				(long long)el, (int)LIMIT_MS(a), st);
			kill_proc(p);
		} else if (a->limit_ms < 0 && el > FZ_BLOCK_MS * fz->opts.scale && !killed_at[p]) {
			fz_st.watchdog_kills++;
			kill_proc(p);
		}
	}
	for (int p = 0; p < fz->nprocs; p++) {
		if (procpid[p] > 0 && killed_at[p] && now - killed_at[p] > DEAD_MS) {
			char st[2600];

			thread_state(procpid[p], fz->actor[p * FZ_THREADS].tid, st, sizeof(st));
			fz_fail("unkillable: worker %d (pid %d) still there %d s after SIGKILL; %s", p,
				procpid[p], (int)(DEAD_MS / 1000), st);
			killed_at[p] = now;	/* reported once */
		}
	}
}

/* Threads of ours in state D for DSTATE_MS. */
static void dstate(int64_t now)
{
	for (int s = 0; s < nslots(); s++) {
		struct fz_actor *a = &fz->actor[s];
		pid_t pid = procpid[s / FZ_THREADS];

		if (pid <= 0 || a->tid <= 0 || thread_letter(pid, a->tid) != 'D') {
			dsince[s] = 0;
			continue;
		}
		if (!dsince[s]) {
			dsince[s] = now;
		} else if (now - dsince[s] > DSTATE_MS) {
			char st[2600];

			thread_state(pid, a->tid, st, sizeof(st));
			fz_fail("D state: actor %d (tid %d) uninterruptible for %lld ms; %s", s,
				a->tid, (long long)(now - dsince[s]), st);
		}
	}
}

/* SIGKILL a worker now and then, preferably one blocked in a call. */
static void random_kill(int64_t now)
{
	int blocked[FZ_MAX_PROCS], nb = 0, live[FZ_MAX_PROCS], nl = 0, p;

	static int64_t next;
	int first;

	if (!fz->opts.kills || !fz->opts.kill_per_s || now < next)
		return;
	/* the next one 0..2/rate s from now: the rate holds however late the ticks come */
	first = !next;
	next = now + (int64_t)fz_below(&srng, 2000 / fz->opts.kill_per_s + 1);
	if (first)
		return;
	for (p = 0; p < fz->nprocs; p++) {
		if (procpid[p] <= 0 || killed_at[p])
			continue;
		/* the admin's proxy pairs and binds need it alive: spared 3 times in 4 */
		if (fz->admin && p == fz->nprocs - 1 && fz_below(&srng, 4))
			continue;
		live[nl++] = p;
		for (int i = 0; i < FZ_THREADS; i++) {
			struct fz_actor *a = &fz->actor[p * FZ_THREADS + i];

			if (a->in_call && now - a->since_ms >= 3) {
				blocked[nb++] = p;
				break;
			}
		}
	}
	if (nb && fz_below(&srng, 10) < 7) {
		kill_proc(blocked[fz_below(&srng, nb)]);
		fz_st.kills_blocked++;
	} else if (nl) {
		kill_proc(live[fz_below(&srng, nl)]);
	} else {
		return;
	}
	fz_st.kills++;
}

/* ---- the kernel log ------------------------------------------------------------ */

static void kmsg_open(void)
{
	const char *pat = fz->opts.klog_pattern ? fz->opts.klog_pattern : KLOG_PATTERN;

	if (regcomp(&klog_re, pat, REG_EXTENDED | REG_NOSUB) ||
	    regcomp(&allow_re, fz->opts.klog_allow ? fz->opts.klog_allow : "^$",
		    REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr, "dvk_fuzz: bad --klog-pattern or --klog-allow\n");
		exit(2);
	}
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
	else
		printf("# fuzz: /dev/kmsg unreadable (%s): the kernel log is checked afterwards only\n",
		       strerror(errno));
}

/* Read what the kernel logged since; a bad line fails the run and starts the report. */
static void kmsg_poll(void)
{
	char rec[2048], *msg;
	ssize_t n;

	while (kmsg_fd >= 0) {
		errno = 0;
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten before we read them: go on */
		if (n <= 0)
			return;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		if (fz_klog[0] || (!regexec(&klog_re, msg, 0, NULL, 0) &&
				   regexec(&allow_re, msg, 0, NULL, 0))) {
			if (!fz_klog[0])
				fz_fail("kernel log: %.*s", (int)strcspn(msg, "\n"), msg);
			strncat(fz_klog, msg, sizeof(fz_klog) - strlen(fz_klog) - 1);
		}
	}
}

/* ---- the run ---------------------------------------------------------------- */

static int budget_spent(int64_t t0)
{
	if (fz->replaying)
		return !live_workers();
	return (fz->limit && fz->calls >= fz->limit) ||
	       (fz->opts.seconds && fz_now_ms() - t0 >= fz->opts.seconds * 1000LL);
}

/* Stop everyone: a moment to finish, then SIGKILL, then wait (bounded) for them. */
static void teardown(void)
{
	int64_t t = fz_now_ms();

	fz->stop = 1;
	while (live_procs() && fz_now_ms() - t < 3000) {
		reap(0);
		usleep(TICK_MS * 1000);
	}
	for (int p = 0; p < fz->nprocs; p++)
		kill_proc(p);
	if (reader > 0)
		kill(reader, SIGKILL);
	while (live_procs() && fz_now_ms() - t < 3000 + DEAD_MS + 1000) {
		reap(0);
		watchdog(fz_now_ms());
		usleep(TICK_MS * 1000);
	}
}

int fz_run(void)
{
	int64_t t0 = fz_now_ms(), last = t0, now;
	unsigned tick = 0;

	srng = fz->opts.seed ^ 0x6b696c6cULL;
	kmsg_open();
	for (int p = 0; p < fz->nprocs; p++)
		start_proc(p, fz->replaying ? (uint32_t)fz_replay_next_gen(p) : 0);
	fflush(stdout);
	reader = fork();
	if (reader == 0)
		fz_reader_main(fz->opts.seed ^ 0x72656164ULL, fz->opts.user);
	while (!fz->failed && !budget_spent(t0)) {
		usleep(TICK_MS * 1000);
		now = fz_now_ms();
		reap(1);
		kmsg_poll();
		watchdog(now);
		if (++tick % 50 == 0)
			dstate(now);
		if (fz->replaying)
			fz_replay_tick(procpid, now);
		else
			random_kill(now);
		if (now - last >= 10000) {
			last = now;
			printf("# fuzz: %llu calls in %lld s, %llu kills\n",
			       (unsigned long long)fz->calls, (long long)(now - t0) / 1000,
			       (unsigned long long)fz_st.kills);
			fflush(stdout);
		}
	}
	teardown();
	for (int i = 0; i < 100 && fz->failed && fz_klog[0]; i++) {	/* the rest of a report */
		usleep(TICK_MS * 1000);
		kmsg_poll();
	}
	kmsg_poll();
	fz_st.ms = fz_now_ms() - t0;
	return fz->failed;
}

/* Kill worker @p (the replay's generation boundary). */
void fz_kill_proc(int p)
{
	kill_proc(p);
}
