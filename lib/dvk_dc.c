// SPDX-License-Identifier: LGPL-2.1
/* dvk_dc.c - DC and endpoint calls of libdvk. */
#include "libdvk.h"
#include "libdvk_private.h"

long dvk_dc_init(dc_usr_t *dcu_ptr)
{
	DVK_ENTRY(dc_init, dcu_ptr);
	DVK_RETURN(dc_init, dvk_kcall(DVK_DC_INIT, 0, 0, 0, DVK_PTR(dcu_ptr), 0));
}

long dvk_dc_end(int dcid)
{
	DVK_ENTRY(dc_end, dcid);
	DVK_RETURN(dc_end, dvk_kcall(DVK_DC_END, dcid, 0, 0, 0, 0));
}

long dvk_getdcinfo(int dcid, dc_usr_t *dcu_ptr)
{
	DVK_ENTRY(getdcinfo, dcid, dcu_ptr);
	DVK_RETURN(getdcinfo, dvk_kcall(DVK_GETDCINFO, dcid, 0, 0, DVK_PTR(dcu_ptr), 0));
}

long dvk_bind_X(int cmd, int dcid, long pid, int endpoint, int nodeid)
{
	DVK_ENTRY(bind, cmd, dcid, pid, endpoint, nodeid);
	DVK_RETURN(bind, dvk_kcall(DVK_BIND, cmd, (uint64_t)dcid, (uint64_t)pid,
				   (uint64_t)(int64_t)endpoint, nodeid));
}

long dvk_unbind_T(int dcid, int proc_ep, long timeout_ms)
{
	DVK_ENTRY(unbind, dcid, proc_ep, timeout_ms);
	DVK_RETURN(unbind, dvk_kcall(DVK_UNBIND, dcid, (uint64_t)(int64_t)proc_ep,
				     (uint64_t)(int64_t)timeout_ms, 0, 0));
}

long dvk_getep(int pid)
{
	DVK_ENTRY(getep, pid);
	DVK_RETURN(getep, dvk_kcall(DVK_GETEP, pid, 0, 0, 0, 0));
}

long dvk_getprocinfo(int dcid, int p_nr, proc_usr_t *p_usr)
{
	DVK_ENTRY(getprocinfo, dcid, p_nr, p_usr);
	DVK_RETURN(getprocinfo, dvk_kcall(DVK_GETPROCINFO, dcid, (uint64_t)(int64_t)p_nr, 0,
					  DVK_PTR(p_usr), 0));
}

long dvk_wait4bindep_X(int oper, int endpoint, long timeout_ms)
{
	DVK_ENTRY(wait4bind, oper, endpoint, timeout_ms);
	DVK_RETURN(wait4bind, dvk_kcall(DVK_WAIT4BIND, oper, (uint64_t)(int64_t)endpoint,
					(uint64_t)(int64_t)timeout_ms, 0, 0));
}

long dvk_getpriv(int dcid, int proc_ep, priv_usr_t *u)
{
	DVK_ENTRY(getpriv, dcid, proc_ep, u);
	DVK_RETURN(getpriv, dvk_kcall(DVK_GETPRIV, dcid, (uint64_t)(int64_t)proc_ep, 0,
				      DVK_PTR(u), 0));
}

long dvk_setpriv(int dcid, int proc_ep, priv_usr_t *u)
{
	DVK_ENTRY(setpriv, dcid, proc_ep, u);
	DVK_RETURN(setpriv, dvk_kcall(DVK_SETPRIV, dcid, (uint64_t)(int64_t)proc_ep, 0,
				      DVK_PTR(u), 0));
}
