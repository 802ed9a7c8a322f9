// SPDX-License-Identifier: GPL-2.0
/*
 * cluster_bench.c - the cross-node benchmark (run by scripts/bench-cluster
 * on the 2 nodes of a vm-cluster, under scripts/dvk-node): node 0 measures
 * the sendrec round trip to a server on node 1, then alternates vcopy of
 * 1 MiB blocks into a process of node 1 (push), vcopy of the same blocks
 * back from it (pull), and a plain TCP stream of the same bytes to node 1
 * (same guests, same link), and prints medians and the vcopy/TCP ratios.
 * The first WARMUP runs are not counted.  Numbers only: nothing here
 * passes or fails on speed.
 *
 * Endpoints: node 1 server 3, copy target 4; node 0 client 6, requester 7.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "fixture.h"

#define SRV	3
#define CPY	4
#define CLI	6
#define RQ	7
#define NRTT	400
#define BLOCK	(1 << 20)
#define BLOCKS	4		/* per run */
#define RUNS	15
#define WARMUP	2	/* runs not counted: TCG translates the paths, TCP opens its window */
#define PORT	5201
#define NPING	200

static unsigned char buf[BLOCK];
static const char *cdir;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A mark's file: DVK_BENCH_TAG names the run when one boot runs several. */
static void mark_path(char *p, size_t n, const char *name)
{
	const char *tag = getenv("DVK_BENCH_TAG");

	snprintf(p, n, "%s/bench.%s.%s", cdir, tag ? tag : "", name);
}

static void mark(const char *name)
{
	char p[512];

	mark_path(p, sizeof(p), name);
	fclose(fopen(p, "w"));
}

static int wait_mark(const char *name, int secs)
{
	char p[512];
	struct stat st;

	mark_path(p, sizeof(p), name);
	for (int i = 0; i < secs * 10; i++) {
		if (!stat(p, &st))
			return 1;
		usleep(100000);
	}
	return 0;
}

static long link_up(void)
{
	FILE *f = fopen("/sys/kernel/debug/dvk/proxies", "r");
	char line[512], st[8];
	int px, up = 0;

	while (f && fgets(line, sizeof(line), f))
		up |= sscanf(line, "%d %*s %7s", &px, st) == 2 && !strcmp(st, "ISR");
	if (f)
		fclose(f);
	return up;
}

/* node 1 */
static long server(int arg)
{
	(void)arg;
	for (;;) {
		message m;

		if (dvk_rcvrqst_T(&m, 120000))
			return 0;
		if (m.m_type == 999)
			return 1;
		dvk_reply_T(m.m_source, &m, 1000);
	}
}

static long copy_target(int arg)
{
	message m = { .m_type = 1, .m1_p1 = (uint64_t)(uintptr_t)buf };

	(void)arg;
	if (dvk_send_T(RQ, &m, 120000))
		return -1;
	return dvk_receive_T(RQ, &m, 600000);	/* the copies happen while we wait */
}

static long tcp_sink(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), c;
	static char b[1 << 16];

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		return -1;
	mark("tcp.ready");
	c = accept(l, NULL, NULL);
	setsockopt(c, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	for (int i = 0; i < NPING; i++)	/* the link's own round trip first */
		if (read(c, b, 1) != 1 || write(c, b, 1) != 1)
			return -1;
	for (;;) {	/* blocks of BLOCKS MiB, each acknowledged with one byte */
		long got = 0;
		ssize_t n = 1;

		while (got < (long)BLOCK * BLOCKS && (n = read(c, b, sizeof(b))) > 0)
			got += n;
		if (n <= 0)
			break;
		if (write(c, "k", 1) != 1)
			break;
	}
	close(c);
	close(l);
	return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p = (const char *)p + w;
		n -= w;
	}
	return 0;
}

/* node 0 */
static long client(int arg)
{
	double rtt[NRTT], med;
	message m;

	(void)arg;
	for (int i = 0; i < 50; i++)	/* warm-up */
		dvk_sendrec_T(SRV, &(message){ .m_type = 1 }, 10000);
	for (int i = 0; i < NRTT; i++) {
		double t0 = now();

		m.m_type = 1;
		if (dvk_sendrec_T(SRV, &m, 10000))
			return -1;
		rtt[i] = now() - t0;
	}
	med = median(rtt, NRTT);	/* sorts rtt */
	printf("bench: remote sendrec round trip: median %.0f us, p10 %.0f us, p90 %.0f us (%d)\n",
	       med * 1e6, rtt[NRTT / 10] * 1e6, rtt[NRTT * 9 / 10] * 1e6, NRTT);
	fflush(stdout);
	m.m_type = 999;
	dvk_sendrec_T(SRV, &m, 1000);
	mark("rtt.done");	/* the requester may start */
	return 0;
}

static long requester(int arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	double vc[RUNS], pull[RUNS], tcp[RUNS], ratio[RUNS], mb = (double)BLOCK * BLOCKS / 1e6;
	int s, one = 1;
	message m;
	char k;
	void *addr;

	(void)arg;
	memset(buf, 0x5a, sizeof(buf));
	if (dvk_receive_T(CPY, &m, 120000))
		return -1;
	addr = (void *)(uintptr_t)m.m1_p1;
	if (!wait_mark("rtt.done", 300) || !wait_mark("tcp.ready", 60))
		return -2;
	inet_pton(AF_INET, "192.0.2.2", &a.sin_addr);
	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	if (connect(s, (struct sockaddr *)&a, sizeof(a)))
		return -3;
	{
		double ping[NPING], med;

		for (int i = 0; i < NPING; i++) {
			double t0 = now();

			if (write(s, "p", 1) != 1 || read(s, &k, 1) != 1)
				return -6;
			ping[i] = now() - t0;
		}
		med = median(ping, NPING);
		printf("bench: plain TCP 1-byte ping-pong on the same link: median %.0f us (%d)\n",
		       med * 1e6, NPING);
	}
	for (int r = -WARMUP; r < RUNS; r++) {
		double t0 = now(), v;

		for (int b = 0; b < BLOCKS; b++) {
			long rc;

			for (int t = 0; (rc = dvk_vcopy(SELF, buf, CPY, addr, BLOCK)) == EDVSPROCSTS &&
			     t < 100; t++)
				usleep(20000);
			if (rc)
				return rc;
		}
		v = mb / (now() - t0);
		t0 = now();
		for (int b = 0; b < BLOCKS; b++) {
			long rc = dvk_vcopy(CPY, addr, SELF, buf, BLOCK);

			if (rc)
				return rc;
		}
		if (r >= 0)
			pull[r] = mb / (now() - t0);
		t0 = now();
		for (int b = 0; b < BLOCKS; b++)
			if (write_all(s, buf, BLOCK))
				return -4;
		if (read(s, &k, 1) != 1)
			return -5;
		if (r < 0)
			continue;
		vc[r] = v;
		tcp[r] = mb / (now() - t0);
		ratio[r] = vc[r] / tcp[r];
		printf("bench: run %d: vcopy push %.2f MB/s, pull %.2f MB/s, tcp %.2f MB/s\n", r,
		       vc[r], pull[r], tcp[r]);
		fflush(stdout);
	}
	close(s);
	printf("bench: vcopy throughput (push, local->remote): median %.2f MB/s; plain TCP: median "
	       "%.2f MB/s; ratio of medians %.3f, median of the %d runs' ratios %.3f "
	       "(target >= 0.7)\n", median(vc, RUNS), median(tcp, RUNS),
	       median(vc, RUNS) / median(tcp, RUNS), RUNS, median(ratio, RUNS));
	printf("bench: vcopy throughput (pull, remote->local): median %.2f MB/s; ratio to TCP %.3f\n",
	       median(pull, RUNS), median(pull, RUNS) / median(tcp, RUNS));
	fflush(stdout);
	memset(&m, 0, sizeof(m));
	dvk_send_T(CPY, &m, 10000);
	return 0;
}

int main(void)
{
	const char *e = getenv("DVK_NODEID");
	int me = e ? atoi(e) : -1, peer = 1 - me;
	static const int theirs[2][2] = { { SRV, CPY }, { CLI, RQ } };	/* node 0 binds node 1's */
	pid_t rq = 0;
	long r = 0;
	FILE *f;

	cdir = getenv("DVK_CLUSTER_DIR");
	if (me < 0 || me > 1 || !cdir)
		return fprintf(stderr, "cluster_bench: run me on node 0 or 1 of a vm-cluster\n"), 2;
	/*
	 * Each stream idles while the others run: without this, TCP would
	 * restart from a small window after every idle spell (longer than an
	 * RTO here), the plain stream and the proxies' alike.
	 */
	f = fopen("/proc/sys/net/ipv4/tcp_slow_start_after_idle", "w");
	if (!f || fputs("0\n", f) < 0 || fclose(f))
		return fprintf(stderr, "cluster_bench: cannot set tcp_slow_start_after_idle\n"), 1;
	children_init();
	for (int i = 0; i < 600 && !link_up(); i++)
		usleep(100000);
	if (dvk_add_node(DCID, peer))
		return 1;
	for (int i = 0; i < 2; i++)
		if (dvk_rmtbind(DCID, "peer", theirs[me][i], peer) != theirs[me][i])
			return 1;
	if (me == 0) {	/* the requester first: node 1's copy target names it at once */
		rq = child(RQ, requester, 0);
		wait_bound_secs(RQ, 30);
	}
	mark(me ? "bound.1" : "bound.0");
	if (!wait_mark(me ? "bound.0" : "bound.1", 60))
		return 1;
	if (me == 1) {
		pid_t s = child(SRV, server, 0), c = child(CPY, copy_target, 0);

		wait_bound_secs(SRV, 30);
		wait_bound_secs(CPY, 30);
		mark("servers");
		r = tcp_sink();
		wait_child(s, SRV);
		wait_child(c, CPY);
		return r ? 1 : 0;
	}
	if (!wait_mark("servers", 60))
		return 1;
	r = wait_child(child(CLI, client, 0), CLI);
	r |= wait_child(rq, RQ);
	return r ? 1 : 0;
}
