// SPDX-License-Identifier: GPL-2.0
/*
 * usdt_calls - an exact, known set of libdvk calls, for tests/kernel/usdt.sh
 * to compare with what bpftrace counted on libdvk's USDT probes.  Linked
 * against build/lib/libdvk.so (the static tools carry the probes too).
 *
 *   usdt_calls DCID SERVER_EP CLIENT_EP N
 *
 * With the DVS and DC DCID up, a forked server binds SERVER_EP and answers N
 * requests (receive(ANY) + send); the parent binds CLIENT_EP and makes
 *   N getdvsinfo, N sendrec (SERVER_EP, forever), N void0 (dvk_ipc only),
 *   1 getdcinfo of DC 1000 (fails), then both unbind.
 * Prints what the probes should show as KEY=VALUE lines (the message
 * pointer of the sendrecs, each call's return value), then "done"; exit 0
 * if every call returned what it should.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libdvk.h"

#define BAD_DCID	1000	/* beyond any DVS: EDVSBADDCID */

static int server(int dcid, int ep, long n, int ready)
{
	message m;
	long bad = 0;

	if (dvk_bind(dcid, ep) != ep)
		return 1;
	if (write(ready, "y", 1) != 1)
		return 1;
	for (long i = 0; i < n; i++) {
		bad += dvk_receive(ANY, &m) != 0;
		bad += dvk_send(m.m_source, &m) != 0;
	}
	bad += dvk_unbind(dcid, ep) != 0;
	return bad ? 1 : 0;
}

/* the parent's calls; returns how many gave an unexpected result */
static long client(int dcid, int srv, int ep, long n)
{
	static message m;	/* one address for every sendrec */
	dvs_usr_t d;
	dc_usr_t dc;
	long r, bad = 0, info = 0, rq = 0, v0 = 0;

	r = dvk_bind(dcid, ep);
	printf("bind_ret=%ld\n", r);
	bad += r != ep;
	for (long i = 0; i < n; i++) {
		info = dvk_getdvsinfo(&d);
		bad += info < 0;
	}
	for (long i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.m_type = (int)i;
		rq = dvk_sendrec(srv, &m);
		bad += rq != 0 || m.m_type != (int)i;
	}
	for (long i = 0; i < n; i++) {
		v0 = dvk_ipc(DVK_VOID0, 0, 0, 0, 0, 0);
		bad += v0 != EDVSNOSYS;
	}
	r = dvk_getdcinfo(BAD_DCID, &dc);
	printf("getdvsinfo_ret=%ld\nsendrec_ret=%ld\nsendrec_m=%lu\nvoid0_ret=%ld\n"
	       "getdcinfo_ret=%ld\ngetdcinfo_ptr=%lu\n", info, rq, (unsigned long)&m, v0, r,
	       (unsigned long)&dc);
	bad += r >= 0;
	bad += dvk_unbind(dcid, ep) != 0;
	return bad;
}

int main(int argc, char **argv)
{
	int dcid, srv, ep, fds[2], status;
	long n, bad;
	pid_t pid;
	char c = 'n';

	if (argc != 5) {
		fprintf(stderr, "usage: usdt_calls DCID SERVER_EP CLIENT_EP N\n");
		return 2;
	}
	dcid = atoi(argv[1]);
	srv = atoi(argv[2]);
	ep = atoi(argv[3]);
	n = atol(argv[4]);
	if (pipe(fds))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(fds[0]);
		_exit(server(dcid, srv, n, fds[1]));
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1 || c != 'y') {
		fprintf(stderr, "usdt_calls: the server did not bind %d\n", srv);
		waitpid(pid, NULL, 0);
		return 1;
	}
	printf("client_pid=%d\nserver_pid=%d\n", (int)getpid(), (int)pid);
	bad = client(dcid, srv, ep, n);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		bad++;
	printf("done unexpected=%ld\n", bad);
	return bad ? 1 : 0;
}
