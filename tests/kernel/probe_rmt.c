// SPDX-License-Identifier: GPL-2.0
/*
 * probe_rmt - known remote calls for dvkrmt.bt's test on two nodes
 * (tests/kernel/cluster-bpftrace.sh).
 *
 *   probe_rmt serve EP K        bind EP in DC 0, answer K sendrecs (receive +
 *                               send, the reply carrying the address of a
 *                               buffer in m1_p1), then receive the DONE send
 *                               (waiting there, it is the vcopy's target)
 *   probe_rmt call EP DST K B   bind EP, make K sendrecs to DST (remote),
 *                               then one vcopy of B bytes into DST's buffer
 *                               (B 0: none), then send DONE
 * Prints "probe_rmt: done" and exits 0 when every call returned OK, else
 * says which failed and exits 1; 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libdvk.h"

static char buf[65536];

static int serve(int ep, int k)
{
	message m;
	long r;

	for (int i = 0; i < k; i++) {
		r = dvk_receive_T(ANY, &m, 60000);
		if (r == 0) {
			m.m1_p1 = (uint64_t)(uintptr_t)buf;
			r = dvk_send_T(m.m_source, &m, 30000);
		}
		if (r) {
			fprintf(stderr, "probe_rmt: serve %d, request %d: %s\n", ep, i, dvk_strerror((int)r));
			return 1;
		}
	}
	r = dvk_receive_T(ANY, &m, 60000);	/* the vcopy needs us waiting */
	if (r)
		fprintf(stderr, "probe_rmt: serve %d, DONE: %s\n", ep, dvk_strerror((int)r));
	return r != 0;
}

static int call(int dst, int k, long bytes)
{
	message m;
	uint64_t addr = 0;
	long r;

	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < k; i++) {
		m = (message){ .m_type = 1 };
		r = dvk_sendrec_T(dst, &m, 30000);
		if (r) {
			fprintf(stderr, "probe_rmt: sendrec %d to %d: %s\n", i, dst, dvk_strerror((int)r));
			return 1;
		}
		addr = m.m1_p1;
	}
	r = EDVSPROCSTS;
	for (int t = 0; bytes > 0 && t < 100 && r == EDVSPROCSTS; t++) {
		usleep(200000);	/* until the server waits for DONE */
		r = dvk_vcopy(SELF, buf, dst, (void *)(uintptr_t)addr, bytes);
	}
	if (bytes > 0 && r) {
		fprintf(stderr, "probe_rmt: vcopy %ld bytes to %d: %s\n", bytes, dst, dvk_strerror((int)r));
		return 1;
	}
	m = (message){ .m_type = 2 };
	r = dvk_send_T(dst, &m, 30000);
	if (r)
		fprintf(stderr, "probe_rmt: DONE to %d: %s\n", dst, dvk_strerror((int)r));
	return r != 0;
}

int main(int argc, char **argv)
{
	int serving = argc == 4 && !strcmp(argv[1], "serve");
	int calling = argc == 6 && !strcmp(argv[1], "call");
	int ep, rc;
	long r;

	if (!serving && !calling) {
		fprintf(stderr, "usage: probe_rmt serve EP K | probe_rmt call EP DST K BYTES\n");
		return 2;
	}
	ep = atoi(argv[2]);
	r = dvk_bind(0, ep);
	if (r != ep) {
		fprintf(stderr, "probe_rmt: bind %d: %s\n", ep, dvk_strerror((int)r));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("probe_rmt: bound %d\n", ep);
	if (serving)
		rc = serve(ep, atoi(argv[3]));
	else
		rc = call(atoi(argv[3]), atoi(argv[4]), atol(argv[5]));
	dvk_unbind(0, ep);
	if (!rc)
		printf("probe_rmt: done\n");
	return rc;
}
