/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cluster_test.h - what the tests run on every node of a vm-cluster share
 * (on top of ipc_test.h): the node's identity from the environment
 * scripts/vm-cluster gives, barriers through files in the shared
 * DVK_CLUSTER_DIR, and the state of a proxy link from debugfs.
 */
#ifndef DVK_CLUSTER_TEST_H
#define DVK_CLUSTER_TEST_H

#include <stdio.h>
#include <sys/stat.h>
#include "ipc_test.h"

static int me, nodes;
static const char *cdir;
/*
 * The program's name: every mark and barrier file is <prog>.<name>.<node>,
 * so two tests of one boot never meet at each other's barriers (a barrier
 * "setup" of a test run before would let the next one through at once).
 */
static char prog[32];

/* DVK_NODEID, DVK_NODES, DVK_CLUSTER_DIR; false if not on a cluster node */
static inline int cluster_env(void)
{
	const char *e = getenv("DVK_NODEID"), *n = getenv("DVK_NODES");
	FILE *f = fopen("/proc/self/comm", "r");

	if (!f || !fgets(prog, sizeof(prog), f))
		snprintf(prog, sizeof(prog), "test");
	if (f)
		fclose(f);
	prog[strcspn(prog, "\n")] = '\0';
	cdir = getenv("DVK_CLUSTER_DIR");
	if (!e || !n || !cdir)
		return 0;
	me = atoi(e);
	nodes = atoi(n);
	results = mmap(NULL, 512 * sizeof(long), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return results != MAP_FAILED;
}

/* wait (up to @secs) until every node wrote its mark <name> */
static inline int wait_all(const char *name, int secs)
{
	char path[512];
	int all = 0;

	for (int t = 0; t < secs * 10 && !all; t++) {
		struct stat st;

		all = 1;
		for (int n = 0; n < nodes; n++) {
			snprintf(path, sizeof(path), "%s/%s.%s.%d", cdir, prog, name, n);
			all &= stat(path, &st) == 0;
		}
		if (!all)
			usleep(100000);
	}
	return all;
}

/* write our mark <name> (a file other nodes can wait for) */
static inline void mark(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s.%d", cdir, prog, name, me);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

/* wait (up to @secs) for node @node's mark <name> */
static inline int wait_mark(const char *name, int node, int secs)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s.%s.%d", cdir, prog, name, node);
	for (int t = 0; t < secs * 10; t++) {
		if (!stat(path, &st))
			return 1;
		usleep(100000);
	}
	return 0;
}

/* write our mark <name>, then wait for every node's */
static inline int barrier(const char *name, int secs)
{
	mark(name);
	return wait_all(name, secs);
}

/* the pair of node @n shows ISR (in use, both proxies connected) in debugfs */
static inline int link_up(int n)
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

/* poll (up to @secs) for link_up(@n) */
static inline int wait_link(int n, int secs)
{
	for (int t = 0; t < secs * 10; t++) {
		if (link_up(n))
			return 1;
		usleep(100000);
	}
	return 0;
}

#endif /* DVK_CLUSTER_TEST_H */
