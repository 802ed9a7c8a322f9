// SPDX-License-Identifier: GPL-2.0
/*
 * test_vcopy.c - in-guest tests of vcopy: the caller as source and as
 * destination, a third process as requester, a copy of d_max_copylen in
 * many chunks, the limits, bad and read-only addresses, ends that are not
 * blocked, privileges, the counters and the dvk_vcopy event.
 *
 * Buffers are globals allocated before fork(), so a child's buffer has the
 * same address as the parent's copy of it.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "fixture.h"
#include "tracefs.h"

#define BIG	MAXCOPYLEN

static unsigned char pbuf[BIG];		/* the parent's */
static unsigned char cbuf[BIG];		/* each child's */
static const char rodata[64] = "read-only";

static void fill(unsigned char *b, long n, int seed)
{
	for (long i = 0; i < n; i++)
		b[i] = (unsigned char)(seed + i * 7);
}

static long check(const unsigned char *b, long n, int seed)
{
	for (long i = 0; i < n; i++)
		if (b[i] != (unsigned char)(seed + i * 7))
			return 1000 + i;
	return OK;
}

/*
 * Child: fill cbuf with pattern @seed, then wait in receive(ANY) (so it
 * can be copied from/to) for the parent's go; the go message says which
 * pattern and length cbuf must hold now (m1_i1, m1_i2; m1_i3 = 0: skip).
 */
static long hold(int seed)
{
	message m;
	long rc;

	fill(cbuf, BIG, seed);
	rc = dvk_receive_T(ANY, &m, 3 * WAIT_MS);
	if (rc)
		return rc;
	return m.m1_i3 ? check(cbuf, m.m1_i2, m.m1_i1) : OK;
}

static void release(int ep, int seed, long len, int verify)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m1_i1 = seed;
	m.m1_i2 = (int)len;
	m.m1_i3 = verify;
	dvk_send_T(ep, &m, WAIT_MS);
}

static long idle(int ms)
{
	usleep(ms * 1000);
	return OK;
}

static void test_copies(void)
{
	proc_usr_t before, after;
	pid_t a, b;
	long rc;

	/* caller -> blocked child, 1 MiB: 16 chunks of d_max_copybuf */
	dvk_getprocinfo(DCID, ME, &before);
	a = child_receiving(2, hold, 1);
	fill(pbuf, BIG, 55);
	rc = dvk_vcopy(SELF, pbuf, 2, cbuf, BIG);
	CHECK_RC("vcopy of d_max_copylen bytes from the caller to a blocked process", rc, OK);
	release(2, 55, BIG, 1);
	CHECK_RC("the destination holds exactly the bytes sent", wait_child(a, 2), OK);
	dvk_getprocinfo(DCID, ME, &after);
	CHECK("the caller's p_lclcopy counts it", after.p_lclcopy == before.p_lclcopy + 1,
	      "%llu -> %llu", (unsigned long long)before.p_lclcopy,
	      (unsigned long long)after.p_lclcopy);

	/* blocked child -> caller, an odd size */
	a = child_receiving(3, hold, 9);
	memset(pbuf, 0, BIG);
	rc = dvk_vcopy(3, cbuf + 5, ME, pbuf, 70001);
	CHECK_RC("vcopy from a blocked process to the caller", rc, OK);
	CHECK("the caller got the bytes", check(pbuf, 70001, 9 + 5 * 7) == OK &&
	      pbuf[70001] == 0, "mismatch");
	release(3, 0, 0, 0);
	wait_child(a, 3);

	/* third party: child 4 -> child 5, requested by the parent */
	a = child(4, hold, 21);
	b = child(5, hold, 99);
	wait_flags(4, RECEIVING, 2000);
	wait_flags(5, RECEIVING, 2000);
	rc = dvk_vcopy(4, cbuf, 5, cbuf, 4096);
	CHECK_RC("vcopy between two blocked processes requested by a third", rc, OK);
	release(4, 21, 4096, 1);
	release(5, 21, 4096, 1);
	CHECK_RC("the source is unchanged", wait_child(a, 4), OK);
	CHECK_RC("the destination holds the source's bytes", wait_child(b, 5), OK);
}

static void test_errors(void)
{
	pid_t a;
	int st;

	a = child_receiving(6, hold, 3);
	CHECK_RC("more than d_max_copylen gives EDVSRANGE",
		 dvk_vcopy(SELF, pbuf, 6, cbuf, BIG + 1), EDVSRANGE);
	CHECK_RC("a negative count gives EDVSRANGE", dvk_vcopy(SELF, pbuf, 6, cbuf, -1),
		 EDVSRANGE);
	CHECK_RC("vcopy of 0 bytes to a blocked process", dvk_vcopy(SELF, pbuf, 6, cbuf, 0), OK);
	CHECK_RC("source == destination gives EDVSENDPOINT", dvk_vcopy(6, cbuf, 6, cbuf, 10),
		 EDVSENDPOINT);
	CHECK_RC("ANY gives EDVSENDPOINT", dvk_vcopy(ANY, cbuf, 6, cbuf, 10), EDVSENDPOINT);
	CHECK_RC("an endpoint out of range gives EDVSRANGE", dvk_vcopy(SELF, pbuf, 400, cbuf, 10),
		 EDVSRANGE);
	CHECK_RC("a free slot as destination gives EDVSDSTDIED",
		 dvk_vcopy(SELF, pbuf, 7, cbuf, 10), EDVSDSTDIED);
	CHECK_RC("a free slot as source gives EDVSSRCDIED", dvk_vcopy(7, cbuf, SELF, pbuf, 10),
		 EDVSSRCDIED);
	CHECK_RC("HARDWARE as source gives EDVSBADDEST (the original's code)",
		 dvk_vcopy(HARDWARE, cbuf, SELF, pbuf, 10), EDVSBADDEST);
	CHECK_RC("HARDWARE as destination gives EDVSBADDEST",
		 dvk_vcopy(SELF, pbuf, HARDWARE, cbuf, 10), EDVSBADDEST);
	CHECK_RC("a bad source address in the other process gives EDVSFAULT",
		 dvk_vcopy(6, (void *)0x10, SELF, pbuf, 10), EDVSFAULT);
	CHECK_RC("a bad source address of the caller gives EDVSFAULT",
		 dvk_vcopy(SELF, (void *)0x10, 6, cbuf, 10), EDVSFAULT);
	CHECK_RC("a bad destination of the caller gives EDVSFAULT",
		 dvk_vcopy(6, cbuf, SELF, (void *)0x10, 10), EDVSFAULT);
	CHECK_RC("a read-only destination in the other process gives EDVSFAULT",
		 dvk_vcopy(SELF, pbuf, 6, (void *)rodata, 10), EDVSFAULT);
	release(6, 3, BIG, 1);
	CHECK_RC("failed copies left the destination untouched", wait_child(a, 6), OK);

	a = child(8, idle, 300);
	wait_bound(8);
	CHECK_RC("a destination that is not blocked gives EDVSPROCSTS",
		 dvk_vcopy(SELF, pbuf, 8, cbuf, 10), EDVSPROCSTS);
	wait_child(a, 8);

	a = fork();
	if (a == 0) {
		if (dvk_bind(DCID, 152) != 152)
			_exit(90);
		_exit(dvk_vcopy(SELF, pbuf, ME, pbuf, 10) == EDVSBADCALL ? 0 : 1);
	}
	st = -1;
	waitpid(a, &st, 0);
	CHECK("a user slot may not vcopy (EDVSBADCALL)", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "status %d", st);
}

static void test_trace(void)
{
	const char *inst = "dvk_test_vcopy";
	char *trace;
	pid_t a;

	CHECK("enable the vcopy event", !tracefs_instance(inst, "dvk_vcopy"), "failed");
	a = child_receiving(9, hold, 0);
	dvk_vcopy(SELF, pbuf, 9, cbuf, 12345);
	dvk_vcopy(SELF, (void *)0x10, 9, cbuf, 10);
	release(9, 0, 0, 0);
	wait_child(a, 9);
	trace = tracefs_collect(inst);
	{
		const char *ok[] = { "dvk_vcopy: ", "rqtr=1 src=1 dst=9 bytes=12345 result=0 " };
		const char *bad[] = { "dvk_vcopy: ", "rqtr=1 src=1 dst=9 bytes=10 result=-14 " };

		CHECK("one event per vcopy, with bytes and result", trace &&
		      tracefs_count(trace, 2, ok) == 1 && tracefs_count(trace, 2, bad) == 1,
		      "%s", trace ? trace : "no trace");
	}
	free(trace);
	tracefs_instance_remove(inst);
}

int main(void)
{
	if (!ipc_setup("VCOPY"))
		return 1;
	test_copies();
	test_errors();
	test_trace();
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	return CHECK_EXIT();
}
