// SPDX-License-Identifier: GPL-2.0
/*
 * cluster_migrate.c - migration of a server endpoint from node 0 to node 1
 * of a real cluster while clients on every node keep calling it.
 *
 * Run on every node by scripts/dvk-node (its DVS, DC0 and proxies).  Each
 * node rmtbinds the others' clients and (nodes other than 0) the server
 * MS on node 0.  Clients (two per node) sendrec to MS without pause, each
 * request numbered; the server checks that every client's numbers arrive
 * exactly once and in order, and answers with the node it runs on.
 *
 * The migration, the way a checkpoint/restore tool would drive it: the
 * server on node 0 stops at a quiescent point (after a reply) and writes
 * its state (what it served, each client's last number) to the shared
 * cluster directory; node 0 runs MIGR_START, then every other node; node 1
 * has a new process waiting in wait4bind, which its COMMIT binds to MS;
 * then node 0 and the others COMMIT.  Meanwhile clients of node 0 queue on
 * or park at MS and replay to node 1, and the other nodes' requests get
 * EDVSMIGRATE from node 0 and are replayed by their node.  The new server
 * reads the state and goes on.  Checks: every call of every client
 * succeeds, answered by node 0 and then only by node 1; the server saw no
 * number twice and none skipped; the requests served equal the requests
 * made on all nodes; the descriptors of MS on each node afterwards.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "cluster.h"
#include "tracefs.h"

#define MS		20		/* the migrating server */
#define CL(n, k)	(21 + 2 * (n) + (k))	/* client k (0, 1) of node n */
#define NCL		2
#define MAXNODES	3
#define FROM		0		/* MS starts on node 0 ... */
#define TO		1		/* ... and moves to node 1 */

/* Shared between this node's processes (one page, MAP_SHARED). */
struct shared {
	volatile int pause;		/* parent -> old server: stop after a reply */
	volatile int paused;		/* old server -> parent */
	volatile int committed;		/* parent -> old server: you may exit */
	volatile int stop;		/* parent -> clients */
	volatile int done;		/* parent -> new server: all clients ended */
	volatile long calls[NCL];	/* per client: calls that succeeded */
	volatile long by[NCL][MAXNODES];	/* ... answered by node n */
	volatile long after_to[NCL];	/* answers by node TO so far */
	volatile long bad[NCL];		/* failures: a DVK code, or -1 a wrong answer */
};

/* The server's state, written by the old process and read by the new one. */
struct server_state {
	long served;
	long dups, gaps;
	int last[MAXNODES][NCL];	/* each client's last request number */
};

static struct shared *sh;

static void state_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/migrate.state", cluster.dir);
}

/* rcvrqst + check the number + reply with our node; 0 or a DVK code */
static long serve_one(struct server_state *st, long timeout_ms)
{
	message m;
	long r = dvk_rcvrqst_T(&m, timeout_ms);
	int n, k;

	if (r)
		return r;
	n = m.m1_i2;
	k = m.m1_i3;
	if (n >= 0 && n < MAXNODES && k >= 0 && k < NCL) {
		if (m.m1_i1 <= st->last[n][k])
			st->dups++;
		else if (m.m1_i1 != st->last[n][k] + 1)
			st->gaps++;
		if (m.m1_i1 > st->last[n][k])
			st->last[n][k] = m.m1_i1;
	} else {
		st->gaps++;	/* a request we cannot place */
	}
	m.m_type = 777;
	m.m1_i2 = cluster.me;
	r = dvk_reply_T(m.m_source, &m, 30000);
	if (!r)
		st->served++;
	return r;
}

/* node FROM: serve until paused, save the state, wait for COMMIT */
static long old_server(int arg)
{
	struct server_state st = { 0 };
	char path[512];
	FILE *f;

	(void)arg;
	while (!sh->pause) {
		long r = serve_one(&st, 200);

		if (r && r != EDVSTIMEDOUT)
			return r;
	}
	state_path(path, sizeof(path));
	f = fopen(path, "w");
	if (!f || fwrite(&st, sizeof(st), 1, f) != 1)
		return -2;
	fclose(f);
	sh->paused = 1;
	while (!sh->committed)
		usleep(10000);
	/* detached by COMMIT: DVK calls now say so */
	return dvk_rcvrqst_T(&(message){ 0 }, 0) == EDVSNOTBIND ? st.served : -3;
}

/* node TO: a process that the COMMIT binds to MS; goes on from the state */
static void new_server(void)
{
	struct server_state st;
	char path[512];
	long r = dvk_wait4bind_T(120000);
	FILE *f;

	if (r != MS) {
		children.result[MS + NR_TASKS] = r ? r : -4;
		_exit(0);
	}
	state_path(path, sizeof(path));
	f = fopen(path, "r");
	if (!f || fread(&st, sizeof(st), 1, f) != 1) {
		children.result[MS + NR_TASKS] = -5;
		_exit(0);
	}
	fclose(f);
	/* results[0..2] (endpoints -35..-33, never used here) carry its numbers */
	children.result[0] = st.served;		/* served before the move */
	for (;;) {
		r = serve_one(&st, 200);
		if (r == EDVSTIMEDOUT && sh->done)
			break;
		if (r && r != EDVSTIMEDOUT) {
			children.result[MS + NR_TASKS] = r;
			_exit(0);
		}
	}
	children.result[1] = st.dups;
	children.result[2] = st.gaps;
	children.result[MS + NR_TASKS] = st.served;
	_exit(0);
}

static long client(int k)
{
	for (int seq = 1; !sh->stop; seq++) {
		message m = { .m_type = 100, .m1_i1 = seq, .m1_i2 = cluster.me, .m1_i3 = k };
		long r = dvk_sendrec_T(MS, &m, 30000);

		if (r) {
			sh->bad[k] = r;
			return r;
		}
		if (m.m_type != 777 || m.m1_i1 != seq || m.m1_i2 < 0 || m.m1_i2 >= cluster.nodes ||
		    (m.m1_i2 != TO && sh->by[k][TO])) {	/* node FROM again after TO */
			sh->bad[k] = -1;
			return -1;
		}
		sh->by[k][m.m1_i2]++;
		if (m.m1_i2 == TO)
			sh->after_to[k]++;
		sh->calls[k]++;
	}
	return sh->calls[k];
}

/* a migrate call, retried while the endpoint's stand-in is busy */
static long migrate_retry(int oper, int pid, int node)
{
	long r;

	for (int t = 0; t < 250; t++) {
		r = dvk_migrate(oper, pid, DCID, MS, node);
		if (r != EDVSBUSY)
			return r;
		usleep(20000);
	}
	return r;
}

static int node_of(int ep, int *flags)
{
	proc_usr_t u;

	if (dvk_getprocinfo(DCID, ep, &u))
		return -99;
	*flags = u.p_rts_flags;
	return u.p_nodeid;
}

int main(void)
{
	pid_t srv = 0, cl[NCL];
	long total = 0, all = 0, served_new, r;
	int up = 1, flags = 0, node;
	char path[512];
	FILE *f;

	if (!cluster_env() || cluster.nodes > MAXNODES || cluster.nodes < 2) {
		fprintf(stderr, "cluster_migrate: run me on a vm-cluster node (2 or 3 nodes)\n");
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	memset((void *)sh, 0, sizeof(*sh));

	for (int n = 0; n < cluster.nodes; n++) {
		if (n == cluster.me)
			continue;
		up &= wait_link(n, 60);
		CHECK_RC("migrate: add_node", dvk_add_node(DCID, n), OK);
		for (int k = 0; k < NCL; k++) {
			char nm[16];

			snprintf(nm, sizeof(nm), "cl%d.%d", n, k);
			CHECK_RC("migrate: rmtbind a peer's client", dvk_rmtbind(DCID, nm, CL(n, k), n),
				 CL(n, k));
		}
	}
	if (cluster.me != FROM)
		CHECK_RC("migrate: rmtbind the server on node 0", dvk_rmtbind(DCID, "msrv", MS, FROM),
			 MS);
	CHECK("migrate: links up and every node set up (barrier)", up && barrier("mg-setup", 120),
	      "node %d", cluster.me);
	CHECK("migrate: tracefs instance for dvk_migrate", !tracefs_instance("mg", "dvk_migrate"),
	      "cannot create it");

	if (cluster.me == FROM) {
		srv = child(MS, old_server, 0);
		CHECK("migrate: the server binds on node 0", wait_bound_secs(MS, 30), "ep %d", MS);
	} else if (cluster.me == TO) {
		srv = fork();
		if (srv == 0)
			new_server();
	}
	CHECK("migrate: the server is bound on node 0 (barrier)", barrier("mg-bound", 120),
	      "node %d", cluster.me);
	for (int k = 0; k < NCL; k++)
		cl[k] = child(CL(cluster.me, k), client, k);

	/* let traffic run, then the migration (node FROM leads) */
	for (int t = 0; t < 200 && (sh->calls[0] < 20 || sh->calls[1] < 20); t++)
		usleep(100000);
	CHECK("migrate: both clients got answers before the move", sh->calls[0] >= 20 &&
	      sh->calls[1] >= 20, "calls %ld %ld", sh->calls[0], sh->calls[1]);
	barrier("mg-traffic", 120);
	if (cluster.me == FROM) {
		sh->pause = 1;
		for (int t = 0; t < 3000 && !sh->paused; t++)
			usleep(10000);
		CHECK("migrate: the server stopped at a reply and saved its state", sh->paused,
		      "not paused in 30 s");
		CHECK_RC("migrate: MIGR_START where it runs (node 0)", migrate_retry(MIGR_START,
			 PROC_NO_PID, LOCALNODE), OK);
		mark("mg-start");
	} else {
		wait_mark("mg-start", FROM, 120);
		CHECK_RC("migrate: MIGR_START on the other nodes", migrate_retry(MIGR_START,
			 PROC_NO_PID, LOCALNODE), OK);
	}
	barrier("mg-started", 120);
	usleep(300000);		/* senders pile up: parked here, refused there */
	{
		int f0 = 0, f1 = 0;

		node_of(CL(cluster.me, 0), &f0);
		node_of(CL(cluster.me, 1), &f1);
		CHECK("migrate: both clients are blocked on MS while it moves", f0 && f1,
		      "flags %x %x", f0, f1);
	}
	/*
	 * COMMIT where it goes first, node 0 last: until node 0 commits, the
	 * requests it refuses (EDVSMIGRATE) are replayed by their nodes, which
	 * must by then point at node 1 (node 0 would refuse them again).
	 */
	if (cluster.me == TO) {
		CHECK_RC("migrate: MIGR_COMMIT on node 1 binds the new process",
			 migrate_retry(MIGR_COMMIT, srv, TO), OK);
	} else if (cluster.me != FROM) {
		wait_mark("mg-commit", TO, 120);
		CHECK_RC("migrate: MIGR_COMMIT on a third node", migrate_retry(MIGR_COMMIT, -1, TO),
			 OK);
	} else {
		for (int n = 0; n < cluster.nodes; n++)
			if (n != FROM)
				wait_mark("mg-commit", n, 120);
		CHECK_RC("migrate: MIGR_COMMIT on node 0, last", migrate_retry(MIGR_COMMIT, -1, TO),
			 OK);
	}
	mark("mg-commit");
	sh->committed = 1;
	barrier("mg-committed", 120);
	node = node_of(MS, &flags);
	if (cluster.me == TO)
		CHECK("migrate: MS is bound here now", node == TO && !(flags & (REMOTE | MIGRATING)),
		      "node %d flags %x", node, flags);
	else
		CHECK("migrate: MS is a remote descriptor of node 1 here",
		      node == TO && (flags & REMOTE) && !(flags & MIGRATING), "node %d flags %x",
		      node, flags);
	if (cluster.me == FROM) {
		r = wait_child(srv, MS);
		CHECK("migrate: the old process is detached (EDVSNOTBIND) after serving",
		      r > 0, "got %ld", r);
	}

	/* traffic after the move, then stop */
	for (int t = 0; t < 300 && (sh->after_to[0] < 20 || sh->after_to[1] < 20); t++)
		usleep(100000);
	sh->stop = 1;
	for (int k = 0; k < NCL; k++) {
		r = wait_child(cl[k], CL(cluster.me, k));
		CHECK("migrate: a client made every call without an error or a wrong answer",
		      r > 0 && !sh->bad[k], "client %d: %ld (bad %ld) after %ld calls", k, r,
		      sh->bad[k], sh->calls[k]);
		CHECK("migrate: ... answered by node 0, then by node 1 only",
		      sh->by[k][FROM] > 0 && sh->after_to[k] >= 20, "by node 0: %ld, node 1: %ld",
		      sh->by[k][FROM], sh->after_to[k]);
		total += sh->calls[k];
	}
	snprintf(path, sizeof(path), "%s/migrate.calls.%d", cluster.dir, cluster.me);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%ld\n", total);
		fclose(f);
	}
	barrier("mg-clients-done", 180);
	if (cluster.me == TO) {
		sh->done = 1;
		served_new = wait_child(srv, MS);
		for (int n = 0; n < cluster.nodes; n++) {
			long c = -1;

			snprintf(path, sizeof(path), "%s/migrate.calls.%d", cluster.dir, n);
			f = fopen(path, "r");
			if (f && fscanf(f, "%ld", &c) == 1)
				all += c;
			if (f)
				fclose(f);
		}
		CHECK("migrate: the server answered every request of every node exactly once",
		      served_new == all && children.result[1] == 0 && children.result[2] == 0,
		      "served %ld (%ld before the move), requests %ld, seen twice %ld, skipped %ld",
		      served_new, children.result[0], all, children.result[1], children.result[2]);
		printf("# migrate: %ld requests from %d nodes, %ld served on node 0, %ld on node 1\n",
		       all, cluster.nodes, children.result[0], served_new - children.result[0]);
	}
	{
		static const char *const start[] = { "dvk_migrate:", "ep=20 start", "result=0" };
		static const char *const commit[] = { "dvk_migrate:", "ep=20 commit",
						      "-> 1 result=0" };
		char *t = tracefs_collect("mg");

		CHECK("migrate: dvk_migrate events of START and COMMIT on this node",
		      t && tracefs_count(t, 3, start) == 1 && tracefs_count(t, 3, commit) == 1,
		      "%.400s", t ? t : "(no trace)");
		free(t);
		tracefs_instance_remove("mg");
	}
	barrier("mg-end", 120);
	return CHECK_EXIT();
}
