// SPDX-License-Identifier: GPL-2.0
/*
 * cluster_ipc.c - DVK across real nodes: run on every node of a vm-cluster
 * (scripts/dvk-node starts the DVS, DC0 and one dvk-proxy per peer first).
 * Each node i waits until its links are up, adds the peers to DC0, binds
 * their endpoints remotely, meets the others at a barrier (files in
 * DVK_CLUSTER_DIR), then runs, against every peer j:
 *  - sendrec: its client does NREQ sendrecs to j's server (rcvrqst + reply),
 *    every reply checked, in order;
 *  - send + notify: its sender sends NMSG messages then a notify to j's
 *    receiver, which checks every message arrives once, in order, then the
 *    notify;
 *  - vcopy: its requester copies 200 kB into j's copy target and back
 *    (local->remote and remote->local), the bytes checked on both sides.
 * Endpoints of node i: server 3+i, client 6+i, sender 9+i, receiver 12+i,
 * copy target 15+i, copy requester 18+i (system slots).
 *
 * usage: cluster_ipc  (DVK_NODEID, DVK_NODES, DVK_CLUSTER_DIR from vm-cluster)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/stat.h>
#include "ipc_test.h"

#define SRV(n)	(3 + (n))
#define CLI(n)	(6 + (n))
#define SND(n)	(9 + (n))
#define RCV(n)	(12 + (n))
#define CPY(n)	(15 + (n))
#define RQ(n)	(18 + (n))
#define NREQ	300
#define NMSG	200
#define CBYTES	200000

static int me, nodes;
static const char *cdir;
static unsigned char cbuf[CBYTES], cbuf2[CBYTES];

/* wait until every node wrote <name>.<node> */
static int wait_all(const char *name, int secs)
{
	char path[512];
	int all = 0;

	for (int t = 0; t < secs * 10 && !all; t++) {
		struct stat st;

		all = 1;
		for (int n = 0; n < nodes; n++) {
			snprintf(path, sizeof(path), "%s/%s.%d", cdir, name, n);
			all &= stat(path, &st) == 0;
		}
		if (!all)
			usleep(100000);
	}
	return all;
}

/* write <name>.<us>, then wait for every node's */
static int barrier(const char *name, int secs)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.%d", cdir, name, me);
	fclose(fopen(path, "w"));
	return wait_all(name, secs);
}

/* the pair of node n shows ISR in debugfs proxies */
static int link_up(int n)
{
	FILE *f = fopen("/sys/kernel/debug/dvk/proxies", "r");
	char line[512], state[8];
	int px, up = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %*s %7s", &px, state) == 2 && px == n && !strcmp(state, "ISR"))
			up = 1;
	if (f)
		fclose(f);
	return up;
}

static long server(int arg)
{
	long served = 0;

	for (int k = 0; k < arg; k++) {
		message m;
		long r = dvk_rcvrqst_T(&m, 60000);

		if (r)
			return r;
		m.m_type++;
		r = dvk_reply_T(m.m_source, &m, 60000);
		if (r)
			return r;
		served++;
	}
	return served;
}

static long client(int arg)
{
	(void)arg;
	for (int n = 0; n < nodes; n++) {
		if (n == me)
			continue;
		for (int k = 0; k < NREQ; k++) {
			message m = { .m_type = 100, .m1_i1 = k, .m1_i2 = me };
			long r = dvk_sendrec_T(SRV(n), &m, 30000);

			if (r)
				return r;
			if (m.m_source != SRV(n) || m.m_type != 101 || m.m1_i1 != k || m.m1_i2 != me)
				return -100000 - k;
		}
	}
	return NREQ;
}

static long sender(int arg)
{
	(void)arg;
	for (int n = 0; n < nodes; n++) {
		if (n == me)
			continue;
		for (int k = 0; k < NMSG; k++) {
			message m = { .m_type = 200, .m1_i1 = k };
			long r = dvk_send_T(RCV(n), &m, 30000);

			if (r)
				return r;
		}
		if (dvk_notify(RCV(n)))
			return -2;
	}
	return NMSG;
}

/* every peer's NMSG messages in order, then its notify */
static long receiver(int arg)
{
	int next[3] = { 0 }, notified = 0;

	(void)arg;
	while (notified < nodes - 1) {
		message m;
		long r = dvk_receive_T(ANY, &m, 60000);
		int from = m.m_source - SND(0);

		if (r)
			return r;
		if (m.m_type == NOTIFY_FROM(m.m_source) && m.m_source >= SND(0)) {
			if (next[m.m_source - SND(0)] != NMSG)
				return -3;	/* the notify overtook messages */
			notified++;
			continue;
		}
		if (from < 0 || from >= nodes || from == me || m.m1_i1 != next[from])
			return -1000 - m.m1_i1;
		next[from]++;
	}
	return NMSG;
}

/* copy target: tell each requester our buffer, wait for its verdict */
static long copy_target(int arg)
{
	long bad = 0;

	(void)arg;
	if (!wait_all("bound", 120))	/* the requesters we name are bound */
		return -4;
	for (int n = 0; n < nodes; n++) {
		message m = { .m_type = 300, .m1_p1 = (uint64_t)(uintptr_t)cbuf };
		long r;

		if (n == me)
			continue;
		memset(cbuf, 0, sizeof(cbuf));
		r = dvk_send_T(RQ(n), &m, 60000);
		if (!r)
			r = dvk_receive_T(RQ(n), &m, 60000);	/* the copy happens while we wait */
		if (r)
			return r;
		for (int i = 0; i < CBYTES; i++)
			bad += cbuf[i] != (unsigned char)(i * 13 + n);
	}
	return bad ? -bad : 1;
}

/* copy requester: into each peer's target and back again */
static long copy_requester(int arg)
{
	(void)arg;
	for (int n = 0; n < nodes; n++) {
		message m;
		void *addr;
		long r;

		if (n == me)
			continue;
		for (int i = 0; i < CBYTES; i++)
			cbuf[i] = (unsigned char)(i * 13 + me);
		r = dvk_receive_T(CPY(n), &m, 60000);
		if (r)
			return r;
		addr = (void *)(uintptr_t)m.m1_p1;
		for (int t = 0; t < 100; t++) {	/* until the target waits for our verdict */
			r = dvk_vcopy(SELF, cbuf, CPY(n), addr, CBYTES);
			if (r != EDVSPROCSTS)
				break;
			usleep(20000);
		}
		if (r)
			return r - 1000000;
		memset(cbuf2, 0, sizeof(cbuf2));
		r = dvk_vcopy(CPY(n), addr, SELF, cbuf2, CBYTES);
		if (r)
			return r - 2000000;
		if (memcmp(cbuf, cbuf2, CBYTES))
			return -3000000;
		memset(&m, 0, sizeof(m));
		r = dvk_send_T(CPY(n), &m, 60000);
		if (r)
			return r - 4000000;
	}
	return 1;
}

int main(void)
{
	static const char *names[] = { "srv", "cli", "snd", "rcv", "cpy", "rq" };
	const char *e = getenv("DVK_NODEID");
	pid_t pid[6];
	int up = 1;

	if (!e || !getenv("DVK_NODES") || !(cdir = getenv("DVK_CLUSTER_DIR"))) {
		fprintf(stderr, "cluster_ipc: run me on a vm-cluster node\n");
		return 2;
	}
	me = atoi(e);
	nodes = atoi(getenv("DVK_NODES"));
	results = mmap(NULL, 512 * sizeof(long), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int n = 0; n < nodes; n++) {
		if (n == me)
			continue;
		for (int t = 0; t < 600 && !link_up(n); t++)
			usleep(100000);
		CHECK("the link to each peer is up both ways (ISR)", link_up(n), "node %d -> %d", me,
		      n);
		up &= link_up(n);
		CHECK_RC("add_node", dvk_add_node(DCID, n), OK);
		for (int r = 0; r < 6; r++) {
			int ep = 3 * (r + 1) + n;
			char nm[16];

			snprintf(nm, sizeof(nm), "%s%d", names[r], n);
			CHECK_RC("rmtbind a peer's endpoint", dvk_rmtbind(DCID, nm, ep, n), ep);
		}
	}
	CHECK("every node is set up (barrier)", up && barrier("setup", 120), "node %d", me);
	pid[0] = child(SRV(me), server, NREQ * (nodes - 1));
	pid[3] = child(RCV(me), receiver, 0);
	pid[4] = child(CPY(me), copy_target, 0);
	pid[5] = child(RQ(me), copy_requester, 0);
	for (int r = 0; r < 6; r++) {	/* every endpoint a peer names first */
		proc_usr_t u;
		int ep = 3 * (r + 1) + me, t = 0;

		if (r == 1 || r == 2)
			continue;
		while (t++ < 400 && (dvk_getprocinfo(DCID, ep, &u) || (u.p_rts_flags & SLOT_FREE)))
			usleep(50000);	/* forks are slow under TCG: up to 20 s */
		CHECK("our servers are bound before the peers use them", t <= 400, "ep %d", ep);
	}
	CHECK("every node's servers are bound (barrier)", barrier("bound", 120), "node %d", me);
	pid[1] = child(CLI(me), client, 0);
	pid[2] = child(SND(me), sender, 0);
	CHECK_RC("sendrec: 300 to each peer's server, every reply right and in order",
		 wait_child(pid[1], CLI(me)), NREQ);
	CHECK_RC("our server answered every peer's requests", wait_child(pid[0], SRV(me)),
		 (long)NREQ * (nodes - 1));
	CHECK_RC("send: 200 messages then a notify to each peer's receiver",
		 wait_child(pid[2], SND(me)), NMSG);
	CHECK_RC("our receiver got each peer's messages once, in order, then its notify",
		 wait_child(pid[3], RCV(me)), NMSG);
	CHECK_RC("vcopy: 200 kB into each peer's target and back, byte for byte",
		 wait_child(pid[5], RQ(me)), 1);
	CHECK_RC("our copy target holds each peer's bytes", wait_child(pid[4], CPY(me)), 1);
	CHECK("every node is done (barrier)", barrier("done", 180), "node %d", me);
	return CHECK_EXIT();
}
