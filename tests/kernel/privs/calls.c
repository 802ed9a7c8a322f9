// SPDX-License-Identifier: GPL-2.0
/*
 * privs/calls.c - the cell bodies of test_privs: the one call each caller
 * makes, run in the caller (forked, of its class) or in a proxy of pair PX.
 */
#include <string.h>
#include <unistd.h>
#include "privs.h"
#include "dvk_params.h"


long f_void0(struct ctx *c) { UNUSED(c); return dvk_ipc(DVK_VOID0, 0, 0, 0, 0, 0); }
long f_dc_init(struct ctx *c)
{
	dc_usr_t d = dvk_dc_params(DC1, "DC1");

	UNUSED(c);
	return dvk_dc_init(&d);
}
long f_send(struct ctx *c)
{
	message m = { .m_type = 2 };

	UNUSED(c);
	return dvk_send_T(SRV, &m, 2000);
}
long f_receive(struct ctx *c)
{
	message m;

	UNUSED(c);
	return dvk_receive_T(ANY, &m, 2000);
}
long f_notify(struct ctx *c) { UNUSED(c); return dvk_ntfy_value(SELF, SRV, 5); }
long f_hdw_notify(struct ctx *c) { UNUSED(c); return dvk_hdw_notify(DCID, SRV); }
long f_sendrec(struct ctx *c)
{
	message m = { .m_type = 5 };

	UNUSED(c);
	return dvk_sendrec_T(SRV, &m, 3000);
}
long f_rcvrqst(struct ctx *c)
{
	message m;

	UNUSED(c);
	return dvk_rcvrqst_T(&m, 2000);
}
long f_reply(struct ctx *c)
{
	message m;

	UNUSED(c);
	dvk_rcvrqst_T(&m, 2000);	/* take the request first (refused to U and UB) */
	m.m_type = 7;
	return dvk_reply_T(CLI, &m, 1000);
}
long f_dc_end(struct ctx *c) { UNUSED(c); return dvk_dc_end(DC1); }
long f_bind_self(struct ctx *c)
{
	UNUSED(c);
	return dvk_bind_X(SELF_BIND, DCID, getpid(), FREE_EP, LOCALNODE);
}
pid_t bind_helper;		/* the unbound process of f_bind_other */
long f_bind_other(struct ctx *c) { UNUSED(c); return dvk_lclbind(DCID, bind_helper, FREE_EP); }
long f_unbind_tgt(struct ctx *c) { UNUSED(c); return dvk_unbind_T(DCID, TGT, 2000); }
long f_unbind_same(struct ctx *c) { UNUSED(c); return dvk_unbind_T(DCID, TGT, 3000); }
long f_unbind_self(struct ctx *c) { return dvk_unbind_T(DCID, c->ep, 0); }
long f_unbind_rmt(struct ctx *c) { UNUSED(c); return dvk_unbind_T(DCID, RMT, 0); }
long f_getpriv(struct ctx *c)
{
	priv_usr_t u;

	UNUSED(c);
	return dvk_getpriv(DCID, PT, &u);
}
long f_setpriv(struct ctx *c)
{
	priv_usr_t u = pt_priv;

	UNUSED(c);
	return dvk_setpriv(DCID, PT, &u);
}
long f_vcopy(struct ctx *c) { UNUSED(c); return dvk_vcopy(SELF, vpattern, SRV, vbuf, VLEN); }
long f_getdcinfo(struct ctx *c)
{
	dc_usr_t d;

	UNUSED(c);
	return dvk_getdcinfo(DCID, &d);
}
long f_getprocinfo(struct ctx *c)
{
	proc_usr_t u;

	UNUSED(c);
	return dvk_getprocinfo(DCID, PT, &u);
}
long f_relay(struct ctx *c)
{
	message m = { .m_type = 16 };

	UNUSED(c);
	return dvk_relay(PT, &m);
}
pid_t px2_pids[2];		/* the two unbound processes of pair PX2 */
long f_proxies_bind(struct ctx *c)
{
	UNUSED(c);
	return dvk_proxies_bind("px2", PX2, px2_pids[0], px2_pids[1], 4096);
}
long f_proxies_unbind(struct ctx *c) { UNUSED(c); return dvk_proxies_unbind(PX2); }
long f_proxies_unbind_own(struct ctx *c) { UNUSED(c); return dvk_proxies_unbind(PX); }
long f_getnodeinfo(struct ctx *c)
{
	node_usr_t n;

	UNUSED(c);
	return dvk_getnodeinfo(NODE1, &n);
}
long f_put2lcl(struct ctx *c)
{
	cmd_t h;

	UNUSED(c);
	memset(&h, 0, sizeof(h));
	h.c_cmd = CMD_NONE;	/* a heartbeat from node 1 */
	h.c_dcid = DCID;
	h.c_src = NONE;
	h.c_dst = NONE;
	h.c_snode = NODE1;
	h.c_dnode = 0;
	return dvk_put2lcl(&h, NULL);
}
long f_get2rmt(struct ctx *c)
{
	static char payload[MAXCOPYBUF];
	cmd_t h;

	UNUSED(c);
	return dvk_get2rmt_T(&h, payload, 0);
}
long f_add_node(struct ctx *c) { UNUSED(c); return dvk_add_node(DCID, NODE2); }
long f_del_node(struct ctx *c) { UNUSED(c); return dvk_del_node(DCID, NODE2); }
long f_dvs_init(struct ctx *c)
{
	dvs_usr_t d = dvk_dvs_params("PRIVS");

	UNUSED(c);
	return dvk_dvs_init(0, &d);
}
long f_dvs_end(struct ctx *c) { UNUSED(c); return dvk_dvs_end(); }
long f_getep(struct ctx *c) { UNUSED(c); return dvk_getep(pt_pid); }
long f_getdvsinfo(struct ctx *c)
{
	dvs_usr_t d;

	UNUSED(c);
	return dvk_getdvsinfo(&d);
}
long f_proxy_conn(struct ctx *c) { UNUSED(c); return dvk_proxy_conn(PX, DISCONNECT_SPROXY); }
long f_wait4bind(struct ctx *c) { UNUSED(c); return dvk_wait4bindep_T(PT, 1000); }
long f_wait4bind_self(struct ctx *c) { UNUSED(c); return dvk_wait4bind_T(0); }
long f_migrate(struct ctx *c) { UNUSED(c); return dvk_migr_start(DCID, PT); }
long f_node_up(struct ctx *c) { UNUSED(c); return dvk_node_up("node3", NODE3, PX); }
long f_node_down(struct ctx *c) { UNUSED(c); return dvk_node_down(NODE3); }
long f_getproxyinfo(struct ctx *c)
{
	proc_usr_t s, r;

	UNUSED(c);
	return dvk_getproxyinfo(PX, &s, &r);
}
long f_wakeup(struct ctx *c) { UNUSED(c); return dvk_wakeup(DCID, SRV); }
