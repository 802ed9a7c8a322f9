// SPDX-License-Identifier: GPL-2.0
/*
 * slow_call - fast sendrec round trips with exactly one slow one among them,
 * for the flight recorder's test (tests/kernel/support-capture.sh).
 *
 *   slow_call DCID SERVER_EP CLIENT_EP BEFORE SLOW_MS AFTER [GAP_MS]
 *
 * In a running DC, a forked server binds SERVER_EP and answers requests
 * (receive + send); the parent binds CLIENT_EP and makes BEFORE fast
 * sendrecs, one that the server answers after sleeping SLOW_MS, then AFTER
 * fast ones, GAP_MS (default 5) apart.  It prints
 *   slow_call: pid P ep E slow sendrec N ns
 * as soon as the slow call returned (its tgid for the trace), and at the end
 *   slow_call: F fast, 1 slow (SLOW_NS ns), max fast FAST_MAX ns, errors 0
 * Exit status 0, 1 on any DVK error, 2 on bad usage.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "libdvk.h"

enum { REQ_FAST = 1, REQ_SLOW = 2, REQ_QUIT = 3 };

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* the server: bind, say so on fd, answer until REQ_QUIT */
static int server(int dcid, int ep, int slow_ms, int fd)
{
	message m;
	long r = dvk_bind(dcid, ep);
	char c = r == ep ? 'y' : 'n';

	if (write(fd, &c, 1) != 1 || r != ep) {
		fprintf(stderr, "slow_call: server bind %d: %s\n", ep, dvk_strerror((int)r));
		return 1;
	}
	for (;;) {
		int type;

		r = dvk_receive_T(ANY, &m, 30000);
		if (r < 0) {
			fprintf(stderr, "slow_call: server receive: %s\n", dvk_strerror((int)r));
			break;
		}
		type = m.m_type;
		if (type == REQ_SLOW)
			sleep_ms(slow_ms);
		r = dvk_send_T(m.m_source, &m, 5000);
		if (r < 0) {
			fprintf(stderr, "slow_call: server send: %s\n", dvk_strerror((int)r));
			break;
		}
		if (type == REQ_QUIT)
			break;
	}
	dvk_unbind(dcid, ep);
	return r < 0;
}

static long call(int srv, int type, long long *ns)
{
	message m = { .m_type = type };
	long long t0 = now_ns();
	long r = dvk_sendrec_T(srv, &m, 30000);

	*ns = now_ns() - t0;
	if (r < 0)
		fprintf(stderr, "slow_call: sendrec type %d: %s\n", type, dvk_strerror((int)r));
	return r;
}

int main(int argc, char **argv)
{
	int dcid, srv, cli, before, slow_ms, after, gap = 5, fds[2], errors = 0, status;
	long long ns, slow_ns = 0, fast_max = 0;
	pid_t pid;
	long r;
	char c = 'n';

	if (argc < 7 || argc > 8) {
		fprintf(stderr, "usage: slow_call DCID SERVER_EP CLIENT_EP BEFORE SLOW_MS AFTER [GAP_MS]\n");
		return 2;
	}
	dcid = atoi(argv[1]);
	srv = atoi(argv[2]);
	cli = atoi(argv[3]);
	before = atoi(argv[4]);
	slow_ms = atoi(argv[5]);
	after = atoi(argv[6]);
	if (argc == 8)
		gap = atoi(argv[7]);
	if (pipe(fds))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(fds[0]);
		_exit(server(dcid, srv, slow_ms, fds[1]));
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1 || c != 'y') {
		waitpid(pid, NULL, 0);
		return 1;
	}
	r = dvk_bind(dcid, cli);
	if (r != cli) {
		fprintf(stderr, "slow_call: client bind %d: %s\n", cli, dvk_strerror((int)r));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	for (int i = 0; i < before + 1 + after && !errors; i++) {
		int slow = i == before;

		if (i)
			sleep_ms(gap);
		errors += call(srv, slow ? REQ_SLOW : REQ_FAST, &ns) < 0;
		if (slow) {
			slow_ns = ns;
			printf("slow_call: pid %d ep %d slow sendrec %lld ns\n", (int)getpid(), cli, ns);
			fflush(stdout);
		} else if (ns > fast_max) {
			fast_max = ns;
		}
	}
	errors += call(srv, REQ_QUIT, &ns) < 0;
	if (errors)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	dvk_unbind(dcid, cli);
	printf("slow_call: %d fast, 1 slow (%lld ns), max fast %lld ns, errors %d\n", before + after,
	       slow_ns, fast_max, errors);
	return errors || !WIFEXITED(status) || WEXITSTATUS(status) ? 1 : 0;
}
