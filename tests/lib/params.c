// SPDX-License-Identifier: GPL-2.0
/* params.c - the DVS and DC parameters of the kernel tests (params.h). */
#include <stdio.h>
#include "params.h"

dvs_usr_t dvs_params(const char *name)
{
	dvs_usr_t d = {
		.d_nr_dcs = NR_DCS, .d_nr_nodes = NR_NODES,
		.d_nr_procs = NR_PROCS, .d_nr_tasks = NR_TASKS, .d_nr_sysprocs = NR_SYS_PROCS,
		.d_max_copybuf = MAXCOPYBUF, .d_max_copylen = MAXCOPYLEN,
	};

	snprintf(d.d_name, sizeof(d.d_name), "%s", name);
	return d;
}

dc_usr_t dc_params(int dcid, const char *name)
{
	dc_usr_t d = {
		.dc_dcid = dcid, .dc_nr_procs = NR_PROCS, .dc_nr_tasks = NR_TASKS,
		.dc_nr_sysprocs = NR_SYS_PROCS, .dc_nr_nodes = NR_NODES,
		.dc_warn2proc = NONE, .dc_warnmsg = 0,
	};

	snprintf(d.dc_name, sizeof(d.dc_name), "%s", name);
	return d;
}
