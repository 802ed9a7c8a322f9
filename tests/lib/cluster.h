/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cluster.h - what the tests run on every node of a vm-cluster share: the
 * node's identity from the environment scripts/vm-cluster gives, barriers
 * through files in the shared DVK_CLUSTER_DIR, and the state of a proxy
 * link from debugfs.
 */
#ifndef DVK_TESTS_CLUSTER_H
#define DVK_TESTS_CLUSTER_H

#include "fixture.h"

struct cluster_node {
	int me, nodes;		/* DVK_NODEID, DVK_NODES */
	const char *dir;	/* DVK_CLUSTER_DIR, shared by the nodes */
	/*
	 * The program's name: every mark and barrier file is
	 * <prog>.<name>.<node>, so two tests of one boot never meet at each
	 * other's barriers (a barrier "setup" of a test run before would let
	 * the next one through at once).
	 */
	char prog[32];
};
extern struct cluster_node cluster;

/* fill cluster from the environment, map children.result; false if not on a cluster node */
int cluster_env(void);
/* wait (up to secs) until every node wrote its mark name */
int wait_all(const char *name, int secs);
/* write our mark name (a file other nodes can wait for) */
void mark(const char *name);
/* wait (up to secs) for node node's mark name */
int wait_mark(const char *name, int node, int secs);
/* write our mark name, then wait for every node's */
int barrier(const char *name, int secs);
/* the pair of node n shows ISR (in use, both proxies connected) in debugfs */
int link_up(int n);
/* poll (up to secs) for link_up(n) */
int wait_link(int n, int secs);

#endif /* DVK_TESTS_CLUSTER_H */
