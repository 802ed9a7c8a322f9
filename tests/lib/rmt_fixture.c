// SPDX-License-Identifier: GPL-2.0
/* rmt_fixture.c - the remote set-up of the kernel tests (rmt_fixture.h). */
#define _GNU_SOURCE	/* gettid */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rmt_fixture.h"

struct rmt_fixture rmt = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.rid = (uint64_t)RNODE << 56,	/* ids made by "node 1" */
};

static void *sender_main(void *arg)
{
	static char payload[MAXCOPYBUF];
	cmd_t c;

	(void)arg;
	memset(&c, 0, sizeof(c));
	rmt.sender_tid = gettid();
	while (!atomic_load(&rmt.stop) && dvk_put2lcl(&c, NULL) == EDVSNOPROXY)
		usleep(2000);	/* until the pair is bound */
	rmt.sender_put2lcl = dvk_put2lcl(&c, NULL);	/* the sender may not put2lcl */
	while (!atomic_load(&rmt.stop)) {
		long r;

		if (atomic_load(&rmt.paused) && atomic_load(&rmt.allow) <= 0) {
			usleep(2000);
			continue;
		}
		r = dvk_get2rmt_T(&c, payload, 50);
		if (r == OK && atomic_load(&rmt.paused))
			rmt.allow--;
		if (r == OK) {
			pthread_mutex_lock(&rmt.mu);
			if (c.c_len > 0 && c.c_len <= MAXCOPYBUF)
				memcpy(rmt.ring_pay[rmt.tail % RMT_RING], payload, c.c_len);
			rmt.ring[rmt.tail++ % RMT_RING] = c;
			pthread_cond_broadcast(&rmt.cv);
			pthread_mutex_unlock(&rmt.mu);
		} else if (r == EDVSTIMEDOUT) {
			rmt.timeouts++;
		} else {
			rmt.sender_err = r;
			usleep(5000);	/* not connected: do not spin */
		}
	}
	return NULL;
}

int next_cmd(cmd_t *c, int ms)
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
	pthread_mutex_lock(&rmt.mu);
	while (rmt.head == rmt.tail)
		if (pthread_cond_timedwait(&rmt.cv, &rmt.mu, &t))
			break;
	if (rmt.head != rmt.tail) {
		*c = rmt.ring[rmt.head % RMT_RING];
		if (c->c_len > 0 && c->c_len <= MAXCOPYBUF)
			memcpy(rmt.last_pay, rmt.ring_pay[rmt.head % RMT_RING], c->c_len);
		rmt.head++;
		got = 1;
	}
	pthread_mutex_unlock(&rmt.mu);
	return got;
}

cmd_t header(int snode, int cmd, int src, int dst, int rcode, uint64_t id)
{
	cmd_t c = { .c_cmd = cmd, .c_dcid = DCID, .c_src = src, .c_dst = dst,
		    .c_snode = snode, .c_rcode = rcode, .c_snd_seq = id };

	return c;
}

long put(int cmd, int src, int dst, int rcode, uint64_t id, const message *m)
{
	cmd_t c = header(RNODE, cmd, src, dst, rcode, id);

	if (m)
		c.c_msg = *m;
	return dvk_put2lcl(&c, NULL);
}

long put_copy_flags(int snode, int cmd, int src, int dst, int rcode, uint64_t id,
		    const vcopy_t *v, const void *payload, int len, uint64_t flags)
{
	cmd_t c = header(snode, cmd, src, dst, rcode, id);

	c.c_len = len;
	c.c_vcopy = *v;
	c.c_flags = flags;
	return dvk_put2lcl(&c, (void *)payload);
}

int flags_of(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(DCID, ep, &u) ? -1 : u.p_rts_flags;
}

static void on_term(int sig)
{
	(void)sig;
}

void rmt_setup(const char *dvs_name)
{
	dvs_usr_t d = dvk_dvs_params(dvs_name);
	dc_usr_t dc = dvk_dc_params(DCID, "DC0");

	signal(SIGTERM, on_term);	/* proxies_unbind signals the other proxy */
	if (!children_init())
		exit(1);
	CHECK_RC("dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("dc_init", dvk_dc_init(&dc), 0);
	pthread_create(&rmt.sender, NULL, sender_main, NULL);
	while (!rmt.sender_tid)
		usleep(1000);
	CHECK_RC("proxies_bind (threads as proxies)",
		 dvk_proxies_bind("node1", PX, rmt.sender_tid, gettid(), MAXCOPYBUF), OK);
	CHECK_RC("node_up", dvk_node_up("node1", RNODE, PX), OK);
	CHECK_RC("add_node", dvk_add_node(DCID, RNODE), OK);
	CHECK_RC("rmtbind RSRV", dvk_rmtbind(DCID, "rsrv", RSRV, RNODE), RSRV);
	CHECK_RC("rmtbind RCLI", dvk_rmtbind(DCID, "rcli", RCLI, RNODE), RCLI);
	CHECK_RC("rmtbind RUSER", dvk_rmtbind(DCID, "ruser", RUSER, RNODE), RUSER);
}

void rmt_add_node2(void)
{
	CHECK_RC("node_up of node 2 through the same pair", dvk_node_up("node2", RNODE2, PX), OK);
	CHECK_RC("add_node 2", dvk_add_node(DCID, RNODE2), OK);
}

void rmt_connect(void)
{
	CHECK_RC("connect the sender", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	CHECK_RC("connect the receiver", dvk_proxy_conn(PX, CONNECT_RPROXY), OK);
}

void rmt_teardown(void)
{
	rmt.stop = 1;
	pthread_join(rmt.sender, NULL);
	CHECK("the sender proxy saw no unexpected error", rmt.sender_err == 0 ||
	      rmt.sender_err == EDVSNOTCONN || rmt.sender_err == EDVSNOPROXY ||
	      rmt.sender_err == -EINTR, "%ld", (long)rmt.sender_err);
	CHECK_RC("dc_end", dvk_dc_end(DCID), OK);
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
}
