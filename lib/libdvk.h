/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libdvk.h - the C user API of DVK, with the original DVK function names.
 *
 * Return convention (as the original libdvk): 0 or a positive value on
 * success, a negative EDVS code on failure.  Calls that return endpoints
 * (bind, getep, wait4bind) fail only below EDVSERRCODE, since kernel-task
 * endpoints are negative.
 *
 * The library opens /dev/dvk on first use; dvk_open() may be called first
 * to get a clear error early.  Errors are silent unless the environment
 * variable DVK_LIBDEBUG is set, then each failure prints
 * "ERROR: <pid>:<func>:<line>: rcode=<n> (<name>)" on stderr as the
 * original library did.
 */
#ifndef LIBDVK_H
#define LIBDVK_H

#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <dvk.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Transport */
int dvk_open(void);
void dvk_close(void);
long dvk_ipc(int nr, int first, uint64_t second, uint64_t third, uint64_t ptr, int64_t fifth);
long dvk_ipc_word(uint32_t word, int first, uint64_t second, uint64_t third, uint64_t ptr,
		  int64_t fifth);

/* DVS */
long dvk_dvs_init(int nodeid, dvs_usr_t *dvsu_ptr);
long dvk_dvs_end(void);
long dvk_getdvsinfo(dvs_usr_t *dvsu_ptr);

/* DCs */
long dvk_dc_init(dc_usr_t *dcu_ptr);
long dvk_dc_end(int dcid);
long dvk_getdcinfo(int dcid, dc_usr_t *dcu_ptr);

/* Endpoints.  bind returns the endpoint (negative for kernel tasks). */
long dvk_bind_X(int cmd, int dcid, long pid, int endpoint, int nodeid);
long dvk_unbind_T(int dcid, int proc_ep, long timeout_ms);
long dvk_getep(int pid);
long dvk_getprocinfo(int dcid, int p_nr, proc_usr_t *p_usr);
long dvk_getpriv(int dcid, int proc_ep, priv_usr_t *u);
long dvk_setpriv(int dcid, int proc_ep, priv_usr_t *u);

/* the calling thread, as the original (pid -1); tbind names it by its tid */
#define dvk_bind(dcid, ep)	dvk_bind_X(SELF_BIND, dcid, PROC_NO_PID, ep, LOCALNODE)
#define dvk_tbind(dcid, ep)	dvk_bind_X(SELF_BIND, dcid, (long)syscall(SYS_gettid), ep, LOCALNODE)
#define dvk_lclbind(dcid, pid, ep)	dvk_bind_X(LCL_BIND, dcid, pid, ep, LOCALNODE)
#define dvk_rmtbind(dcid, name, ep, nodeid)					\
	dvk_bind_X(RMT_BIND, dcid, (long)(uintptr_t)(name), ep, nodeid)
#define dvk_bkupbind(dcid, pid, ep, nodeid)	dvk_bind_X(BKUP_BIND, dcid, pid, ep, nodeid)
#define dvk_replbind(dcid, pid, ep)	dvk_bind_X(REPLICA_BIND, dcid, pid, ep, LOCALNODE)
#define dvk_umbind(dcid, pid, ep)	dvk_bind_X(USERMODE_BIND, dcid, pid, ep, LOCALNODE)
#define dvk_unbind(dcid, ep)	dvk_unbind_T(dcid, ep, TIMEOUT_FOREVER)

/* Messages.  Plain names wait forever; _T variants take a timeout in ms. */
long dvk_send_T(int dst_ep, message *m, long timeout_ms);
long dvk_receive_T(int src_ep, message *m, long timeout_ms);
long dvk_sendrec_T(int srcdst_ep, message *m, long timeout_ms);
long dvk_rcvrqst_T(message *m, long timeout_ms);
long dvk_reply_T(int dst_ep, message *m, long timeout_ms);
long dvk_relay(int dst_ep, message *m);
#define dvk_send(dst, m)	dvk_send_T(dst, m, TIMEOUT_FOREVER)
#define dvk_receive(src, m)	dvk_receive_T(src, m, TIMEOUT_FOREVER)
#define dvk_sendrec(ep, m)	dvk_sendrec_T(ep, m, TIMEOUT_FOREVER)
#define dvk_rcvrqst(m)		dvk_rcvrqst_T(m, TIMEOUT_FOREVER)
#define dvk_reply(dst, m)	dvk_reply_T(dst, m, TIMEOUT_FOREVER)

/*
 * notify(src_nr, dst_ep, value): src_nr SELF (the caller), the caller's own
 * p_nr, or HARDWARE (then value is the dcid and the caller need not be
 * bound); otherwise value 0..31 also sets that bit of the destination's
 * update mask (delivered in NOTIFY_FLAGS), any other value sets none.
 */
long dvk_notify_X(int src_nr, int dst_ep, int value);
#define dvk_notify(dst)			dvk_notify_X(SELF, dst, HARDWARE)
#define dvk_hdw_notify(dcid, dst)	dvk_notify_X(HARDWARE, dst, dcid)
#define dvk_ntfy_value(src, dst, value)	dvk_notify_X(src, dst, value)
#define dvk_src_notify(src, dst)	dvk_notify_X(src, dst, HARDWARE)

/* vcopy: bytes from src_ep's src_addr to dst_ep's dst_addr (SELF allowed). */
long dvk_vcopy(int src_ep, const void *src_addr, int dst_ep, void *dst_addr, long bytes);
/* wakeup: end dcid/proc_ep's receive(ANY) with EDVSWOKENUP, or mark it. */
long dvk_wakeup(int dcid, int proc_ep);

/* Nodes and proxy pairs (CAP_SYS_ADMIN).  node_up's px_nr is the pair that
 * reaches the node; proxy_conn's status is CONNECT_SPROXY .. DISCONNECT_RPROXY. */
long dvk_getnodeinfo(int nodeid, node_usr_t *n);
long dvk_node_up(char *name, int nodeid, int px_nr);
long dvk_node_down(int nodeid);
long dvk_add_node(int dcid, int nodeid);
long dvk_del_node(int dcid, int nodeid);
long dvk_proxies_bind(char *name, int px_nr, int spid, int rpid, int maxbytes);
long dvk_proxies_unbind(int px_nr);
long dvk_proxy_conn(int px_nr, int status);
long dvk_getproxyinfo(int px_nr, proc_usr_t *sproxy, proc_usr_t *rproxy);

/*
 * The proxies' data path.  get2rmt (sender proxy only) takes the next
 * command for the pair's nodes: the header, and c_len payload bytes (at
 * most the pair's maxbytes, so @payload must hold that many); it waits up
 * to timeout_ms and returns EDVSTIMEDOUT when nothing came (the proxy's
 * heartbeat period).  put2lcl (receiver proxy only) hands the kernel one
 * command that came from a remote node, with c_len payload bytes.
 */
long dvk_get2rmt_T(cmd_t *header, void *payload, long timeout_ms);
long dvk_put2lcl(cmd_t *header, void *payload);
#define dvk_get2rmt(header, payload)	dvk_get2rmt_T(header, payload, HELLO_PERIOD)

/*
 * migrate: run MIGR_START on every node of the DC, move the process, then
 * MIGR_COMMIT everywhere (pid: the process on its new node, used there) or
 * MIGR_ROLLBACK.  Senders to a migrating endpoint wait and replay.
 */
long dvk_migrate(int oper, int pid, int dcid, int endpoint, int new_nodeid);
#define dvk_migr_start(dcid, ep)	dvk_migrate(MIGR_START, PROC_NO_PID, dcid, ep, LOCALNODE)
#define dvk_migr_commit(pid, dcid, ep, new_node)	dvk_migrate(MIGR_COMMIT, pid, dcid, ep, new_node)
#define dvk_migr_rollback(dcid, ep)	dvk_migrate(MIGR_ROLLBACK, PROC_NO_PID, dcid, ep, LOCALNODE)

/* wait4bind: oper WAIT_BIND/WAIT_UNBIND, endpoint (SELF: the caller). */
long dvk_wait4bindep_X(int oper, int endpoint, long timeout_ms);
#define dvk_wait4bind()			dvk_wait4bindep_X(WAIT_BIND, SELF, TIMEOUT_FOREVER)
#define dvk_wait4bind_T(to)		dvk_wait4bindep_X(WAIT_BIND, SELF, to)
#define dvk_wait4bindep(ep)		dvk_wait4bindep_X(WAIT_BIND, ep, TIMEOUT_FOREVER)
#define dvk_wait4bindep_T(ep, to)	dvk_wait4bindep_X(WAIT_BIND, ep, to)
#define dvk_wait4unbind(ep)		dvk_wait4bindep_X(WAIT_UNBIND, ep, TIMEOUT_FOREVER)
#define dvk_wait4unbind_T(ep, to)	dvk_wait4bindep_X(WAIT_UNBIND, ep, to)

/* Names */
const char *dvk_strerror(int code);	/* "EDVSNOTBIND (-310): process not bound" */
const char *dvk_errname(int code);	/* "EDVSNOTBIND", or NULL if unknown */
const char *dvk_callname(int nr);	/* "sendrec", or "invalid" */
/* p_rts_flags as letters ("SR"), "-" when no bit blocks (DVK_RTS_FLAG_LIST); returns buf */
const char *dvk_rts_flagstr(int flags, char *buf, size_t len);
/* d_flags as names ("INIT IOCTL"), "" when none is known (DVK_DVS_FLAG_LIST); returns buf */
const char *dvk_dvs_flagstr(uint64_t flags, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBDVK_H */
