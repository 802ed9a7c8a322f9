// SPDX-License-Identifier: GPL-2.0
/*
 * cluster_ported.c - across the 2 nodes of a vm-cluster, the ways programs
 * written for the original DVK use remote IPC, both directions
 * at once.  Run on both nodes under scripts/dvk-node.
 *  A. answer by send: each node's server loops receive(ANY) +
 *     send(m_source) (no reply), the other node's client loops sendrec to
 *     it; every request is served once, in order, every answer right.
 *  B. a message arriving while its destination is blocked in its own
 *     remote call: a busy process B loops over send, sendrec (answered with
 *     send), notify and vcopy to a partner P on the other node, receiving
 *     between two of them one message of a sender M on the other node,
 *     which sends without pause, so M's messages arrive during B's calls.
 *     Every message arrives once, in order; P checks each call (the notify's
 *     m_type against the original encoding NOTIFY_MESSAGE | p_nr, the
 *     copied bytes).
 *  C. the proxies counted no error of put2lcl or get2rmt, and no retry.
 * Endpoints of node n (system slots): server 3+n, client 5+n, B 7+n,
 * P 9+n, M 11+n.
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

#define SA(n)	(3 + (n))
#define CA(n)	(5 + (n))
#define BUSY(n)	(7 + (n))
#define PART(n)	(9 + (n))
#define MSND(n)	(11 + (n))
#define NREQ	200
#define NOPS	80		/* B's calls: 20 of each kind */
#define VBYTES	8192
#define TMO	60000

static int peer;
static unsigned char vbuf[VBYTES];
static long *copy_retries;	/* B's vcopies refused as P was not yet waiting */

/* A: receive(ANY), answer with send; the count served in order, or -(the first out of order) */
static long send_server(int arg)
{
	for (int k = 0; k < arg; k++) {
		message m;
		long r = dvk_receive_T(ANY, &m, TMO);

		if (r)
			return r;
		if (m.m_source != CA(peer) || m.m_type != 100 || m.m1_i1 != k)
			return -1000 - k;
		m.m_type = 101;
		r = dvk_send_T(m.m_source, &m, TMO);
		if (r)
			return r;
	}
	return arg;
}

static long sendrec_client(int arg)
{
	for (int k = 0; k < arg; k++) {
		message m = { .m_type = 100, .m1_i1 = k, .m1_i2 = cluster.me };
		long r = dvk_sendrec_T(SA(peer), &m, TMO);

		if (r)
			return r;
		if (m.m_source != SA(peer) || m.m_type != 101 || m.m1_i1 != k ||
		    m.m1_i2 != cluster.me)
			return -1000 - k;
	}
	return arg;
}

/* the address of node @n's partner buffer, published in the cluster directory */
static void *part_addr(int n)
{
	char path[512];
	void *p = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ported-vbuf.%d", cluster.dir, n);
	for (int t = 0; t < 600 && !p; t++) {
		f = fopen(path, "r");
		if (f && fscanf(f, "%p", &p) != 1)
			p = NULL;
		if (f)
			fclose(f);
		if (!p)
			usleep(100000);
	}
	return p;
}

/* B's call number @k to the partner; OK or the error */
static long busy_call(int k, void *paddr)
{
	message m = { .m_type = 500 + k % 4, .m1_i1 = k };
	long r = EDVSPROCSTS;

	switch (k % 4) {
	case 0:
		return dvk_send_T(PART(peer), &m, TMO);
	case 1:
		r = dvk_sendrec_T(PART(peer), &m, TMO);
		if (!r && (m.m_source != PART(peer) || m.m_type != 510 || m.m1_i1 != k))
			r = -1;
		return r;
	case 2:
		return dvk_notify(PART(peer));
	}
	memset(vbuf, k, sizeof(vbuf));
	for (int t = 0; t < 500 && r == EDVSPROCSTS; t++) {	/* until P waits */
		r = dvk_vcopy(SELF, vbuf, PART(peer), paddr, VBYTES);
		if (r == EDVSPROCSTS) {
			(*copy_retries)++;	/* P's node counts it as a put2lcl error */
			usleep(10000);
		}
	}
	return r ? r : dvk_send_T(PART(peer), &m, TMO);	/* P checks the bytes */
}

/* B: NOPS calls, one message of M received after each; -(10000 * step + k) on a failure */
static long busy(int arg)
{
	void *paddr = part_addr(peer);

	(void)arg;
	if (!paddr)
		return -1;
	for (int k = 0; k < NOPS; k++) {
		message m;
		long r = busy_call(k, paddr);

		if (r)
			return -(10000 + k);
		r = dvk_receive_T(ANY, &m, TMO);
		if (r || m.m_source != MSND(peer) || m.m_type != 600 || m.m1_i1 != k)
			return -(20000 + k);
	}
	return NOPS;
}

/* P: check B's calls in order */
static long partner(int arg)
{
	char path[512];
	FILE *f;

	(void)arg;
	snprintf(path, sizeof(path), "%s/ported-vbuf.%d", cluster.dir, cluster.me);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%p\n", (void *)vbuf) < 0 || fclose(f))
		return -1;
	for (int k = 0; k < NOPS; k++) {
		message m;
		long r = dvk_receive_T(BUSY(peer), &m, TMO);
		int want = k % 4 == 2 ? (NOTIFY_MESSAGE | BUSY(peer)) : 500 + k % 4;

		if (r || m.m_source != BUSY(peer) || m.m_type != want ||
		    (k % 4 != 2 && m.m1_i1 != k))
			return -(10000 + k);
		if (k % 4 == 1) {	/* answer the sendrec with send */
			m.m_type = 510;
			if (dvk_send_T(BUSY(peer), &m, TMO))
				return -(20000 + k);
		}
		for (int i = 0; k % 4 == 3 && i < VBYTES; i++)
			if (vbuf[i] != (unsigned char)k)
				return -(30000 + k);
	}
	return NOPS;
}

/* M: send NOPS numbered messages to the other node's B, without pause */
static long msender(int arg)
{
	(void)arg;
	for (int k = 0; k < NOPS; k++) {
		message m = { .m_type = 600, .m1_i1 = k };
		long r = dvk_send_T(BUSY(peer), &m, TMO);

		if (r)
			return r;
	}
	return NOPS;
}

/* write @v to <cdir>/<name>.<me>, or read node @n's (-1 if absent) */
static void put_num(const char *name, long v)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%d", cluster.dir, name, cluster.me);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%ld\n", v);
		fclose(f);
	}
}

static long get_num(const char *name, int n)
{
	char path[512];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%d", cluster.dir, name, n);
	f = fopen(path, "r");
	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/* the value of "@key=" in our proxy's stats file, or -1 */
static long proxy_stat(const char *key)
{
	const char *dir = getenv("DVK_NODE_DIR");
	char path[512], word[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proxy%d.stats", dir ? dir : ".", peer);
	f = fopen(path, "r");
	while (f && fscanf(f, "%127s", word) == 1)
		if (!strncmp(word, key, strlen(key)) && word[strlen(key)] == '=')
			v = strtol(word + strlen(key) + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static void setup(void)
{
	static const char *names[] = { "sa", "ca", "busy", "part", "msnd" };

	wait_link(peer, 60);
	CHECK("the link to the other node is up (ISR)", link_up(peer), "node %d", peer);
	CHECK_RC("add_node", dvk_add_node(DCID, peer), OK);
	for (int r = 0; r < 5; r++) {
		char nm[16];

		snprintf(nm, sizeof(nm), "%s%d", names[r], peer);
		CHECK_RC("rmtbind the other node's endpoint", dvk_rmtbind(DCID, nm, 3 + 2 * r + peer, peer),
			 3 + 2 * r + peer);
	}
}

int main(void)
{
	pid_t srv, cli, b, p, m;

	if (!cluster_env() || cluster.nodes != 2) {
		fprintf(stderr, "cluster_ported: run me on a node of a 2-node vm-cluster\n");
		return 2;
	}
	peer = 1 - cluster.me;
	copy_retries = children.result + 500;	/* shared with the children */
	setup();
	srv = child(SA(cluster.me), send_server, NREQ);
	p = child(PART(cluster.me), partner, 0);
	CHECK("our server and partner are bound", wait_bound_secs(SA(cluster.me), 20) &&
	      wait_bound_secs(PART(cluster.me), 20), "node %d", cluster.me);
	CHECK("both nodes are set up (barrier)", barrier("setup", 120), "node %d", cluster.me);

	cli = child(CA(cluster.me), sendrec_client, NREQ);
	CHECK_RC("A: 200 sendrecs to a server that answers with send, every answer right, in order",
		 wait_child(cli, CA(cluster.me)), NREQ);
	CHECK_RC("A: our server got each of the other node's 200 requests once, in order",
		 wait_child(srv, SA(cluster.me)), NREQ);

	b = child(BUSY(cluster.me), busy, 0);
	CHECK("both busy processes are bound (barrier)", wait_bound_secs(BUSY(cluster.me), 20) &&
	      barrier("busy", 120), "node %d", cluster.me);
	m = child(MSND(cluster.me), msender, 0);
	CHECK_RC("B: 80 remote calls (send, sendrec answered by send, notify, vcopy), "
		 "a message of the other node received between each two",
		 wait_child(b, BUSY(cluster.me)), NOPS);
	CHECK_RC("B: our sender's 80 messages to the other node's busy process all taken",
		 wait_child(m, MSND(cluster.me)), NOPS);
	CHECK_RC("B: our partner saw each call once, in order: the notify as "
		 "NOTIFY_MESSAGE | p_nr, the copied bytes", wait_child(p, PART(cluster.me)), NOPS);
	put_num("ported-retries", *copy_retries);
	CHECK("both nodes are done (barrier)", barrier("done", 180), "node %d", cluster.me);

	/*
	 * The only put2lcl errors: the other node's vcopies refused because
	 * our partner was not yet back in receive (EDVSPROCSTS, retried).
	 */
	usleep(1500000);	/* the stats file is rewritten every second */
	CHECK("C: our proxy counted no put2lcl error but the refused early vcopies, no retry, "
	      "no get2rmt error", proxy_stat("put2lcl_errors") == get_num("ported-retries", peer) &&
	      proxy_stat("retries") == 0 && proxy_stat("get2rmt_errors") == 0,
	      "put2lcl_errors %ld (early vcopies %ld) retries %ld get2rmt_errors %ld",
	      proxy_stat("put2lcl_errors"), get_num("ported-retries", peer), proxy_stat("retries"),
	      proxy_stat("get2rmt_errors"));
	return CHECK_EXIT();
}
