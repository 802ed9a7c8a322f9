// SPDX-License-Identifier: GPL-2.0
/*
 * gen.c - one random DVK call from an actor's random stream.
 *
 * Every argument is drawn from a pool that is mostly valid-looking (the
 * DCs the fuzzer runs, a small set of endpoints several actors bind and
 * call, ANY/NONE/SELF, the pids of the fuzzer's own threads) so calls get
 * deep into the kernel, and partly the edges and junk around them (range
 * ends, generations, negative values, every kind of bad pointer: arena.c).
 * Nothing depends on earlier results: the stream alone decides.
 *
 * pids are only ever those of the fuzzer's own actors, 0 (the caller), or
 * ones that cannot exist: bind, proxies_bind and migrate turn a pid into a
 * binding, and a binding gets SIGTERM from dc_end, unbind and a dying pair.
 */
#include <limits.h>
#include "fuzz.h"

#define PICK(r, a) ((a)[fz_below(r, sizeof(a) / sizeof((a)[0]))])
#define U(x) ((uint64_t)(int64_t)(x))	/* an int argument as the ABI's u64 */

struct g {
	uint64_t *r;
	int self, admin;
	struct fz_call *c;
};

/* ---- pools ------------------------------------------------------------------ */

static int32_t dcid(uint64_t *r)
{
	static const int32_t edge[] = { -1, FZ_DCS, NR_DCS - 1, NR_DCS, INT_MIN, INT_MAX, -2 };

	unsigned k = (unsigned)fz_below(r, 100);

	/* DC 0 mostly (always made with the usual limits): peers must share a DC */
	return k < 60 ? 0 : k < 85 ? 1 + (int32_t)fz_below(r, FZ_DCS - 1) : PICK(r, edge);
}

/* Ten endpoints (kernel-task, system, one user slot) for ten actors: most get bound. */
static int32_t hot_ep(uint64_t *r)
{
	static const int32_t hot[] = { -2, -1, 0, 1, 2, 3, 4, 5, 6, 29 };

	return PICK(r, hot);
}

static int32_t ep(uint64_t *r)
{
	static const int32_t magic[] = { ANY, NONE, SELF };
	static const int32_t edge[] = { -NR_TASKS, -NR_TASKS - 1, SLOTS, NR_PROCS - 1, NR_PROCS,
					NR_PROCS + 1, -1000, _ENDPOINT(1, NR_PROCS - 1) + 1 };
	unsigned k = (unsigned)fz_below(r, 100);

	if (k < 60)
		return hot_ep(r);
	if (k < 75)
		return PICK(r, magic);
	if (k < 85)	/* a stale or future generation of a hot slot */
		return _ENDPOINT(1 + (int)fz_below(r, 3), hot_ep(r));
	if (k < 95)
		return PICK(r, edge);
	return (int32_t)fz_next(r);
}

static int32_t nodeid(uint64_t *r)
{
	static const int32_t edge[] = { NR_NODES - 1, NR_NODES, -2, INT_MIN, 7 };
	unsigned k = (unsigned)fz_below(r, 100);

	if (k < 10)
		return LOCALNODE;
	if (k < 25)
		return 0;
	if (k < 80)
		return 1 + (int32_t)fz_below(r, 3);
	return PICK(r, edge);
}

static int32_t pair(uint64_t *r)
{
	static const int32_t edge[] = { 0, NR_NODES - 1, NR_NODES, -1, INT_MAX };

	return fz_below(r, 10) < 7 ? 1 + (int32_t)fz_below(r, 3) : PICK(r, edge);
}

/* A timeout in ms; sets how long the call may legitimately take. */
static int64_t timeout(struct g *g)
{
	static const int64_t odd[] = { -2, INT64_MIN, INT64_MAX, 1LL << 40, 100000 };
	unsigned k = (unsigned)fz_below(g->r, 100);
	int64_t t;

	if (k < 35)
		t = 0;
	else if (k < 55)
		t = 1 + (int64_t)fz_below(g->r, 5);
	else if (k < 80)
		t = 10 + (int64_t)fz_below(g->r, 90);
	else if (k < 90)
		t = 200 + (int64_t)fz_below(g->r, 300);
	else if (k < 94)
		t = 1000;
	else if (k < 97)
		t = TIMEOUT_FOREVER;
	else
		t = PICK(g->r, odd);
	g->c->limit_ms = t >= 0 && t <= 10000 ? (int32_t)t + FZ_SLACK_MS : -1;
	return t;
}

/* The pid or tid of actor slot @pk's current process, 0 before it ran. */
int64_t fz_resolve_pid(int pk)
{
	const struct fz_actor *a = &fz->actor[(pk - 1) / 2];

	return (pk - 1) % 2 ? a->tid : a->pid;
}

/* A pid for argument @pos: one of ours (recorded as such), 0, or none that can exist. */
static int64_t pid(struct g *g, int pos)
{
	static const int64_t none[] = { -1, INT_MAX, INT_MIN, 4194304 + 17, 99999999 };
	unsigned k = (unsigned)fz_below(g->r, 100);
	int a = g->self;

	if (k >= 82)
		return PICK(g->r, none);
	if (k >= 75 && !g->admin)	/* the admin stays unbound: its threads make a proxy pair */
		return 0;
	/* another worker's actor (never the admin's: it stays free to be a proxy pair) */
	if (k >= 45 || g->admin)
		a = (int)fz_below(g->r, (uint64_t)(fz->nprocs - fz->admin) * FZ_THREADS);
	g->c->pk[pos] = (uint8_t)(1 + 2 * a + (fz_below(g->r, 2) || k < 30));
	return fz_resolve_pid(g->c->pk[pos]);
}

/* A pointer to an object of @len bytes the kernel reads (@kind built there) or writes. */
static uint64_t ptr(struct g *g, int len, int kind)
{
	uint64_t p = fz_gen_ptr(g->r, len, kind == FZ_B_NONE);

	if (kind != FZ_B_NONE && fz_writable(p, 1)) {
		g->c->build = (uint8_t)kind;
		g->c->fill = (uint32_t)fz_next(g->r);
		g->c->at = p;
	}
	return p;
}

/* ---- the calls ------------------------------------------------------------- */

/* send receive notify sendrec rcvrqst reply relay vcopy wakeup wait4bind */
static void gen_ipc(struct g *g, int nr)
{
	static const int64_t bytes[] = { 0, 1, 48, 4096, MAXCOPYBUF, MAXCOPYBUF + 1, 200000,
					 MAXCOPYLEN, MAXCOPYLEN + 1, -1, INT64_MAX, 1LL << 40 };
	struct fz_call *c = g->c;
	uint64_t *r = g->r;

	switch (nr) {
	case DVK_SEND: case DVK_RECEIVE: case DVK_SENDREC: case DVK_REPLY: case DVK_RELAY:
		c->first = nr == DVK_RECEIVE && fz_below(r, 2) ? ANY : ep(r);
		if ((nr == DVK_REPLY && fz_below(r, 2)) || (nr == DVK_SEND && !fz_below(r, 6)))
			c->pk[0] = FZ_PK_SOURCE;	/* answer whoever we got a message from */
		c->ptr = ptr(g, sizeof(message), nr == DVK_RECEIVE ? FZ_B_NONE : FZ_B_MSG);
		c->fifth = nr == DVK_RELAY ? 0 : timeout(g);
		break;
	case DVK_RCVRQST:
		c->ptr = ptr(g, sizeof(message), FZ_B_NONE);
		c->fifth = timeout(g);
		break;
	case DVK_NOTIFY:
		c->first = fz_below(r, 2) ? SELF : fz_below(r, 3) ? HARDWARE : ep(r);
		c->second = U(ep(r));
		c->pk[1] = fz_below(r, 6) ? 0 : FZ_PK_SOURCE;
		if (c->first == HARDWARE)	/* the value is the dcid then */
			c->third = U(dcid(r));
		else
			c->third = U(fz_below(r, 3) ? HARDWARE : fz_below(r, 5) ? (int64_t)fz_below(r, 34)
									: (int32_t)fz_next(r));
		break;
	case DVK_VCOPY:
		c->fifth = fz_below(r, 4) ? (int64_t)fz_below(r, 8192) : PICK(r, bytes);
		c->first = fz_below(r, 5) < 2 ? SELF : ep(r);
		c->second = ptr(g, c->fifth > 0 && c->fifth < 4096 ? (int)c->fifth : 4096, FZ_B_RAW);
		c->third = U(fz_below(r, 5) < 2 ? SELF : ep(r));
		if (!fz_below(r, 3)) {	/* into a client waiting for our reply, as servers do */
			c->first = SELF;
			c->pk[2] = FZ_PK_SOURCE;
		}
		c->ptr = ptr(g, c->fifth > 0 && c->fifth < 4096 ? (int)c->fifth : 4096, FZ_B_NONE);
		c->limit_ms = -1;	/* a copy with a remote end waits for its proxy */
		break;
	case DVK_WAKEUPEP:
		c->first = dcid(r);
		c->second = U(ep(r));
		break;
	case DVK_WAIT4BIND:
		c->first = fz_below(r, 10) < 9 ? (int32_t)fz_below(r, 2) : (int32_t)fz_next(r) % 4;
		c->second = U(fz_below(r, 5) < 2 ? SELF : ep(r));
		c->third = (uint64_t)timeout(g);
		break;
	}
}

static int32_t bind_type(uint64_t *r, int admin)
{
	static const int32_t types[] = { SELF_BIND, SELF_BIND, SELF_BIND, LCL_BIND, LCL_BIND,
					 RMT_BIND, REPLICA_BIND, USERMODE_BIND, BKUP_BIND,
					 MAX_BIND_TYPE + 1, -1 };

	if (admin && fz_below(r, 3))
		return LCL_BIND;
	return PICK(r, types);
}

/* dc_init dc_end bind unbind getpriv setpriv getdcinfo getprocinfo getep dvs_* */
static void gen_ctl(struct g *g, int nr)
{
	struct fz_call *c = g->c;
	uint64_t *r = g->r;

	switch (nr) {
	case DVK_DC_INIT: c->ptr = ptr(g, sizeof(dc_usr_t), FZ_B_DC); break;
	case DVK_DC_END: c->first = dcid(r); c->limit_ms = 2000 + FZ_SLACK_MS; break;
	case DVK_BIND:
		if (!g->admin && fz_below(r, 5) < 2) {	/* bind myself or my thread, plainly */
			c->first = SELF_BIND;
			c->second = U(dcid(r));
			c->third = fz_below(r, 2) ? 0 : (uint64_t)pid(g, 2);
			c->ptr = U(hot_ep(r));
			c->fifth = LOCALNODE;
			break;
		}
		c->first = bind_type(r, g->admin);
		c->second = U(dcid(r));
		c->third = c->first == RMT_BIND ? ptr(g, MAXPROCNAME, FZ_B_NAME) : (uint64_t)pid(g, 2);
		c->ptr = U(ep(r));
		c->fifth = c->first == RMT_BIND || fz_below(r, 8) == 0 ? nodeid(r) : LOCALNODE;
		break;
	case DVK_UNBIND:
		c->first = dcid(r);
		c->second = U(fz_below(r, 4) ? hot_ep(r) : ep(r));
		c->third = (uint64_t)timeout(g);
		break;
	case DVK_GETPRIV: case DVK_SETPRIV:
		c->first = dcid(r);
		c->second = U(ep(r));
		c->ptr = ptr(g, sizeof(priv_usr_t), nr == DVK_SETPRIV ? FZ_B_PRIV : FZ_B_NONE);
		break;
	case DVK_GETDCINFO:
		c->first = fz_below(r, 5) ? dcid(r) : -1;
		c->ptr = ptr(g, sizeof(dc_usr_t), FZ_B_NONE);
		break;
	case DVK_GETPROCINFO:
		c->first = fz_below(r, 5) ? dcid(r) : -1;
		c->second = U(ep(r));
		c->ptr = ptr(g, sizeof(proc_usr_t), FZ_B_NONE);
		break;
	case DVK_GETEP: c->first = (int32_t)pid(g, 0); break;
	case DVK_DVSINIT:
		c->first = fz_below(r, 10) ? 0 : nodeid(r);	/* node 0: the others are remote */
		c->ptr = fz_below(r, 3) ? ptr(g, sizeof(dvs_usr_t), FZ_B_DVS) : 0;
		break;
	case DVK_GETDVSINFO: c->ptr = ptr(g, sizeof(dvs_usr_t), FZ_B_NONE); break;
	}
}

/* the node, proxy and migration calls */
static void gen_net(struct g *g, int nr)
{
	static const int32_t maxb[] = { 1, 48, 4096, MAXCOPYBUF, MAXCOPYBUF, MAXCOPYBUF, MAXCOPYBUF,
					MAXCOPYBUF + 1, 0, -1 };
	static const int32_t status[] = { CONNECT_SPROXY, CONNECT_RPROXY, DISCONNECT_SPROXY,
					  DISCONNECT_RPROXY, REFUSED_RPROXY, 0, 6, -1 };
	struct fz_call *c = g->c;
	uint64_t *r = g->r;

	switch (nr) {
	case DVK_PROXYBIND:
		c->first = pair(r);
		c->second = U(pid(g, 1));
		c->third = U(pid(g, 2));
		if (g->admin && fz_below(r, 2)) {	/* its own two threads, which call put2lcl */
			c->pk[1] = (uint8_t)(1 + 2 * (g->self & ~1) + 1);
			c->pk[2] = (uint8_t)(1 + 2 * (g->self | 1) + 1);
		} else if (fz_below(r, 2)) {	/* two second threads: unbound more often than leaders */
			c->pk[1] = (uint8_t)(1 + 2 * (2 * fz_below(r, fz->nprocs) + 1) + 1);
			c->pk[2] = (uint8_t)(1 + 2 * (2 * fz_below(r, fz->nprocs) + 1) + 1);
		}
		c->ptr = ptr(g, MAXPROXYNAME, FZ_B_NAME);
		c->fifth = PICK(r, maxb);
		break;
	case DVK_PROXYUNBIND: c->first = pair(r); break;
	case DVK_PROXYCONN:
		c->first = pair(r);
		c->second = U(fz_below(r, 4) ? 1 + (int32_t)fz_below(r, 2) : PICK(r, status));
		break;
	case DVK_GETPROXYINFO:
		c->first = pair(r);
		c->second = ptr(g, sizeof(proc_usr_t), FZ_B_NONE);
		c->third = ptr(g, sizeof(proc_usr_t), FZ_B_NONE);
		break;
	case DVK_GETNODEINFO:
		c->first = nodeid(r);
		c->ptr = ptr(g, sizeof(node_usr_t), FZ_B_NONE);
		break;
	case DVK_NODEUP:	/* node n through pair n mostly: put2lcl headers name node n */
		c->first = nodeid(r);
		c->second = U(fz_below(r, 10) < 7 ? c->first : pair(r));
		c->ptr = ptr(g, MAXNODENAME, FZ_B_NAME);
		break;
	case DVK_NODEDOWN: c->first = nodeid(r); break;
	case DVK_ADDNODE: case DVK_DELNODE:
		c->first = dcid(r);
		c->second = U(nodeid(r));
		break;
	case DVK_PUT2LCL:
		c->second = ptr(g, sizeof(cmd_t), FZ_B_CMD);
		c->third = ptr(g, MAXCOPYBUF, FZ_B_NONE);
		break;
	case DVK_GET2RMT:
		c->second = ptr(g, sizeof(cmd_t), FZ_B_NONE);
		c->third = ptr(g, MAXCOPYBUF, FZ_B_NONE);
		c->fifth = timeout(g);
		break;
	case DVK_MIGRATE:
		c->first = fz_below(r, 10) < 9 ? (int32_t)fz_below(r, 3) : (int32_t)fz_next(r) % 5;
		c->second = U(fz_below(r, 2) ? PROC_NO_PID : pid(g, 1));
		c->third = U(dcid(r));
		c->ptr = U(ep(r));
		c->fifth = nodeid(r);
		break;
	}
}

/*
 * Weights per million of each call.  Workers make every call, IPC most; the
 * admin (root, its own process) binds the others, unbinds them, ends DCs
 * and the DVS and builds the node and proxy state the others then hit.
 * dc_end and dvs_end undo everything the others built: a few a minute.
 */
static const uint32_t w_worker[DVK_NR_CALLS] = {
	[DVK_VOID0] = 2000, [DVK_DC_INIT] = 15000, [DVK_SEND] = 60000, [DVK_RECEIVE] = 70000,
	[DVK_NOTIFY] = 45000, [DVK_SENDREC] = 70000, [DVK_RCVRQST] = 45000, [DVK_REPLY] = 45000,
	[DVK_DC_END] = 5, [DVK_BIND] = 60000, [DVK_UNBIND] = 20000, [DVK_GETPRIV] = 8000,
	[DVK_SETPRIV] = 15000, [DVK_VCOPY] = 45000, [DVK_GETDCINFO] = 8000, [DVK_GETPROCINFO] = 12000,
	[DVK_RELAY] = 10000, [DVK_PROXYBIND] = 15000, [DVK_PROXYUNBIND] = 1000, [DVK_GETNODEINFO] = 6000,
	[DVK_PUT2LCL] = 50000, [DVK_GET2RMT] = 30000, [DVK_ADDNODE] = 12000, [DVK_DELNODE] = 4000,
	[DVK_DVSINIT] = 8000, [DVK_DVSEND] = 1, [DVK_GETEP] = 10000, [DVK_GETDVSINFO] = 8000,
	[DVK_PROXYCONN] = 20000, [DVK_WAIT4BIND] = 25000, [DVK_MIGRATE] = 20000, [DVK_NODEUP] = 15000,
	[DVK_NODEDOWN] = 4000, [DVK_GETPROXYINFO] = 6000, [DVK_WAKEUPEP] = 20000,
};
static const uint32_t w_admin[DVK_NR_CALLS] = {
	[DVK_DC_INIT] = 80000, [DVK_DC_END] = 40, [DVK_BIND] = 250000, [DVK_UNBIND] = 50000,
	[DVK_SETPRIV] = 50000, [DVK_GETPROCINFO] = 20000, [DVK_VCOPY] = 30000, [DVK_NOTIFY] = 40000,
	[DVK_PROXYBIND] = 60000, [DVK_PROXYUNBIND] = 2000, [DVK_PROXYCONN] = 60000,
	[DVK_NODEUP] = 40000, [DVK_NODEDOWN] = 10000, [DVK_ADDNODE] = 40000, [DVK_DELNODE] = 10000,
	[DVK_DVSINIT] = 30000, [DVK_DVSEND] = 30, [DVK_MIGRATE] = 50000, [DVK_WAKEUPEP] = 40000,
	[DVK_GETDVSINFO] = 5000, [DVK_WAIT4BIND] = 10000, [DVK_PUT2LCL] = 60000,
	[DVK_GET2RMT] = 40000,
};

static int pick_call(uint64_t *r, const uint32_t *w)
{
	unsigned total = 0, x;
	int nr;

	for (nr = 0; nr < DVK_NR_CALLS; nr++)
		total += w[nr];
	x = (unsigned)fz_below(r, total);
	for (nr = 0; nr < DVK_NR_CALLS - 1 && x >= w[nr]; nr++)
		x -= w[nr];
	return nr;
}

/* A malformed call word: a number past the table, a low byte, another version. */
static uint32_t bad_word(uint64_t *r)
{
	switch (fz_below(r, 4)) {
	case 0: return DVK_CALL_WORD(DVK_NR_CALLS + (uint32_t)fz_below(r, 256 - DVK_NR_CALLS));
	case 1: return DVK_CALL_WORD((uint32_t)fz_below(r, DVK_NR_CALLS)) | (1 + (uint32_t)fz_below(r, 255));
	case 2: return ((2 + (uint32_t)fz_below(r, 0xfffe)) << 16) | ((uint32_t)fz_below(r, DVK_NR_CALLS) << 8);
	default: return (uint32_t)fz_next(r) | 1;	/* never a valid word by chance */
	}
}

/* How the argument block itself is passed: mostly fine, sometimes not at all. */
static uint8_t block_kind(uint64_t *r)
{
	return fz_below(r, 100) < 3 ? 1 + (uint8_t)fz_below(r, FZ_BLK_NR - 1) : FZ_BLK_OK;
}

/*
 * One argument replaced by junk; never one that names a pid to bind (a
 * junk pid could be anybody's process, which would then get our SIGTERMs).
 */
static void junk_arg(uint64_t *r, struct fz_call *c, int nr)
{
	int pos = (int)fz_below(r, 5);

	if ((nr == DVK_BIND && pos == 2) || (nr == DVK_PROXYBIND && (pos == 1 || pos == 2)) ||
	    (nr == DVK_MIGRATE && pos == 1))
		return;
	switch (pos) {
	case 0: c->first = (int32_t)fz_next(r); break;
	case 1: c->second = fz_next(r); break;
	case 2: c->third = fz_next(r); break;
	case 3: c->ptr = fz_next(r); break;
	default: c->fifth = (int64_t)fz_next(r); break;
	}
	c->pk[pos] = 0;
	if (c->limit_ms >= 0)
		c->limit_ms = -1;	/* a junk timeout may be forever */
}

/* One call of actor slot @self (an admin one if @admin) from the stream @r. */
void fz_gen(uint64_t *r, int self, int admin, struct fz_call *c)
{
	struct g g = { r, self, admin, c };
	int nr = pick_call(r, admin ? w_admin : w_worker);

	*c = (struct fz_call){ .limit_ms = FZ_SLACK_MS, .ret = FZ_PENDING };
	c->blk = block_kind(r);
	if (fz_below(r, 100) < 3) {	/* junk word, junk arguments */
		c->word = bad_word(r);
		c->first = (int32_t)fz_next(r);
		c->second = fz_next(r), c->third = fz_next(r), c->ptr = fz_next(r);
		c->fifth = (int64_t)fz_next(r);
		return;
	}
	c->word = fz_below(r, 5) ? DVK_CALL_WORD((uint32_t)nr) : (uint32_t)nr << 8;
	gen_ipc(&g, nr);
	gen_ctl(&g, nr);
	gen_net(&g, nr);
	if (nr == DVK_VOID0 || fz_below(r, 100) < 2)
		junk_arg(r, c, nr);
}

