// SPDX-License-Identifier: GPL-2.0
/*
 * repro.c - the reproducer file: what failed, the kernel's report, the
 * seeds, and the last FZ_RING calls of every actor slot (call word and the
 * five arguments as made, plus what --replay needs to make them again:
 * which arguments were our pids, how the block was passed, what was built
 * where).  Plain text, one call a line, so it can be read and trimmed by
 * hand before a replay.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

#define CALL_ARGS "call %d %u %llu 0x%x %d 0x%llx 0x%llx 0x%llx %lld %u %u %u %u %u %u %u 0x%x 0x%llx %d "
#define CALL_FMT CALL_ARGS "%s %d"		/* written */
#define CALL_SCAN CALL_ARGS "%31s %d"		/* read */

static void write_call(FILE *f, int slot, const struct fz_call *e)
{
	char ret[32];
	const char *err = e->ret < 0 ? dvk_errname((int)e->ret) : NULL;

	if (e->ret == FZ_PENDING)
		snprintf(ret, sizeof(ret), "pending");
	else
		snprintf(ret, sizeof(ret), "%lld", (long long)e->ret);
	fprintf(f, CALL_FMT "  # %s%s%s\n", slot, e->gen, (unsigned long long)e->seq, e->word,
		e->first, (unsigned long long)e->second, (unsigned long long)e->third,
		(unsigned long long)e->ptr, (long long)e->fifth, e->pk[0], e->pk[1], e->pk[2],
		e->pk[3], e->pk[4], e->blk, e->build, e->fill, (unsigned long long)e->at,
		e->limit_ms, ret, e->tid, fz_callname(e->word), err ? " " : "", err ? err : "");
}

/* The calls of @slot still in its ring, oldest first, the one in progress last. */
static void write_slot(FILE *f, int slot)
{
	const struct fz_actor *a = &fz->actor[slot];
	uint64_t last = a->seq + 1, first = last > FZ_RING ? last - FZ_RING + 1 : 1;

	fprintf(f, "actor %d gen %u seed 0x%llx pid %d tid %d calls %llu%s\n", slot, a->gen,
		(unsigned long long)a->seed, a->pid, a->tid, (unsigned long long)a->seq,
		slot / FZ_THREADS == fz->nprocs - 1 && fz->admin ? " admin" : "");
	for (uint64_t s = first; s <= last; s++) {
		const struct fz_call *e = &a->ring[(s - 1) % FZ_RING];

		if (e->seq == s)
			write_call(f, slot, e);
	}
}

int fz_write_repro(const char *path)
{
	FILE *f = fopen(path, "w");
	const char *k = fz_klog;

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "# dvk_fuzz reproducer (docs/fuzzing.md)\n"
		"# replay these calls:   build/tests/kernel/dvk_fuzz --replay %s\n"
		"# or the same run again: build/tests/kernel/dvk_fuzz --seed 0x%llx --workers %d%s\n"
		"# call SLOT GEN SEQ WORD FIRST SECOND THIRD PTR FIFTH PK0-4 BLK BUILD FILL AT "
		"LIMIT_MS RET TID\n",
		path, (unsigned long long)fz->opts.seed, fz->opts.workers, fz->opts.user ? " --user" : "");
	fprintf(f, "failure %s\nseed 0x%llx\nworkers %d\nuser %d\nadmin %d\ncalls_total %llu\n",
		fz->failure, (unsigned long long)fz->opts.seed, fz->opts.workers, fz->opts.user,
		fz->admin, (unsigned long long)fz->calls);
	while (*k) {
		int n = (int)strcspn(k, "\n");

		fprintf(f, "klog %.*s\n", n, k);
		k += n + (k[n] == '\n');
	}
	for (int s = 0; s < fz->nprocs * FZ_THREADS; s++)
		write_slot(f, s);
	return fclose(f);
}

/* One "call" line into its slot's list. */
static int read_call(const char *line)
{
	unsigned pk[5], blk, build, gen;
	unsigned long long seq, second, third, ptr, at;
	long long fifth;
	char ret[32];
	struct fz_call c = { 0 };
	struct fz_replay_slot *s;
	int slot;

	if (sscanf(line, CALL_SCAN, &slot, &gen, &seq, &c.word, &c.first, &second, &third, &ptr,
		   &fifth, &pk[0], &pk[1], &pk[2], &pk[3], &pk[4], &blk, &build, &c.fill, &at,
		   &c.limit_ms, ret, &c.tid) != 21 || slot < 0 || slot >= FZ_MAX_ACTORS)
		return -1;
	c.gen = (uint8_t)gen, c.seq = seq, c.second = second, c.third = third, c.ptr = ptr;
	c.fifth = fifth, c.blk = (uint8_t)blk, c.build = (uint8_t)build, c.at = at;
	for (int i = 0; i < 5; i++)
		c.pk[i] = (uint8_t)(pk[i] <= 2 * FZ_MAX_ACTORS || pk[i] == FZ_PK_SOURCE ? pk[i] : 0);
	if (c.blk >= FZ_BLK_NR || c.build >= FZ_B_NR || (c.build && !fz_writable(c.at, 1)))
		return -1;
	c.ret = strcmp(ret, "pending") ? strtoll(ret, NULL, 10) : FZ_PENDING;
	s = &fz_rs[slot];
	s->calls = realloc(s->calls, (s->n + 1) * sizeof(*s->calls));
	if (!s->calls)
		return -1;
	s->calls[s->n++] = c;
	return 0;
}

/* Read a reproducer: its settings into fz->opts, its calls into fz_rs. */
int fz_read_repro(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned long long seed;
	int n = 0, lineno = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (sscanf(line, "seed 0x%llx", &seed) == 1)
			fz->opts.seed = seed;
		sscanf(line, "workers %d", &fz->opts.workers);
		sscanf(line, "user %d", &fz->opts.user);
		sscanf(line, "admin %d", &fz->admin);
		if (!strncmp(line, "call ", 5) && read_call(line)) {
			fprintf(stderr, "dvk_fuzz: %s:%d: bad call line\n", path, lineno);
			fclose(f);
			return -1;
		}
		n += !strncmp(line, "call ", 5);
	}
	fclose(f);
	return n;
}
