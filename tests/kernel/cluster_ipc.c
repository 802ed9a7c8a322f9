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

#define SRV(n)	(3 + (n))
#define CLI(n)	(6 + (n))
#define SND(n)	(9 + (n))
#define RCV(n)	(12 + (n))
#define CPY(n)	(15 + (n))
#define RQ(n)	(18 + (n))
#define NREQ	300
#define NMSG	200
#define CBYTES	200000

#define ST(n)	(21 + (n))	/* 3 nodes: a stash, its memory copied by a third node */
#define SU(n)	(24 + (n))	/* ... and a second one */
#define TP	27		/* 3 nodes: node 0's third-party requester */

static unsigned char cbuf[CBYTES], cbuf2[CBYTES], stash[2 * CBYTES];

/* 3 nodes: a stash names its buffer (pattern of its node, then zeros), waits, checks */
static long stash_proc(int which)
{
	char path[512];
	message m;
	long r;
	FILE *f;

	for (int i = 0; i < CBYTES; i++)
		stash[i] = (unsigned char)(i * 7 + cluster.me);
	memset(stash + CBYTES, 0, CBYTES);
	snprintf(path, sizeof(path), "%s/stash%d.%d", cluster.dir, which, cluster.me);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%p\n", (void *)stash) < 0 || fclose(f))
		return -1;
	r = dvk_receive_T(TP, &m, 240000);	/* the copies happen while we wait */
	if (r)
		return r;
	/* node 2's stash gets node 1's bytes in its second half, its su its stash's */
	for (int i = 0; i < CBYTES; i++) {
		unsigned char want = cluster.me != 2 ? 0 : (unsigned char)(i * 7 + (which ? 2 : 1));

		if (stash[CBYTES + i] != want || stash[i] != (unsigned char)(i * 7 + cluster.me))
			return -2;
	}
	return 1;
}

/* the address in <cdir>/stash<which>.<node> */
static void *stash_addr(int which, int node)
{
	char path[512];
	void *p = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stash%d.%d", cluster.dir, which, node);
	f = fopen(path, "r");
	if (f && fscanf(f, "%p", &p) != 1)
		p = NULL;
	if (f)
		fclose(f);
	return p;
}

static long vcopy_retry(int s_ep, void *s, int d_ep, void *d, long bytes)
{
	long r = EDVSPROCSTS;

	for (int t = 0; t < 200 && r == EDVSPROCSTS; t++) {	/* until both ends wait */
		r = dvk_vcopy(s_ep, s, d_ep, d, bytes);
		if (r == EDVSPROCSTS)
			usleep(20000);
	}
	return r;
}

/*
 * 3 nodes, on node 0: node 1's stash -> node 2's stash (two different
 * remote nodes: COPYRMT), node 2's stash -> node 2's su (both on one
 * remote node: COPYLCL), each read back here and checked byte for byte.
 */
static long third_party(int arg)
{
	void *s1, *s2, *u2;
	message m = { .m_type = 1 };
	long r;

	(void)arg;
	for (int t = 0; t < 1200 && !(stash_addr(0, 1) && stash_addr(0, 2) && stash_addr(1, 2));
	     t++)
		usleep(100000);
	s1 = stash_addr(0, 1);
	s2 = stash_addr(0, 2);
	u2 = stash_addr(1, 2);
	if (!s1 || !s2 || !u2)
		return -1;
	r = vcopy_retry(ST(1), s1, ST(2), (char *)s2 + CBYTES, CBYTES);
	if (r)
		return r - 1000000;
	r = vcopy_retry(ST(2), s2, SU(2), (char *)u2 + CBYTES, CBYTES);
	if (r)
		return r - 2000000;
	r = dvk_vcopy(ST(2), (char *)s2 + CBYTES, SELF, cbuf2, CBYTES);
	for (int i = 0; !r && i < CBYTES; i++)
		r = cbuf2[i] != (unsigned char)(i * 7 + 1) ? -3000000 : 0;
	if (!r)
		r = dvk_vcopy(SU(2), (char *)u2 + CBYTES, SELF, cbuf2, CBYTES);
	for (int i = 0; !r && i < CBYTES; i++)
		r = cbuf2[i] != (unsigned char)(i * 7 + 2) ? -4000000 : 0;
	dvk_send_T(ST(1), &m, 10000);
	dvk_send_T(ST(2), &m, 10000);
	dvk_send_T(SU(2), &m, 10000);
	return r ? r : 1;
}

static long server(int arg)
{
	long served = 0;

	for (int k = 0; k < arg; k++) {
		message m;
		long r = dvk_rcvrqst_T(&m, 180000);

		if (r)
			return r;
		m.m_type++;
		r = dvk_reply_T(m.m_source, &m, 180000);
		if (r)
			return r;
		served++;
	}
	return served;
}

static long client(int arg)
{
	(void)arg;
	for (int n = 0; n < cluster.nodes; n++) {
		if (n == cluster.me)
			continue;
		for (int k = 0; k < NREQ; k++) {
			message m = { .m_type = 100, .m1_i1 = k, .m1_i2 = cluster.me };
			long r = dvk_sendrec_T(SRV(n), &m, 90000);

			if (r)
				return r;
			if (m.m_source != SRV(n) || m.m_type != 101 || m.m1_i1 != k ||
			    m.m1_i2 != cluster.me)
				return -100000 - k;
		}
	}
	return NREQ;
}

static long sender(int arg)
{
	(void)arg;
	for (int n = 0; n < cluster.nodes; n++) {
		if (n == cluster.me)
			continue;
		for (int k = 0; k < NMSG; k++) {
			message m = { .m_type = 200, .m1_i1 = k };
			long r = dvk_send_T(RCV(n), &m, 90000);

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
	while (notified < cluster.nodes - 1) {
		message m;
		long r = dvk_receive_T(ANY, &m, 180000);
		int from = m.m_source - SND(0);

		if (r)
			return r;
		if (m.m_type == NOTIFY_FROM(m.m_source) && m.m_source >= SND(0)) {
			if (next[m.m_source - SND(0)] != NMSG)
				return -3;	/* the notify overtook messages */
			notified++;
			continue;
		}
		if (from < 0 || from >= cluster.nodes || from == cluster.me ||
		    m.m1_i1 != next[from])
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
	for (int n = 0; n < cluster.nodes; n++) {
		message m = { .m_type = 300, .m1_p1 = (uint64_t)(uintptr_t)cbuf };
		long r;

		if (n == cluster.me)
			continue;
		memset(cbuf, 0, sizeof(cbuf));
		r = dvk_send_T(RQ(n), &m, 180000);
		if (!r)
			r = dvk_receive_T(RQ(n), &m, 180000);	/* the copy happens while we wait */
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
	for (int n = 0; n < cluster.nodes; n++) {
		message m;
		void *addr;
		long r;

		if (n == cluster.me)
			continue;
		for (int i = 0; i < CBYTES; i++)
			cbuf[i] = (unsigned char)(i * 13 + cluster.me);
		r = dvk_receive_T(CPY(n), &m, 180000);
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
		r = dvk_send_T(CPY(n), &m, 180000);
		if (r)
			return r - 4000000;
	}
	return 1;
}

int main(void)
{
	static const char *names[] = { "srv", "cli", "snd", "rcv", "cpy", "rq", "st", "su", "tp" };
	pid_t pid[6], tp[3] = { 0 };
	int up = 1;

	if (!cluster_env()) {
		fprintf(stderr, "cluster_ipc: run me on a vm-cluster node\n");
		return 2;
	}
	for (int n = 0; n < cluster.nodes; n++) {
		if (n == cluster.me)
			continue;
		wait_link(n, 60);
		CHECK("the link to each peer is up both ways (ISR)", link_up(n), "node %d -> %d",
		      cluster.me, n);
		up &= link_up(n);
		CHECK_RC("add_node", dvk_add_node(DCID, n), OK);
		for (int r = 0; r < (cluster.nodes >= 3 ? (n ? 8 : 9) : 6); r++) {
			int ep = 3 * (r + 1) + n;
			char nm[16];

			snprintf(nm, sizeof(nm), "%s%d", names[r], n);
			CHECK_RC("rmtbind a peer's endpoint", dvk_rmtbind(DCID, nm, ep, n), ep);
		}
	}
	CHECK("every node is set up (barrier)", up && barrier("setup", 120), "node %d", cluster.me);
	pid[0] = child(SRV(cluster.me), server, NREQ * (cluster.nodes - 1));
	pid[3] = child(RCV(cluster.me), receiver, 0);
	pid[4] = child(CPY(cluster.me), copy_target, 0);
	pid[5] = child(RQ(cluster.me), copy_requester, 0);
	for (int r = 0; r < 6; r++) {	/* every endpoint a peer names first */
		int ep = 3 * (r + 1) + cluster.me;

		if (r == 1 || r == 2)
			continue;
		CHECK("our servers are bound before the peers use them", wait_bound_secs(ep, 20),
		      "ep %d", ep);
	}
	if (cluster.nodes >= 3 && cluster.me == 0) {
		tp[0] = child(TP, third_party, 0);
		wait_bound_secs(TP, 30);
	} else if (cluster.nodes >= 3) {
		tp[1] = child(ST(cluster.me), stash_proc, 0);
		wait_bound_secs(ST(cluster.me), 30);
		if (cluster.me == 2) {	/* the second process of one node */
			tp[2] = child(SU(cluster.me), stash_proc, 1);
			wait_bound_secs(SU(cluster.me), 30);
		}
	}
	CHECK("every node's servers are bound (barrier)", barrier("bound", 120), "node %d",
	      cluster.me);
	pid[1] = child(CLI(cluster.me), client, 0);
	pid[2] = child(SND(cluster.me), sender, 0);
	CHECK_RC("sendrec: 300 to each peer's server, every reply right and in order",
		 wait_child(pid[1], CLI(cluster.me)), NREQ);
	CHECK_RC("our server answered every peer's requests", wait_child(pid[0], SRV(cluster.me)),
		 (long)NREQ * (cluster.nodes - 1));
	CHECK_RC("send: 200 messages then a notify to each peer's receiver",
		 wait_child(pid[2], SND(cluster.me)), NMSG);
	CHECK_RC("our receiver got each peer's messages once, in order, then its notify",
		 wait_child(pid[3], RCV(cluster.me)), NMSG);
	CHECK_RC("vcopy: 200 kB into each peer's target and back, byte for byte",
		 wait_child(pid[5], RQ(cluster.me)), 1);
	CHECK_RC("our copy target holds each peer's bytes", wait_child(pid[4], CPY(cluster.me)), 1);
	if (cluster.nodes >= 3 && cluster.me == 0)
		CHECK_RC("vcopy by node 0 from node 1 to node 2, and between two processes of node 2: "
			 "both read back byte for byte", wait_child(tp[0], TP), 1);
	if (cluster.nodes >= 3 && cluster.me)
		CHECK("our stashes hold the right bytes after the third-party copies",
		      wait_child(tp[1], ST(cluster.me)) == 1 && (cluster.me != 2 ||
								 wait_child(tp[2], SU(cluster.me)) == 1),
		      "node %d", cluster.me);
	CHECK("every node is done (barrier)", barrier("done", 180), "node %d", cluster.me);
	return CHECK_EXIT();
}
