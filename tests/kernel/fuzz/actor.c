// SPDX-License-Identifier: GPL-2.0
/*
 * actor.c - the workers: one process, two actor threads, each making
 * random calls (or, in a replay, the calls of a reproducer) and recording
 * each in its slot's ring before it is made, so a worker that hangs or is
 * killed still shows its last call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "fuzz.h"

_Static_assert(FZ_THREADS == 2, "a worker is a first and a second actor thread");

static volatile sig_atomic_t terms;	/* SIGTERMs this process got (dc_end, unbind, pairs) */

struct thread_arg {
	int fd, slot, admin, replay;
};

/* This worker's second actor thread; it ends now and then and the first starts a new one. */
static struct thread_arg targ[FZ_THREADS];
static pthread_t second;
static volatile int second_ended;
static void *actor_thread(void *p);

static void on_term(int sig)
{
	(void)sig;
	terms++;
}

int64_t fz_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Make call @c as recorded: its argument block passed well or badly. */
int64_t fz_issue(int fd, const struct fz_call *c)
{
	static const unsigned long bad_cmds[] = {
		_IOW(DVK_IOC_MAGIC, 1, struct dvk_ipc_args), _IOR(DVK_IOC_MAGIC, 0, struct dvk_ipc_args),
		_IOW(DVK_IOC_MAGIC, 0, int), 0,
	};
	struct dvk_ipc_args a = { .call = c->word, .first = c->first, .second = c->second,
				  .third = c->third, .ptr = c->ptr, .fifth = c->fifth };
	unsigned long cmd = DVK_IOC_IPC;
	void *argp = &a;
	long r;

	switch (c->blk) {
	case FZ_BLK_NULL: argp = NULL; break;
	case FZ_BLK_HOLE: argp = (void *)(FZ_HOLE + 64); break;
	case FZ_BLK_KERNEL: argp = (void *)0xffff888000001000ULL; break;
	case FZ_BLK_EDGE:	/* the first 20 bytes readable, the rest in the hole */
		argp = (void *)(FZ_HOLE - 20);
		memcpy(argp, &a, 20);
		break;
	case FZ_BLK_BADCMD: cmd = bad_cmds[c->seq % 4]; break;
	}
	r = ioctl(fd, cmd, argp);
	return r == -1 ? -errno : r;
}

/* Would the kernel's dispatcher take this word? */
static int word_valid(uint32_t w)
{
	return !(w & 0xff) && DVK_CALL_VERSION(w) <= DVKIPC_VERSION &&
	       DVK_CALL_NR(w) < DVK_NR_CALLS && DVK_CALL_NR(w) != DVK_VOID0;
}


/*
 * The result a call must have whatever the state: EDVSFAULT for a bad
 * argument block, ENOTTY for another ioctl, EDVSNOSYS for a bad word, and
 * never an error code outside the ABI's list or a restart code.
 */
static const char *wrong_result(const struct fz_call *c, int64_t ret)
{
	if (c->blk == FZ_BLK_BADCMD)
		return ret == -ENOTTY ? NULL : "another ioctl command did not give ENOTTY";
	if (c->blk != FZ_BLK_OK)
		return ret == EDVSFAULT ? NULL : "a bad argument block did not give EDVSFAULT";
	if (!word_valid(c->word))
		return ret == EDVSNOSYS ? NULL : "a malformed call word did not give EDVSNOSYS";
	if (ret <= -512 && ret >= -516)
		return "a restart code reached user space";
	if (ret < 0 && ret >= -4095 && !dvk_errname((int)ret))
		return "an error code outside the ABI's list";
	return NULL;
}

/* The call number a word names, or DVK_NR_CALLS for a malformed word. */
static int call_nr(uint32_t w)
{
	if ((w & 0xff) || DVK_CALL_VERSION(w) > DVKIPC_VERSION || DVK_CALL_NR(w) >= DVK_NR_CALLS)
		return DVK_NR_CALLS;
	return (int)DVK_CALL_NR(w);
}

/* Count, record and judge the result of call @e of actor @a. */
static void account(struct fz_actor *a, struct fz_call *e, int64_t ret)
{
	const char *bad = wrong_result(e, ret);
	int nr = call_nr(e->word);

	e->ret = ret;
	__atomic_store_n(&a->in_call, 0, __ATOMIC_RELEASE);
	__atomic_fetch_add(&fz->calls, 1, __ATOMIC_RELAXED);
	a->count[nr]++;
	__atomic_fetch_add(&fz->rets[nr][ret >= 0 ? 0 : ret > -FZ_RETS ? -ret : FZ_RETS - 1], 1,
			   __ATOMIC_RELAXED);
	if (nr < DVK_NR_CALLS && e->blk == FZ_BLK_OK && !dvk_call_failed(nr, ret))
		a->ok[nr]++;
	if (bad)
		fz_fail("wrong result: %s: call %llu of actor %d: %s (word 0x%x) returned %lld",
			bad, (unsigned long long)e->seq, (int)(a - fz->actor), fz_callname(e->word),
			e->word, (long long)ret);
}

/* Make @c (already in the ring at @e): build its input, note the start, call, account. */
static void make_call(int fd, struct fz_actor *a, struct fz_call *e)
{
	if (e->build)
		fz_build(e->build, e->fill, e->at);
	for (int i = 0; i < 5; i++) {	/* pids: the current ones of the actors named */
		int64_t p = e->pk[i] == FZ_PK_SOURCE ? a->last_src
			    : e->pk[i] ? fz_resolve_pid(e->pk[i]) : 0;

		if (!e->pk[i])
			continue;
		switch (i) {
		case 0: e->first = (int32_t)p; break;
		case 1: e->second = (uint64_t)p; break;
		case 2: e->third = (uint64_t)p; break;
		}
	}
	e->tid = (int32_t)syscall(SYS_gettid);
	a->limit_ms = e->limit_ms;
	a->since_ms = fz_now_ms();
	__atomic_store_n(&a->in_call, (int32_t)e->seq, __ATOMIC_RELEASE);
	account(a, e, fz_issue(fd, e));
	if (e->ret == OK && e->blk == FZ_BLK_OK && fz_writable(e->ptr, sizeof(message)) &&
	    (call_nr(e->word) == DVK_RECEIVE || call_nr(e->word) == DVK_RCVRQST ||
	     call_nr(e->word) == DVK_SENDREC))
		a->last_src = ((message *)e->ptr)->m_source;
}

/*
 * After a call: the first actor obeys one SIGTERM in eight (dc_end, unbind
 * and a freed pair send them) and starts a new second thread when it ended;
 * the second (not the admin's: its threads are a proxy pair) ends now and
 * then, so a thread that bound itself exits while its process goes on.
 * Returns 0 when this thread is to end.
 */
static int between_calls(struct fz_actor *a, int slot, int admin, uint64_t *react, int *seen)
{
	if (slot % FZ_THREADS == 0) {
		if (terms != *seen) {
			*seen = terms;
			if (fz_below(react, 8) == 0)
				_exit(0);
		}
		if (second_ended) {
			pthread_join(second, NULL);
			second_ended = 0;
			if (pthread_create(&second, NULL, actor_thread, &targ[1]))
				_exit(4);
		}
		return 1;
	}
	if (admin || fz_below(&a->rng, 2000))
		return 1;
	a->tid = 0;
	second_ended = 1;
	return 0;
}

/* Random calls until told to stop or the budget is spent. */
void fz_actor_loop(int fd, int slot, int admin)
{
	struct fz_actor *a = &fz->actor[slot];
	uint64_t react = a->seed ^ 0x7e4a;
	int seen = 0;

	while (!fz->stop && !fz->failed && (!fz->limit || fz->calls < fz->limit)) {
		struct fz_call *e = &a->ring[a->seq % FZ_RING];

		fz_gen(&a->rng, slot, admin, e);
		e->seq = a->seq + 1;
		e->gen = (uint8_t)a->gen;
		make_call(fd, a, e);
		a->seq = e->seq;
		if (!between_calls(a, slot, admin, &react, &seen))
			return;
	}
}

/* Replay: the calls of generation @gen of this slot, in order, then park. */
static void replay_loop(int fd, int slot)
{
	struct fz_actor *a = &fz->actor[slot];
	const struct fz_replay_slot *s = &fz_rs[slot];

	while (!fz->stop && a->seq < (uint64_t)s->n && s->calls[a->seq].gen == (uint8_t)a->gen) {
		struct fz_call *e = &a->ring[a->seq % FZ_RING];

		*e = s->calls[a->seq];
		e->ret = FZ_PENDING;
		make_call(fd, a, e);
		if (fz->opts.verbose)
			printf("# replay: actor %d call %llu %s -> %lld (recorded %lld)\n", slot,
			       (unsigned long long)e->seq, fz_callname(e->word), (long long)e->ret,
			       (long long)s->calls[a->seq].ret);
		a->seq++;
	}
	a->parked = 1;
}

static void *actor_thread(void *p)
{
	struct thread_arg *t = p;
	struct fz_actor *a = &fz->actor[t->slot];

	a->tid = (int32_t)syscall(SYS_gettid);
	a->pid = getpid();
	if (t->replay)
		replay_loop(t->fd, t->slot);
	else
		fz_actor_loop(t->fd, t->slot, t->admin);
	return NULL;
}

/* In the child: uid and gid 65534, no groups (the workers of --user). */
static void drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(FZ_USER_UID, FZ_USER_UID, FZ_USER_UID) ||
	    setresuid(FZ_USER_UID, FZ_USER_UID, FZ_USER_UID)) {
		perror("dvk_fuzz: dropping privileges");
		_exit(3);
	}
}

/* The worker process @proc: its two actors; the last process is the admin (root). */
static void worker_main(int proc, int replay)
{
	struct sigaction sa = { .sa_handler = on_term };	/* no SA_RESTART: EINTR */
	int admin = fz->admin && proc == fz->nprocs - 1;
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);	/* the supervisor is gone already */
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (fz->opts.user && !admin && geteuid() == 0)
		drop_privileges();
	fd = open(DVK_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("dvk_fuzz: " DVK_DEVICE);
		_exit(3);
	}
	for (int i = 0; i < FZ_THREADS; i++)
		targ[i] = (struct thread_arg){ fd, proc * FZ_THREADS + i, admin, replay };
	if (pthread_create(&second, NULL, actor_thread, &targ[1]))
		_exit(4);
	actor_thread(&targ[0]);
	if (replay)	/* the other actor may still have calls of this generation */
		while (!fz->stop && !fz->actor[proc * FZ_THREADS + 1].parked)
			usleep(1000);
	_exit(0);
}

/* Start worker process @proc (its slots' gen and seeds are set): its pid, or -1. */
pid_t fz_spawn(int proc, int replay)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		worker_main(proc, replay);
	return pid;
}
