// SPDX-License-Identifier: GPL-2.0
/*
 * arena.c - the memory the fuzzer's pointers point at, and what it writes
 * there before a call.
 *
 * One mapping at a fixed address (FZ_BASE), made before the workers fork,
 * so every worker has its own copy at the same addresses: a pointer that is
 * valid in the caller is valid in the vcopy peer too, and a reproducer's
 * raw pointers mean the same thing in a replay.  Its regions give every
 * kind of bad pointer a fixed place: a hole, a read-only page (for output
 * arguments), a PROT_NONE page, and the ends of the writable regions (for
 * objects that straddle into the hole or into the read-only page).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "fuzz.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Map the arena; the read-only page gets bytes from @seed.  0 or -1. */
int fz_arena_map(uint64_t seed)
{
	void *p = mmap((void *)FZ_BASE, FZ_END - FZ_BASE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)FZ_BASE) {
		perror("dvk_fuzz: mapping the arena at its fixed address");
		return -1;
	}
	for (int i = 0; i < FZ_PAGE / 8; i++)
		((uint64_t *)FZ_RO)[i] = fz_next(&seed);
	if (munmap((void *)FZ_HOLE, FZ_HOLE_BYTES) || mprotect((void *)FZ_RO, FZ_PAGE, PROT_READ) ||
	    mprotect((void *)FZ_NONE, FZ_PAGE, PROT_NONE)) {
		perror("dvk_fuzz: arena");
		return -1;
	}
	return 0;
}

/* How many bytes from @at on we may write (0 outside the writable regions). */
int fz_writable(uint64_t at, uint64_t len)
{
	uint64_t end;

	if (at >= FZ_RW && at < FZ_HOLE)
		end = FZ_HOLE;
	else if (at >= FZ_RW2 && at < FZ_RO)
		end = FZ_RO;
	else
		return 0;
	return (int)(end - at < len ? end - at : len);
}

static const uint64_t kernel_ptrs[] = {
	0xffff888000000000ULL, 0xffffffff81000000ULL, 0xfffffffffffff000ULL,
	0xffffc90000000000ULL, 0xffffffffffffffffULL, 0xffff800000000000ULL,
};
static const uint64_t noncanon_ptrs[] = {
	0x0000800000000000ULL, 0x8000000000000000ULL, 0xdead000000000000ULL,
	0x00007ffffffff000ULL,	/* the last user page: canonical, unmapped */
};

#define PICK(r, a) ((a)[fz_below(r, sizeof(a) / sizeof((a)[0]))])

/* A straddling pointer: @len bytes starting 1..len-1 bytes before @edge. */
static uint64_t straddle(uint64_t *r, uint64_t edge, int len)
{
	return edge - 1 - fz_below(r, len > 1 ? len - 1 : 1);
}

/*
 * A pointer for an object of @len bytes; @out: the kernel writes it.  Most
 * are valid (so calls get past their copies), the rest one of every kind
 * of bad pointer.
 */
uint64_t fz_gen_ptr(uint64_t *r, int len, int out)
{
	unsigned k = (unsigned)fz_below(r, 100);

	if (k < 78)
		return FZ_RW + fz_below(r, FZ_HOT_BYTES / 8) * 8;
	if (k < 80)	/* misaligned but valid */
		return (FZ_RW + fz_below(r, FZ_HOT_BYTES)) | (1 + fz_below(r, 7));
	if (k < 82)
		return fz_below(r, 2) ? 0 : 1 + fz_below(r, FZ_PAGE);
	if (k < 84)
		return FZ_HOLE + fz_below(r, FZ_HOLE_BYTES);
	if (k < 87)
		return straddle(r, FZ_HOLE, len);
	if (k < 90)	/* fine to read, EDVSFAULT to write */
		return FZ_RO + fz_below(r, FZ_PAGE - (len < FZ_PAGE ? len : 0) + 1);
	if (k < 92)	/* starts writable, ends read-only */
		return straddle(r, FZ_RO, out ? len : 1);
	if (k < 93)
		return FZ_NONE + fz_below(r, FZ_PAGE);
	if (k < 96)
		return PICK(r, kernel_ptrs) - (fz_below(r, 2) ? 0 : fz_below(r, 64));
	if (k < 98)
		return fz_below(r, 3) ? PICK(r, noncanon_ptrs) : FZ_END + fz_below(r, FZ_PAGE);
	return fz_next(r);
}

/* ---- content ---------------------------------------------------------------- */

static int32_t some_ep(uint64_t *r)
{
	static const int32_t e[] = { ANY, NONE, SELF, -35, -36, 220, 221, -1, 0, 1, 2, 3, 4, 28, 29 };

	return fz_below(r, 4) ? (int32_t)fz_below(r, 12) - 3 : PICK(r, e);
}

static const char *const names[] = {
	"fz", "node1", "", "info", "..", ".", "/", "proxies", "nodes", "abcdefghijklmno",
	"DC0", "a/b", "\xff\xfe", "x y",
};

static void build_name(uint64_t *r, char *b, size_t n)
{
	if (fz_below(r, 6) == 0)
		memset(b, 'N', n);	/* no NUL in 16 bytes, nor after */
	else
		snprintf(b, n, "%s", PICK(r, names));
}

static void build_dvs(uint64_t *r, dvs_usr_t *d)
{
	static const int32_t edge[] = { 0, -1, 1, 33, 222, 36, 65, 65537, 0x7fffffff, 1 << 21 };

	*d = (dvs_usr_t){ .d_nr_dcs = NR_DCS, .d_nr_nodes = NR_NODES, .d_nr_procs = NR_PROCS,
			  .d_nr_tasks = NR_TASKS, .d_nr_sysprocs = NR_SYS_PROCS,
			  .d_max_copybuf = MAXCOPYBUF, .d_max_copylen = MAXCOPYLEN,
			  .d_flags = fz_below(r, 2) ? 0 : fz_next(r) };
	if (fz_below(r, 3) == 0)	/* one field off the valid range */
		(&d->d_nr_dcs)[fz_below(r, 7)] = PICK(r, edge);
	build_name(r, d->d_name, sizeof(d->d_name));
	if (fz_below(r, 10) == 0)
		d->d_pad0 = (int32_t)fz_next(r);
}

static void build_dc(uint64_t *r, dc_usr_t *d)
{
	static const int32_t procs[] = { NR_PROCS, 32, 64, 1, 0, NR_PROCS + 1, -1 };
	static const int32_t tasks[] = { NR_TASKS, 8, 0, NR_TASKS + 1, -1 };
	static const int32_t sys[] = { NR_SYS_PROCS, 16, 8, 35, NR_SYS_PROCS + 1, 0 };
	static const int32_t nodes[] = { NR_NODES, 2, 1, 0, NR_NODES + 1 };
	int valid = fz_below(r, 3) != 0;

	*d = (dc_usr_t){ .dc_dcid = (int32_t)fz_below(r, FZ_DCS), .dc_nr_procs = NR_PROCS,
			 .dc_nr_tasks = NR_TASKS, .dc_nr_sysprocs = NR_SYS_PROCS,
			 .dc_nr_nodes = NR_NODES, .dc_warn2proc = NONE };
	if (!valid) {
		/* DC 0 keeps the usual limits, the others may get odd ones */
		d->dc_dcid = fz_below(r, 4) ? 1 + (int32_t)fz_below(r, FZ_DCS - 1)
			   : fz_below(r, 2) ? FZ_DCS + (int32_t)fz_below(r, 40)
			   : -1 - (int32_t)fz_below(r, 40);
		d->dc_nr_procs = PICK(r, procs);
		d->dc_nr_tasks = PICK(r, tasks);
		d->dc_nr_sysprocs = PICK(r, sys);
		d->dc_nr_nodes = PICK(r, nodes);
		d->dc_flags = (int32_t)fz_next(r);
		d->dc_cpumask = fz_below(r, 2) ? 0 : fz_next(r);
		d->dc_nodes = fz_next(r);
	}
	if (valid && fz_below(r, 2))
		snprintf(d->dc_name, sizeof(d->dc_name), "DC%d", d->dc_dcid);
	else
		build_name(r, d->dc_name, sizeof(d->dc_name));
}

static void build_priv(uint64_t *r, priv_usr_t *p)
{
	static const int32_t warn[] = { NONE, -35, -36, 0, 63, 64, ANY };

	p->priv_id = (int16_t)fz_next(r);
	p->priv_warn = fz_below(r, 3) ? NONE : PICK(r, warn);
	p->priv_level = (int32_t)fz_below(r, 7) - (fz_below(r, 8) == 0);
	p->priv_trap_mask = (int32_t)fz_next(r);
	p->priv_ipc_from = fz_next(r);
	/* mostly everything allowed: a slot that may call nothing ends the fuzz's reach */
	p->priv_ipc_to = fz_below(r, 10) ? ~0ULL : fz_next(r);
	p->priv_dvk_allowed = fz_below(r, 10) ? ~0ULL : fz_next(r);
}

static void build_cmd(uint64_t *r, cmd_t *c)
{
	static const int32_t cmds[] = {
		CMD_NONE, CMD_SEND_MSG, CMD_NTFY_MSG, CMD_SNDREC_MSG, CMD_REPLY_MSG,
		CMD_COPYIN_DATA, CMD_COPYOUT_RQST, CMD_COPYLCL_RQST, CMD_COPYRMT_RQST,
		CMD_COPYIN_RQST, CMD_HELLO, CMD_SHUTDOWN, CMD_PROCINFO, CMD_PROCBIND,
		CMD_PROCUNBIND, CMD_SEND_ACK, CMD_NTFY_ACK, CMD_SNDREC_ACK, CMD_REPLY_ACK,
		CMD_COPYIN_ACK, CMD_COPYOUT_DATA, CMD_COPYLCL_ACK, CMD_COPYRMT_ACK, 15, -1,
		0x2000 | 15,
	};
	static const int32_t lens[] = { 0, 0, 0, 1, 48, 4096, MAXCOPYBUF, MAXCOPYBUF + 1, -1 };
	static const int64_t bytes[] = { 0, 1, 48, 4096, MAXCOPYBUF, MAXCOPYLEN, MAXCOPYLEN + 1,
					 -1 };

	memset(c, 0, sizeof(*c));
	c->c_cmd = PICK(r, cmds);
	c->c_dcid = fz_below(r, 5) ? (int32_t)fz_below(r, FZ_DCS) : (int32_t)fz_next(r) % 40;
	c->c_src = some_ep(r);
	c->c_dst = some_ep(r);
	c->c_snode = fz_below(r, 4) ? 1 + (int32_t)fz_below(r, 3) : (int32_t)fz_below(r, 40) - 4;
	c->c_dnode = fz_below(r, 4) ? 0 : (int32_t)fz_below(r, 40) - 4;
	c->c_rcode = fz_below(r, 2) ? 0 : -(int32_t)fz_below(r, 400);
	c->c_len = PICK(r, lens);
	c->c_pid = (int32_t)fz_next(r);
	c->c_flags = fz_below(r, 3) ? fz_below(r, 2) * CMD_FLAG_MORE : fz_next(r);
	c->c_snd_seq = fz_below(r, 2) ? fz_below(r, 64) : fz_next(r);
	c->c_ack_seq = fz_below(r, 2) ? fz_below(r, 64) : fz_next(r);
	c->c_msg.m_source = c->c_src;
	c->c_msg.m_type = (int32_t)fz_next(r);
	c->c_vcopy.v_src = some_ep(r);
	c->c_vcopy.v_dst = some_ep(r);
	c->c_vcopy.v_rqtr = some_ep(r);
	c->c_vcopy.v_saddr = fz_gen_ptr(r, 64, 0);
	c->c_vcopy.v_daddr = fz_gen_ptr(r, 64, 1);
	c->c_vcopy.v_bytes = PICK(r, bytes);
}

/*
 * Write an object of @kind, made from @fill alone, at @at: the part of it
 * that is writable (a straddling object keeps whatever lies beyond).
 */
void fz_build(int kind, uint32_t fill, uint64_t at)
{
	union { message m; dvs_usr_t d; dc_usr_t dc; priv_usr_t p; cmd_t c; char b[256]; } u;
	uint64_t r = fill;
	size_t n = sizeof(u);

	memset(&u, 0, sizeof(u));
	switch (kind) {
	case FZ_B_MSG:
		for (size_t i = 0; i < sizeof(u.m) / 8; i++)
			((uint64_t *)&u.m)[i] = fz_next(&r);
		u.m.m_type = fz_below(&r, 2) ? (int32_t)fz_below(&r, 1000) : u.m.m_type;
		n = sizeof(u.m);
		break;
	case FZ_B_DVS: build_dvs(&r, &u.d); n = sizeof(u.d); break;
	case FZ_B_DC: build_dc(&r, &u.dc); n = sizeof(u.dc); break;
	case FZ_B_PRIV: build_priv(&r, &u.p); n = sizeof(u.p); break;
	case FZ_B_CMD: build_cmd(&r, &u.c); n = sizeof(u.c); break;
	case FZ_B_NAME: build_name(&r, u.b, 32); n = 32; break;
	case FZ_B_RAW:
		for (size_t i = 0; i < sizeof(u.b) / 8; i++)
			((uint64_t *)u.b)[i] = fz_next(&r);
		break;
	default:
		return;
	}
	memcpy((void *)at, &u, fz_writable(at, n));
}
