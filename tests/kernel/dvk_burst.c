// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_burst - make an exact number of DVK calls, for tests that compare
 * what BPF and dvktop counted with what was done.
 *
 *   dvk_burst GETDVSINFO VOID0 INVALID
 * makes GETDVSINFO getdvsinfo calls (expected to succeed), VOID0 void0
 * calls (each fails with EDVSNOSYS) and INVALID calls with a malformed
 * call word; prints what it did and exits 1 if any result was unexpected.
 */
#include <stdio.h>
#include <stdlib.h>
#include "libdvk.h"

int main(int argc, char **argv)
{
	long n_info, n_void, n_bad, unexpected = 0;
	dvs_usr_t d;

	if (argc != 4) {
		fprintf(stderr, "usage: dvk_burst GETDVSINFO VOID0 INVALID\n");
		return 2;
	}
	n_info = atol(argv[1]);
	n_void = atol(argv[2]);
	n_bad = atol(argv[3]);
	for (long i = 0; i < n_info; i++)
		unexpected += dvk_getdvsinfo(&d) < 0;
	for (long i = 0; i < n_void; i++)
		unexpected += dvk_ipc(DVK_VOID0, 0, 0, 0, 0, 0) != EDVSNOSYS;
	for (long i = 0; i < n_bad; i++)
		unexpected += dvk_ipc_word(0x12345, 0, 0, 0, 0, 0) != EDVSNOSYS;
	printf("dvk_burst: getdvsinfo=%ld void0=%ld invalid=%ld unexpected=%ld\n", n_info, n_void,
	       n_bad, unexpected);
	return unexpected ? 1 : 0;
}
