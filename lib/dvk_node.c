// SPDX-License-Identifier: LGPL-2.1
/* dvk_node.c - nodes and proxy pairs in libdvk (the original's names: docs/original-dvk.md#the-user-library). */
#include "libdvk.h"
#include "libdvk_private.h"

long dvk_getnodeinfo(int nodeid, node_usr_t *n)
{
	DVK_ENTRY(getnodeinfo, nodeid, n);
	DVK_RETURN(getnodeinfo, dvk_kcall(DVK_GETNODEINFO, nodeid, 0, 0, DVK_PTR(n), 0));
}

long dvk_node_up(char *name, int nodeid, int px_nr)
{
	DVK_ENTRY(node_up, name, nodeid, px_nr);
	DVK_RETURN(node_up, dvk_kcall(DVK_NODEUP, nodeid, (uint64_t)(int64_t)px_nr, 0,
				      DVK_PTR(name), 0));
}

long dvk_node_down(int nodeid)
{
	DVK_ENTRY(node_down, nodeid);
	DVK_RETURN(node_down, dvk_kcall(DVK_NODEDOWN, nodeid, 0, 0, 0, 0));
}

long dvk_add_node(int dcid, int nodeid)
{
	DVK_ENTRY(add_node, dcid, nodeid);
	DVK_RETURN(add_node, dvk_kcall(DVK_ADDNODE, dcid, (uint64_t)(int64_t)nodeid, 0, 0, 0));
}

long dvk_del_node(int dcid, int nodeid)
{
	DVK_ENTRY(del_node, dcid, nodeid);
	DVK_RETURN(del_node, dvk_kcall(DVK_DELNODE, dcid, (uint64_t)(int64_t)nodeid, 0, 0, 0));
}

long dvk_proxies_bind(char *name, int px_nr, int spid, int rpid, int maxbytes)
{
	DVK_ENTRY(proxies_bind, name, px_nr, spid, rpid, maxbytes);
	DVK_RETURN(proxies_bind, dvk_kcall(DVK_PROXYBIND, px_nr, (uint64_t)(int64_t)spid,
					   (uint64_t)(int64_t)rpid, DVK_PTR(name), maxbytes));
}

long dvk_proxies_unbind(int px_nr)
{
	DVK_ENTRY(proxies_unbind, px_nr);
	DVK_RETURN(proxies_unbind, dvk_kcall(DVK_PROXYUNBIND, px_nr, 0, 0, 0, 0));
}

long dvk_proxy_conn(int px_nr, int status)
{
	DVK_ENTRY(proxy_conn, px_nr, status);
	DVK_RETURN(proxy_conn, dvk_kcall(DVK_PROXYCONN, px_nr, (uint64_t)(int64_t)status, 0, 0, 0));
}

long dvk_getproxyinfo(int px_nr, proc_usr_t *sproxy, proc_usr_t *rproxy)
{
	DVK_ENTRY(getproxyinfo, px_nr, sproxy, rproxy);
	DVK_RETURN(getproxyinfo, dvk_kcall(DVK_GETPROXYINFO, px_nr, DVK_PTR(sproxy),
					   DVK_PTR(rproxy), 0, 0));
}

long dvk_put2lcl(cmd_t *header, void *payload)
{
	DVK_ENTRY(put2lcl, header, payload);
	DVK_RETURN(put2lcl, dvk_kcall(DVK_PUT2LCL, 0, DVK_PTR(header), DVK_PTR(payload), 0, 0));
}

long dvk_get2rmt_T(cmd_t *header, void *payload, long timeout_ms)
{
	DVK_ENTRY(get2rmt, header, payload, timeout_ms);
	DVK_RETURN(get2rmt, dvk_kcall(DVK_GET2RMT, 0, DVK_PTR(header), DVK_PTR(payload), 0,
				      timeout_ms));
}

long dvk_migrate(int oper, int pid, int dcid, int endpoint, int new_nodeid)
{
	DVK_ENTRY(migrate, oper, pid, dcid, endpoint, new_nodeid);
	DVK_RETURN(migrate, dvk_kcall(DVK_MIGRATE, oper, (uint64_t)(int64_t)pid,
				      (uint64_t)(int64_t)dcid, (uint64_t)(int64_t)endpoint,
				      new_nodeid));
}
