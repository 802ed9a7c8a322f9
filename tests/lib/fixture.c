// SPDX-License-Identifier: GPL-2.0
/* fixture.c - the local set-up of the kernel tests (fixture.h). */
#include "fixture.h"

int ipc_setup(const char *name)
{
	dvs_usr_t d = dvk_dvs_params(name);
	dc_usr_t dc = dvk_dc_params(DCID, "DC0");

	if (!children_init())
		return 0;
	CHECK_RC("dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("dc_init", dvk_dc_init(&dc), 0);
	CHECK_RC("bind the parent", dvk_bind(DCID, ME), ME);
	return 1;
}
