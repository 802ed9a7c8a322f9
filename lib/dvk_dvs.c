// SPDX-License-Identifier: LGPL-2.1
/* dvk_dvs.c - DVS calls of libdvk. */
#include "libdvk.h"
#include "libdvk_private.h"

long dvk_dvs_init(int nodeid, dvs_usr_t *dvsu_ptr)
{
	DVK_ENTRY(dvs_init, nodeid, dvsu_ptr);
	DVK_RETURN(dvs_init, dvk_kcall(DVK_DVSINIT, nodeid, 0, 0, DVK_PTR(dvsu_ptr), 0));
}

long dvk_dvs_end(void)
{
	DVK_ENTRY(dvs_end);
	DVK_RETURN(dvs_end, dvk_kcall(DVK_DVSEND, 0, 0, 0, 0, 0));
}

long dvk_getdvsinfo(dvs_usr_t *dvsu_ptr)
{
	DVK_ENTRY(getdvsinfo, dvsu_ptr);
	DVK_RETURN(getdvsinfo, dvk_kcall(DVK_GETDVSINFO, 0, 0, 0, DVK_PTR(dvsu_ptr), 0));
}
