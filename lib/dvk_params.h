/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * dvk_params.h - the dvs_init and dc_init parameters of the usual limits
 * (the NR_* constants of dvk.h), for the programs that initialise a DVS or
 * a DC when they find none: the tools and the tests.  Header-only, so
 * libdvk's ABI stays the calls of libdvk.h.
 */
#ifndef DVK_PARAMS_H
#define DVK_PARAMS_H

#include <stdio.h>
#include "libdvk.h"

/* A DVS of the usual limits named @name. */
static inline dvs_usr_t dvk_dvs_params(const char *name)
{
	dvs_usr_t d = {
		.d_nr_dcs = NR_DCS, .d_nr_nodes = NR_NODES,
		.d_nr_procs = NR_PROCS, .d_nr_tasks = NR_TASKS, .d_nr_sysprocs = NR_SYS_PROCS,
		.d_max_copybuf = MAXCOPYBUF, .d_max_copylen = MAXCOPYLEN,
	};

	snprintf(d.d_name, sizeof(d.d_name), "%s", name);
	return d;
}

/* DC @dcid of the usual limits named @name, warning no process at exit. */
static inline dc_usr_t dvk_dc_params(int dcid, const char *name)
{
	dc_usr_t d = {
		.dc_dcid = dcid, .dc_nr_procs = NR_PROCS, .dc_nr_tasks = NR_TASKS,
		.dc_nr_sysprocs = NR_SYS_PROCS, .dc_nr_nodes = NR_NODES,
		.dc_warn2proc = NONE, .dc_warnmsg = 0,
	};

	snprintf(d.dc_name, sizeof(d.dc_name), "%s", name);
	return d;
}

#endif /* DVK_PARAMS_H */
