/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - the parts of dvk_fuzz (tests/kernel/dvk_fuzz.c, docs/fuzzing.md).
 *
 * Actors make random DVK calls; each is one thread, two to a process (a
 * worker), so processes and threads both race.  Everything the supervisor
 * needs to judge them and to write a reproducer lives in one shared mapping
 * (struct fz_shared): a ring of the last calls of every actor slot, what it
 * is doing now, counters.  A worker killed on purpose is respawned in the
 * same slots with the next generation's seeds.
 *
 * Every call is generated from the actor's seed alone, never from earlier
 * results, so a seed gives the same sequence of calls again; pointers point
 * into an arena mapped at a fixed address, and pids are recorded as "actor
 * k's pid/tid", so a reproducer replays in another run of the program.
 */
#ifndef DVK_FUZZ_H
#define DVK_FUZZ_H

#include <stdint.h>
#include <sys/types.h>
#include "libdvk.h"

#define FZ_RING		256	/* calls kept per actor slot */
#define FZ_MAX_WORKERS	16
#define FZ_THREADS	2	/* actors per worker process */
#define FZ_ADMIN_SLOTS	1	/* the admin process (root only): one more worker */
#define FZ_MAX_PROCS	(FZ_MAX_WORKERS + FZ_ADMIN_SLOTS)
#define FZ_MAX_ACTORS	(FZ_MAX_PROCS * FZ_THREADS)
#define FZ_DCS		3	/* DCs 0..2 are the ones set up and re-made */
#define FZ_SLACK_MS	20000	/* beyond its own timeout, how long a call may take */
#define FZ_BLOCK_MS	8000	/* an unbounded call blocked this long is killed (on purpose) */
#define FZ_USER_UID	65534
#define FZ_RETS		520

/* ---- the arena: fixed address, the same in every process and in a replay ---- */
#define FZ_BASE		0x3a0000000000ULL
#define FZ_RW_BYTES	(MAXCOPYLEN + 2 * MAXCOPYBUF)	/* read-write */
#define FZ_HOLE_BYTES	0x10000				/* unmapped after RW */
#define FZ_PAGE		4096
#define FZ_RW		FZ_BASE
#define FZ_HOLE		(FZ_RW + FZ_RW_BYTES)
#define FZ_RW2		(FZ_HOLE + FZ_HOLE_BYTES)	/* one RW page before RO */
#define FZ_RO		(FZ_RW2 + FZ_PAGE)		/* read-only */
#define FZ_NONE		(FZ_RO + FZ_PAGE)		/* PROT_NONE */
#define FZ_END		(FZ_NONE + FZ_PAGE)		/* unmapped from here */
#define FZ_HOT_BYTES	0x4000		/* most valid pointers fall in here */

/* How the ioctl's argument block itself is passed (fz_call.blk). */
enum fz_blk {
	FZ_BLK_OK, FZ_BLK_NULL, FZ_BLK_HOLE, FZ_BLK_KERNEL, FZ_BLK_EDGE, FZ_BLK_BADCMD,
	FZ_BLK_NR
};

/* What was written into the arena before the call (fz_call.build). */
enum fz_build {
	FZ_B_NONE, FZ_B_MSG, FZ_B_DVS, FZ_B_DC, FZ_B_PRIV, FZ_B_CMD, FZ_B_NAME, FZ_B_RAW,
	FZ_B_NR
};

/* One call as made, and what it takes to make it again. */
struct fz_call {
	uint64_t seq;		/* the slot's call number, from 1 */
	uint32_t word;		/* call word */
	int32_t first;
	uint64_t second, third, ptr;
	int64_t fifth;
	uint8_t pk[5];		/* 0: literal; 1 + 2 * actor + tid?: that actor's pid;
				 * FZ_PK_SOURCE: the m_source of our last message */
	uint8_t blk;		/* enum fz_blk */
	uint8_t build;		/* enum fz_build */
	uint8_t gen;		/* the worker's generation (low bits) */
	uint32_t fill;		/* seed of the content built */
	uint64_t at;		/* where it was built */
	int64_t ret;		/* result (-errno of the ioctl), or FZ_PENDING */
	int32_t limit_ms;	/* longest legitimate duration, -1 unbounded */
	int32_t tid;
};
#define FZ_PENDING	INT64_MIN
#define FZ_PK_SOURCE	255

/* One actor slot: its identity now, what it does, its last calls. */
struct fz_actor {
	volatile int32_t pid, tid;	/* of the current generation, 0 before it runs */
	uint32_t gen;
	uint64_t seed;			/* of the current generation */
	uint64_t rng;			/* its stream now (a restarted thread goes on with it) */
	volatile uint64_t seq;		/* calls made (all generations) */
	volatile int32_t in_call;	/* seq of the call in progress, or 0 */
	volatile int64_t since_ms;	/* when it started */
	volatile int32_t limit_ms;
	volatile int32_t parked;	/* replay: done with this generation */
	int32_t last_src;		/* m_source of the last message received (a reply goes there) */
	uint64_t count[DVK_NR_CALLS + 1];	/* [DVK_NR_CALLS]: malformed words */
	uint64_t ok[DVK_NR_CALLS + 1];
	struct fz_call ring[FZ_RING];
};

struct fz_opts {
	uint64_t seed;
	uint64_t calls;		/* 0: no limit */
	int seconds;		/* 0: no limit */
	int workers;
	int user;		/* workers run as uid 65534 */
	int verbose;
	int kills;		/* random kill -9 of workers */
	int kill_per_s;		/* how many a second, on average */
	const char *repro, *replay, *klog_pattern, *klog_allow;
	int scale;		/* DVK_TIMEOUT_SCALE: our own time limits times this */
	int findings;		/* --findings */
};

struct fz_shared {
	volatile int stop;
	volatile int failed;		/* the first failure is in failure[] */
	char failure[1024];
	int admin;			/* the last worker process is the admin (root) */
	int replaying;
	volatile uint64_t calls;	/* made, all actors */
	uint64_t limit;			/* calls allowed, 0: none */
	int root;			/* the supervisor runs as root */
	int nprocs;			/* workers + admin */
	struct fz_opts opts;
	struct fz_actor actor[FZ_MAX_ACTORS];
	uint64_t rets[DVK_NR_CALLS + 1][FZ_RETS];	/* results seen: [0] OK, [-code], [last] other */
};

extern struct fz_shared *fz;

/* The random streams: splitmix64, the same on every machine */
static inline uint64_t fz_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t fz_below(uint64_t *s, uint64_t n)
{
	return n ? fz_next(s) % n : 0;
}

/* The seed of slot @actor's generation @gen under @master. */
static inline uint64_t fz_seed_of(uint64_t master, int actor, uint32_t gen)
{
	uint64_t s = master ^ (0x5851f42d4c957f2dULL * (uint64_t)(actor + 1)) ^
		     ((uint64_t)gen << 40);

	return fz_next(&s);
}

/* arena.c */
int fz_arena_map(uint64_t seed);
uint64_t fz_gen_ptr(uint64_t *r, int len, int out);
void fz_build(int kind, uint32_t fill, uint64_t at);
int fz_writable(uint64_t at, uint64_t len);

/* gen.c: one call of profile @admin from rng @r for actor slot @self */
void fz_gen(uint64_t *r, int self, int admin, struct fz_call *c);
int64_t fz_resolve_pid(int pk);

/* actor.c */
pid_t fz_spawn(int proc, int replay);
int64_t fz_issue(int fd, const struct fz_call *c);
int64_t fz_now_ms(void);
void fz_actor_loop(int fd, int slot, int admin);

/* monitor.c */
struct fz_stats {
	uint64_t kills, kills_blocked, watchdog_kills, exits;
	int64_t ms;
};
extern struct fz_stats fz_st;
extern char fz_klog[8192];
int fz_run(void);
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_kill_proc(int p);

/* repro.c */
int fz_write_repro(const char *path);
int fz_read_repro(const char *path);

/* replay.c: the calls of a reproducer, per actor slot */
struct fz_replay_slot {
	int n;
	struct fz_call *calls;
};
extern struct fz_replay_slot fz_rs[FZ_MAX_ACTORS];
int fz_replay_next_gen(int proc);
void fz_replay_tick(const pid_t *procpid, int64_t now);

/* reader.c */
void fz_reader_main(uint64_t seed, int user) __attribute__((noreturn));

/* findings.c */
int fz_findings(void);

/* checks.c */
void fz_setup_dvs(void);
int fz_final_checks(void);
const char *fz_callname(uint32_t word);

#endif /* DVK_FUZZ_H */
