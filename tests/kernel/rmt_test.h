/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmt_test.h - the harness of the in-guest remote IPC tests (test_remote,
 * test_rmt_copy): this guest is node 0; "node 1" exists only as a proxy
 * pair whose two proxies are threads of the test.  A sender thread collects
 * what get2rmt hands out (next_cmd(), with its payload in last_pay), and
 * the main thread, the receiver proxy, plays node 1 by answering with
 * put2lcl (put(), put_copy()).
 */
#ifndef RMT_TEST_H
#define RMT_TEST_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include "ipc_test.h"

#define PX	1	/* the pair of node 1 */
#define RNODE	1
#define RSRV	5	/* remote system endpoints, on node 1 */
#define RCLI	6
#define RUSER	40	/* a remote user endpoint */
#define LSRV	3	/* local endpoints */
#define LCLI	4
#define FREE_EP	7	/* never bound */

/* ---- the sender proxy thread: get2rmt into a queue ---------------------- */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static cmd_t ring[64];
static unsigned char ring_pay[64][MAXCOPYBUF];	/* the payload of each */
static int ring_head, ring_tail;
static atomic_int stop, paused, allow, sproxy_tid, timeouts;	/* allow: taken while paused */
static atomic_long sproxy_put2lcl, sproxy_err;

static inline void *sproxy_main(void *arg)
{
	static char payload[MAXCOPYBUF];
	cmd_t c;

	(void)arg;
	memset(&c, 0, sizeof(c));
	sproxy_tid = gettid();
	while (!atomic_load(&stop) && dvk_put2lcl(&c, NULL) == EDVSNOPROXY)
		usleep(2000);	/* until the pair is bound */
	sproxy_put2lcl = dvk_put2lcl(&c, NULL);	/* the sender may not put2lcl */
	while (!atomic_load(&stop)) {
		long r;

		if (atomic_load(&paused) && atomic_load(&allow) <= 0) {
			usleep(2000);
			continue;
		}
		r = dvk_get2rmt_T(&c, payload, 50);
		if (r == OK && atomic_load(&paused))
			allow--;
		if (r == OK) {
			pthread_mutex_lock(&mu);
			if (c.c_len > 0 && c.c_len <= MAXCOPYBUF)
				memcpy(ring_pay[ring_tail % 64], payload, c.c_len);
			ring[ring_tail++ % 64] = c;
			pthread_cond_broadcast(&cv);
			pthread_mutex_unlock(&mu);
		} else if (r == EDVSTIMEDOUT) {
			timeouts++;
		} else {
			sproxy_err = r;
			usleep(5000);	/* not connected: do not spin */
		}
	}
	return NULL;
}

static unsigned char last_pay[MAXCOPYBUF];	/* payload of the last next_cmd */

/* the next command get2rmt handed out, within ms; 0 if none came */
static inline int next_cmd(cmd_t *c, int ms)
{
	struct timespec t;
	int got = 0;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&mu);
	while (ring_head == ring_tail)
		if (pthread_cond_timedwait(&cv, &mu, &t))
			break;
	if (ring_head != ring_tail) {
		*c = ring[ring_head % 64];
		if (c->c_len > 0 && c->c_len <= MAXCOPYBUF)
			memcpy(last_pay, ring_pay[ring_head % 64], c->c_len);
		ring_head++;
		got = 1;
	}
	pthread_mutex_unlock(&mu);
	return got;
}

/* a header from node @snode to this node (0) */
static inline cmd_t header(int snode, int cmd, int src, int dst, int rcode, uint64_t id)
{
	cmd_t c;

	memset(&c, 0, sizeof(c));
	c.c_cmd = cmd;
	c.c_dcid = DCID;
	c.c_src = src;
	c.c_dst = dst;
	c.c_snode = snode;
	c.c_rcode = rcode;
	c.c_snd_seq = id;
	return c;
}

/* put2lcl of a command from node 1 */
static inline long put(int cmd, int src, int dst, int rcode, uint64_t id, const message *m)
{
	cmd_t c = header(RNODE, cmd, src, dst, rcode, id);

	if (m)
		c.c_msg = *m;
	return dvk_put2lcl(&c, NULL);
}

static uint64_t rid = (uint64_t)RNODE << 56;	/* ids made by "node 1" */

/* put2lcl of a copy command from node @snode, with its payload and c_flags */
static inline long put_copy_flags(int snode, int cmd, int src, int dst, int rcode, uint64_t id,
				  const vcopy_t *v, const void *payload, int len, uint64_t flags)
{
	cmd_t c = header(snode, cmd, src, dst, rcode, id);

	c.c_len = len;
	c.c_vcopy = *v;
	c.c_flags = flags;
	return dvk_put2lcl(&c, (void *)payload);
}

#define put_copy_from(snode, cmd, src, dst, rcode, id, v, payload, len) \
	put_copy_flags(snode, cmd, src, dst, rcode, id, v, payload, len, 0)
#define put_copy(...)	put_copy_from(RNODE, __VA_ARGS__)

static inline int flags_of(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(DCID, ep, &u) ? -1 : u.p_rts_flags;
}

static inline void on_term(int sig)
{
	(void)sig;
}

static pthread_t sproxy_thread;

/* DVS, DC0, the pair of node 1 (threads as proxies, connected), remote endpoints */
static inline void rmt_setup(const char *dvs_name)
{
	dvs_usr_t d = {
		.d_nr_dcs = NR_DCS, .d_nr_nodes = NR_NODES, .d_nr_procs = NR_PROCS,
		.d_nr_tasks = NR_TASKS, .d_nr_sysprocs = NR_SYS_PROCS,
		.d_max_copybuf = MAXCOPYBUF, .d_max_copylen = MAXCOPYLEN,
	};
	dc_usr_t dc = {
		.dc_dcid = DCID, .dc_nr_procs = NR_PROCS, .dc_nr_tasks = NR_TASKS,
		.dc_nr_sysprocs = NR_SYS_PROCS, .dc_nr_nodes = NR_NODES, .dc_name = "DC0",
	};

	snprintf(d.d_name, sizeof(d.d_name), "%s", dvs_name);
	signal(SIGTERM, on_term);	/* proxies_unbind signals the other proxy */
	results = mmap(NULL, 512 * sizeof(long), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED)
		exit(1);
	CHECK_RC("dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("dc_init", dvk_dc_init(&dc), 0);
	pthread_create(&sproxy_thread, NULL, sproxy_main, NULL);
	while (!sproxy_tid)
		usleep(1000);
	CHECK_RC("proxies_bind (threads as proxies)",
		 dvk_proxies_bind("node1", PX, sproxy_tid, gettid(), MAXCOPYBUF), OK);
	CHECK_RC("node_up", dvk_node_up("node1", RNODE, PX), OK);
	CHECK_RC("add_node", dvk_add_node(DCID, RNODE), OK);
	CHECK_RC("rmtbind RSRV", dvk_rmtbind(DCID, "rsrv", RSRV, RNODE), RSRV);
	CHECK_RC("rmtbind RCLI", dvk_rmtbind(DCID, "rcli", RCLI, RNODE), RCLI);
	CHECK_RC("rmtbind RUSER", dvk_rmtbind(DCID, "ruser", RUSER, RNODE), RUSER);
}

#define RNODE2	2	/* a third node, reached through the same pair */

/* attach node 2 through the pair, a member of DC0 */
static inline void rmt_add_node2(void)
{
	CHECK_RC("node_up of node 2 through the same pair", dvk_node_up("node2", RNODE2, PX), OK);
	CHECK_RC("add_node 2", dvk_add_node(DCID, RNODE2), OK);
}

static inline void rmt_connect(void)
{
	CHECK_RC("connect the sender", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	CHECK_RC("connect the receiver", dvk_proxy_conn(PX, CONNECT_RPROXY), OK);
}

/* stop the sender thread, end the DC and the DVS */
static inline void rmt_teardown(void)
{
	stop = 1;
	pthread_join(sproxy_thread, NULL);
	CHECK("the sender proxy saw no unexpected error", sproxy_err == 0 ||
	      sproxy_err == EDVSNOTCONN || sproxy_err == EDVSNOPROXY || sproxy_err == -EINTR,
	      "%ld", (long)sproxy_err);
	CHECK_RC("dc_end", dvk_dc_end(DCID), OK);
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
}

#endif /* RMT_TEST_H */
