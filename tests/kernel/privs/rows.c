// SPDX-License-Identifier: GPL-2.0
/*
 * privs/rows.c - the rows of test_privs: each of the 35 calls (some more than
 * once), the target its caller tries, the result expected of every class, the
 * footnote of docs/security.md, and the functions of its cell.
 */
#include "privs.h"

#define W4(...)		W4_(__VA_ARGS__)
#define W4_(u, ub, sb, r)	{ u, ub, sb, r, NA, NA }
#define WP(ps, pr)		{ NA, NA, NA, NA, ps, pr }
#define PRIV3			EDVSPRIVILEGES, EDVSPRIVILEGES, EDVSPRIVILEGES

const struct row rows[] = {
	{ DVK_VOID0, "void0", "(no such call)", true, false, 0,
	  W4(EDVSNOSYS, EDVSNOSYS, EDVSNOSYS, EDVSNOSYS),
	  "Number 0 has no handler: EDVSNOSYS for every caller, before any check.",
	  NULL, NULL, f_void0, NULL },
	{ DVK_DC_INIT, "dc_init", "start DC 1 (free)", true, false, 0,
	  W4(PRIV3, OK),
	  "Every control call checks CAP_SYS_ADMIN before anything else (arguments, state, "
	  "binding). R: dc_init returns the node id, 0 here.",
	  NULL, NULL, f_dc_init, t_dc1 },
	{ DVK_SEND, "send", "to a root server (slot 2) in receive(ANY)", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "IPC calls check no capability: the caller's slot decides. A user slot may make "
	  "only sendrec, unbind, getep and wait4bind (its priv_dvk_allowed: EDVSBADCALL), a "
	  "system slot every call; by default every slot may send to every slot (priv_ipc_to). "
	  "The test also checks that the server got the message, or nothing.",
	  s_receiver, NULL, f_send, t_send },
	{ DVK_RECEIVE, "receive", "receive(ANY) with a root sender (slot 2) queued on the caller",
	  true, true, 0, W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "U has no endpoint for a sender to queue on; the test also checks that the queued "
	  "sender's message was taken, or not.",
	  NULL, a_sender, f_receive, t_receive },
	{ DVK_NOTIFY, "notify", "SELF to a root server (slot 2) in receive(ANY)", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "The destination must be a system slot (EDVSTRAPDENIED otherwise). The server got the "
	  "notify, or nothing.",
	  s_receiver, NULL, f_notify, t_notify },
	{ DVK_NOTIFY, "notify", "from HARDWARE (dcid 0) to a root server (slot 2) in receive(ANY)",
	  false, false, 0, W4(PRIV3, OK),
	  "A HARDWARE notify speaks for the kernel: CAP_SYS_ADMIN, no binding needed.",
	  s_receiver, NULL, f_hdw_notify, t_hdw_notify },
	{ DVK_SENDREC, "sendrec", "to a root server (slot 2) in rcvrqst", true, true, 0,
	  W4(EDVSNOTBIND, OK, OK, OK),
	  "The one IPC call of user slots. The server took the request and replied, or got none.",
	  s_server, NULL, f_sendrec, t_sendrec },
	{ DVK_RCVRQST, "rcvrqst", "with a root client (slot 4) queued in sendrec on the caller",
	  true, true, 0, W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "The client's request was taken (it gets EDVSSRCDIED when the caller exits without "
	  "replying) or not (EDVSDSTDIED).",
	  NULL, a_client, f_rcvrqst, t_rcvrqst },
	{ DVK_REPLY, "reply", "to a root client (slot 4) in sendrec on the caller", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "The caller first takes the request with rcvrqst (refused to U and UB), then replies; "
	  "the client got the reply, or none.",
	  NULL, a_client, f_reply, t_reply },
	{ DVK_DC_END, "dc_end", "end DC 1 (running, empty)", true, false, 0,
	  W4(PRIV3, OK), NULL,
	  s_dc1, NULL, f_dc_end, t_dc1_end },
	{ DVK_BIND, "bind", "SELF_BIND itself into free system slot 20", true, false, 0,
	  W4(PRIV3, FREE_EP),
	  "Every bind type needs CAP_SYS_ADMIN, so an unprivileged process is bound by root: "
	  "LCL_BIND by pid (how this test binds UB and SB), or it binds itself while root and "
	  "drops its privileges after (a binding is by pid and survives setuid). R: returns the "
	  "endpoint, 20.",
	  NULL, NULL, f_bind_self, NULL },
	{ DVK_BIND, "bind", "LCL_BIND of an unbound uid 65534 process into free slot 20", false,
	  false, 0, W4(PRIV3, FREE_EP), NULL,
	  s_bind_other, NULL, f_bind_other, t_helpers },
	{ DVK_UNBIND, "unbind", "a root process bound in DC 0 (slot 3)", true, false, 0,
	  W4(PRIV3, EDVSAGAIN),
	  "Unbinding another local process needs CAP_SYS_ADMIN or kill(2)'s permission to "
	  "signal it (same uid, or CAP_KILL); otherwise EDVSPRIVILEGES and no signal (the root "
	  "target counts its SIGTERMs: 0). An allowed unbind of another process sends it "
	  "SIGTERM; an unbound caller does not wait for it to go (EDVSAGAIN), a bound one does.",
	  s_counting, NULL, f_unbind_tgt, t_counting },
	{ DVK_UNBIND, "unbind", "a uid 65534 process bound in DC 0 (slot 3)", false, false, 0,
	  W4(EDVSAGAIN, OK, OK, EDVSAGAIN),
	  "Same uid: allowed. The target dies of the SIGTERM; bound callers wait for it (OK).",
	  s_same_uid, NULL, f_unbind_same, t_same_uid },
	{ DVK_UNBIND, "unbind", "itself", false, true, 0, W4(NA, OK, OK, OK),
	  "Unbinding oneself is always allowed (U has no binding).",
	  NULL, NULL, f_unbind_self, NULL },
	{ DVK_UNBIND, "unbind", "the remote descriptor of node 1's process (slot 5)", false, false,
	  0, W4(PRIV3, OK),
	  "Unbinding a remote descriptor needs CAP_SYS_ADMIN.",
	  NULL, NULL, f_unbind_rmt, t_rmt },
	{ DVK_GETPRIV, "getpriv", "of a bound root process (slot 6)", true, false, 0,
	  W4(PRIV3, OK), NULL, NULL, NULL, f_getpriv, NULL },
	{ DVK_SETPRIV, "setpriv", "of a bound root process (slot 6), its current values", true,
	  false, 0, W4(PRIV3, OK), NULL, NULL, NULL, f_setpriv, NULL },
	{ DVK_VCOPY, "vcopy", "64 bytes from itself to a root server (slot 2) in receive(ANY)",
	  true, true, 0, W4(PRIV3, OK),
	  "vcopy needs CAP_SYS_ADMIN (checked first) and a system slot: an unprivileged server "
	  "in a system slot cannot vcopy. The server's buffer holds the bytes, or is untouched.",
	  s_receiver, NULL, f_vcopy, t_vcopy },
	{ DVK_GETDCINFO, "getdcinfo", "DC 0", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getdcinfo, NULL },
	{ DVK_GETPROCINFO, "getprocinfo", "slot 6 of DC 0", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getprocinfo, NULL },
	{ DVK_RELAY, "relay", "to a bound endpoint (slot 6)", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "A no-op kept for compatibility: OK for a bound caller allowed the call.",
	  NULL, NULL, f_relay, NULL },
	{ DVK_PROXYBIND, "proxies_bind", "pair 2 (free) to two unbound root processes", true,
	  false, 0, W4(PRIV3, OK), NULL, s_px2, NULL, f_proxies_bind, t_px2 },
	{ DVK_PROXYUNBIND, "proxies_unbind", "pair 2 (in use)", true, false, 0, W4(PRIV3, OK),
	  NULL, s_px2_bound, NULL, f_proxies_unbind, t_px2 },
	{ DVK_GETNODEINFO, "getnodeinfo", "node 1", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getnodeinfo, NULL },
	{ DVK_PUT2LCL, "put2lcl", "a heartbeat (CMD_NONE) from node 1", true, false, 0,
	  W4(EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY),
	  "get2rmt and put2lcl are the proxies' calls: refused to anyone but the bound proxies "
	  "of a pair, root included (table of the proxies below).",
	  NULL, NULL, f_put2lcl, NULL },
	{ DVK_GET2RMT, "get2rmt", "the next command of pair 1, timeout 0", true, false, 0,
	  W4(EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY), NULL,
	  NULL, NULL, f_get2rmt, NULL },
	{ DVK_ADDNODE, "add_node", "node 2 (attached) to DC 0", true, false, 0, W4(PRIV3, OK),
	  NULL, NULL, NULL, f_add_node, t_node2 },
	{ DVK_DELNODE, "del_node", "node 2 from DC 0", true, false, 0, W4(PRIV3, OK), NULL,
	  s_node2_member, NULL, f_del_node, t_node2 },
	{ DVK_DVSINIT, "dvs_init", "node 0", true, false, 3, W4(PRIV3, OK),
	  "R ran last, after its dvs_end: returns the node id, 0 (on a running DVS root gets "
	  "EDVSDVSBUSY; the others get EDVSPRIVILEGES either way).",
	  NULL, NULL, f_dvs_init, t_dvs },
	{ DVK_DVSEND, "dvs_end", "the running DVS", true, false, 2, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_dvs_end, t_dvs },
	{ DVK_GETEP, "getep", "pid of a bound root process (slot 6)", true, true, 0,
	  W4(PRIV3, PT),
	  "getep is in the user slots' priv_dvk_allowed, but needs CAP_SYS_ADMIN (checked "
	  "first) and a bound caller: no unprivileged process can use it. R: returns the "
	  "endpoint, 6.",
	  NULL, NULL, f_getep, NULL },
	{ DVK_GETDVSINFO, "getdvsinfo", "", true, false, 0, W4(PRIV3, OK),
	  "R: returns the node id, 0.", NULL, NULL, f_getdvsinfo, NULL },
	{ DVK_PROXYCONN, "proxy_conn", "DISCONNECT_SPROXY of pair 1 (connected)", true, false, 0,
	  W4(PRIV3, OK), NULL, NULL, NULL, f_proxy_conn, t_reconnect },
	{ DVK_WAIT4BIND, "wait4bind", "WAIT_BIND of bound slot 6, 1 s", true, true, 0,
	  W4(EDVSNOTBIND, PT, PT, PT),
	  "No capability and no priv_dvk_allowed bit: any bound caller may watch any endpoint "
	  "of its DC. Returns the endpoint, 6.",
	  NULL, NULL, f_wait4bind, NULL },
	{ DVK_WAIT4BIND, "wait4bind", "WAIT_BIND of SELF, timeout 0", false, false, 0,
	  W4(EDVSTIMEDOUT, UB_EP, SB_EP, EDVSTIMEDOUT),
	  "How a process bound by another waits for its binding: its endpoint (40, 10), or "
	  "EDVSTIMEDOUT while unbound (the original's code when it does not wait).",
	  NULL, NULL, f_wait4bind_self, NULL },
	{ DVK_MIGRATE, "migrate", "MIGR_START of bound slot 6", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_migrate, t_migrate },
	{ DVK_NODEUP, "node_up", "node 3 through pair 1", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_node_up, t_node3 },
	{ DVK_NODEDOWN, "node_down", "node 3 (attached)", true, false, 0, W4(PRIV3, OK), NULL,
	  s_node3, NULL, f_node_down, t_node3 },
	{ DVK_GETPROXYINFO, "getproxyinfo", "pair 1", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getproxyinfo, NULL },
	{ DVK_WAKEUPEP, "wakeup", "a root server (slot 2) in receive(ANY)", true, false, 0,
	  W4(PRIV3, OK),
	  "The server still waits after a refused wakeup; after R's, its receive returned "
	  "EDVSWOKENUP.",
	  s_receiver, NULL, f_wakeup, t_wakeup },
	/* the bound proxies of pair 1 (uid 65534) */
	{ DVK_PROXYUNBIND, "proxies_unbind", "its own pair (pair 1)", false, false, 0,
	  WP(EDVSPRIVILEGES, EDVSPRIVILEGES),
	  "Unprivileged proxies cannot free their own pair (dvk-proxy does on SIGTERM: it must "
	  "run as root, or be helped by root).",
	  NULL, NULL, f_proxies_unbind_own, NULL },
	{ DVK_PUT2LCL, "put2lcl", "a heartbeat (CMD_NONE) from node 1", false, false, 0,
	  WP(EDVSBADCALL, OK),
	  "Each proxy may make only its own data call: put2lcl the receiver, get2rmt the sender "
	  "(the other one gets EDVSBADCALL). No capability is checked: being bound as a proxy "
	  "by root (proxies_bind) is the privilege, so proxies of uid 65534 work.",
	  NULL, NULL, f_put2lcl, NULL },
	{ DVK_GET2RMT, "get2rmt", "the next command of its pair, timeout 0", false, false, 0,
	  WP(EDVSTIMEDOUT, EDVSBADCALL),
	  "The sender proxy finds no command queued: EDVSTIMEDOUT (it would send a heartbeat).",
	  NULL, NULL, f_get2rmt, NULL },
};
const int nrows = sizeof(rows) / sizeof(rows[0]);
