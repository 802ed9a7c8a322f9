// SPDX-License-Identifier: GPL-2.0
/*
 * test_dc.c - in-guest tests of DCs and endpoints: dc_init, dc_end,
 * getdcinfo, bind (self, local, thread, usermode), unbind (self, other),
 * getep, getprocinfo, the unbind of exiting tasks, /proc/dvs/<DC>/{info,procs};
 * wait4bind and a bind racing an exit are in dc/wait4bind.c.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; initialises
 * node 0 itself and ends the DVS at the end.  Output protocol: tests/check.h.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"
#include "dvk_params.h"
#include "tracefs.h"
#include "proc.h"
#include "dc/dc.h"

long slot_flags_in(int dcid, int p_nr)
{
	proc_usr_t u;
	long rc = dvk_getprocinfo(dcid, p_nr, &u);

	return rc < 0 ? rc : u.p_rts_flags;
}

long slot_flags(int p_nr)
{
	return slot_flags_in(DCID, p_nr);
}

/* Wait up to ms for slot p_nr to become free; 1 if it did. */
int wait_free(int p_nr, int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		if (slot_flags(p_nr) == SLOT_FREE)
			return 1;
		usleep(10000);
	}
	return slot_flags(p_nr) == SLOT_FREE;
}

static int file_has(const char *path, const char *needle)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return strstr(buf, needle) != NULL;
}

static void test_dc_init(void)
{
	dc_usr_t d, got;

	CHECK_RC("dc_init before dvs_init gives EDVSDVSINIT",
		 (d = dvk_dc_params(DCID, "DC0"), dvk_dc_init(&d)), EDVSDVSINIT);
	{
		dvs_usr_t dvs = dvk_dvs_params("DCTEST");

		CHECK_RC("dvs_init node 0", dvk_dvs_init(0, &dvs), 0);
	}

	d = dvk_dc_params(32, "X");
	CHECK_RC("dc_init dcid=32 gives EDVSBADDCID", dvk_dc_init(&d), EDVSBADDCID);
	d = dvk_dc_params(-1, "X");
	CHECK_RC("dc_init dcid=-1 gives EDVSBADDCID", dvk_dc_init(&d), EDVSBADDCID);
	d = dvk_dc_params(DCID, "X");
	d.dc_nr_procs = NR_PROCS + 1;
	CHECK_RC("dc_init nr_procs too big gives EDVSBADRANGE", dvk_dc_init(&d), EDVSBADRANGE);
	d = dvk_dc_params(DCID, "X");
	d.dc_nr_tasks = NR_TASKS + 1;
	CHECK_RC("dc_init nr_tasks too big gives EDVSBADRANGE", dvk_dc_init(&d), EDVSBADRANGE);
	d = dvk_dc_params(DCID, "X");
	d.dc_nr_sysprocs = 0;
	CHECK_RC("dc_init nr_sysprocs=0 gives EDVSBADRANGE", dvk_dc_init(&d), EDVSBADRANGE);
	d = dvk_dc_params(DCID, "X");
	d.dc_nr_nodes = 0;
	CHECK_RC("dc_init nr_nodes=0 gives EDVSBADRANGE", dvk_dc_init(&d), EDVSBADRANGE);
	d = dvk_dc_params(DCID, "X");
	memset(d.dc_name, 'n', sizeof(d.dc_name));
	CHECK_RC("dc_init unterminated name gives EDVSNAMESIZE", dvk_dc_init(&d), EDVSNAMESIZE);
	d = dvk_dc_params(DCID, "a/b");
	CHECK_RC("dc_init name with '/' gives EDVSBADVALUE", dvk_dc_init(&d), EDVSBADVALUE);
	d = dvk_dc_params(DCID, "info");
	CHECK_RC("dc_init name 'info' gives EDVSBADVALUE", dvk_dc_init(&d), EDVSBADVALUE);
	CHECK_RC("dc_init with a bad pointer gives EDVSFAULT",
		 dvk_ipc(DVK_DC_INIT, 0, 0, 0, 0x10, 0), EDVSFAULT);

	d = dvk_dc_params(DCID, "DC0");
	d.dc_warnmsg = 77;
	CHECK_RC("dc_init returns the local node id", dvk_dc_init(&d), 0);
	CHECK_RC("same dcid again gives EDVSRSCBUSY", dvk_dc_init(&d), EDVSRSCBUSY);
	d = dvk_dc_params(1, "DC0");
	CHECK_RC("same name again gives EDVSRSCBUSY", dvk_dc_init(&d), EDVSRSCBUSY);
	d = dvk_dc_params(1, "");
	CHECK_RC("dc_init with an empty name", dvk_dc_init(&d), 0);
	CHECK("empty DC name becomes DC<id>", !dvk_getdcinfo(1, &got) &&
	      !strcmp(got.dc_name, "DC1"), "name=%s", got.dc_name);
	CHECK("/proc/dvs/DC1 exists", !access("/proc/dvs/DC1/procs", R_OK), "missing");
	CHECK_RC("dc_end of DC1", dvk_dc_end(1), OK);
	CHECK("/proc/dvs/DC1 removed by dc_end", access("/proc/dvs/DC1", F_OK) != 0, "still there");
	CHECK_RC("dc_end of a free DC gives EDVSDCNOTRUN", dvk_dc_end(1), EDVSDCNOTRUN);
	CHECK_RC("dc_end dcid=99 gives EDVSBADDCID", dvk_dc_end(99), EDVSBADDCID);

	memset(&got, 0, sizeof(got));
	CHECK_RC("getdcinfo of DC0", dvk_getdcinfo(DCID, &got), OK);
	CHECK("getdcinfo fields", got.dc_dcid == DCID && got.dc_flags == DC_RUNNING &&
	      got.dc_nr_procs == NR_PROCS && got.dc_nr_tasks == NR_TASKS &&
	      got.dc_nr_sysprocs == NR_SYS_PROCS && got.dc_nodes == 1 &&
	      got.dc_pid == getpid() && got.dc_warnmsg == 77 && !strcmp(got.dc_name, "DC0") &&
	      got.dc_cpumask != 0,
	      "dcid=%d flags=%d procs=%d nodes=%llx pid=%d name=%s", got.dc_dcid, got.dc_flags,
	      got.dc_nr_procs, (unsigned long long)got.dc_nodes, got.dc_pid, got.dc_name);
	CHECK("getdcinfo of a free DC says DC_FREE",
	      !dvk_getdcinfo(5, &got) && got.dc_flags == DC_FREE && got.dc_dcid == 5,
	      "flags=%d", got.dc_flags);
	CHECK_RC("getdcinfo(-1) unbound gives EDVSBADDCID", dvk_getdcinfo(-1, &got), EDVSBADDCID);
	CHECK("/proc/dvs/DC0/info dcid and name", file_has("/proc/dvs/DC0/info", "dcid=0\n") &&
	      file_has("/proc/dvs/DC0/info", "dc_name=DC0\n") &&
	      file_has("/proc/dvs/DC0/info", "-------------------------------X\n"),
	      "unexpected content");
}

static void test_bind_errors(void)
{
	CHECK_RC("bind type 6 gives EDVSBINDTYPE", dvk_bind_X(6, DCID, 0, 10, LOCALNODE),
		 EDVSBINDTYPE);
	CHECK_RC("BKUP_BIND gives EDVSBINDTYPE (backups are not implemented)",
		 dvk_bind_X(BKUP_BIND, DCID, 0, 10, 1), EDVSBINDTYPE);
	CHECK_RC("bind to dcid 40 gives EDVSBADDCID", dvk_bind_X(SELF_BIND, 40, 0, 10, LOCALNODE),
		 EDVSBADDCID);
	CHECK_RC("bind to a free DC gives EDVSDCNOTRUN", dvk_bind_X(SELF_BIND, 3, 0, 10, LOCALNODE),
		 EDVSDCNOTRUN);
	CHECK_RC("self bind with nodeid 0 gives EDVSBADNODEID",
		 dvk_bind_X(SELF_BIND, DCID, 0, 10, 0), EDVSBADNODEID);
	CHECK_RC("remote bind to the local node gives EDVSBADNODEID",
		 dvk_rmtbind(DCID, "rclient", 10, 0), EDVSBADNODEID);
	CHECK_RC("remote bind to a node outside the DC gives EDVSNODCNODE",
		 dvk_rmtbind(DCID, "rclient", 10, 3), EDVSNODCNODE);
	CHECK_RC("bind endpoint 221 gives EDVSENDPOINT", dvk_bind(DCID, NR_PROCS), EDVSENDPOINT);
	CHECK_RC("bind endpoint -36 gives EDVSENDPOINT", dvk_bind(DCID, -36), EDVSENDPOINT);
	CHECK_RC("lclbind of a pid that does not exist gives EDVSBADPID",
		 dvk_lclbind(DCID, 999999, 10), EDVSBADPID);
	CHECK_RC("self bind naming another process gives EDVSBADPID",
		 dvk_bind_X(SELF_BIND, DCID, 1, 10, LOCALNODE), EDVSBADPID);
}

static void test_bind_self(void)
{
	proc_usr_t u;
	long ep;

	ep = dvk_bind(DCID, 10);
	CHECK_RC("self bind returns the endpoint", ep, 10);
	CHECK_RC("bind a second slot gives EDVSRSCBUSY", dvk_bind(DCID, 11), EDVSRSCBUSY);
	memset(&u, 0, sizeof(u));
	CHECK_RC("getprocinfo of the bound slot", dvk_getprocinfo(DCID, 10, &u), OK);
	CHECK("getprocinfo fields of a bound slot",
	      u.p_nr == 10 && u.p_endpoint == 10 && u.p_dcid == DCID && u.p_rts_flags == 0 &&
	      u.p_lpid == getpid() && u.p_vpid == getpid() && u.p_nodeid == 0 &&
	      (u.p_misc_flags & MIS_GRPLEADER) && !strcmp(u.p_name, "test_dc"),
	      "nr=%d ep=%d flags=%x lpid=%d vpid=%d node=%d misc=%x name=%s", u.p_nr,
	      u.p_endpoint, u.p_rts_flags, u.p_lpid, u.p_vpid, u.p_nodeid, u.p_misc_flags,
	      u.p_name);
	CHECK("getprocinfo(-1) gives the caller's DC", !dvk_getprocinfo(-1, 10, &u) &&
	      u.p_lpid == getpid(), "rc/lpid %d", u.p_lpid);
	CHECK_RC("getep of itself", dvk_getep(getpid()), 10);
	CHECK_RC("getep of an unbound process gives EDVSNOTBIND", dvk_getep(1), EDVSNOTBIND);
	CHECK_RC("getep of pid 0 gives EDVSBADPID", dvk_getep(0), EDVSBADPID);
	CHECK_RC("getep of a missing pid gives EDVSBADPID", dvk_getep(999999), EDVSBADPID);
	CHECK("/proc/dvs/DC0/procs lists the bound process",
	      file_has("/proc/dvs/DC0/procs", " 0  10    10 ") &&
	      file_has("/proc/dvs/DC0/procs", "test_dc"), "row missing");

	memset(&u, 0, sizeof(u));
	CHECK("getprocinfo of a free slot", !dvk_getprocinfo(DCID, 12, &u) &&
	      u.p_rts_flags == SLOT_FREE && u.p_endpoint == 12 && u.p_lpid == -1 &&
	      u.p_getfrom == NONE && !strcmp(u.p_name, "$noname"),
	      "flags=%x ep=%d lpid=%d name=%s", u.p_rts_flags, u.p_endpoint, u.p_lpid, u.p_name);
	CHECK_RC("getprocinfo p_nr 221 gives EDVSBADPROC", dvk_getprocinfo(DCID, NR_PROCS, &u),
		 EDVSBADPROC);
	CHECK_RC("getprocinfo p_nr -36 gives EDVSBADPROC", dvk_getprocinfo(DCID, -36, &u),
		 EDVSBADPROC);

	CHECK_RC("unbind a free slot gives EDVSNOTBIND", dvk_unbind(DCID, 12), EDVSNOTBIND);
	CHECK_RC("unbind endpoint 500 gives EDVSENDPOINT", dvk_unbind(DCID, 500), EDVSENDPOINT);
	CHECK_RC("self unbind", dvk_unbind(DCID, 10), OK);
	CHECK("slot free after self unbind", slot_flags(10) == SLOT_FREE, "flags=%lx",
	      slot_flags(10));
	CHECK_RC("getep after unbind gives EDVSNOTBIND", dvk_getep(getpid()), EDVSNOTBIND);

	ep = dvk_bind(DCID, -5);
	CHECK_RC("bind a kernel-task slot returns its negative endpoint", ep, -5);
	CHECK_RC("getep returns the negative endpoint", dvk_getep(getpid()), -5);
	CHECK_RC("unbind the kernel-task slot", dvk_unbind(DCID, -5), OK);
}

/* A child that binds itself (or waits to be bound) and then sleeps. */
static pid_t spawn_sleeper(int ep, int self_bind, int ignore_term)
{
	int pfd[2];
	pid_t pid;
	char c = 0;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		if (self_bind && dvk_bind(DCID, ep) != ep)
			_exit(3);
		c = 1;
		if (write(pfd[1], &c, 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1)
		c = 0;
	close(pfd[0]);
	return c ? pid : -1;
}

static void test_exit_unbinds(void)
{
	pid_t pid;
	int status;

	pid = spawn_sleeper(20, 1, 0);
	CHECK("child binds itself to 20", pid > 0 && slot_flags(20) == 0, "flags=%lx",
	      slot_flags(20));
	kill_reap(pid);
	CHECK("a killed process is unbound", wait_free(20, 2000), "flags=%lx", slot_flags(20));

	pid = fork();
	if (pid == 0)
		_exit(dvk_bind(DCID, 21) == 21 ? 0 : 1);
	waitpid(pid, &status, 0);
	CHECK("a process that exits is unbound", WIFEXITED(status) && !WEXITSTATUS(status) &&
	      wait_free(21, 2000), "status=%d flags=%lx", status, slot_flags(21));

	pid = spawn_sleeper(0, 0, 0);
	CHECK_RC("lclbind of a child by pid", dvk_lclbind(DCID, pid, 22), 22);
	{
		proc_usr_t u;

		CHECK("lclbind records the child's pid", !dvk_getprocinfo(DCID, 22, &u) &&
		      u.p_lpid == pid, "lpid=%d want %d", u.p_lpid, pid);
	}
	CHECK_RC("lclbind of an already bound child gives EDVSRSCBUSY",
		 dvk_lclbind(DCID, pid, 23), EDVSRSCBUSY);
	kill_reap(pid);
	CHECK("the lclbound child is unbound when killed", wait_free(22, 2000), "flags=%lx",
	      slot_flags(22));
}

static void *thread_bind(void *arg)
{
	long *res = arg;

	res[0] = dvk_tbind(DCID, 31);
	res[1] = dvk_getep((int)syscall(SYS_gettid));
	return NULL;
}

static void test_threads(void)
{
	pthread_t th;
	long res[2] = { 0, 0 };

	CHECK_RC("leader binds to 30", dvk_bind(DCID, 30), 30);
	pthread_create(&th, NULL, thread_bind, res);
	pthread_join(th, NULL);
	CHECK_RC("a thread binds itself with tbind", res[0], 31);
	CHECK_RC("getep in the thread gives its own endpoint", res[1], 31);
	CHECK("the thread's slot is freed when the thread exits", wait_free(31, 2000),
	      "flags=%lx", slot_flags(31));
	CHECK("the leader stays bound", slot_flags(30) == 0, "flags=%lx", slot_flags(30));
	{
		dc_usr_t d;

		CHECK("getdcinfo(-1) gives the caller's DC when bound",
		      !dvk_getdcinfo(-1, &d) && d.dc_dcid == DCID, "dcid=%d", d.dc_dcid);
	}
}

/* Unbinding another process: SIGTERM, then wait (still bound as 30). */
static void test_unbind_other(void)
{
	struct timespec t0, t1;
	pid_t pid;
	long rc;

	pid = spawn_sleeper(40, 1, 0);
	CHECK("child bound to 40", pid > 0 && slot_flags(40) == 0, "flags=%lx", slot_flags(40));
	CHECK_RC("a bound caller unbinds another process (it dies of SIGTERM)",
		 dvk_unbind_T(DCID, 40, 5000), OK);
	CHECK("its slot is free", slot_flags(40) == SLOT_FREE, "flags=%lx", slot_flags(40));
	kill_reap(pid);

	pid = spawn_sleeper(41, 1, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = dvk_unbind_T(DCID, 41, 300);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_RC("unbind of a process ignoring SIGTERM times out", rc, EDVSTIMEDOUT);
	{
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;

		CHECK("the timeout is about 300 ms", ms >= 250 && ms < 3000, "%ld ms", ms);
	}
	CHECK("the target is still bound", slot_flags(41) == 0, "flags=%lx", slot_flags(41));

	{
		/* a bound caller unbinds only in its own DC (the original's EDVSBADDCID) */
		dc_usr_t d = dvk_dc_params(1, "DC1");
		proc_usr_t u;
		pid_t other;
		int i;

		CHECK_RC("dc_init DC1", dvk_dc_init(&d), 0);
		other = fork();
		if (other == 0) {
			if (dvk_bind(1, 5) != 5)
				_exit(1);
			pause();
			_exit(0);
		}
		for (i = 0; i < 400; i++) {
			if (!dvk_getprocinfo(1, 5, &u) && !(u.p_rts_flags & SLOT_FREE))
				break;
			usleep(5000);
		}
		CHECK_RC("a caller bound in DC0 unbinding in DC1 gives EDVSBADDCID",
			 dvk_unbind_T(1, 5, 300), EDVSBADDCID);
		CHECK("... and the target is still bound", slot_flags_in(1, 5) == 0, "flags=%lx",
		      slot_flags_in(1, 5));
		kill(other, SIGKILL);
		kill_reap(other);
		CHECK_RC("dc_end DC1", dvk_dc_end(1), OK);
	}

	CHECK_RC("leader unbinds itself", dvk_unbind(DCID, 30), OK);
	CHECK_RC("an unbound caller gets EDVSAGAIN", dvk_unbind_T(DCID, 41, 300), EDVSAGAIN);
	kill_reap(pid);
	CHECK("killed target unbound", wait_free(41, 2000), "flags=%lx", slot_flags(41));
}

/* Bind/exit churn from many processes while /proc views are read. */
static void test_churn(void)
{
	pid_t kids[8];
	int bad = 0, free_after = 1;

	for (int k = 0; k < 8; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			for (int i = 0; i < 60; i++) {
				pid_t g = fork();

				if (g == 0)
					_exit(dvk_bind(DCID, 100 + k) == 100 + k ? 0 : 1);
				int st;

				waitpid(g, &st, 0);
				if (!WIFEXITED(st) || WEXITSTATUS(st))
					_exit(1);
				/* the exit hook freed the slot before waitpid returned */
				if (slot_flags(100 + k) != SLOT_FREE)
					_exit(2);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < 50; i++) {
		FILE *f = fopen("/proc/dvs/DC0/procs", "r");
		char line[256];

		while (f && fgets(line, sizeof(line), f))
			;
		if (f)
			fclose(f);
	}
	for (int k = 0; k < 8; k++) {
		int st;

		waitpid(kids[k], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	for (int k = 0; k < 8; k++)
		free_after &= slot_flags(100 + k) == SLOT_FREE;
	CHECK("480 bind+exit cycles from 8 processes leave every slot free",
	      bad == 0 && free_after, "%d failing workers, free=%d", bad, free_after);
}

static void test_priv(void)
{
	const uint64_t user_calls = (1ULL << DVK_SENDREC) | (1ULL << DVK_UNBIND) |
				    (1ULL << DVK_GETEP) | (1ULL << DVK_WAIT4BIND);
	priv_usr_t u;
	pid_t pid;

	CHECK_RC("bind a system slot (10)", dvk_bind(DCID, 10), 10);
	pid = spawn_sleeper(100, 1, 0);
	memset(&u, 0, sizeof(u));
	CHECK_RC("getpriv of a system slot", dvk_getpriv(DCID, 10, &u), OK);
	CHECK("system slot: own priv_id, all calls, all ipc_to",
	      u.priv_id == 10 + NR_TASKS && u.priv_level == SERVER_PRIV &&
	      u.priv_dvk_allowed == (1ULL << DVK_NR_CALLS) - 1 && u.priv_ipc_to == ~0ULL &&
	      u.priv_warn == NONE,
	      "id=%d level=%d allowed=%llx ipc_to=%llx warn=%d", u.priv_id, u.priv_level,
	      (unsigned long long)u.priv_dvk_allowed, (unsigned long long)u.priv_ipc_to,
	      u.priv_warn);
	memset(&u, 0, sizeof(u));
	CHECK_RC("getpriv of a user slot", dvk_getpriv(DCID, 100, &u), OK);
	CHECK("user slot: shared priv_id, only sendrec/unbind/getep/wait4bind",
	      u.priv_id == NR_SYS_PROCS && u.priv_level == USER_PRIV &&
	      u.priv_dvk_allowed == user_calls,
	      "id=%d level=%d allowed=%llx", u.priv_id, u.priv_level,
	      (unsigned long long)u.priv_dvk_allowed);

	u.priv_level = SYSTEM_PRIV;
	u.priv_warn = 10;
	u.priv_dvk_allowed |= 1ULL << DVK_SEND;
	u.priv_ipc_to = 0xff;
	u.priv_id = 3;		/* not settable */
	CHECK_RC("setpriv of the user slot", dvk_setpriv(DCID, 100, &u), OK);
	memset(&u, 0, sizeof(u));
	dvk_getpriv(DCID, 100, &u);
	CHECK("setpriv changed level, warn, calls and ipc_to but not priv_id",
	      u.priv_level == SYSTEM_PRIV && u.priv_warn == 10 &&
	      u.priv_dvk_allowed == (user_calls | (1ULL << DVK_SEND)) && u.priv_ipc_to == 0xff &&
	      u.priv_id == NR_SYS_PROCS,
	      "level=%d warn=%d allowed=%llx ipc_to=%llx id=%d", u.priv_level, u.priv_warn,
	      (unsigned long long)u.priv_dvk_allowed, (unsigned long long)u.priv_ipc_to,
	      u.priv_id);
	u.priv_level = PROXY_PRIV + 1;
	CHECK_RC("setpriv level 6 gives EDVSBADVALUE", dvk_setpriv(DCID, 100, &u), EDVSBADVALUE);
	u.priv_level = USER_PRIV;
	u.priv_warn = NR_SYS_PROCS;
	CHECK_RC("setpriv warn out of range gives EDVSBADPROC", dvk_setpriv(DCID, 100, &u),
		 EDVSBADPROC);
	u.priv_warn = NONE;
	CHECK_RC("setpriv warn NONE is accepted", dvk_setpriv(DCID, 100, &u), OK);
	CHECK_RC("getpriv of a free slot gives EDVSDSTDIED", dvk_getpriv(DCID, 101, &u),
		 EDVSDSTDIED);
	CHECK_RC("setpriv of a free slot gives EDVSDSTDIED", dvk_setpriv(DCID, 101, &u),
		 EDVSDSTDIED);
	CHECK_RC("getpriv out of range gives EDVSBADPROC", dvk_getpriv(DCID, 999, &u),
		 EDVSBADPROC);
	CHECK_RC("getpriv of a free DC gives EDVSDCNOTRUN", dvk_getpriv(9, 10, &u), EDVSDCNOTRUN);
	CHECK_RC("getpriv to a bad pointer gives EDVSFAULT",
		 dvk_ipc(DVK_GETPRIV, DCID, 10, 0, 0x10, 0), EDVSFAULT);
	kill_reap(pid);
	wait_free(100, 2000);
	CHECK("a rebound slot gets default privileges again",
	      (pid = spawn_sleeper(100, 1, 0)) > 0 && !dvk_getpriv(DCID, 100, &u) &&
	      u.priv_level == USER_PRIV && u.priv_dvk_allowed == user_calls,
	      "level=%d allowed=%llx", u.priv_level, (unsigned long long)u.priv_dvk_allowed);
	kill_reap(pid);
	CHECK_RC("unbind 10 after the privilege tests", dvk_unbind(DCID, 10), OK);
}

static void test_dc_end(void)
{
	struct timespec t0, t1;
	pid_t a, b;
	long rc, ms;

	a = spawn_sleeper(50, 1, 0);	/* leaves on SIGTERM */
	b = spawn_sleeper(51, 1, 1);	/* ignores SIGTERM */
	CHECK("two bound children before dc_end", slot_flags(50) == 0 && slot_flags(51) == 0,
	      "flags %lx %lx", slot_flags(50), slot_flags(51));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = dvk_dc_end(DCID);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK_RC("dc_end with bound processes", rc, OK);
	CHECK("dc_end waits the grace period for a process ignoring SIGTERM",
	      ms >= 1500 && ms < 10000, "%ld ms", ms);
	CHECK("/proc/dvs/DC0 removed", access("/proc/dvs/DC0", F_OK) != 0, "still there");
	{
		int st = -1;

		if (a > 0)
			waitpid(a, &st, 0);
		CHECK("dc_end sent SIGTERM", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
		      "status=%d", st);
	}
	CHECK("the SIGTERM-ignoring child still runs", b > 0 && kill(b, 0) == 0, "gone");
	kill_reap(b);
	CHECK_RC("getprocinfo on the ended DC gives EDVSDCNOTRUN",
		 dvk_getprocinfo(DCID, 50, NULL), EDVSDCNOTRUN);

	/* dvs_end ends DCs too, with bound processes */
	{
		dc_usr_t d = dvk_dc_params(2, "DC2");

		CHECK_RC("dc_init DC2", dvk_dc_init(&d), 0);
		a = spawn_sleeper(0, 0, 1);
		CHECK_RC("lclbind into DC2", dvk_bind_X(LCL_BIND, 2, a, 7, LOCALNODE), 7);
		CHECK_RC("dvs_end with a DC and a bound process", dvk_dvs_end(), OK);
		CHECK("dvs_end removed /proc/dvs", access("/proc/dvs", F_OK) != 0, "still there");
		kill_reap(a);
	}
}

/* The bind/unbind/DC events of a short scenario match the calls made. */
static void test_trace(void)
{
	const char *inst = "dvk_test_dc";
	char me[32], kid[32], me_end[32];
	dc_usr_t d = dvk_dc_params(3, "TRC");
	char *trace;
	pid_t pid;

	CHECK("enable the DC and binding events",
	      !tracefs_instance(inst, "dvk_bind dvk_unbind dvk_dc_init dvk_dc_end"), "failed");
	dvk_bind(DCID, 60);
	dvk_unbind(DCID, 60);
	pid = fork();
	if (pid == 0)
		_exit(dvk_bind(DCID, 61) == 61 ? 0 : 1);
	waitpid(pid, NULL, 0);
	dvk_dc_init(&d);
	dvk_dc_end(3);
	trace = tracefs_collect(inst);
	CHECK("read the binding events", trace != NULL, "no trace");
	if (!trace)
		return;
	snprintf(me, sizeof(me), " by=%d ", getpid());
	snprintf(kid, sizeof(kid), " by=%d ", pid);
	snprintf(me_end, sizeof(me_end), " by=%d", getpid());	/* last field of DC events */
	{
		const char *b60[] = { "dvk_bind: ", " ep=60 ", "type=self", me };
		const char *u60[] = { "dvk_unbind: ", " ep=60 ", "how=self", me };
		const char *b61[] = { "dvk_bind: ", " ep=61 ", "type=self", kid };
		const char *u61[] = { "dvk_unbind: ", " ep=61 ", "how=exit", kid };
		const char *di[] = { "dvk_dc_init: ", "dcid=3 name=TRC ", me_end };
		const char *de[] = { "dvk_dc_end: ", "dcid=3 name=TRC ", " bound=0 ", me_end };
		const char *anyb[] = { "dvk_bind: " }, *anyu[] = { "dvk_unbind: " };

		CHECK("dvk_bind for self bind of 60", tracefs_count(trace, 4, b60) == 1, "%d lines",
		      tracefs_count(trace, 4, b60));
		CHECK("dvk_unbind how=self for 60", tracefs_count(trace, 4, u60) == 1, "%d lines",
		      tracefs_count(trace, 4, u60));
		CHECK("dvk_bind for the child's bind of 61", tracefs_count(trace, 4, b61) == 1,
		      "%d lines", tracefs_count(trace, 4, b61));
		CHECK("dvk_unbind how=exit for the child's exit", tracefs_count(trace, 4, u61) == 1,
		      "%d lines", tracefs_count(trace, 4, u61));
		CHECK("exactly two binds and two unbinds traced",
		      tracefs_count(trace, 1, anyb) == 2 && tracefs_count(trace, 1, anyu) == 2,
		      "%d binds, %d unbinds", tracefs_count(trace, 1, anyb),
		      tracefs_count(trace, 1, anyu));
		CHECK("dvk_dc_init traced with name and caller", tracefs_count(trace, 3, di) == 1,
		      "%d lines", tracefs_count(trace, 3, di));
		CHECK("dvk_dc_end traced with nothing left bound", tracefs_count(trace, 4, de) == 1,
		      "%d lines", tracefs_count(trace, 4, de));
	}
	free(trace);
	CHECK("remove the tracefs instance", tracefs_instance_remove(inst) == 0, "%s",
	      strerror(errno));
}

int main(void)
{
	long fd = dvk_open();

	CHECK("open /dev/dvk", fd >= 0, "%s", dvk_strerror((int)fd));
	if (fd < 0)
		return CHECK_EXIT();
	test_dc_init();
	test_trace();
	test_bind_errors();
	test_bind_self();
	test_priv();
	test_exit_unbinds();
	test_threads();
	test_unbind_other();
	test_churn();
	test_wait4bind();
	test_bind_exit_race();
	test_dc_end();
	return CHECK_EXIT();
}
