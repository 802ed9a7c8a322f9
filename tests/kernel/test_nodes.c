// SPDX-License-Identifier: GPL-2.0
/*
 * test_nodes.c - in-guest tests of nodes and proxy pairs on one node:
 * proxies_bind with two forked stand-in proxies, getproxyinfo,
 * node_up / node_down, proxy_conn and the node connection bits,
 * add_node / del_node, /proc/dvs/nodes, a proxy that dies (its pair is
 * freed, its peer gets SIGTERM), proxies_unbind, dvs_end with a pair bound,
 * every bad argument, and the dvk_proxy_conn / dvk_node_state events.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"
#include "tracefs.h"
#include "dvk_params.h"
#include "proc.h"

#define PX	1	/* pair id = the remote node it serves */

static pid_t last_s, last_r;	/* the pair left bound for dvs_end */

/* wait (up to 5 s) for a child to end; its status, or -1 */
static int reap_status(pid_t pid)
{
	int st;

	for (int i = 0; i < 500; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

static int node_flags(int nodeid)
{
	node_usr_t n;

	return dvk_getnodeinfo(nodeid, &n) ? -1 : n.n_flags;
}

/* line n (0 = header) of a /proc file, without its newline, or "" */
static void proc_line(const char *path, int n, char *out, size_t len)
{
	char line[256];
	FILE *f = fopen(path, "r");

	out[0] = 0;
	for (int i = 0; f && fgets(line, sizeof(line), f); i++) {
		if (i == n) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%s", line);
		}
	}
	if (f)
		fclose(f);
}

static void test_proxies_views(pid_t s, pid_t r)
{
	char line[256], want[256], name[32], map[64];
	int id, flags, sp, rp;

	proc_line("/proc/dvs/proxies/info", 1, line, sizeof(line));
	CHECK("/proc/dvs/proxies/info: pair 1, flags 7, both pids, name, node 1 in its map",
	      sscanf(line, "%d %x %d %d %31s %63s", &id, &flags, &sp, &rp, name, map) == 6 &&
	      id == PX && flags == 7 && sp == s && rp == r && !strcmp(name, "node1") &&
	      !strcmp(map, "------------------------------X-"), "'%s'", line);
	proc_line("/proc/dvs/proxies/procs", 0, line, sizeof(line));
	CHECK("/proc/dvs/proxies/procs header", !strcmp(line,
	      "ID Type -lpid- -flag- -misc- -pxsent- -pxrcvd- -getf- -sendt -wmig- name"),
	      "'%s'", line);
	proc_line("/proc/dvs/proxies/procs", 1, line, sizeof(line));
	snprintf(want, sizeof(want), " 1 send %6d      0      3        0        0  27342  27342  27342 ",
		 s);
	CHECK("its send row: pid, MIS_PROXY|MIS_CONNECTED, NONE fields",
	      !strncmp(line, want, strlen(want)), "'%s' want '%s'", line, want);
	proc_line("/proc/dvs/proxies/procs", 2, line, sizeof(line));
	CHECK("and its recv row", !strncmp(line, " 1 recv", 7), "'%s'", line);
	proc_line("/proc/dvs/proxies/dvkcalls", 1, line, sizeof(line));
	CHECK("dvkcalls of the sender proxy: get2rmt, proxies_unbind, proxies_bind (docs/original-dvk.md#the-proc-views)",
	      !strcmp(line, " 1 send --------------------------X--XX-----------------"),
	      "'%s'", line);
	proc_line("/proc/dvs/proxies/dvkcalls", 2, line, sizeof(line));
	CHECK("and of the receiver proxy: put2lcl instead of get2rmt",
	      !strcmp(line, " 1 recv ---------------------------X-XX-----------------"),
	      "'%s'", line);
	proc_line("/proc/dvs/proxies/ipcto", 1, line, sizeof(line));
	CHECK("proxies may send to no slot (ipcto empty)", !strcmp(line, " 1 send "
	      "----------------------------------------------------------------"), "'%s'", line);
}

static int remote_flags(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(0, ep, &u) ? -1 : u.p_rts_flags;
}

/* rmtbind on DC0 with node 1 attached and a member */
static void test_remote_descriptors(void)
{
	proc_usr_t u;
	message m;
	pid_t c;
	int st;

	CHECK_RC("rmtbind of endpoint 20 on node 1", dvk_rmtbind(0, "rclient", 20, 1), 20);
	CHECK("its descriptor: REMOTE, node 1, no pid, the name",
	      !dvk_getprocinfo(0, 20, &u) && u.p_rts_flags == REMOTE && u.p_nodeid == 1 &&
	      u.p_lpid == -1 && !strcmp(u.p_name, "rclient"), "flags %x node %d pid %d name %s",
	      u.p_rts_flags, u.p_nodeid, u.p_lpid, u.p_name);
	CHECK_RC("rmtbind of a bound slot gives EDVSSLOTUSED", dvk_rmtbind(0, "x", 20, 1),
		 EDVSSLOTUSED);
	CHECK_RC("rmtbind on a node not attached gives EDVSNODCNODE",
		 dvk_rmtbind(0, "x", 21, 2), EDVSNODCNODE);
	CHECK_RC("rmtbind on the local node gives EDVSBADNODEID", dvk_rmtbind(0, "x", 21, 0),
		 EDVSBADNODEID);
	CHECK_RC("rmtbind with a bad name pointer gives EDVSBADVALUE",
		 dvk_rmtbind(0, (char *)16, 21, 1), EDVSBADVALUE);
	CHECK_RC("bkupbind is not supported yet (EDVSBINDTYPE)", dvk_bkupbind(0, getpid(), 21, 1),
		 EDVSBINDTYPE);

	CHECK_RC("bind the parent to DC0", dvk_bind(0, 1), 1);
	memset(&m, 0, sizeof(m));
	/* these stand-in proxies never call get2rmt: test_remote has the real path */
	CHECK_RC("send to a remote endpoint nobody takes times out",
		 dvk_send_T(20, &m, 100), EDVSTIMEDOUT);
	CHECK("... and leaves the proxy's queue (not RMTOPER, not SENDING)",
	      !dvk_getprocinfo(0, 1, &u) && !(u.p_rts_flags & (RMTOPER | SENDING)),
	      "flags %x", u.p_rts_flags);
	CHECK_RC("wakeup of it gives EDVSRMTPROC", dvk_wakeup(0, 20), EDVSRMTPROC);
	c = fork();
	if (c == 0) {	/* waits for a message from the remote process */
		message r;

		if (dvk_bind(0, 2) != 2)
			_exit(90);
		_exit(dvk_receive_T(20, &r, 5000) == EDVSSRCDIED ? 0 : 1);
	}
	for (int i = 0; i < 400; i++) {
		proc_usr_t w;

		if (!dvk_getprocinfo(0, 2, &w) && (w.p_rts_flags & RECEIVING))
			break;
		usleep(5000);
	}
	CHECK_RC("unbind of a remote descriptor", dvk_unbind(0, 20), OK);
	st = reap_status(c);
	CHECK("a local process waiting for it gets EDVSSRCDIED", st != -1 && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "status %d", st);
	CHECK("the slot is free", remote_flags(20) == SLOT_FREE, "flags %x", remote_flags(20));
	CHECK_RC("unbind the parent", dvk_unbind(0, 1), OK);

	CHECK_RC("rmtbind again", dvk_rmtbind(0, "rclient", 20, 1), 20);
	CHECK_RC("del_node(DC0, node 1)", dvk_del_node(0, 1), OK);
	CHECK("del_node freed the node's remote descriptor", remote_flags(20) == SLOT_FREE,
	      "flags %x", remote_flags(20));
	CHECK_RC("add_node back", dvk_add_node(0, 1), OK);
}

/* the row of node id in /proc/dvs/nodes, or "" */
static void nodes_row(int id, char *out, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/dvs/nodes", "r");

	out[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		int nid;

		if (sscanf(line, "%d", &nid) == 1 && nid == id) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%s", line);
		}
	}
	if (f)
		fclose(f);
}

static void test_local_node(void)
{
	node_usr_t n;
	char row[256];

	CHECK_RC("getnodeinfo(-1)", dvk_getnodeinfo(-1, &n), OK);
	CHECK("the local node is 0, flags E, no pair, named node0",
	      n.n_nodeid == 0 && n.n_flags == 0xE && n.n_proxies == -1 &&
	      !strcmp(n.n_name, "node0"), "id %d flags %x px %d name %s", n.n_nodeid,
	      n.n_flags, n.n_proxies, n.n_name);
	CHECK_RC("getnodeinfo(1)", dvk_getnodeinfo(1, &n), OK);
	CHECK("node 1 is free (flags 0, NONAME)", n.n_flags == 0 && !strcmp(n.n_name, "NONAME"),
	      "flags %x name %s", n.n_flags, n.n_name);
	CHECK_RC("getnodeinfo(32) gives EDVSBADNODEID", dvk_getnodeinfo(32, &n), EDVSBADNODEID);
	CHECK_RC("getnodeinfo to a bad pointer gives EDVSFAULT",
		 dvk_getnodeinfo(0, (node_usr_t *)16), EDVSFAULT);
	nodes_row(1, row, sizeof(row));
	CHECK("/proc/dvs/nodes has no row for a free node", !row[0], "%s", row);
}

static void test_pair_and_node(void)
{
	pid_t s = idle_child(), r = idle_child(), other = idle_child();
	proc_usr_t ps, pr;
	node_usr_t n;
	dc_usr_t dc = dvk_dc_params(0, "DC0");
	char row[256];
	int st;

	dc.dc_nr_nodes = 2;
	CHECK_RC("proxies_bind with maxbytes 65537 gives EDVS2BIG",
		 dvk_proxies_bind("node1", PX, s, r, 65537), EDVS2BIG);
	CHECK_RC("proxies_bind of pair 32 gives EDVSBADPROXY",
		 dvk_proxies_bind("node1", 32, s, r, 65536), EDVSBADPROXY);
	CHECK_RC("proxies_bind of a pid that does not exist gives EDVSBADPID",
		 dvk_proxies_bind("node1", PX, 999999, r, 65536), EDVSBADPID);
	CHECK_RC("proxies_bind with one process as both proxies gives EDVSBADPID",
		 dvk_proxies_bind("node1", PX, s, s, 65536), EDVSBADPID);
	CHECK_RC("proxies_bind with a bad name pointer gives EDVSFAULT",
		 dvk_proxies_bind((char *)16, PX, s, r, 65536), EDVSFAULT);
	CHECK_RC("proxies_bind", dvk_proxies_bind("node1", PX, s, r, 65536), OK);
	CHECK_RC("a second proxies_bind of the pair gives EDVSRSCBUSY",
		 dvk_proxies_bind("node1", PX, other, getpid(), 65536), EDVSRSCBUSY);
	CHECK_RC("a proxy cannot proxy another pair (EDVSRSCBUSY)",
		 dvk_proxies_bind("node2", 2, s, other, 65536), EDVSRSCBUSY);
	CHECK_RC("getproxyinfo", dvk_getproxyinfo(PX, &ps, &pr), OK);
	CHECK("its descriptors: the two pids, MIS_PROXY, endpoint NONE, no DC",
	      ps.p_lpid == s && pr.p_lpid == r && (ps.p_misc_flags & MIS_PROXY) &&
	      ps.p_endpoint == NONE && ps.p_dcid == -1 && ps.p_nr == PX,
	      "lpid %d/%d misc %x ep %d", ps.p_lpid, pr.p_lpid, ps.p_misc_flags, ps.p_endpoint);

	CHECK_RC("dc_init", dvk_dc_init(&dc), 0);
	CHECK_RC("a proxy cannot be bound in a DC (EDVSRSCBUSY)", dvk_lclbind(0, s, 10),
		 EDVSRSCBUSY);
	CHECK_RC("add_node of a node not attached gives EDVSNODEFREE", dvk_add_node(0, 1),
		 EDVSNODEFREE);

	CHECK_RC("node_up of the local node gives EDVSBADNODEID", dvk_node_up("x", 0, PX),
		 EDVSBADNODEID);
	CHECK_RC("node_up through a free pair gives EDVSPROXYFREE", dvk_node_up("x", 3, 3),
		 EDVSPROXYFREE);
	CHECK_RC("node_up", dvk_node_up("node1", 1, PX), OK);
	CHECK("node 1 is attached through pair 1, not connected yet",
	      !dvk_getnodeinfo(1, &n) && n.n_flags == NODE_ATTACHED && n.n_proxies == PX &&
	      !strcmp(n.n_name, "node1"), "flags %x px %d", n.n_flags, n.n_proxies);
	CHECK_RC("proxy_conn(CONNECT_SPROXY)", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	CHECK("the node is S-connected (flags 6)", node_flags(1) == 0x6, "flags %x",
	      node_flags(1));
	CHECK_RC("proxy_conn(CONNECT_RPROXY)", dvk_proxy_conn(PX, CONNECT_RPROXY), OK);
	CHECK("the node is fully up (flags E)", node_flags(1) == 0xE, "flags %x", node_flags(1));
	dvk_getproxyinfo(PX, &ps, &pr);
	CHECK("both proxies are MIS_CONNECTED", (ps.p_misc_flags & MIS_CONNECTED) &&
	      (pr.p_misc_flags & MIS_CONNECTED), "misc %x %x", ps.p_misc_flags, pr.p_misc_flags);
	test_proxies_views(s, r);
	CHECK_RC("proxy_conn status 6 gives EDVSBADVALUE", dvk_proxy_conn(PX, 6), EDVSBADVALUE);
	CHECK_RC("proxy_conn REFUSED_RPROXY from outside the pair's proxies: EDVSPRIVILEGES",
		 dvk_proxy_conn(PX, REFUSED_RPROXY), EDVSPRIVILEGES);
	CHECK_RC("proxy_conn of a free pair gives EDVSPROXYFREE",
		 dvk_proxy_conn(4, CONNECT_SPROXY), EDVSPROXYFREE);

	CHECK_RC("add_node(DC0, node 1)", dvk_add_node(0, 1), OK);
	CHECK("DC0 has nodes 0 and 1; node 1 lists DC0",
	      !dvk_getdcinfo(0, &dc) && dc.dc_nodes == 0x3 && !dvk_getnodeinfo(1, &n) &&
	      n.n_dcs == 0x1, "dc_nodes %llx n_dcs %llx", (unsigned long long)dc.dc_nodes,
	      (unsigned long long)n.n_dcs);
	nodes_row(1, row, sizeof(row));
	CHECK("/proc/dvs/nodes shows node 1: flags E, pair 1, DC0, name",
	      !strcmp(row, " 1     E       1        0        0 "
		      "-------------------------------X node1           "), "'%s'", row);
	CHECK_RC("add_node again gives EDVSDCNODE", dvk_add_node(0, 1), EDVSDCNODE);
	CHECK_RC("add_node of the local node gives EDVSBADNODEID", dvk_add_node(0, 0),
		 EDVSBADNODEID);
	CHECK_RC("add_node to a DC not running gives EDVSDCNOTRUN", dvk_add_node(5, 1),
		 EDVSDCNOTRUN);
	test_remote_descriptors();
	CHECK_RC("del_node", dvk_del_node(0, 1), OK);
	CHECK_RC("del_node again gives EDVSDCNODE", dvk_del_node(0, 1), EDVSDCNODE);
	CHECK_RC("add_node once more", dvk_add_node(0, 1), OK);
	CHECK_RC("rmtbind for node_down to free", dvk_rmtbind(0, "rclient", 20, 1), 20);

	CHECK_RC("proxy_conn(DISCONNECT_SPROXY)", dvk_proxy_conn(PX, DISCONNECT_SPROXY), OK);
	CHECK("the node keeps only R (flags A)", node_flags(1) == 0xA, "flags %x",
	      node_flags(1));

	/* the sender proxy dies: the pair is freed, the receiver gets SIGTERM */
	kill(s, SIGKILL);
	reap_status(s);
	st = reap_status(r);
	CHECK("the other proxy got SIGTERM", st != -1 && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGTERM, "status %d", st);
	dvk_getproxyinfo(PX, &ps, &pr);
	CHECK("the pair is free (pids -1)", ps.p_lpid == -1 && pr.p_lpid == -1, "lpid %d/%d",
	      ps.p_lpid, pr.p_lpid);
	proc_line("/proc/dvs/proxies/info", 1, row, sizeof(row));
	CHECK("/proc/dvs/proxies/info lists no free pair", !row[0], "'%s'", row);
	CHECK("its node stays attached but not connected (flags 2)", node_flags(1) == 0x2,
	      "flags %x", node_flags(1));
	CHECK_RC("proxies_unbind of a free pair gives EDVSPROXYFREE", dvk_proxies_unbind(PX),
		 EDVSPROXYFREE);

	CHECK_RC("node_down", dvk_node_down(1), OK);
	CHECK("node_down freed its remote descriptor", remote_flags(20) == SLOT_FREE, "flags %x",
	      remote_flags(20));
	CHECK("node 1 is free and left DC0", node_flags(1) == 0 && !dvk_getdcinfo(0, &dc) &&
	      dc.dc_nodes == 0x1, "flags %x dc_nodes %llx", node_flags(1),
	      (unsigned long long)dc.dc_nodes);
	CHECK_RC("node_down again gives EDVSNODEFREE", dvk_node_down(1), EDVSNODEFREE);
	CHECK_RC("node_down of the local node gives EDVSBADNODEID", dvk_node_down(0),
		 EDVSBADNODEID);
	CHECK_RC("dc_end", dvk_dc_end(0), OK);

	/* proxies_unbind by a third process */
	s = idle_child();
	r = idle_child();
	CHECK_RC("proxies_bind again", dvk_proxies_bind("node1", PX, s, r, 4096), OK);
	CHECK_RC("proxies_unbind", dvk_proxies_unbind(PX), OK);
	{
		int a = reap_status(s), b = reap_status(r);

		CHECK("both proxies got SIGTERM", a != -1 && b != -1 && WIFSIGNALED(a) &&
		      WIFSIGNALED(b) && WTERMSIG(a) == SIGTERM && WTERMSIG(b) == SIGTERM,
		      "status %d %d", a, b);
	}

	/* dvs_end frees pairs too */
	s = idle_child();
	r = idle_child();
	CHECK_RC("proxies_bind once more", dvk_proxies_bind("node1", PX, s, r, 4096), OK);
	last_s = s;
	last_r = r;
	kill(other, SIGKILL);
	reap_status(other);
}

static void test_trace(void)
{
	const char *inst = "dvk_test_nodes";
	pid_t s = idle_child(), r = idle_child();
	char *trace;

	CHECK("enable the node and pair events",
	      !tracefs_instance(inst, "dvk_proxy_conn dvk_node_state"), "failed");
	dvk_proxies_bind("node2", 2, s, r, 65536);
	dvk_node_up("node2", 2, 2);
	dvk_proxy_conn(2, CONNECT_RPROXY);
	dvk_node_down(2);
	dvk_proxies_unbind(2);
	reap_status(s);
	reap_status(r);
	trace = tracefs_collect(inst);
	{
		const char *b[] = { "dvk_proxy_conn: px=2 bound flags=0x1 " };
		const char *u[] = { "dvk_proxy_conn: px=2 rproxy_up flags=0x5 " };
		const char *f[] = { "dvk_proxy_conn: px=2 freed flags=0x5 " };
		const char *up[] = { "dvk_node_state: node=2 flags=0x2 px=2 " };
		const char *dn[] = { "dvk_node_state: node=2 flags=0x0 px=-1 " };

		CHECK("pair events: bound, rproxy_up, freed", trace &&
		      tracefs_count(trace, 1, b) == 1 && tracefs_count(trace, 1, u) == 1 &&
		      tracefs_count(trace, 1, f) == 1, "%s", trace ? trace : "no trace");
		CHECK("node events: attached through pair 2, detached", trace &&
		      tracefs_count(trace, 1, up) == 1 && tracefs_count(trace, 1, dn) == 1,
		      "%s", trace ? trace : "no trace");
	}
	free(trace);
	tracefs_instance_remove(inst);
}

int main(void)
{
	dvs_usr_t d = dvk_dvs_params("NODES");
	proc_usr_t ps, pr;

	CHECK_RC("getnodeinfo before dvs_init gives EDVSDVSINIT", dvk_getnodeinfo(-1, NULL),
		 EDVSDVSINIT);
	CHECK_RC("dvs_init", dvk_dvs_init(0, &d), 0);
	test_local_node();
	test_pair_and_node();
	test_trace();
	CHECK_RC("dvs_end with a pair bound", dvk_dvs_end(), OK);
	{
		int a = reap_status(last_s), b = reap_status(last_r);

		CHECK("dvs_end sent SIGTERM to its proxies", WIFSIGNALED(a) && WIFSIGNALED(b) &&
		      WTERMSIG(a) == SIGTERM && WTERMSIG(b) == SIGTERM, "status %d %d", a, b);
	}
	CHECK_RC("dvs_init again", dvk_dvs_init(0, &d), 0);
	CHECK("the pair was freed by dvs_end", !dvk_getproxyinfo(PX, &ps, &pr) &&
	      ps.p_lpid == -1, "lpid %d", ps.p_lpid);
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	return CHECK_EXIT();
}
