// SPDX-License-Identifier: GPL-2.0
/*
 * findings.c - what the fuzzers found, each made again deterministically
 * (dvk_fuzz --findings, run by fuzz.sh): a check line per finding, FAIL
 * while the kernel has the bug, so a fixed one stays fixed.
 *
 * F1 (dvk_fuzz --user with seed 0x192dec41 reaches it at call 88999 of the
 * admin's receiver-proxy thread): a peer's c_rcode must not reach local
 * callers verbatim.  put2lcl of a COPYIN_DATA chunk with c_rcode < 0
 * returns a c_rcode, and put2lcl of a SEND_ACK makes the waiting local
 * sender's send() return the ACK's; were that any int, the restart codes
 * -512 (ERESTARTSYS) and -516 would reach user space (with a SA_RESTART
 * handler and a signal pending, -512 restarts the send), so put2lcl maps
 * such a c_rcode to EDVSGENERIC.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"
#include "fuzz.h"
#include "dvk_params.h"

#define F1_CODE		(-512)	/* ERESTARTSYS: the worst a peer can hand back */

static volatile int rtid, stop;
static volatile long copy_ret, ack_ret, want_ack;
static cmd_t taken;		/* the SEND_MSG the sender proxy took */

/* A success, or an error code of the ABI's list that may reach user space (no restart code)? */
static int dvk_code(long r)
{
	if (r >= 0)
		return 1;
	return (r < -516 || r > -512) && dvk_errname((int)r);
}

/* The pair's receiver proxy: a COPYIN_DATA chunk that "failed" at the source, then the ACK. */
static void *f1_receiver(void *arg)
{
	char payload[64] = { 0 };
	cmd_t c = { .c_cmd = CMD_COPYIN_DATA, .c_src = 10, .c_dst = 5, .c_snode = 1,
		    .c_rcode = F1_CODE, .c_snd_seq = (1ULL << 56) | 1,
		    .c_vcopy = { .v_src = 10, .v_dst = 5, .v_rqtr = 10, .v_bytes = 1 } };

	(void)arg;
	rtid = (int)syscall(SYS_gettid);
	while (!stop && !want_ack)
		usleep(1000);
	copy_ret = dvk_put2lcl(&c, payload);
	while (!stop && want_ack != 2)
		usleep(1000);
	c = taken;
	c.c_cmd = CMD_SEND_ACK;
	c.c_src = taken.c_dst;
	c.c_dst = taken.c_src;
	c.c_snode = 1;
	c.c_dnode = 0;
	c.c_rcode = F1_CODE;
	ack_ret = dvk_put2lcl(&c, payload);
	return NULL;
}

/* Node 1 through pair 1 (this thread sends, a second one receives), its endpoints 10 and 11. */
static int f1_setup(pthread_t *t)
{
	dvs_usr_t d = dvk_dvs_params("FINDINGS");
	dc_usr_t dc = dvk_dc_params(0, "DC0");

	if (dvk_dvs_init(0, &d) < 0 || dvk_dc_init(&dc) < 0 || pthread_create(t, NULL, f1_receiver, NULL))
		return -1;
	while (!rtid)
		usleep(1000);
	return dvk_proxies_bind("f1", 1, (int)syscall(SYS_gettid), rtid, MAXCOPYBUF) ||
	       dvk_proxy_conn(1, CONNECT_SPROXY) || dvk_proxy_conn(1, CONNECT_RPROXY) ||
	       dvk_node_up("node1", 1, 1) || dvk_add_node(0, 1) ||
	       dvk_rmtbind(0, "r10", 10, 1) != 10 || dvk_rmtbind(0, "r11", 11, 1) != 11 ? -1 : 0;
}

/* A child bound as 20 sends to node 1's 11; the sender proxy takes it; its result. */
static long f1_send(void)
{
	char payload[MAXCOPYBUF];
	int pfd[2];
	long r = EDVSGENERIC;
	pid_t pid;

	if (pipe(pfd))
		return r;
	pid = fork();
	if (pid == 0) {
		message m = { .m_type = 7 };
		long s = dvk_bind(0, 20) == 20 ? dvk_ipc(DVK_SEND, 11, 0, 0, TPTR(&m), 5000)
					      : EDVSNOTBIND;

		_exit(write(pfd[1], &s, sizeof(s)) == sizeof(s) ? 0 : 1);
	}
	do	/* the COPYIN chunk's error ACK is queued first */
		r = dvk_get2rmt_T(&taken, payload, 5000);
	while (r == OK && taken.c_cmd != CMD_SEND_MSG);
	want_ack = 2;
	waitpid(pid, NULL, 0);
	if (read(pfd[0], &r, sizeof(r)) != sizeof(r))
		r = EDVSGENERIC;
	close(pfd[0]);
	close(pfd[1]);
	return r;
}

static void f1(void)
{
	pthread_t t;
	long sent;

	if (f1_setup(&t)) {
		CHECK("fuzz finding F1: set up a pair, node 1 and its endpoints", 0, "failed");
		dvk_dvs_end();
		return;
	}
	want_ack = 1;
	sent = f1_send();
	stop = 1;
	pthread_join(t, NULL);
	CHECK("fuzz finding F1: put2lcl of a COPYIN_DATA chunk with c_rcode -512 gives an EDVS code",
	      dvk_code(copy_ret), "returned %ld: the peer's c_rcode, verbatim", copy_ret);
	CHECK("fuzz finding F1: a SEND_ACK with c_rcode -512 gives the local sender an EDVS code",
	      ack_ret == OK && dvk_code(sent), "put2lcl %ld, then send() returned %ld: the peer's "
	      "c_rcode, verbatim (ERESTARTSYS in user space)", ack_ret, sent);
	dvk_dvs_end();
}

/* dvk_fuzz --findings: as root, with no DVS; the number of checks failed. */
int fz_findings(void)
{
	signal(SIGTERM, SIG_IGN);	/* dvs_end frees the pair: SIGTERM to its proxies */
	if (geteuid() != 0) {
		check_skip("fuzz findings", "need root");
		return 0;
	}
	if (dvk_dvs_end() != EDVSDVSINIT)
		printf("# fuzz findings: a DVS was running: ended it\n");
	f1();
	return check_failures;
}
