/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fixture.h - the local set-up of the kernel tests: one DVS with DC 0 whose
 * parent process is bound to ME.
 *
 * The endpoints of these tests are system slots (p_nr + NR_TASKS <
 * NR_SYS_PROCS, so p_nr < 29) unless a test says otherwise: user slots may
 * only sendrec.
 */
#ifndef DVK_TESTS_FIXTURE_H
#define DVK_TESTS_FIXTURE_H

#include "libdvk.h"
#include "check.h"
#include "dvk_params.h"
#include "proc.h"

#define DCID		0
#define ME		1	/* the parent's endpoint (a system slot) */
#define WAIT_MS		5000	/* the parent never blocks for ever */

/*
 * The DVS (named name), DC0 and the parent bound to ME, with
 * children.result mapped; false if the map failed.  The calls are checks
 * (check_report lines).
 */
int ipc_setup(const char *name);

#endif /* DVK_TESTS_FIXTURE_H */
