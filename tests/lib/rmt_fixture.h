/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmt_fixture.h - the remote set-up of the kernel tests (test_remote,
 * test_rmt_copy, test_migrate): this guest is node 0; "node 1" exists only
 * as a proxy pair whose two proxies are threads of the test.  The sender
 * thread collects what get2rmt hands out (next_cmd(), its payload in
 * rmt.last_pay), and the main thread, the receiver proxy, plays node 1 by
 * answering with put2lcl (put(), put_copy()).
 */
#ifndef DVK_TESTS_RMT_FIXTURE_H
#define DVK_TESTS_RMT_FIXTURE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include "fixture.h"

#define PX	1	/* the pair of node 1 */
#define RNODE	1
#define RNODE2	2	/* a third node, reached through the same pair */
#define RSRV	5	/* remote system endpoints, on node 1 */
#define RCLI	6
#define RUSER	40	/* a remote user endpoint */
#define LSRV	3	/* local endpoints */
#define LCLI	4
#define FREE_EP	7	/* never bound */
#define RMT_RING 64	/* commands the sender thread holds */

struct rmt_fixture {
	/* the sender proxy thread and what it got from get2rmt, in a ring */
	pthread_t sender;
	atomic_int sender_tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	cmd_t ring[RMT_RING];
	unsigned char ring_pay[RMT_RING][MAXCOPYBUF];	/* the payload of each */
	int head, tail;
	/* the test steers the sender: stop it; pause it, letting `allow` through */
	atomic_int stop, paused, allow;
	atomic_int timeouts;		/* get2rmt timed out (the idle heartbeat) */
	atomic_long sender_put2lcl;	/* the sender's own put2lcl: refused */
	atomic_long sender_err;		/* its last unexpected get2rmt result */
	unsigned char last_pay[MAXCOPYBUF];	/* payload of the last next_cmd */
	uint64_t rid;			/* the last message id "node 1" made */
};
extern struct rmt_fixture rmt;

/* the next command get2rmt handed out, within ms; 0 if none came */
int next_cmd(cmd_t *c, int ms);
/* a header from node snode to this node (0) */
cmd_t header(int snode, int cmd, int src, int dst, int rcode, uint64_t id);
/* put2lcl of a command from node 1 */
long put(int cmd, int src, int dst, int rcode, uint64_t id, const message *m);
/* put2lcl of a copy command from node snode, with its payload and c_flags */
long put_copy_flags(int snode, int cmd, int src, int dst, int rcode, uint64_t id,
		    const vcopy_t *v, const void *payload, int len, uint64_t flags);
#define put_copy_from(snode, cmd, src, dst, rcode, id, v, payload, len) \
	put_copy_flags(snode, cmd, src, dst, rcode, id, v, payload, len, 0)
#define put_copy(...)	put_copy_from(RNODE, __VA_ARGS__)
/* p_rts_flags of ep in DC 0, -1 if unknown */
int flags_of(int ep);

/* DVS, DC0, the pair of node 1 (threads as proxies), the remote endpoints */
void rmt_setup(const char *dvs_name);
/* attach node 2 through the pair, a member of DC0 */
void rmt_add_node2(void);
/* connect both proxies of the pair */
void rmt_connect(void);
/* stop the sender thread, end the DC and the DVS */
void rmt_teardown(void);

#endif /* DVK_TESTS_RMT_FIXTURE_H */
