// SPDX-License-Identifier: LGPL-2.1
/* dvk_node.c - nodes and proxy pairs in libdvk (the original's names: docs/original-dvk.md#the-user-library). */
#include "libdvk.h"
#include "libdvk_private.h"

long dvk_getnodeinfo(int nodeid, node_usr_t *n)
{
	DVK_RETURN(DVK_GETNODEINFO, dvk_ipc(DVK_GETNODEINFO, nodeid, 0, 0, DVK_PTR(n), 0));
}

long dvk_node_up(char *name, int nodeid, int px_nr)
{
	DVK_RETURN(DVK_NODEUP, dvk_ipc(DVK_NODEUP, nodeid, (uint64_t)(int64_t)px_nr, 0,
				       DVK_PTR(name), 0));
}

long dvk_node_down(int nodeid)
{
	DVK_RETURN(DVK_NODEDOWN, dvk_ipc(DVK_NODEDOWN, nodeid, 0, 0, 0, 0));
}

long dvk_add_node(int dcid, int nodeid)
{
	DVK_RETURN(DVK_ADDNODE, dvk_ipc(DVK_ADDNODE, dcid, (uint64_t)(int64_t)nodeid, 0, 0, 0));
}

long dvk_del_node(int dcid, int nodeid)
{
	DVK_RETURN(DVK_DELNODE, dvk_ipc(DVK_DELNODE, dcid, (uint64_t)(int64_t)nodeid, 0, 0, 0));
}

long dvk_proxies_bind(char *name, int px_nr, int spid, int rpid, int maxbytes)
{
	DVK_RETURN(DVK_PROXYBIND, dvk_ipc(DVK_PROXYBIND, px_nr, (uint64_t)(int64_t)spid,
					  (uint64_t)(int64_t)rpid, DVK_PTR(name), maxbytes));
}

long dvk_proxies_unbind(int px_nr)
{
	DVK_RETURN(DVK_PROXYUNBIND, dvk_ipc(DVK_PROXYUNBIND, px_nr, 0, 0, 0, 0));
}

long dvk_proxy_conn(int px_nr, int status)
{
	DVK_RETURN(DVK_PROXYCONN, dvk_ipc(DVK_PROXYCONN, px_nr, (uint64_t)(int64_t)status, 0, 0, 0));
}

long dvk_getproxyinfo(int px_nr, proc_usr_t *sproxy, proc_usr_t *rproxy)
{
	DVK_RETURN(DVK_GETPROXYINFO, dvk_ipc(DVK_GETPROXYINFO, px_nr, DVK_PTR(sproxy),
					     DVK_PTR(rproxy), 0, 0));
}

long dvk_put2lcl(cmd_t *header, void *payload)
{
	DVK_RETURN(DVK_PUT2LCL, dvk_ipc(DVK_PUT2LCL, 0, DVK_PTR(header), DVK_PTR(payload), 0, 0));
}

long dvk_get2rmt_T(cmd_t *header, void *payload, long timeout_ms)
{
	DVK_RETURN(DVK_GET2RMT, dvk_ipc(DVK_GET2RMT, 0, DVK_PTR(header), DVK_PTR(payload), 0,
					timeout_ms));
}

long dvk_migrate(int oper, int pid, int dcid, int endpoint, int new_nodeid)
{
	DVK_RETURN(DVK_MIGRATE, dvk_ipc(DVK_MIGRATE, oper, (uint64_t)(int64_t)pid,
					(uint64_t)(int64_t)dcid, (uint64_t)(int64_t)endpoint,
					new_nodeid));
}
