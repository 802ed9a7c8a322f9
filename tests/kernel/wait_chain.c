// SPDX-License-Identifier: GPL-2.0
/*
 * wait_chain - processes that wait on each other, for the tests of "who
 * waits on whom" (debugfs dvk/waits, dvkctl waits, dvktop's Waits screen,
 * the dvk_wait_cycle event).
 *
 *   wait_chain chain|cycle DCID A B C [D] [-t MS] [-r EP]... [-g FILE]
 *
 * In a running DC, forked processes bind A, B and C (and the parent D):
 *   chain: A sendrec B; B receives it, then sendrec C; C receives it, then
 *          receives from D (bound by the parent, which never sends): a
 *          chain of three waits, D -> C -> B -> A (each waits on the one
 *          before it)
 *   cycle: the same, but C then sendrec's A while A waits for B's reply:
 *          A -> B -> C -> A, a deadlock (3 long: not refused) that only
 *          the timeouts end
 * -t MS  the timeout of every blocking call (default 30000)
 * -r EP  EP is a process of another node (already rmtbind'ed here): not
 *        run here; that node runs its own wait_chain (repeatable)
 * -g FILE  after binding, wait until FILE exists before the calls start
 *        (the other node's processes are bound too)
 * It prints BOUND when its processes are bound, READY when each of them
 * waits as it should (what it waits on bound and its request taken), one
 * line per process at the end ("A 5 sendrec EDVSTIMEDOUT"), then
 * DONE.  SIGTERM ends the waits early (the calls end with EDVSINTR).
 * Exit status 0 if every call ended with EDVSTIMEDOUT, EDVSINTR after
 * SIGTERM, or EDVSSRCDIED/EDVSDSTDIED for a call to a process of another
 * node (its wait_chain ended first); 1 otherwise, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "libdvk.h"

enum { ROLE_A, ROLE_B, ROLE_C, NROLES };
static const char role_name[NROLES] = { 'A', 'B', 'C' };

static struct {
	int cycle, dcid, ep[NROLES], d, remote[NROLES];
	long timeout;
	const char *go;
} opt = { .timeout = 30000, .d = -1 };

static volatile sig_atomic_t stopping;
static pid_t kids[NROLES];	/* the parent's children; all 0 in a child */

/* SIGTERM: the parent passes it on; in a child it ends the blocked call. */
static void on_term(int sig)
{
	int i;

	stopping = 1;
	for (i = 0; i < NROLES; i++)
		if (kids[i] > 0)
			kill(kids[i], sig);
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* A role's calls; returns the DVK result of the call it ended in. */
static long role_calls(int role, const char **what)
{
	message m;
	long r;

	memset(&m, 0, sizeof(m));
	if (role != ROLE_A) {	/* B and C first take the request of the one before */
		*what = "receive";
		r = dvk_receive_T(ANY, &m, opt.timeout);
		if (r < 0)
			return r;
	}
	if (role == ROLE_C && !opt.cycle) {
		*what = "receive";
		return dvk_receive_T(opt.d, &m, opt.timeout);
	}
	*what = "sendrec";
	m.m_type = 0x7a17;
	return dvk_sendrec_T(opt.ep[(role + 1) % NROLES], &m, opt.timeout);
}

/*
 * A child: bind, say so on @up, wait for the go byte on @go, make its calls,
 * write the result on @up, stay bound until @go closes (so the others' waits
 * end by their own timeouts, not by its unbind).
 */
static int role_main(int role, int up, int go)
{
	const char *what = "bind";
	long r = dvk_bind(opt.dcid, opt.ep[role]);
	char c;

	if (r != opt.ep[role]) {
		dprintf(up, "%c %d bind %s\n", role_name[role], opt.ep[role], dvk_strerror((int)r));
		return 1;
	}
	dprintf(up, "bound\n");
	if (read(go, &c, 1) != 1)
		return 1;
	r = role_calls(role, &what);
	dprintf(up, "%c %d %s %s\n", role_name[role], opt.ep[role], what, dvk_strerror((int)r));
	/* a SIGTERM now must not unbind it before the others' calls end */
	for (;;) {
		ssize_t n = read(go, &c, 1);

		if (n == 0 || (n < 0 && errno != EINTR))
			return 0;
	}
}

/* Does local role @role wait as it should: RECEIVING (only) from the next one? */
static int role_ready(int role)
{
	int peer = role == ROLE_C && !opt.cycle ? opt.d : opt.ep[(role + 1) % NROLES];
	proc_usr_t u;

	if (dvk_getprocinfo(opt.dcid, _ENDPOINT_P(opt.ep[role]), &u) < 0)
		return 0;
	if (role == ROLE_C && opt.cycle)	/* queued at A, which waits for B */
		return (u.p_rts_flags & RECEIVING) && u.p_getfrom == peer;
	return (u.p_rts_flags & (SENDING | RECEIVING)) == RECEIVING && u.p_getfrom == peer;
}

/*
 * Did a role's call end as it may: by its timeout, by SIGTERM, or, when it
 * waits on a process of another node, because that one's process ended
 * first (its node's wait_chain was stopped before this one).
 */
static int ended_well(const char *line)
{
	const char *p = memchr(role_name, line[0], NROLES);
	int role = p ? (int)(p - role_name) : -1;
	int peer = role < 0 ? -1 : (role + 1) % NROLES;

	if (strstr(line, "EDVSTIMEDOUT") || (stopping && strstr(line, "EDVSINTR")))
		return 1;
	if (peer < 0 || (role == ROLE_C && !opt.cycle) || !opt.remote[peer])
		return 0;
	return strstr(line, "EDVSSRCDIED") || strstr(line, "EDVSDSTDIED");
}

static int parse(int argc, char **argv)
{
	int c, i, nr = 0, rem[8];

	while ((c = getopt(argc, argv, "t:r:g:")) != -1) {
		switch (c) {
		case 't': opt.timeout = atol(optarg); break;
		case 'r': if (nr < 8) rem[nr++] = atoi(optarg); break;
		case 'g': opt.go = optarg; break;
		default: return -1;
		}
	}
	if (argc - optind < 5 || argc - optind > 6)
		return -1;
	opt.cycle = !strcmp(argv[optind], "cycle");
	if (!opt.cycle && strcmp(argv[optind], "chain"))
		return -1;
	opt.dcid = atoi(argv[optind + 1]);
	for (i = 0; i < NROLES; i++)
		opt.ep[i] = atoi(argv[optind + 2 + i]);
	if (argc - optind == 6)
		opt.d = atoi(argv[optind + 5]);
	if (!opt.cycle && opt.d < 0)
		return -1;	/* chain: C receives from D */
	for (i = 0; i < NROLES; i++)
		for (c = 0; c < nr; c++)
			opt.remote[i] |= rem[c] == opt.ep[i];
	return 0;
}

/* Fork the local roles; *@nlocal of them.  Returns 0, or -1. */
static int start_roles(int up[2], int go[2], int *nlocal)
{
	int i;
	pid_t pid;

	*nlocal = 0;
	for (i = 0; i < NROLES; i++) {
		if (opt.remote[i])
			continue;
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			memset(kids, 0, sizeof(kids));
			close(up[0]);
			close(go[1]);
			_exit(role_main(i, up[1], go[0]));
		}
		kids[i] = pid;
		(*nlocal)++;
	}
	return 0;
}

/* Read one line (a child's report) from @fd into @buf. */
static int read_line(FILE *f, char *buf, int len)
{
	while (!fgets(buf, len, f)) {
		if (!(ferror(f) && errno == EINTR))
			return -1;
		clearerr(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Until every local role waits as it should (at most 20 s), or a signal. */
static int wait_ready(void)
{
	int i, ok = 0, tries;

	for (tries = 0; tries < 400 && !ok && !stopping; tries++) {
		ok = 1;
		for (i = 0; i < NROLES; i++)
			ok &= opt.remote[i] || role_ready(i);
		if (!ok)
			sleep_ms(50);
	}
	return ok;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	int up[2], go[2], nlocal, i, bad = 0;
	char line[160];
	FILE *in;

	if (parse(argc, argv)) {
		fprintf(stderr, "usage: wait_chain chain|cycle DCID A B C [D] [-t MS] [-r EP]... [-g FILE]\n"
			"  (chain needs D, the endpoint C receives from)\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: a blocked call ends */
	sigaction(SIGINT, &sa, NULL);
	if (pipe(up) || pipe(go) || !(in = fdopen(up[0], "r")))
		return 1;
	if (!opt.cycle && dvk_bind(opt.dcid, opt.d) != opt.d) {
		fprintf(stderr, "wait_chain: bind D %d failed\n", opt.d);
		return 1;
	}
	if (start_roles(up, go, &nlocal))
		return 1;
	close(up[1]);
	close(go[0]);
	for (i = 0; i < nlocal; i++) {
		if (read_line(in, line, sizeof(line)) || strcmp(line, "bound")) {
			fprintf(stderr, "wait_chain: %s\n", line);
			bad = 1;
		}
	}
	if (!bad) {
		printf("BOUND\n");
		fflush(stdout);
		while (opt.go && access(opt.go, F_OK) && !stopping)
			sleep_ms(50);
		for (i = 0; i < nlocal; i++)	/* the go byte, to each */
			if (write(go[1], "g", 1) != 1)
				bad = 1;
		if (wait_ready())
			printf("READY\n");
		else
			printf("NOT READY\n");
		fflush(stdout);
	}
	for (i = 0; i < nlocal && !bad; i++) {
		if (read_line(in, line, sizeof(line)))
			break;
		printf("%s\n", line);
		fflush(stdout);
		bad |= !ended_well(line);
	}
	if (i < nlocal)
		bad = 1;
	fflush(stdout);
	close(go[1]);	/* the roles may unbind now */
	for (i = 0; i < NROLES; i++) {
		int st;

		if (kids[i] > 0) {
			if (bad)
				kill(kids[i], SIGTERM);
			while (waitpid(kids[i], &st, 0) < 0 && errno == EINTR)
				;
		}
	}
	printf("DONE\n");
	return bad;
}
