// SPDX-License-Identifier: GPL-2.0
/*
 * test_dc_end.c - dc_end's grace period holds no lock other calls need.
 *
 * DC 1 has a bound process that ignores SIGTERM, so dc_end waits its whole
 * 2 s grace.  While it waits, 10 other processes make control calls
 * (getdcinfo, bind into another DC, dc_init, getdvsinfo, getprocinfo,
 * getpriv, a bind into the ending DC, ...): each must return its exact
 * result within 1 s, before dc_end returns, none seen in state D inside
 * DVK (/proc/PID/stack; a D while paging in from the guest's 9p root is
 * not DVK's), and with kernel.hung_task_timeout_secs=1 the kernel reports
 * no hung task.
 * A second dc_end of the same DC waits for the first (interruptibly) and
 * gives EDVSDCNOTRUN.  dc_end still ends with the DC freed and the stubborn
 * process unbound.  Then: a signal cuts dc_end's grace short (the DC is
 * still ended), and dvs_end during dc_end's grace ends everything.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"
#include "dvk_params.h"
#include "proc.h"

#define END_DC		1	/* the DC dc_end ends */
#define OTHER_DC	2	/* a DC the other calls use */
#define NEW_DC		3	/* dc_init'ed during the grace */
#define STUBBORN_EP	5
#define NCALLS		10
#define QUICK_MS	1000	/* half the grace: a call blocked behind it would take ~1.9 s; TCG stalls stay under */
#define HUNG_SYSCTL	"/proc/sys/kernel/hung_task_timeout_secs"

/* Shared with the children: results, durations, end times. */
struct shared {
	long rc[NCALLS], ms[NCALLS];
	long end_rc, end_ms, end_start_ns, end_done_ns;	/* the first dc_end */
	long end2_rc, end2_done_ns;			/* the second */
};
static struct shared *sh;
static int go_w = -1;	/* write end of the "go" pipe: children close it */

static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* ---- the stubborn process: bound in END_DC, reports each SIGTERM -------- */
static int term_pipe = -1;

static void on_term(int sig)
{
	char c = (char)sig;

	if (write(term_pipe, &c, 1) != 1)
		_exit(7);
}

/* Fork it; *termfd gets the read end of its SIGTERM pipe.  Its pid or -1. */
static pid_t spawn_stubborn(int *termfd)
{
	int p[2], ready[2];
	pid_t pid;
	char c = 0;

	if (pipe(p) || pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_term, .sa_flags = SA_RESTART };

		term_pipe = p[1];
		sigaction(SIGTERM, &sa, NULL);
		c = dvk_bind(END_DC, STUBBORN_EP) == STUBBORN_EP;
		if (write(ready[1], &c, 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	close(p[1]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	close(ready[0]);
	*termfd = p[0];
	if (!c)
		kill_reap(pid);
	return c ? pid : -1;
}

/* Wait up to @ms for a byte on @fd: 1 if it came. */
static int wait_byte(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	return poll(&p, 1, ms) == 1 && read(fd, &c, 1) == 1;
}

/* ---- children -------------------------------------------------------- */
/* A dc_end(END_DC) caller; @second: the one that finds it ending. */
static pid_t spawn_dc_end(int go, int second)
{
	pid_t pid = fork();

	if (pid == 0) {
		char c;
		long t0, rc;

		if (go_w >= 0)
			close(go_w);
		if (go >= 0 && read(go, &c, 1) < 0)
			_exit(3);
		t0 = now_ns();
		if (!second)
			sh->end_start_ns = t0;
		rc = dvk_dc_end(END_DC);
		if (second) {
			sh->end2_done_ns = now_ns();
			sh->end2_rc = rc;
		} else {
			sh->end_done_ns = now_ns();
			sh->end_ms = (sh->end_done_ns - t0) / 1000000;
			sh->end_rc = rc;
		}
		_exit(0);
	}
	return pid;
}

/* Call @i of the ten, made once @go closes: its exact expected result. */
static long one_call(int i)
{
	dc_usr_t d;
	dvs_usr_t dvs;
	proc_usr_t p;
	priv_usr_t pv;
	long rc;

	switch (i) {
	case 0:
		return dvk_getdcinfo(OTHER_DC, &d);
	case 1:
		return dvk_bind(OTHER_DC, 6);
	case 2:
		d = dvk_dc_params(NEW_DC, "NEW3");
		return dvk_dc_init(&d);
	case 3:
		return dvk_getdvsinfo(&dvs);
	case 4:
		return dvk_getprocinfo(OTHER_DC, 7, &p);
	case 5:
		return dvk_bind(END_DC, 7);	/* the ending DC takes no new binds */
	case 6:
		rc = dvk_getdcinfo(END_DC, &d);	/* still there while it ends */
		return rc ? rc : d.dc_flags == DC_RUNNING ? OK : -1000 - d.dc_flags;
	case 7:
		return dvk_getpriv(OTHER_DC, 8, &pv);
	case 8:
		d = dvk_dc_params(END_DC, "AGAIN");	/* its id is still in use */
		return dvk_dc_init(&d);
	default:
		return dvk_dc_end(4);
	}
}

static const long want[NCALLS] = {
	OK, 6, 0, 0, OK, EDVSDCNOTRUN, OK, EDVSDSTDIED, EDVSRSCBUSY, EDVSDCNOTRUN,
};
static const char *const what[NCALLS] = {
	"getdcinfo of another DC", "bind into another DC", "dc_init of a new DC",
	"getdvsinfo", "getprocinfo", "bind into the ending DC", "getdcinfo of the ending DC",
	"getpriv", "dc_init of the ending DC's id", "dc_end of a free DC",
};

static pid_t spawn_call(int i, int go)
{
	pid_t pid = fork();

	if (pid == 0) {
		char c;
		long t0;

		close(go_w);
		if (read(go, &c, 1) < 0)
			_exit(3);
		t0 = now_ns();
		sh->rc[i] = one_call(i);
		sh->ms[i] = (now_ns() - t0) / 1000000;
		_exit(0);
	}
	return pid;
}

/* The state letter of @pid in /proc/PID/stat, or 0 once it is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * In state D inside DVK: /proc/PID/stack (root) names a dvk function.  A
 * call can also be seen in D for reasons of the guest, not DVK's: paging
 * its program in from the 9p root; those samples do not count.  Copies the
 * stack's first DVK line into @where.
 */
static int in_dvk_d_state(pid_t pid, char *where, size_t len)
{
	char path[64], buf[4096], *line, *save;
	ssize_t n;
	int fd;

	if (proc_state(pid) != 'D')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;	/* no stack to tell: count it */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "dvk")) {
			snprintf(where, len, "%s", line);
			return 1;
		}
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int ok = fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* The kernel log records written since @fd was opened that contain @needle. */
static int kmsg_count(int fd, const char *needle)
{
	char rec[2048];
	ssize_t n;
	int count = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = 0;
		count += strstr(rec, needle) != NULL;
	}
	return count;
}

/* ---- the scenarios ------------------------------------------------------ */
static void test_grace_without_lock(void)
{
	int go[2], termfd = -1, kmsg, sawd = 0, end2_state_s = 0, before_end = 1;
	char hung_old[32] = "", state, dwhere[160] = "";
	pid_t stub, end, end2, calls[NCALLS];
	dc_usr_t d;

	stub = spawn_stubborn(&termfd);
	CHECK("a process bound in DC 1 that ignores SIGTERM", stub > 0, "bind failed");
	if (stub <= 0 || pipe(go))
		return;
	go_w = go[1];
	for (int i = 0; i < NCALLS; i++)
		calls[i] = spawn_call(i, go[0]);
	end2 = spawn_dc_end(go[0], 1);
	close(go[0]);

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	{
		int fd = open(HUNG_SYSCTL, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, hung_old, sizeof(hung_old) - 1) : -1;

		hung_old[n > 0 ? n : 0] = 0;
		if (fd >= 0)
			close(fd);
	}
	if (hung_old[0] && !write_file(HUNG_SYSCTL, "1"))
		hung_old[0] = 0;

	end = spawn_dc_end(-1, 0);
	CHECK("dc_end sent the stubborn process SIGTERM", wait_byte(termfd, 10000), "none came");
	usleep(100000);		/* dc_end is in its grace now */
	state = proc_state(end);
	CHECK("dc_end waits its grace in state S (interruptible)", state == 'S', "state %c",
	      state ? state : '?');
	close(go[1]);		/* the ten calls and the second dc_end go */
	go_w = -1;
	for (int i = 0; i < NCALLS; i++) {
		int st;

		while (waitpid(calls[i], &st, WNOHANG) == 0) {
			sawd |= in_dvk_d_state(calls[i], dwhere, sizeof(dwhere));
			usleep(1000);
		}
	}
	before_end = sh->end_done_ns == 0;
	for (int i = 0; i < 200 && !end2_state_s && state != 'D'; i++) {
		state = proc_state(end2);	/* until it sleeps (R first) */
		end2_state_s = state == 'S';
		usleep(5000);
	}
	for (int i = 0; i < NCALLS; i++) {
		char name[160];

		snprintf(name, sizeof(name), "during dc_end's grace: %s -> %ld in < %d ms",
			 what[i], want[i], QUICK_MS);
		CHECK(name, sh->rc[i] == want[i] && sh->ms[i] < QUICK_MS, "got %ld after %ld ms",
		      sh->rc[i], sh->ms[i]);
	}
	CHECK("all ten returned before dc_end did", before_end, "dc_end was done first");
	CHECK("none of them was seen in state D inside DVK", !sawd, "one was, at %s", dwhere);
	CHECK("the second dc_end of the DC waits in state S", end2_state_s, "state %c",
	      state ? state : '?');

	waitpid(end, NULL, 0);
	waitpid(end2, NULL, 0);
	if (hung_old[0])
		write_file(HUNG_SYSCTL, hung_old);
	CHECK_RC("dc_end returns OK", sh->end_rc, OK);
	CHECK("... after its whole grace (the process ignored SIGTERM)",
	      sh->end_ms >= 1800 && sh->end_ms < 10000, "%ld ms", sh->end_ms);
	CHECK_RC("the second dc_end gives EDVSDCNOTRUN", sh->end2_rc, EDVSDCNOTRUN);
	CHECK("... only once the first has ended the DC (after its grace)",
	      sh->end2_done_ns - sh->end_start_ns >= 1800000000L, "%ld ms after the first began",
	      (sh->end2_done_ns - sh->end_start_ns) / 1000000);
	CHECK("DC 1 is freed", !dvk_getdcinfo(END_DC, &d) && d.dc_flags == DC_FREE &&
	      access("/proc/dvs/ENDME", F_OK) != 0, "flags %d", d.dc_flags);
	CHECK_RC("the stubborn process is unbound: lclbind into DC 2 takes it",
		 dvk_lclbind(OTHER_DC, stub, 9), 9);
	CHECK("... it got exactly one SIGTERM", !wait_byte(termfd, 100), "a second one");
	if (kmsg >= 0 && hung_old[0])
		CHECK("no hung task reported (hung_task_timeout_secs=1)",
		      kmsg_count(kmsg, "blocked for more than") == 0, "reported");
	else
		check_skip("no hung task reported", "no /dev/kmsg or no hung task detector");
	if (kmsg >= 0)
		close(kmsg);
	close(termfd);
	kill_reap(stub);
	CHECK_RC("dc_end of the new DC 3", dvk_dc_end(NEW_DC), OK);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void test_signal_cuts_grace(void)
{
	dc_usr_t d = dvk_dc_params(END_DC, "ENDME");
	struct sigaction sa = { .sa_handler = on_usr1 };
	int termfd = -1;
	pid_t stub, end;

	CHECK_RC("dc_init DC 1 again", dvk_dc_init(&d), 0);
	stub = spawn_stubborn(&termfd);
	sigaction(SIGUSR1, &sa, NULL);	/* inherited: the dc_end child survives it */
	sh->end_done_ns = 0;
	end = spawn_dc_end(-1, 0);
	CHECK("dc_end sent SIGTERM", stub > 0 && wait_byte(termfd, 10000), "none came");
	kill(end, SIGUSR1);
	waitpid(end, NULL, 0);
	CHECK_RC("a signal cuts dc_end's grace short: OK", sh->end_rc, OK);
	CHECK("... well before 2 s", sh->end_ms < 1500, "%ld ms", sh->end_ms);
	CHECK("... and the DC is ended", !dvk_getdcinfo(END_DC, &d) && d.dc_flags == DC_FREE,
	      "flags %d", d.dc_flags);
	close(termfd);
	kill_reap(stub);
}

static void test_dvs_end_during_grace(void)
{
	dc_usr_t d = dvk_dc_params(END_DC, "ENDME");
	int termfd = -1;
	pid_t stub, end;
	long t0;

	CHECK_RC("dc_init DC 1 once more", dvk_dc_init(&d), 0);
	stub = spawn_stubborn(&termfd);
	end = spawn_dc_end(-1, 0);
	CHECK("dc_end sent SIGTERM", stub > 0 && wait_byte(termfd, 10000), "none came");
	t0 = now_ns();
	CHECK_RC("dvs_end during dc_end's grace", dvk_dvs_end(), OK);
	CHECK("... returns at once", (now_ns() - t0) / 1000000 < QUICK_MS, "%ld ms",
	      (now_ns() - t0) / 1000000);
	waitpid(end, NULL, 0);
	CHECK_RC("the dc_end returns OK (the DC is gone)", sh->end_rc, OK);
	CHECK("/proc/dvs is removed", access("/proc/dvs", F_OK) != 0, "still there");
	close(termfd);
	kill_reap(stub);
}

int main(void)
{
	dvs_usr_t dvs = dvk_dvs_params("DCEND");
	dc_usr_t d;

	if (getuid() != 0) {
		check_skip("test_dc_end", "needs root");
		return 0;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	memset(sh, 0, sizeof(*sh));
	CHECK_RC("dvs_init", dvk_dvs_init(0, &dvs), 0);
	d = dvk_dc_params(END_DC, "ENDME");
	CHECK_RC("dc_init DC 1", dvk_dc_init(&d), 0);
	d = dvk_dc_params(OTHER_DC, "OTHER");
	CHECK_RC("dc_init DC 2", dvk_dc_init(&d), 0);
	test_grace_without_lock();
	test_signal_cuts_grace();
	test_dvs_end_during_grace();
	while (wait(NULL) > 0)
		;
	return CHECK_EXIT();
}
