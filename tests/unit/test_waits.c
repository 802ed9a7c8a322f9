// SPDX-License-Identifier: GPL-2.0
/*
 * test_waits.c - host unit tests of lib/dvkview's waits graph (waits.h):
 * the parser of debugfs dvk/waits (lines as the kernel prints them, ANY,
 * negative endpoints, names with spaces, header and garbage skipped), the
 * merge of two nodes' rows, and the graph: a chain, a fan-in, cycles
 * (named), waiters hanging on a cycle, the order of the parts, and 1000
 * rows in reasonable time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dvk.h>
#include "dvkview/waits.h"
#include "check.h"

/* The kernel's header and row format (docs/proc-debugfs.md). */
#define WAITS_HEADER "DC    EP NODE     PID WAIT     PEER PNODE  WAITED_MS               MSG_ID NAME"
#define WAITS_FMT "%2d %5d %4d %7d %-8s %5s %5d %10llu %20llu %s\n"

/* a row as the kernel prints it, appended to text */
static void kline(char *text, size_t len, int dc, int ep, int node, int pid, const char *kind,
		  const char *peer, int pnode, unsigned long long ms, unsigned long long id,
		  const char *name)
{
	size_t used = strlen(text);

	snprintf(text + used, len - used, WAITS_FMT, dc, ep, node, pid, kind, peer, pnode, ms,
		 id, name);
}

/* a row built directly */
static struct dvk_wait W(int dc, int ep, int node, int pid, int kind, int peer, int pnode,
			 uint64_t ms, const char *name)
{
	struct dvk_wait w = { dc, ep, node, pid, kind, peer, pnode, ms, 0, "" };

	snprintf(w.name, sizeof(w.name), "%s", name);
	return w;
}

static void test_kinds(void)
{
	static const char *const names[] = { "send", "sendrec", "reply", "receive", "notify",
					     "migrate" };
	int ok = 1;

	for (int k = 0; k < DVK_WAIT_NKINDS; k++)
		ok &= dvk_wait_kind_name(k) && !strcmp(dvk_wait_kind_name(k), names[k]) &&
		      dvk_wait_kind_parse(names[k]) == k;
	CHECK("waits: the six kind names both ways", ok, "a kind name does not round-trip");
	CHECK("waits: unknown kinds", !dvk_wait_kind_name(-1) &&
	      !dvk_wait_kind_name(DVK_WAIT_NKINDS) && dvk_wait_kind_parse("sleep") == -1 &&
	      dvk_wait_kind_parse("") == -1, "an unknown kind was accepted");
}

static void test_parse(void)
{
	char text[4096] = WAITS_HEADER "\n";
	struct dvk_wait r[8];
	int kept = -1, total;

	kline(text, sizeof(text), 0, 3, 0, 120, "sendrec", "5", 1, 1500, 42, "client three");
	kline(text, sizeof(text), 0, 5, 1, -1, "reply", "7", 0, 20, 43, "");
	strcat(text, "garbage line\n");
	kline(text, sizeof(text), 2, -3, 0, 99, "receive", "ANY", -1, 123456789012ULL, 0, "srv");
	kline(text, sizeof(text), 0, 8, 0, 7, "sleeping", "5", 1, 1, 0, "bad kind");
	kline(text, sizeof(text), 31, 255, 3, 4000000, "migrate", "-2", 3, 7, 18446744073709551615ULL,
	      "sixteen chars xx");
	strcat(text, " 0     9    0     130 send         4\n");	/* cut */
	kline(text, sizeof(text), 0, 10, 0, 131, "notify", "x5", 0, 1, 0, "bad peer");
	kline(text, sizeof(text), 0, 11, 0, 132, "send", "4", 0, 3, 5, "last, no newline");
	text[strlen(text) - 1] = '\0';

	total = dvk_waits_parse(text, r, 8, &kept);
	CHECK("waits: parse keeps the 5 good rows of 10 lines", total == 5 && kept == 5,
	      "total %d kept %d", total, kept);
	CHECK("waits: a local sendrec row, name with a space",
	      r[0].dcid == 0 && r[0].ep == 3 && r[0].node == 0 && r[0].pid == 120 &&
	      r[0].kind == DVK_WAIT_SENDREC && r[0].peer == 5 && r[0].peer_node == 1 &&
	      r[0].waited_ms == 1500 && r[0].msg_id == 42 && !strcmp(r[0].name, "client three"),
	      "%d/%d@%d pid %d kind %d peer %d@%d %llu ms id %llu '%s'", r[0].dcid, r[0].ep,
	      r[0].node, r[0].pid, r[0].kind, r[0].peer, r[0].peer_node,
	      (unsigned long long)r[0].waited_ms, (unsigned long long)r[0].msg_id, r[0].name);
	CHECK("waits: a stand-in row (pid -1, empty name)", r[1].ep == 5 && r[1].node == 1 &&
	      r[1].pid == -1 && r[1].kind == DVK_WAIT_REPLY && r[1].peer == 7 &&
	      r[1].name[0] == '\0', "ep %d node %d pid %d kind %d peer %d name '%s'", r[1].ep,
	      r[1].node, r[1].pid, r[1].kind, r[1].peer, r[1].name);
	CHECK("waits: ANY peer, negative endpoint, long wait", r[2].dcid == 2 && r[2].ep == -3 &&
	      r[2].peer == ANY && r[2].peer_node == -1 && r[2].waited_ms == 123456789012ULL,
	      "dc %d ep %d peer %d pnode %d ms %llu", r[2].dcid, r[2].ep, r[2].peer,
	      r[2].peer_node, (unsigned long long)r[2].waited_ms);
	CHECK("waits: negative peer, 16-char name, largest msg id", r[3].dcid == 31 &&
	      r[3].ep == 255 && r[3].pid == 4000000 && r[3].kind == DVK_WAIT_MIGRATE &&
	      r[3].peer == -2 && r[3].msg_id == 18446744073709551615ULL &&
	      !strcmp(r[3].name, "sixteen chars xx"), "peer %d pid %d id %llu name '%s'",
	      r[3].peer, r[3].pid, (unsigned long long)r[3].msg_id, r[3].name);
	CHECK("waits: the last line without a newline", r[4].ep == 11 &&
	      !strcmp(r[4].name, "last, no newline"), "ep %d name '%s'", r[4].ep, r[4].name);
	total = dvk_waits_parse(text, r, 2, &kept);
	CHECK("waits: parse with max 2 counts all, keeps 2", total == 5 && kept == 2 &&
	      r[1].ep == 5, "total %d kept %d", total, kept);
	CHECK("waits: the header is no row", dvk_wait_line(WAITS_HEADER, &r[0]) == -1,
	      "the header parsed as a row");
}

/* the index in g of (dc, ep), or -1 */
static int at(const struct dvk_wait_graph *g, int dc, int ep)
{
	for (int i = 0; i < g->nnodes; i++)
		if (g->nodes[i].dcid == dc && g->nodes[i].ep == ep)
			return i;
	return -1;
}

/* "ep:depth:cycle ..." of the graph in display order (DC 0 only) */
static void order_text(const struct dvk_wait_graph *g, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < g->nnodes; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%d:%d:%d", i ? " " : "",
			 g->nodes[i].ep, g->nodes[i].depth, g->nodes[i].cycle);
}

/* build g from rows and compare its order with want */
static void check_order(const char *name, const struct dvk_wait *rows, int n, const char *want,
			struct dvk_wait_graph *g)
{
	char got[512];

	if (dvk_wait_graph_build(rows, n, g)) {
		CHECK(name, 0, "dvk_wait_graph_build failed");
		return;
	}
	order_text(g, got, sizeof(got));
	CHECK(name, !strcmp(got, want), "order '%s', want '%s'", got, want);
}

static void test_merge(void)
{
	/* node 0 lists 3 (its own) and 9's stand-in; node 1 lists 9 and 3's stand-in */
	struct dvk_wait rows[] = {
		W(0, 9, 1, -1, DVK_WAIT_SEND, 3, 0, 40, ""),		/* node 0 */
		W(0, 3, 0, 100, DVK_WAIT_SENDREC, 9, 1, 50, "cli"),
		W(0, 3, 0, -1, DVK_WAIT_SENDREC, 9, 1, 49, ""),		/* node 1 */
		W(0, 9, 1, 200, DVK_WAIT_SEND, 3, 0, 41, "srv"),
		W(1, 3, 1, 300, DVK_WAIT_RECEIVE, ANY, -1, 7, "other dc"),
	};
	int n = dvk_waits_merge(rows, 5);
	int i3 = -1, i9 = -1;

	for (int i = 0; i < n; i++) {
		if (rows[i].dcid == 0 && rows[i].ep == 3)
			i3 = i;
		if (rows[i].dcid == 0 && rows[i].ep == 9)
			i9 = i;
	}
	CHECK("waits: merge keeps one row per (dc, ep)", n == 3 && i3 >= 0 && i9 >= 0,
	      "n %d", n);
	CHECK("waits: merge prefers the rows with a pid", i3 >= 0 && i9 >= 0 &&
	      rows[i3].pid == 100 && rows[i9].pid == 200 && !strcmp(rows[i9].name, "srv"),
	      "0/3 pid %d, 0/9 pid %d", i3 >= 0 ? rows[i3].pid : 0, i9 >= 0 ? rows[i9].pid : 0);
	CHECK("waits: the same ep in another DC is another endpoint", n == 3 && rows[2].dcid == 1,
	      "n %d", n);
	CHECK("waits: merge of nothing", dvk_waits_merge(rows, 0) == 0, "not 0");
}

static void test_chain_and_fan_in(void)
{
	/* 1 waits on 2, 2 on 3; 3 receives from ANY */
	struct dvk_wait chain[] = {
		W(0, 1, 0, 101, DVK_WAIT_SENDREC, 2, 0, 300, "a"),
		W(0, 2, 0, 102, DVK_WAIT_SEND, 3, 1, 200, "b"),
		W(0, 3, 1, 103, DVK_WAIT_RECEIVE, ANY, -1, 9000, "c"),
	};
	/* three clients of server 10 (not a waiter itself: no row) */
	struct dvk_wait fan[] = {
		W(0, 20, 0, 120, DVK_WAIT_SENDREC, 10, 1, 100, "c20"),
		W(0, 21, 0, 121, DVK_WAIT_SENDREC, 10, 1, 300, "c21"),
		W(0, 22, 0, 122, DVK_WAIT_REPLY, 10, 1, 200, "c22"),
	};
	struct dvk_wait_graph g;
	int s;

	check_order("waits: a chain of three, deepest waiter last", chain, 3, "3:0:0 2:1:0 1:2:0", &g);
	CHECK("waits: the chain's nodes and rows", g.nnodes == 3 && g.ncycles == 0 &&
	      g.nodes[0].row == 2 && g.nodes[0].node == 1 && g.nodes[2].row == 0,
	      "n %d cycles %d rows %d %d", g.nnodes, g.ncycles, g.nodes[0].row, g.nodes[2].row);
	dvk_wait_graph_free(&g);
	check_order("waits: fan-in, clients under the server by longest wait", fan, 3,
		    "10:0:0 21:1:0 22:1:0 20:1:0", &g);
	s = at(&g, 0, 10);
	CHECK("waits: a server known only as a peer: no row, its node from the rows",
	      s >= 0 && g.nodes[s].row == -1 && g.nodes[s].node == 1,
	      "row %d node %d", s >= 0 ? g.nodes[s].row : 0, s >= 0 ? g.nodes[s].node : 0);
	dvk_wait_graph_free(&g);
	check_order("waits: the chain with its last waiter unknown", chain, 2, "3:0:0 2:1:0 1:2:0", &g);
	s = at(&g, 0, 3);
	CHECK("waits: the unknown root's node from peer_node", s >= 0 && g.nodes[s].row == -1 &&
	      g.nodes[s].node == 1, "row %d node %d", s >= 0 ? g.nodes[s].row : 0,
	      s >= 0 ? g.nodes[s].node : 0);
	dvk_wait_graph_free(&g);
}

static void test_cycles(void)
{
	/* 3@0 -> 5@1 -> 7@0 -> 3@0, listed out of order */
	struct dvk_wait tri[] = {
		W(0, 7, 0, 107, DVK_WAIT_SENDREC, 3, 0, 10, "c"),
		W(0, 5, 1, -1, DVK_WAIT_SENDREC, 7, 0, 20, ""),
		W(0, 3, 0, 103, DVK_WAIT_SENDREC, 5, 1, 30, "a"),
	};
	/* rows of two nodes: 4@0 and 9@1 wait on each other; each node lists both */
	struct dvk_wait two[] = {
		W(0, 4, 0, 104, DVK_WAIT_SEND, 9, 1, 500, "p"),
		W(0, 9, 1, -1, DVK_WAIT_SEND, 4, 0, 499, ""),
		W(0, 9, 1, 209, DVK_WAIT_SEND, 4, 0, 501, "q"),
		W(0, 4, 0, -1, DVK_WAIT_SEND, 9, 1, 498, ""),
	};
	struct dvk_wait_graph g;
	char name[128];
	int len, n;

	check_order("waits: a 3-cycle from its smallest member, the chain back", tri, 3,
		    "3:0:1 7:1:1 5:2:1", &g);
	len = dvk_wait_cycle_name(&g, 1, name, sizeof(name));
	CHECK("waits: the 3-cycle's name", g.ncycles == 1 &&
	      !strcmp(name, "0/3@0 -> 0/5@1 -> 0/7@0 -> 0/3@0") && len == (int)strlen(name),
	      "cycles %d name '%s' len %d", g.ncycles, name, len);
	len = dvk_wait_cycle_name(&g, 1, name, 8);
	CHECK("waits: a cut cycle name says the whole length", len == 32 && !strcmp(name, "0/3@0 -"),
	      "len %d '%s'", len, name);
	len = dvk_wait_cycle_name(&g, 2, name, sizeof(name));
	CHECK("waits: no cycle 2: empty name", len == 0 && name[0] == '\0', "len %d '%s'", len, name);
	dvk_wait_graph_free(&g);

	n = dvk_waits_merge(two, 4);
	check_order("waits: a two-node cycle from merged rows", two, n, "4:0:1 9:1:1", &g);
	dvk_wait_cycle_name(&g, 1, name, sizeof(name));
	CHECK("waits: the two-node cycle's name", n == 2 && g.ncycles == 1 &&
	      !strcmp(name, "0/4@0 -> 0/9@1 -> 0/4@0"), "n %d cycles %d '%s'", n, g.ncycles, name);
	dvk_wait_graph_free(&g);
}

static void test_hanging_and_order(void)
{
	struct dvk_wait rows[] = {
		/* a tree with the longest wait of all: 30 waits on 31 (no row) */
		W(0, 30, 0, 130, DVK_WAIT_SEND, 31, 0, 99999, "long"),
		/* a lone receiver, and the 3-cycle 3 -> 5 -> 7 -> 3 */
		W(0, 40, 0, 140, DVK_WAIT_RECEIVE, ANY, -1, 999999, "idle"),
		W(0, 3, 0, 103, DVK_WAIT_SENDREC, 5, 1, 30, "a"),
		W(0, 5, 1, 205, DVK_WAIT_SENDREC, 7, 0, 20, "b"),
		W(0, 7, 0, 107, DVK_WAIT_SENDREC, 3, 0, 10, "c"),
		/* 11 waits on cycle member 5, 12 on 11, 13 on member 3 */
		W(0, 11, 0, 111, DVK_WAIT_SEND, 5, 1, 5, "h11"),
		W(0, 12, 0, 112, DVK_WAIT_SEND, 11, 0, 4, "h12"),
		W(0, 13, 0, 113, DVK_WAIT_RECEIVE, 3, 0, 3, "h13"),
		/* a second cycle, 1 <-> 2, waiting less */
		W(0, 1, 0, 101, DVK_WAIT_SEND, 2, 0, 2, "x"),
		W(0, 2, 0, 102, DVK_WAIT_SEND, 1, 0, 1, "y"),
	};
	struct dvk_wait_graph g;
	char name[128];

	check_order("waits: cycles first with their hangers, then trees, then lone", rows, 10,
		    "3:0:1 7:1:1 5:2:1 11:3:0 12:4:0 13:1:0 1:0:2 2:1:2 31:0:0 30:1:0 40:0:0", &g);
	dvk_wait_cycle_name(&g, 2, name, sizeof(name));
	CHECK("waits: the second cycle's name", g.ncycles == 2 &&
	      !strcmp(name, "0/1@0 -> 0/2@0 -> 0/1@0"), "cycles %d '%s'", g.ncycles, name);
	dvk_wait_graph_free(&g);
	check_order("waits: no rows, no nodes", rows, 0, "", &g);
	CHECK("waits: an empty graph", g.nnodes == 0 && g.ncycles == 0, "n %d", g.nnodes);
	dvk_wait_graph_free(&g);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1000 rows: a chain, a fan-in, a ring; each well under a second */
static void test_many(void)
{
	enum { N = 1000 };
	static struct dvk_wait rows[N];
	struct dvk_wait_graph g;
	static char name[N * 12];
	double t0, t[3];
	int ok[3], len;

	for (int i = 0; i < N; i++)	/* i waits on i + 1; N - 1 on N (no row) */
		rows[i] = W(0, i, 0, 1000 + i, DVK_WAIT_SEND, i + 1, 0, (uint64_t)i, "chain");
	t0 = seconds();
	ok[0] = !dvk_wait_graph_build(rows, N, &g) && g.nnodes == N + 1 &&
		g.nodes[0].ep == N && g.nodes[N].ep == 0 && g.nodes[N].depth == N;
	t[0] = seconds() - t0;
	dvk_wait_graph_free(&g);
	for (int i = 0; i < N; i++)	/* everybody on 5000 */
		rows[i] = W(0, i, 0, 1000 + i, DVK_WAIT_SENDREC, 5000, 1, (uint64_t)(i * 7 % N), "fan");
	t0 = seconds();
	ok[1] = !dvk_wait_graph_build(rows, N, &g) && g.nnodes == N + 1 &&
		g.nodes[0].ep == 5000 && g.nodes[1].depth == 1 && g.nodes[N].depth == 1 &&
		rows[g.nodes[1].row].waited_ms == N - 1;
	t[1] = seconds() - t0;
	dvk_wait_graph_free(&g);
	for (int i = 0; i < N; i++)	/* one ring of N */
		rows[i] = W(0, i, 0, 1000 + i, DVK_WAIT_SEND, (i + 1) % N, 0, 1, "ring");
	t0 = seconds();
	ok[2] = !dvk_wait_graph_build(rows, N, &g) && g.nnodes == N && g.ncycles == 1 &&
		g.nodes[N - 1].depth == N - 1 && g.nodes[N - 1].cycle == 1;
	len = dvk_wait_cycle_name(&g, 1, name, sizeof(name));
	t[2] = seconds() - t0;
	ok[2] = ok[2] && len == (int)strlen(name) && !strncmp(name, "0/0@0 -> 0/1@0 -> 0/2@0", 23);
	dvk_wait_graph_free(&g);
	CHECK("waits: a chain of 1000", ok[0], "wrong graph");
	CHECK("waits: a fan-in of 1000", ok[1], "wrong graph");
	CHECK("waits: a ring of 1000, named", ok[2], "wrong graph or name (len %d)", len);
	CHECK("waits: 1000 rows in under 0.5 s each", t[0] < 0.5 && t[1] < 0.5 && t[2] < 0.5,
	      "%.3f %.3f %.3f s", t[0], t[1], t[2]);
}

int main(void)
{
	test_kinds();
	test_parse();
	test_merge();
	test_chain_and_fan_in();
	test_cycles();
	test_hanging_and_order();
	test_many();
	return CHECK_EXIT();
}
