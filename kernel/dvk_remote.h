/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_remote.h - this node's links to the others: the nodes it knows
 * (dvk_node.c), the proxy pairs that reach them (dvk_proxy.c), IPC through
 * those pairs (dvk_rmt*.c, dvk_put2lcl.c) and migration (dvk_migrate.c).
 * What only the remote files share among themselves: dvk_rmt.h.
 */
#ifndef _DVK_REMOTE_H
#define _DVK_REMOTE_H

#include "dvk_core.h"

/* dvk_node.c */
void dvk_nodes_reset(int local);
bool dvk_node_snapshot(int nodeid, struct node_usr *n);
long dvk_getnodeinfo(const struct dvk_ipc_args *args);
long dvk_node_up(const struct dvk_ipc_args *args);
long dvk_node_down(const struct dvk_ipc_args *args);
long dvk_add_node(const struct dvk_ipc_args *args);
long dvk_del_node(const struct dvk_ipc_args *args);

/* dvk_proxy.c */
long dvk_proxies_bind(const struct dvk_ipc_args *args);
long dvk_proxies_unbind(const struct dvk_ipc_args *args);
long dvk_proxy_conn(const struct dvk_ipc_args *args);
long dvk_getproxyinfo(const struct dvk_ipc_args *args);
void dvk_proxy_exit(struct task_struct *task);
void dvk_proxies_end_all_ctllocked(void);
bool dvk_proxy_snapshot(int px_nr, struct proxies_usr *u, struct proc_usr *s,
			struct proc_usr *r, struct priv_usr *pr, u64 *nodemap);
bool dvk_task_is_proxy(struct task_struct *task);
struct dvk_proxies *dvk_proxy_pair_of(struct task_struct *task);

/* dvk_rmt_route.c: remote IPC through the proxies (dvk_rmt.h) */
void dvk_rmt_setup(void);
void dvk_rmt_teardown(void);
bool dvk_node_connected(int nodeid);

/* dvk_rmt_queue.c */
long dvk_get2rmt(const struct dvk_ipc_args *args);
void dvk_rmt_unlink_locked(struct dvk_proc *p);

/* dvk_rmt_send.c */
long dvk_rmt_send_locked(struct dvk_proc *me, struct dvk_proc *d, const message *m, int cmd,
			 long timeout_ms);
long dvk_rmt_reply_locked(struct dvk_proc *me, struct dvk_proc *s, const message *m);
long dvk_rmt_notify_locked(struct dvk_proc *me, struct dvk_proc *d, int value);
void dvk_rmt_standin_done_locked(struct dvk_proc *s, long rcode);

/* dvk_rmt_fail.c */
void dvk_rmt_fail_nodes(int px_nr, u64 nodemap, long rcode);
void dvk_rmt_fail_waiters(u64 nodemap, long rcode);
void dvk_rmt_pair_down_netlocked(struct dvk_proxies *px);
void dvk_rmt_flush(struct dvk_proxies *px);

/* dvk_put2lcl.c */
long dvk_put2lcl(const struct dvk_ipc_args *args);

/* dvk_rmt_copy.c */
long dvk_rmt_vcopy(struct dvk_proc *me, int s_ep, unsigned long saddr, int d_ep,
		   unsigned long daddr, s64 bytes);

/* dvk_migrate.c */
long dvk_migrate(const struct dvk_ipc_args *args);

#endif /* _DVK_REMOTE_H */
