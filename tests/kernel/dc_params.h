/* SPDX-License-Identifier: GPL-2.0 */
/* dc_params.h - the dc_init parameters the kernel tests use: the DVS's own limits. */
#ifndef DVK_TESTS_DC_PARAMS_H
#define DVK_TESTS_DC_PARAMS_H

#include <stdio.h>
#include "libdvk.h"

static inline dc_usr_t dc_params(int dcid, const char *name)
{
	dc_usr_t d = {
		.dc_dcid = dcid, .dc_nr_procs = NR_PROCS, .dc_nr_tasks = NR_TASKS,
		.dc_nr_sysprocs = NR_SYS_PROCS, .dc_nr_nodes = NR_NODES,
		.dc_warn2proc = NONE, .dc_warnmsg = 0,
	};

	snprintf(d.dc_name, sizeof(d.dc_name), "%s", name);
	return d;
}

#endif /* DVK_TESTS_DC_PARAMS_H */
