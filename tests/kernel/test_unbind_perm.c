// SPDX-License-Identifier: GPL-2.0
/*
 * test_unbind_perm.c - who may unbind what, and who sees which /proc/dvs
 * rows (docs/design-core.md, "Permissions of unbind and of the views").
 *
 * - Unprivileged callers (uid/gid 65534, no capabilities), unbound and
 *   bound, cannot unbind a root process: EDVSPRIVILEGES, and the target
 *   gets no SIGTERM (it counts them), is not shut down in its receive, is
 *   not traced as unbound, stays bound and still receives messages.
 * - The same callers may unbind a process of their own uid (it dies of the
 *   SIGTERM and is unbound); not one of another unprivileged uid.
 * - Root may unbind anything.
 * - Only root may free a remote descriptor (rmtbind).
 * - /proc/dvs views: a reader without CAP_SYS_ADMIN sees only the rows of
 *   processes of its own ids, no remote descriptor, no proxy; the opener's
 *   credentials count, not the reader's.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"
#include "tracefs.h"
#include "dvk_params.h"
#include "proc.h"

#define DCID		0
#define DCNAME		"UPERM"
#define NOBODY		65534
#define OTHER_UID	65533
#define T_ROOT		10	/* root target, counts SIGTERMs and ignores them */
#define C_BOUND		11	/* where the unprivileged bound callers bind */
#define ME		12	/* the test itself, when it must be bound */
#define T_SAME		13	/* nobody targets, die of SIGTERM */
#define T_SAME2		15
#define T_OTHER		16	/* uid 65533 target, counts SIGTERMs */
#define T_VIS		17	/* nobody target kept for the /proc checks */
#define REMOTE_EP	20
#define PX		1	/* pair and remote node */
#define ATTEMPTS	1000	/* per caller kind: 2000 in all */
#define FAILED		9999L
#define TRACE_INST	"dvk_test_uperm"

_Static_assert(EDVSPRIVILEGES == -335, "the project's privilege error");

/* ---- a bound worker, driven over pipes ----------------------------------- */
struct worker {
	pid_t pid;
	int cmd, rep;	/* commands to it, its reports */
};

static volatile sig_atomic_t terms;	/* in the worker: SIGTERMs received */

static void on_term(int sig)
{
	(void)sig;
	terms++;
}

/* Drop to @uid (gid the same), no supplementary groups: no capabilities left. */
static int drop_to(uid_t uid)
{
	return setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid);
}

/* Whether /proc/self/status shows no effective and no permitted capability. */
static int caps_zero(void)
{
	char line[256];
	int zero = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:\t0000000000000000", 24) ||
		    !strncmp(line, "CapPrm:\t0000000000000000", 24))
			zero++;
	if (f)
		fclose(f);
	return zero == 2;
}

static void report(int fd, long v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(5);
}

/* The next report of a worker, within @ms; FAILED if none came. */
static long get_report(struct worker *w, int ms)
{
	struct pollfd p = { .fd = w->rep, .events = POLLIN };
	long v;

	if (poll(&p, 1, ms) != 1 || read(w->rep, &v, sizeof(v)) != sizeof(v))
		return FAILED;
	return v;
}

/* Send command @c to @w and return its report. */
static long ask(struct worker *w, char c, int ms)
{
	if (write(w->cmd, &c, 1) != 1)
		return FAILED;
	return get_report(w, ms);
}

/*
 * A process that binds itself to @ep (as root, bind needs CAP_SYS_ADMIN),
 * then becomes @uid (0: stays root).  @count: it counts SIGTERMs instead of
 * dying of them.  Commands: c (SIGTERMs so far), r (receive(ANY), 3 s: the
 * m_type or the error), u (unbind itself).
 */
static struct worker spawn_worker(int ep, uid_t uid, int count)
{
	struct worker w = { .pid = -1 };
	int c[2], r[2];

	if (pipe(c) || pipe(r))
		return w;
	w.pid = fork();
	if (w.pid == 0) {
		struct sigaction sa = { .sa_handler = on_term, .sa_flags = SA_RESTART };
		long rc;
		char op;

		close(c[1]);
		close(r[0]);
		if (count)
			sigaction(SIGTERM, &sa, NULL);
		rc = dvk_bind(DCID, ep);
		if (rc == ep && uid && (drop_to(uid) || !caps_zero()))
			rc = FAILED;
		report(r[1], rc);
		while (read(c[0], &op, 1) == 1) {
			message m;

			if (op == 'c') {
				report(r[1], terms);
			} else if (op == 'r') {
				rc = dvk_receive_T(ANY, &m, 3000);
				report(r[1], rc ? rc : m.m_type);
			} else if (op == 'u') {
				report(r[1], dvk_unbind(DCID, ep));
			}
		}
		_exit(0);
	}
	close(c[0]);
	close(r[1]);
	w.cmd = c[1];
	w.rep = r[0];
	if (w.pid < 0 || get_report(&w, 30000) != ep) {
		if (w.pid > 0)
			kill(w.pid, SIGKILL);
		w.pid = -1;
	}
	return w;
}

/* Wait (5 s at most) for @w to end; its wait status, or -1. */
static int worker_end(struct worker *w)
{
	int st = -1;

	for (int i = 0; i < 500 && w->pid > 0; i++) {
		if (waitpid(w->pid, &st, WNOHANG) == w->pid)
			break;
		usleep(10000);
		st = -1;
	}
	if (st == -1 && w->pid > 0) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
	}
	close(w->cmd);
	close(w->rep);
	w->pid = -1;
	return st;
}

static int died_of_term(int st)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
}

/* ---- callers: forked, as @uid, maybe bound, making unbind calls ---------- */
static long *shm;	/* what a caller child reports */

enum { R_SETUP, R_NPRIV, R_NOTHER, R_OTHER, R_SELF, R_NR };

/*
 * A child that binds to @bind_ep first (if >= 0, as root), becomes @uid,
 * then makes @n unbind(@target, @timeout) calls.  shm: R_SETUP 0 if it is
 * set up (bound as asked, no capabilities left), R_NPRIV the calls that
 * gave EDVSPRIVILEGES, R_NOTHER the others, R_OTHER the first of those,
 * R_SELF its unbind of itself at the end (bound callers).
 */
static void run_caller(uid_t uid, int bind_ep, int target, int n, long timeout)
{
	pid_t pid;

	memset(shm, 0, R_NR * sizeof(long));
	shm[R_SETUP] = FAILED;
	pid = fork();
	if (pid == 0) {
		if (bind_ep >= 0 && dvk_bind(DCID, bind_ep) != bind_ep)
			_exit(1);
		if (uid && (drop_to(uid) || !caps_zero()))
			_exit(1);
		shm[R_SETUP] = 0;
		for (int i = 0; i < n; i++) {
			long rc = dvk_unbind_T(DCID, target, timeout);

			if (rc == EDVSPRIVILEGES)
				shm[R_NPRIV]++;
			else if (shm[R_NOTHER]++ == 0)
				shm[R_OTHER] = rc;
		}
		if (bind_ep >= 0)
			shm[R_SELF] = dvk_unbind(DCID, bind_ep);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static proc_usr_t slot(int ep)
{
	proc_usr_t u;

	memset(&u, 0, sizeof(u));
	if (dvk_getprocinfo(DCID, ep, &u))
		u.p_rts_flags = -1;
	return u;
}

/* poll (2 s) until @ep is free */
static int wait_free(int ep)
{
	for (int i = 0; i < 200; i++) {
		if (slot(ep).p_rts_flags == SLOT_FREE)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* ---- the scenarios ------------------------------------------------------ */
static struct worker troot, tother, tvis;

static void test_refused(void)
{
	proc_usr_t u;
	message m = { .m_type = 4242 };
	char *trace;

	run_caller(NOBODY, -1, T_ROOT, ATTEMPTS, 0);
	CHECK("unbound nobody: 1000 unbinds of a root process all give EDVSPRIVILEGES",
	      shm[R_SETUP] == 0 && shm[R_NPRIV] == ATTEMPTS && shm[R_NOTHER] == 0,
	      "setup %ld, %ld EDVSPRIVILEGES, %ld others (first %ld)", shm[R_SETUP],
	      shm[R_NPRIV], shm[R_NOTHER], shm[R_OTHER]);
	run_caller(NOBODY, C_BOUND, T_ROOT, ATTEMPTS, 100);
	CHECK("bound nobody: 1000 unbinds of a root process all give EDVSPRIVILEGES",
	      shm[R_SETUP] == 0 && shm[R_NPRIV] == ATTEMPTS && shm[R_NOTHER] == 0,
	      "setup %ld, %ld EDVSPRIVILEGES, %ld others (first %ld)", shm[R_SETUP],
	      shm[R_NPRIV], shm[R_NOTHER], shm[R_OTHER]);
	CHECK_RC("... and may still unbind itself", shm[R_SELF], OK);
	CHECK_RC("the root process got 0 SIGTERMs from the 2000 refused unbinds",
		 ask(&troot, 'c', 5000), 0);
	u = slot(T_ROOT);
	CHECK("it is still bound, runnable, to the same pid",
	      u.p_rts_flags == 0 && u.p_lpid == troot.pid && u.p_endpoint == T_ROOT,
	      "flags %x lpid %d/%d", u.p_rts_flags, u.p_lpid, troot.pid);
	trace = tracefs_collect(TRACE_INST);
	{
		const char *u10[] = { "dvk_unbind: ", " ep=10 " }, *u11[] = { "dvk_unbind: ", " ep=11 " };

		CHECK("no dvk_unbind event for it; one for the bound caller's own unbind",
		      trace && tracefs_count(trace, 2, u10) == 0 && tracefs_count(trace, 2, u11) == 1,
		      "%d / %d lines", trace ? tracefs_count(trace, 2, u10) : -1,
		      trace ? tracefs_count(trace, 2, u11) : -1);
	}
	free(trace);

	/* refused while it waits in receive: no EDVSSHUTDOWN, the wait times out */
	if (write(troot.cmd, "r", 1) != 1)
		return;
	for (int i = 0; i < 200 && !(slot(T_ROOT).p_rts_flags & RECEIVING); i++)
		usleep(5000);
	run_caller(NOBODY, -1, T_ROOT, 300, 0);
	CHECK("300 more refused while it receives", shm[R_NPRIV] == 300 && !shm[R_NOTHER],
	      "%ld EDVSPRIVILEGES, %ld others", shm[R_NPRIV], shm[R_NOTHER]);
	CHECK_RC("its receive is not shut down: it times out", get_report(&troot, 10000),
		 EDVSTIMEDOUT);

	CHECK_RC("bind the test to send it a message", dvk_bind(DCID, ME), ME);
	if (write(troot.cmd, "r", 1) == 1)
		CHECK_RC("it still receives: send m_type 4242", dvk_send_T(T_ROOT, &m, 5000), OK);
	CHECK_RC("... and gets it", get_report(&troot, 10000), 4242);

	run_caller(NOBODY, -1, T_OTHER, 100, 0);
	CHECK("nobody cannot unbind a process of another unprivileged uid (100 x EDVSPRIVILEGES)",
	      shm[R_SETUP] == 0 && shm[R_NPRIV] == 100 && !shm[R_NOTHER],
	      "%ld EDVSPRIVILEGES, %ld others (first %ld)", shm[R_NPRIV], shm[R_NOTHER],
	      shm[R_OTHER]);
	CHECK_RC("... it got no SIGTERM", ask(&tother, 'c', 5000), 0);
}

static void test_same_uid(void)
{
	struct worker t;

	t = spawn_worker(T_SAME, NOBODY, 0);
	run_caller(NOBODY, C_BOUND, T_SAME, 1, 5000);
	CHECK_RC("bound nobody unbinds a nobody process (waits for it)",
		 shm[R_NOTHER] ? shm[R_OTHER] : FAILED, OK);
	CHECK("... which died of the SIGTERM and is unbound",
	      t.pid > 0 && died_of_term(worker_end(&t)) && wait_free(T_SAME),
	      "flags %x", slot(T_SAME).p_rts_flags);

	t = spawn_worker(T_SAME2, NOBODY, 0);
	run_caller(NOBODY, -1, T_SAME2, 1, 0);
	CHECK_RC("unbound nobody unbinds a nobody process: EDVSAGAIN (it does not wait)",
		 shm[R_NOTHER] ? shm[R_OTHER] : FAILED, EDVSAGAIN);
	CHECK("... which died of the SIGTERM and is unbound",
	      t.pid > 0 && died_of_term(worker_end(&t)) && wait_free(T_SAME2),
	      "flags %x", slot(T_SAME2).p_rts_flags);
}

static void test_root(void)
{
	struct worker t;

	run_caller(0, -1, T_ROOT, 1, 0);
	CHECK_RC("unbound root unbinds the root process: EDVSAGAIN",
		 shm[R_NOTHER] ? shm[R_OTHER] : FAILED, EDVSAGAIN);
	CHECK_RC("... it got exactly 1 SIGTERM (the counter works)", ask(&troot, 'c', 5000), 1);
	CHECK_RC("bound root unbinds a uid 65533 process ignoring SIGTERM: EDVSTIMEDOUT",
		 dvk_unbind_T(DCID, T_OTHER, 300), EDVSTIMEDOUT);
	CHECK_RC("... it got 1 SIGTERM", ask(&tother, 'c', 5000), 1);
	t = spawn_worker(T_SAME, NOBODY, 0);
	CHECK_RC("bound root unbinds a nobody process", dvk_unbind_T(DCID, T_SAME, 5000), OK);
	CHECK("... which died of the SIGTERM and is unbound",
	      t.pid > 0 && died_of_term(worker_end(&t)) && wait_free(T_SAME), "flags %x",
	      slot(T_SAME).p_rts_flags);
}

static pid_t px_s, px_r;

static int remote_setup(void)
{
	px_s = idle_child();
	px_r = idle_child();
	CHECK_RC("proxies_bind pair 1 (two idle children)",
		 dvk_proxies_bind("node1", PX, px_s, px_r, 65536), OK);
	CHECK_RC("node_up node 1", dvk_node_up("node1", PX, PX), OK);
	CHECK_RC("add_node", dvk_add_node(DCID, PX), OK);
	CHECK_RC("rmtbind endpoint 20 on node 1", dvk_rmtbind(DCID, "rproc", REMOTE_EP, PX),
		 REMOTE_EP);
	return slot(REMOTE_EP).p_rts_flags == REMOTE;
}

static void test_remote(void)
{
	proc_usr_t u;

	run_caller(NOBODY, -1, REMOTE_EP, 10, 0);
	CHECK("unbound nobody cannot unbind a remote descriptor (10 x EDVSPRIVILEGES)",
	      shm[R_NPRIV] == 10 && !shm[R_NOTHER], "%ld EDVSPRIVILEGES, %ld others (first %ld)",
	      shm[R_NPRIV], shm[R_NOTHER], shm[R_OTHER]);
	run_caller(NOBODY, C_BOUND, REMOTE_EP, 10, 0);
	CHECK("bound nobody cannot either (10 x EDVSPRIVILEGES)",
	      shm[R_NPRIV] == 10 && !shm[R_NOTHER], "%ld EDVSPRIVILEGES, %ld others (first %ld)",
	      shm[R_NPRIV], shm[R_NOTHER], shm[R_OTHER]);
	u = slot(REMOTE_EP);
	CHECK("the descriptor stays: REMOTE, node 1, rproc",
	      u.p_rts_flags == REMOTE && u.p_nodeid == PX && !strcmp(u.p_name, "rproc"),
	      "flags %x node %d name %s", u.p_rts_flags, u.p_nodeid, u.p_name);
	CHECK_RC("root frees it", dvk_unbind(DCID, REMOTE_EP), OK);
	CHECK("... the slot is free", slot(REMOTE_EP).p_rts_flags == SLOT_FREE, "flags %x",
	      slot(REMOTE_EP).p_rts_flags);
}

/* ---- /proc/dvs: who sees which rows --------------------------------------- */
static pid_t test_pid;

enum { V_PROCS, V_STATS, V_IPCTO, V_CALLS, V_PXPROCS, V_PXIPCTO, V_PXCALLS, V_PXSPID,
       V_PXRPID, V_ROOTPIDS, V_VISPID, V_INFO, V_NODES, V_DCINFO, V_NR };

/* Everything readable from @fd, NUL-terminated (malloc'ed), or NULL. */
static char *slurp_fd(int fd)
{
	size_t len = 0, cap = 65536;
	char *buf = fd >= 0 ? malloc(cap) : NULL;
	ssize_t n;

	if (!buf)
		return NULL;
	while ((n = read(fd, buf + len, cap - len - 1)) > 0)
		len += n;
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	return buf;
}

static char *slurp(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/dvs/%s", name);
	return slurp_fd(open(path, O_RDONLY));
}

/* Rows after the header line, -1 if unreadable; frees @t. */
static long rows_free(char *t)
{
	long n = 0;

	if (!t)
		return -1;
	for (char *c = t; *c; c++)
		n += *c == '\n';
	free(t);
	return n - 1;
}

/* Whether a procs/stats text lists host pid @pid ("%5d/%-5d" column). */
static int lists_pid(const char *t, pid_t pid)
{
	char key[32];

	snprintf(key, sizeof(key), " %5d/", pid);
	return t && strstr(t, key) != NULL;
}

/* What the caller sees in every view, into v[V_*]. */
static void read_views(long *v)
{
	char *t = slurp(DCNAME "/procs");
	int id, flags, sp = 0, rp = 0;

	v[V_ROOTPIDS] = lists_pid(t, troot.pid) + lists_pid(t, test_pid);
	v[V_VISPID] = lists_pid(t, tvis.pid);
	v[V_PROCS] = rows_free(t);
	v[V_STATS] = rows_free(slurp(DCNAME "/stats"));
	v[V_IPCTO] = rows_free(slurp(DCNAME "/ipcto"));
	v[V_CALLS] = rows_free(slurp(DCNAME "/dvkcalls"));
	v[V_PXPROCS] = rows_free(slurp("proxies/procs"));
	v[V_PXIPCTO] = rows_free(slurp("proxies/ipcto"));
	v[V_PXCALLS] = rows_free(slurp("proxies/dvkcalls"));
	t = slurp("proxies/info");
	if (!t || sscanf(strchr(t, '\n') ? strchr(t, '\n') + 1 : "", "%d %x %d %d", &id, &flags,
			 &sp, &rp) != 4)
		sp = rp = 0;
	free(t);
	v[V_PXSPID] = sp;
	v[V_PXRPID] = rp;
	t = slurp("info");
	v[V_INFO] = t && strstr(t, "name=UPERM\n");
	free(t);
	v[V_NODES] = rows_free(slurp("nodes"));
	t = slurp(DCNAME "/info");
	v[V_DCINFO] = t && strstr(t, "dc_name=" DCNAME "\n");
	free(t);
}

/*
 * A reader child: 'n' nobody reads every view; 'o' opens procs as root and
 * reads it as nobody; 'e' opens it with euid/egid nobody and reads it as
 * root again.  Its findings go to shm.  Return: whether it ran.
 */
static int reader(char mode)
{
	const char *procs = "/proc/dvs/" DCNAME "/procs";
	pid_t pid;
	int st = -1;

	memset(shm, 0, V_NR * sizeof(long));
	pid = fork();
	if (pid == 0) {
		int fd = -1;
		char *t;

		if (mode == 'n') {
			if (drop_to(NOBODY) || !caps_zero())
				_exit(1);
			read_views(shm);
			_exit(0);
		}
		if (mode == 'o') {
			fd = open(procs, O_RDONLY);
			if (drop_to(NOBODY) || !caps_zero())
				_exit(1);
		} else {
			if (setegid(NOBODY) || seteuid(NOBODY))
				_exit(1);
			fd = open(procs, O_RDONLY);
			if (seteuid(0) || setegid(0))
				_exit(1);
		}
		t = slurp_fd(fd);
		shm[V_ROOTPIDS] = lists_pid(t, troot.pid) + lists_pid(t, test_pid);
		shm[V_VISPID] = lists_pid(t, tvis.pid);
		shm[V_PROCS] = rows_free(t);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Bound now: 10 (root), 12 (the test, root), 16 (uid 65533), 17 (nobody), 20 (remote). */
static void test_procfs(void)
{
	long r[V_NR];

	read_views(r);
	CHECK("root sees all 5 rows in procs, stats, ipcto, dvkcalls (2 root pids, nobody's)",
	      r[V_PROCS] == 5 && r[V_STATS] == 5 && r[V_IPCTO] == 5 && r[V_CALLS] == 5 &&
	      r[V_ROOTPIDS] == 2 && r[V_VISPID] == 1,
	      "rows %ld %ld %ld %ld, root pids %ld, nobody's %ld", r[V_PROCS], r[V_STATS],
	      r[V_IPCTO], r[V_CALLS], r[V_ROOTPIDS], r[V_VISPID]);
	CHECK("root sees the proxies: 2 rows in procs, ipcto, dvkcalls; their pids in info",
	      r[V_PXPROCS] == 2 && r[V_PXIPCTO] == 2 && r[V_PXCALLS] == 2 &&
	      r[V_PXSPID] == px_s && r[V_PXRPID] == px_r,
	      "rows %ld %ld %ld, pids %ld %ld (want %d %d)", r[V_PXPROCS], r[V_PXIPCTO],
	      r[V_PXCALLS], r[V_PXSPID], r[V_PXRPID], px_s, px_r);
	CHECK("root reads info, nodes (2 rows), the DC's info",
	      r[V_INFO] == 1 && r[V_NODES] == 2 && r[V_DCINFO] == 1, "%ld %ld %ld", r[V_INFO],
	      r[V_NODES], r[V_DCINFO]);

	CHECK("a nobody reader runs", reader('n'), "setup failed");
	CHECK("nobody sees 1 row in procs, stats, ipcto, dvkcalls: its own uid's, no root's",
	      shm[V_PROCS] == 1 && shm[V_STATS] == 1 && shm[V_IPCTO] == 1 && shm[V_CALLS] == 1 &&
	      shm[V_ROOTPIDS] == 0 && shm[V_VISPID] == 1,
	      "rows %ld %ld %ld %ld, root pids %ld, nobody's %ld", shm[V_PROCS], shm[V_STATS],
	      shm[V_IPCTO], shm[V_CALLS], shm[V_ROOTPIDS], shm[V_VISPID]);
	CHECK("nobody sees no proxy row and no proxy pid (-1 in proxies/info)",
	      shm[V_PXPROCS] == 0 && shm[V_PXIPCTO] == 0 && shm[V_PXCALLS] == 0 &&
	      shm[V_PXSPID] == -1 && shm[V_PXRPID] == -1, "rows %ld %ld %ld, pids %ld %ld",
	      shm[V_PXPROCS], shm[V_PXIPCTO], shm[V_PXCALLS], shm[V_PXSPID], shm[V_PXRPID]);
	CHECK("nobody still reads the summaries: info, nodes (2 rows), the DC's info",
	      shm[V_INFO] == 1 && shm[V_NODES] == 2 && shm[V_DCINFO] == 1, "%ld %ld %ld",
	      shm[V_INFO], shm[V_NODES], shm[V_DCINFO]);

	CHECK("procs opened by root, read by nobody: all 5 rows (the opener counts)",
	      reader('o') && shm[V_PROCS] == 5 && shm[V_ROOTPIDS] == 2,
	      "rows %ld, root pids %ld", shm[V_PROCS], shm[V_ROOTPIDS]);
	CHECK("procs opened with euid nobody, read as root: nobody's 1 row",
	      reader('e') && shm[V_PROCS] == 1 && shm[V_ROOTPIDS] == 0 && shm[V_VISPID] == 1,
	      "rows %ld, root pids %ld, nobody's %ld", shm[V_PROCS], shm[V_ROOTPIDS],
	      shm[V_VISPID]);
}

int main(void)
{
	dvs_usr_t d = dvk_dvs_params("UPERM");
	dc_usr_t dc = dvk_dc_params(DCID, DCNAME);

	if (getuid() != 0) {
		check_skip("test_unbind_perm", "needs root");
		return 0;
	}
	test_pid = getpid();
	shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		return 1;
	CHECK_RC("dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("dc_init", dvk_dc_init(&dc), 0);
	CHECK("tracefs instance with dvk_unbind", !tracefs_instance(TRACE_INST, "dvk_unbind"),
	      "failed");
	troot = spawn_worker(T_ROOT, 0, 1);
	tother = spawn_worker(T_OTHER, OTHER_UID, 1);
	tvis = spawn_worker(T_VIS, NOBODY, 0);
	CHECK("three bound workers (root, uid 65533, nobody)",
	      troot.pid > 0 && tother.pid > 0 && tvis.pid > 0, "%d %d %d", troot.pid,
	      tother.pid, tvis.pid);
	if (troot.pid > 0 && tother.pid > 0 && tvis.pid > 0) {
		test_refused();
		test_same_uid();
		test_root();
		if (remote_setup()) {
			test_procfs();
			test_remote();
		}
	}
	tracefs_instance_remove(TRACE_INST);
	CHECK_RC("the uid 65533 worker unbinds itself", ask(&tother, 'u', 5000), OK);
	CHECK_RC("the root worker unbinds itself", ask(&troot, 'u', 5000), OK);
	kill(troot.pid, SIGKILL);
	kill(tother.pid, SIGKILL);
	kill(tvis.pid, SIGKILL);
	worker_end(&troot);
	worker_end(&tother);
	worker_end(&tvis);
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	if (px_s > 0)
		kill(px_s, SIGKILL);
	if (px_r > 0)
		kill(px_r, SIGKILL);
	while (wait(NULL) > 0)
		;
	return CHECK_EXIT();
}
