// SPDX-License-Identifier: GPL-2.0
/*
 * test_privs.c - the privilege table of DVK: every one of the 35 calls made
 * by each class of caller, with well-formed arguments aimed at a realistic
 * target, and the exact result asserted (one PASS/FAIL line per cell).
 *
 * Classes (docs/security.md):
 *   U   uid/gid 65534, no capabilities, bound to no DC
 *   UB  uid 65534 bound by root (LCL_BIND by pid) in user slot UB_EP
 *   SB  uid 65534 bound by root (LCL_BIND by pid) in system slot SB_EP
 *   R   root (CAP_SYS_ADMIN), unbound; bound by root in system slot R_EP
 *       for the calls that need a binding (rows with .rbound)
 *   PS, PR  the sender / receiver proxy of pair PX, uid 65534, bound by
 *       root with proxies_bind (only the rows of the proxies' calls)
 * Each cell forks a fresh caller, prepares its target, makes the call once,
 * checks the result (and for some calls what happened to the target), and
 * leaves DVK as it found it (checked after every cell).
 *
 * The table in docs/security.md is generated from rows[] (privs/rows.c,
 * `test_privs --table`); a run compares it with the document.
 *
 * This file: main, the set-up of the DVS and the runner of the cells; it is
 * the one file that includes check.h (whose failure count is per file), so
 * every PASS/FAIL line is written here.  The parts in privs/ (privs/privs.h
 * lists them): the processes, the state of DVK, the calls, their targets, the
 * rows and the tables.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include "libdvk.h"
#include "check.h"
#include "dvk_params.h"
#include "privs/privs.h"

/* an extra check of a cell: "<cell name>: <what>" */
void sub_check(struct ctx *c, bool ok, const char *what, const char *fmt, ...)
{
	char n[400], m[200];
	va_list ap;

	snprintf(n, sizeof(n), "%s: %s", c->name, what);
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	check_report(ok, n, "%s", m);
}

/* the table in docs/security.md is the one print_tables() makes */
static void check_doc(void)
{
	const char *why = "";
	int same = doc_has_table(&why);

	if (same < 0) {
		check_skip("privs: " PRIVS_DOC " carries this test's table", "no " PRIVS_DOC " here");
		return;
	}
	CHECK("privs: " PRIVS_DOC " carries this test's table", same, "%s", why);
}

/* ---- running the cells -------------------------------------------------- */
static int cls_ep(const struct row *r, int cls)
{
	switch (cls) {
	case UB: return UB_EP;
	case SB: return SB_EP;
	case R: return r->rbound ? R_EP : NONE;
	default: return NONE;
	}
}

static int dirty_cells;

static void run_cell(const struct row *r, int cls)
{
	struct ctx c = { .row = r, .cls = cls, .ep = cls_ep(r, cls), .want = r->want[cls],
			 .got = CHILD_FAILED, .peer = -1, .helper = { -1, -1 } };
	char why[128];

	cell_name(r, cls, c.want, c.name, sizeof(c.name));
	if (r->setup)
		r->setup(&c);
	if (cls == PS || cls == PR) {
		int i = (int)(r - rows), cmd = cls == PS ? ps_cmd : pr_cmd;
		int res = cls == PS ? ps_res : pr_res;

		if (write(cmd, &i, sizeof(i)) != sizeof(i) || read_long(res, 30000, &c.got))
			c.got = CHILD_FAILED;
	} else {
		int up[2], down[2];
		long v = CHILD_FAILED;
		pid_t pid;

		if (pipe(up) || pipe(down)) {
			CHECK(c.name, false, "pipe: %s", strerror(errno));
			return;
		}
		pid = fork();
		if (pid == 0) {
			close(up[0]);
			close(down[1]);
			dvk_close();	/* reopen /dev/dvk as the class (mode 0666) */
			v = 0;
			if (cls != R && drop())
				v = PREP_FAILED;
			if (!v && dvk_open() < 0)
				v = PREP_FAILED;
			if (!v && c.ep != NONE && dvk_wait4bind_T(20000) != c.ep)
				v = PREP_FAILED;
			if (write(up[1], &v, sizeof(v)) != sizeof(v) || v)
				_exit(1);
			if (read(down[0], &v, 1) != 1)
				_exit(1);
			v = r->fn(&c);
			if (write(up[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
			_exit(0);
		}
		close(up[1]);
		close(down[0]);
		if (c.ep != NONE && dvk_lclbind(DCID, pid, c.ep) != c.ep)
			fprintf(stderr, "test_privs: %s: lclbind of the caller failed\n", c.name);
		if (read_long(up[0], 30000, &v) == 0 && v == 0) {
			if (r->arm)
				r->arm(&c);
			if (write(down[1], "g", 1) != 1 || read_long(up[0], 30000, &c.got))
				c.got = CHILD_FAILED;
		} else {
			c.got = PREP_FAILED;
		}
		close(up[0]);
		close(down[1]);
		if (finish(pid, 10000) != 0)
			fprintf(stderr, "test_privs: %s: the caller did not exit cleanly\n", c.name);
	}
	CHECK_RC(c.name, c.got, c.want);
	if (r->after)
		r->after(&c);
	else
		finish(c.peer, 5000);
	if (!c.no_clean && !clean_state(why, sizeof(why))) {
		dirty_cells++;
		sub_check(&c, false, "DVK is left as it was", "%s", why);
		fprintf(stderr, "test_privs: after %s: %s\n", c.name, why);
	}
}

static void setup(void)
{
	dvs_usr_t d = dvk_dvs_params("PRIVS");
	dc_usr_t dc = dvk_dc_params(DCID, "DC0");
	long v = 0;

	pinfo = mmap(NULL, (NR_TASKS + NR_PROCS) * sizeof(*pinfo), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pinfo == MAP_FAILED)
		exit(1);
	signal(SIGPIPE, SIG_IGN);
	CHECK_RC("privs: setup: dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("privs: setup: dc_init DC 0", dvk_dc_init(&dc), 0);
	pt_pid = peer(PT, p_sleep, 0);
	CHECK("privs: setup: a root process asleep in slot 6", wait_state(PT, 0, 10000), "not bound");
	CHECK_RC("privs: setup: getpriv of slot 6", dvk_getpriv(DCID, PT, &pt_priv), OK);
	ps_pid = proxy_child(PS, &ps_cmd, &ps_res);
	pr_pid = proxy_child(PR, &pr_cmd, &pr_res);
	CHECK("privs: setup: the two proxies run as uid 65534 without capabilities",
	      !read_long(ps_res, 10000, &v) && v == 0 && !read_long(pr_res, 10000, &v) && v == 0,
	      "%ld", v);
	CHECK_RC("privs: setup: proxies_bind pair 1", dvk_proxies_bind("node1", PX, ps_pid, pr_pid,
		 MAXCOPYBUF), OK);
	CHECK_RC("privs: setup: connect its sender", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	CHECK_RC("privs: setup: connect its receiver", dvk_proxy_conn(PX, CONNECT_RPROXY), OK);
	CHECK_RC("privs: setup: node_up 1", dvk_node_up("node1", NODE1, PX), OK);
	CHECK_RC("privs: setup: add_node 1 to DC 0", dvk_add_node(DCID, NODE1), OK);
	CHECK_RC("privs: setup: node_up 2", dvk_node_up("node2", NODE2, PX), OK);
	CHECK_RC("privs: setup: rmtbind slot 5 on node 1", dvk_rmtbind(DCID, "rmt", RMT, NODE1), RMT);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	char why[128];
	int phase, i, k, cells = 0;

	if (argc > 1 && !strcmp(argv[1], "--table")) {
		print_tables(stdout);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	setup();
	CHECK("privs: the state before the first cell is the baseline", clean_state(why, sizeof(why)),
	      "%s", why);
	for (phase = 0; phase <= 3; phase++) {
		for (i = 0; i < nrows; i++) {
			for (k = 0; k < NCLS; k++) {
				int ph = k == R ? rows[i].rphase : 0;

				if (rows[i].want[k] == NA || ph != phase)
					continue;
				run_cell(&rows[i], k);
				cells++;
			}
		}
	}
	CHECK("privs: every cell left DVK as it found it", dirty_cells == 0, "%d cells did not",
	      dirty_cells);
	/* R's dvs_init (phase 3) left a fresh DVS; the old one's processes got SIGTERM */
	CHECK_RC("privs: teardown: dvs_end", dvk_dvs_end(), OK);
	finish(pt_pid, 5000);
	finish(ps_pid, 5000);
	finish(pr_pid, 5000);
	check_doc();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("test_privs: %d cells in %.1f s\n", cells,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return CHECK_EXIT();
}
