// SPDX-License-Identifier: GPL-2.0
/* cluster.c - the node identity, barriers and link state of the cluster tests (cluster.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cluster.h"

struct cluster_node cluster;

int cluster_env(void)
{
	const char *e = getenv("DVK_NODEID"), *n = getenv("DVK_NODES");
	FILE *f = fopen("/proc/self/comm", "r");

	if (!f || !fgets(cluster.prog, sizeof(cluster.prog), f))
		snprintf(cluster.prog, sizeof(cluster.prog), "test");
	if (f)
		fclose(f);
	cluster.prog[strcspn(cluster.prog, "\n")] = '\0';
	cluster.dir = getenv("DVK_CLUSTER_DIR");
	if (!e || !n || !cluster.dir)
		return 0;
	cluster.me = atoi(e);
	cluster.nodes = atoi(n);
	return children_init();
}

/* the path of node's mark name */
static void mark_path(char *path, size_t size, const char *name, int node)
{
	snprintf(path, size, "%s/%s.%s.%d", cluster.dir, cluster.prog, name, node);
}

int wait_all(const char *name, int secs)
{
	char path[512];
	int all = 0;

	for (int t = 0; t < secs * 10 && !all; t++) {
		struct stat st;

		all = 1;
		for (int n = 0; n < cluster.nodes; n++) {
			mark_path(path, sizeof(path), name, n);
			all &= stat(path, &st) == 0;
		}
		if (!all)
			usleep(100000);
	}
	return all;
}

void mark(const char *name)
{
	char path[512];
	FILE *f;

	mark_path(path, sizeof(path), name, cluster.me);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

int wait_mark(const char *name, int node, int secs)
{
	char path[512];
	struct stat st;

	mark_path(path, sizeof(path), name, node);
	for (int t = 0; t < secs * 10; t++) {
		if (!stat(path, &st))
			return 1;
		usleep(100000);
	}
	return 0;
}

int barrier(const char *name, int secs)
{
	mark(name);
	return wait_all(name, secs);
}

int link_up(int n)
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

int wait_link(int n, int secs)
{
	for (int t = 0; t < secs * 10; t++) {
		if (link_up(n))
			return 1;
		usleep(100000);
	}
	return 0;
}
