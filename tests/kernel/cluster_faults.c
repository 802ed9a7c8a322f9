// SPDX-License-Identifier: GPL-2.0
/*
 * cluster_faults.c - faults and load across the 2 real nodes of a
 * vm-cluster.  Run on both nodes under `DVK_NODE_PROXIES=0 scripts/dvk-node`:
 * this program runs its node's dvk-proxy itself, so it can kill and
 * restart it.  The phases, each ended by a barrier:
 *  A. node 0's proxy is SIGKILLed while a client on each node is blocked
 *     in sendrec to the other node: both get EDVSNOTCONN (in bounded time);
 *     the proxy is restarted, the link comes back, sendrec works again.
 *  B. the same with SIGTERM: the proxy exits 0 and its pair is gone from
 *     /proc/dvs/proxies/info (proxies_unbind).
 *  C. node 0 takes node 1 down (node_down) under a blocked client
 *     (EDVSNOTCONN), brings it up again (node_up, add_node, rmtbind) and
 *     traffic resumes.
 *  D. node 0 attacks node 1's live proxy port without the key
 *     (tests/kernel/proxy_attack nokey): each connection is closed, node 1's
 *     proxy counts them and still serves traffic both ways.
 *  G. the dvk_rmt_* and dvk_msg_receive events of 20 sendrecs each way are
 *     recorded on both nodes; node 0 joins the two traces by message id and
 *     checks every request and every reply has its whole path.
 *  E. stress: 4 clients per node do 150 sendrecs each to the other node's
 *     server, and a sender sends 300 messages to the other node's receiver:
 *     each request, reply and message arrives exactly once, in per-sender
 *     order.
 * Endpoints (system slots) of node n: server 3+n, silent 5+n (bound, never
 * receives), blocked clients 7+n (A), 9+n (B), 11+n (C), stress clients
 * 13+2k+n, sender 21+n, receiver 23+n, traced client 25+n, recovery
 * client 27+n.
 */
#define _GNU_SOURCE
#include <fcntl.h>
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

#define SRV(n)		(3 + (n))
#define SIL(n)		(5 + (n))
#define BLK(p, n)	(7 + 2 * (p) + (n))
#define STR(n, k)	(13 + 2 * (k) + (n))
#define SND(n)		(21 + (n))
#define RCV(n)		(23 + (n))
#define TRC(n)		(25 + (n))
#define REC(n)		(27 + (n))
#define NSTR		4
#define NREQ		150
#define NMSG		300
#define NTRC		20
#define T_REQ		100	/* any request: answered */
#define T_STRESS	200	/* a stress request: counted, order checked */
#define NOTCONN_MS	20000	/* a blocked client learns of the link's loss within this */

static int peer;
static char peer_addr[64];
static pid_t proxy_pid;

/* this node's dvk-proxy for the peer (heartbeat 2 s: a dead peer is seen quickly) */
static pid_t proxy_start(void)
{
	char node[8], stats[512], log[512];
	pid_t pid;

	snprintf(node, sizeof(node), "%d", peer);
	snprintf(stats, sizeof(stats), "%s/node%d/proxy%d.stats", cluster.dir, cluster.me, peer);
	snprintf(log, sizeof(log), "%s/node%d/proxy%d.log", cluster.dir, cluster.me, peer);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0)
			dup2(fd, 2);
		execl("build/bin/dvk-proxy", "dvk-proxy", "--node", node, "--peer", peer_addr,
		      "--heartbeat", "2000", "-v", "--stats-file", stats, "--key-file",
		      getenv("DVK_KEY_FILE") ? getenv("DVK_KEY_FILE") : "/run/dvk/cluster.key",
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* signal our proxy, wait (up to 10 s) for it; its wait status, or -1 */
static int proxy_stop(int sig)
{
	int st;

	kill(proxy_pid, sig);
	for (int t = 0; t < 100; t++) {
		if (waitpid(proxy_pid, &st, WNOHANG) == proxy_pid)
			return st;
		usleep(100000);
	}
	return -1;
}

/* the peer's address from DVK_PEERS ("0:192.0.2.1 1:192.0.2.2") */
static int find_peer_addr(void)
{
	const char *p = getenv("DVK_PEERS");
	char want[16];
	const char *s;

	snprintf(want, sizeof(want), "%d:", peer);
	s = p ? strstr(p, want) : NULL;
	return s && sscanf(s + strlen(want), "%63s", peer_addr) == 1;
}

/* add the peer to DC0 and bind its endpoints here (again after a node_down) */
static int attach_peer(void)
{
	int ok = dvk_add_node(DCID, peer) == OK;

	for (int ep = SRV(0); ep <= REC(1); ep++) {
		char nm[16];

		if ((ep & 1) != ((peer + 1) & 1))	/* node n's endpoints: odd + n */
			continue;
		snprintf(nm, sizeof(nm), "p%d", ep);
		ok &= dvk_rmtbind(DCID, nm, ep, peer) == ep;
	}
	return ok;
}

/* the server: every request answered; stress requests counted, in order per client */
static long server(int arg)
{
	int last[NR_SYS_PROCS];
	long stress = 0;

	(void)arg;
	memset(last, -1, sizeof(last));
	while (stress < (long)NSTR * NREQ) {
		message m;
		long r = dvk_rcvrqst_T(&m, 240000);

		if (r)
			return r;
		if (m.m_type == T_STRESS) {
			int c = m.m_source;

			if (c < 0 || c >= NR_SYS_PROCS || m.m1_i1 != last[c] + 1)
				return -1000 - c;	/* lost, duplicated or out of order */
			last[c] = m.m1_i1;
			stress++;
		}
		m.m_type++;
		r = dvk_reply_T(m.m_source, &m, 60000);
		if (r)
			return r;
	}
	return stress;
}

static long silent(int arg)
{
	message m;
	long r;

	(void)arg;
	/* from our server, which never sends to us: messages just queue (a free slot fails at once) */
	r = dvk_wait4bindep_T(SRV(cluster.me), 30000);
	return r == SRV(cluster.me) ? dvk_receive_T(SRV(cluster.me), &m, 600000) : r;
}

/* one sendrec to @arg; its result, or EDVSNOTCONN's time: results[BLK + ..] */
static long blocked(int arg)
{
	struct timespec t0;
	message m = { .m_type = T_REQ };
	long r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = dvk_sendrec_T(arg, &m, 120000);
	children.result[0] = ms_since(&t0);	/* one blocked client at a time per node */
	return r;
}

/* a sendrec to @arg that must be answered */
static long request(int arg)
{
	message m = { .m_type = T_REQ, .m1_i1 = 7 };
	long r = dvk_sendrec_T(arg, &m, 30000);

	return r ? r : m.m_type == T_REQ + 1 && m.m1_i1 == 7 ? OK : -1;
}

/* @n requests of @type to @dst, each answered type + 1 with its number */
static long requests(int dst, int n, int type, long timeout_ms)
{
	for (int k = 0; k < n; k++) {
		message m = { .m_type = type, .m1_i1 = k };
		long r = dvk_sendrec_T(dst, &m, timeout_ms);

		if (r || m.m_type != type + 1 || m.m1_i1 != k)
			return r ? r : -1;
	}
	return n;
}

/* NTRC requests to the peer's server (the traced phase) */
static long traced(int arg)
{
	return requests(arg, NTRC, T_REQ, 30000);
}

static long stress_client(int arg)
{
	return requests(arg, NREQ, T_STRESS, 60000);
}

static long sender(int arg)
{
	for (int k = 0; k < NMSG; k++) {
		message m = { .m_type = 300, .m1_i1 = k };
		long r = dvk_send_T(arg, &m, 60000);

		if (r)
			return r;
	}
	return NMSG;
}

static long receiver(int arg)
{
	for (int k = 0; k < NMSG; k++) {
		message m;
		long r = dvk_receive_T(arg, &m, 120000);

		if (r)
			return r;
		if (m.m_type != 300 || m.m1_i1 != k)
			return -1000 - k;	/* lost, duplicated or out of order */
	}
	return NMSG;
}

/* A and B: block a client on each node, node 0's proxy gets @sig, then restart */
static void proxy_fault(int phase, int sig, const char *what)
{
	char name[32];
	pid_t c, r;
	int st = 0;

	c = child(BLK(phase, cluster.me), blocked, SIL(peer));
	wait_bound_secs(BLK(phase, cluster.me), 30);
	wait_flags(BLK(phase, cluster.me), RECEIVING, 5000);
	snprintf(name, sizeof(name), "%c.blocked", 'A' + phase);
	CHECK("both nodes' clients are blocked in sendrec to the other node (barrier)",
	      barrier(name, 60), "%s", what);
	if (cluster.me == 0) {
		st = proxy_stop(sig);
		if (sig == SIGTERM) {
			char *info = tracefs_read("/proc/dvs/proxies/info");
			char line[16];

			snprintf(line, sizeof(line), "\n%7d ", peer);
			CHECK("the proxy ends cleanly on SIGTERM (exit 0)",
			      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "status 0x%x", st);
			CHECK("... and its pair is gone from /proc/dvs/proxies/info (proxies_unbind)",
			      info && !strstr(info, line), "%s", info ? info : "(unreadable)");
			free(info);
		} else {
			CHECK("the proxy is killed", st >= 0 && WIFSIGNALED(st), "status 0x%x", st);
		}
	}
	CHECK_RC("the blocked client gets EDVSNOTCONN", wait_child(c, BLK(phase, cluster.me)),
		 EDVSNOTCONN);
	CHECK("... within 20 s, no hang", children.result[0] < NOTCONN_MS, "%s: %ld ms", what,
	      children.result[0]);
	if (cluster.me == 0)
		proxy_pid = proxy_start();
	CHECK("the link comes back up after the proxy's restart", wait_link(peer, 90), "%s",
	      what);
	snprintf(name, sizeof(name), "%c.up", 'A' + phase);
	CHECK("both links are up again (barrier)", barrier(name, 120), "%s", what);
	r = child(REC(cluster.me), request, SRV(peer));
	CHECK_RC("a sendrec to the other node works again", wait_child(r, REC(cluster.me)), OK);
	snprintf(name, sizeof(name), "%c.done", 'A' + phase);
	barrier(name, 60);
}

/* C: node_down under a blocked client, then node_up and traffic again */
static void node_fault(void)
{
	char name[] = "node1";
	pid_t c, r;

	if (cluster.me == 0) {
		c = child(BLK(2, cluster.me), blocked, SIL(peer));
		wait_bound_secs(BLK(2, cluster.me), 30);
		wait_flags(BLK(2, cluster.me), RECEIVING, 5000);
		CHECK_RC("node_down of the peer", dvk_node_down(peer), OK);
		CHECK_RC("the client blocked on it gets EDVSNOTCONN",
			 wait_child(c, BLK(2, cluster.me)),
			 EDVSNOTCONN);
		CHECK("... at once (under 5 s)", children.result[0] < 5000, "%ld ms",
		      children.result[0]);
		CHECK_RC("node_up of the peer on its pair again", dvk_node_up(name, peer, peer),
			 OK);
		CHECK("add_node and rmtbind its endpoints again", attach_peer(), "node %d", peer);
		r = child(REC(cluster.me), request, SRV(peer));
		CHECK_RC("a sendrec to the peer works after node_up",
			 wait_child(r, REC(cluster.me)), OK);
	}
	barrier("C.done", 120);
}

/* sum of the numbers after '=' on the frame_errors line of our proxy's stats */
static long frame_errors(void)
{
	char path[512], line[1024];
	long sum = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/node%d/proxy%d.stats", cluster.dir, cluster.me, peer);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "frame_errors:", 13))
			continue;
		sum = 0;
		for (char *p = strchr(line, '='); p; p = strchr(p + 1, '='))
			sum += strtol(p + 1, NULL, 10);
	}
	if (f)
		fclose(f);
	return sum;
}

/* D: bad frames to node 1's live proxy port */
static void fuzz(void)
{
	long before = frame_errors(), after;
	pid_t r;

	barrier("D.start", 60);
	if (cluster.me == 0) {
		char cmd[256];
		int st;

		snprintf(cmd, sizeof(cmd), "build/tests/kernel/proxy_attack nokey %s 3000 0 1", peer_addr);
		st = system(cmd);
		CHECK("every bad frame to the peer's live proxy port closes its connection",
		      WIFEXITED(st) && WEXITSTATUS(st) == 0, "status 0x%x", st);
	}
	barrier("D.fuzzed", 120);
	r = child(REC(cluster.me), request, SRV(peer));
	CHECK_RC("after the bad frames a sendrec to the other node still works",
		 wait_child(r, REC(cluster.me)), OK);
	CHECK("the link stayed up", link_up(peer), "node %d", peer);
	if (cluster.me == 1) {
		usleep(1500000);	/* the stats file is rewritten every second */
		after = frame_errors();
		CHECK("our proxy counted the bad connections (frame_errors grew by 5 or more)",
		      before >= 0 && after - before >= 5, "before %ld after %ld", before, after);
	}
	barrier("D.done", 60);
}

/* one parsed event of a trace: which, id, cmd */
struct ev {
	char name[24], cmd[16];
	unsigned long long id;
};

/* the dvk_rmt_* and dvk_msg_receive events of @path (malloc'ed), their count in @n */
static struct ev *read_events(const char *path, int *n)
{
	char *t = tracefs_read(path), *line, *save = NULL;
	struct ev *v = NULL;
	int cap = 0;

	*n = 0;
	for (line = t ? strtok_r(t, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		static const char *const names[] = { "dvk_rmt_enqueue:", "dvk_rmt_get:",
						     "dvk_rmt_put:", "dvk_msg_receive:" };
		char *p, *id;

		for (unsigned int i = 0; i < 4; i++) {
			p = strstr(line, names[i]);
			id = p ? strstr(p, " id=") : NULL;
			if (!id)
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 256;
				v = realloc(v, cap * sizeof(*v));
			}
			snprintf(v[*n].name, sizeof(v[*n].name), "%.*s", (int)strlen(names[i]) - 1,
				 names[i]);
			v[*n].id = strtoull(id + 4, NULL, 10);
			p = strstr(p, " cmd=");
			if (p)
				sscanf(p + 5, "%15s", v[*n].cmd);
			else
				v[*n].cmd[0] = 0;
			(*n)++;
			break;
		}
	}
	free(t);
	return v;
}

static int has(const struct ev *v, int n, const char *name, unsigned long long id)
{
	for (int i = 0; i < n; i++)
		if (v[i].id == id && !strcmp(v[i].name, name))
			return 1;
	return 0;
}

/*
 * Every @cmd that left node @a (enqueue) must show get there, put on node
 * @b and, for a request, msg_receive on @b: the number of complete paths.
 */
static int paths(struct ev *const *tr, const int *nt, int a, int b, const char *cmd,
		 int *all)
{
	int complete = 0;

	*all = 0;
	for (int i = 0; i < nt[a]; i++) {
		const struct ev *e = &tr[a][i];

		if (strcmp(e->name, "dvk_rmt_enqueue") || strcmp(e->cmd, cmd))
			continue;
		(*all)++;
		/* a request's id was made on its node (top byte) */
		complete += (strcmp(cmd, "sendrec") || (int)(e->id >> 56) == a) &&
			    has(tr[a], nt[a], "dvk_rmt_get", e->id) &&
			    has(tr[b], nt[b], "dvk_rmt_put", e->id) &&
			    (strcmp(cmd, "sendrec") || has(tr[b], nt[b], "dvk_msg_receive", e->id));
	}
	return complete;
}

/* G: traces of both nodes joined by message id */
static void joined_trace(void)
{
	char path[512];
	char *t;
	pid_t c;
	FILE *f;

	CHECK_RC("a tracefs instance with the dvk_rmt_* and dvk_msg_receive events",
		 tracefs_instance("join", "dvk_rmt_enqueue dvk_rmt_get dvk_rmt_put dvk_msg_receive"),
		 0);
	barrier("G.tracing", 60);
	c = child(TRC(cluster.me), traced, SRV(peer));
	CHECK_RC("20 traced sendrecs to the other node", wait_child(c, TRC(cluster.me)), NTRC);
	barrier("G.sent", 120);
	t = tracefs_collect("join");
	snprintf(path, sizeof(path), "%s/node%d/join.trace", cluster.dir, cluster.me);
	f = fopen(path, "w");
	CHECK("our trace is written to the cluster directory", f && t && fputs(t, f) >= 0 &&
	      !fclose(f), "%s", path);
	free(t);
	tracefs_instance_remove("join");
	barrier("G.traces", 60);
	if (cluster.me == 0) {
		struct ev *tr[2];
		int nt[2], all, ok;

		for (int n = 0; n < 2; n++) {
			snprintf(path, sizeof(path), "%s/node%d/join.trace", cluster.dir, n);
			tr[n] = read_events(path, &nt[n]);
		}
		for (int a = 0; a < 2; a++) {
			ok = paths(tr, nt, a, 1 - a, "sendrec", &all);
			CHECK("joined by id: each request of node a has enqueue + get on a, put + "
			      "msg_receive on b", all == NTRC && ok == NTRC,
			      "node %d -> %d: %d of %d requests complete (%d events here, %d there)",
			      a, 1 - a, ok, all, nt[a], nt[1 - a]);
			ok = paths(tr, nt, a, 1 - a, "reply", &all);
			CHECK("joined by id: each reply of node a has enqueue + get on a, put on b",
			      all == NTRC && ok == NTRC, "node %d -> %d: %d of %d replies complete",
			      a, 1 - a, ok, all);
		}
		free(tr[0]);
		free(tr[1]);
	}
	barrier("G.done", 60);
}

/* E: the stress run */
static void stress(pid_t srv)
{
	pid_t c[NSTR], s, r;
	long ok = 0;

	r = child(RCV(cluster.me), receiver, SND(peer));
	wait_bound_secs(RCV(cluster.me), 30);
	barrier("E.ready", 60);
	for (int k = 0; k < NSTR; k++)
		c[k] = child(STR(cluster.me, k), stress_client, SRV(peer));
	s = child(SND(cluster.me), sender, RCV(peer));
	for (int k = 0; k < NSTR; k++)
		ok += wait_child(c[k], STR(cluster.me, k)) == NREQ;
	CHECK("stress: 4 clients x 150 sendrecs to the other node, every reply right",
	      ok == NSTR, "%ld of %d clients", ok, NSTR);
	CHECK_RC("stress: our server got each of the other node's 600 requests once, in order",
		 wait_child(srv, SRV(cluster.me)), (long)NSTR * NREQ);
	CHECK_RC("stress: 300 sends to the other node's receiver", wait_child(s, SND(cluster.me)),
		 NMSG);
	CHECK_RC("stress: our receiver got the other node's 300 messages once, in order",
		 wait_child(r, RCV(cluster.me)), NMSG);
	barrier("E.done", 120);
}

int main(void)
{
	pid_t srv, sil;
	int st;

	if (!cluster_env() || cluster.nodes != 2) {
		fprintf(stderr, "cluster_faults: run me on the nodes of a 2-node vm-cluster\n");
		return 2;
	}
	peer = 1 - cluster.me;
	if (!find_peer_addr())
		return fprintf(stderr, "cluster_faults: no address of node %d\n", peer), 2;
	proxy_pid = proxy_start();
	CHECK("our own proxy brings the link up", wait_link(peer, 90), "node %d", peer);
	CHECK("add_node and rmtbind the other node's endpoints", attach_peer(), "node %d", peer);
	srv = child(SRV(cluster.me), server, 0);
	sil = child(SIL(cluster.me), silent, 0);
	CHECK("our server and silent endpoint are bound", wait_bound_secs(SRV(cluster.me), 30) &&
	      wait_bound_secs(SIL(cluster.me), 30), "node %d", cluster.me);
	CHECK("both nodes are set up (barrier)", barrier("setup", 120), "node %d", cluster.me);

	proxy_fault(0, SIGKILL, "SIGKILL");
	proxy_fault(1, SIGTERM, "SIGTERM");
	node_fault();
	fuzz();
	joined_trace();
	stress(srv);

	kill(sil, SIGKILL);
	reap(sil);
	st = proxy_stop(SIGTERM);
	CHECK("our proxy ends cleanly at the end", st >= 0 && WIFEXITED(st) && !WEXITSTATUS(st),
	      "status 0x%x", st);
	barrier("end", 60);	/* both proxies gone before either node tears down */
	return CHECK_EXIT();
}
