/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_bind.h - who speaks for an endpoint: bind, getep, getprocinfo and
 * the freeing of slots (dvk_bind.c), unbind (dvk_unbind.c), wait4bind
 * (dvk_wait4bind.c), privileges (dvk_priv.c) and the exit hook that
 * unbinds exiting tasks (dvk_exit.c).
 */
#ifndef _DVK_BIND_H
#define _DVK_BIND_H

#include "dvk_core.h"

/* Why a slot was unbound (dvk:dvk_unbind "how"). */
enum dvk_unbind_how {
	DVK_UNBIND_SELF = 0,	/* unbind() of itself */
	DVK_UNBIND_EXIT,	/* the task exited */
	DVK_UNBIND_DCEND,	/* dc_end, dvs_end or module unload */
	DVK_UNBIND_EXITING,	/* bind raced with the target's exit */
	DVK_UNBIND_NODE,	/* a remote descriptor whose node left (node_down, del_node) */
};

/* bind_local() for MIGR_COMMIT (dvk_bind_migrated_ctllocked); no user bind type */
#define DVK_BIND_MIGRATED	100

/* dvk_bind.c */
extern wait_queue_head_t dvk_bind_wq, dvk_unbind_wq;
long dvk_bind(const struct dvk_ipc_args *args);
long dvk_getep(const struct dvk_ipc_args *args);
long dvk_getprocinfo(const struct dvk_ipc_args *args);
struct dvk_proc *dvk_current_proc(void);
struct task_struct *dvk_get_task(pid_t nr, struct pid_namespace *ns);
bool dvk_task_is_bound(struct task_struct *task);
u64 dvk_next_bind_seq(void);
long dvk_bind_migrated_ctllocked(struct dvk_dc *dc, struct task_struct *task, int p_nr);
void dvk_detach_task_locked(struct dvk_proc *p);
void dvk_unbind_slot_locked(struct dvk_proc *p, int how, pid_t by);
void dvk_wait_dc_empty(struct dvk_dc *dc, unsigned int ms);
void dvk_exit_unbind(struct task_struct *task);

/* dvk_unbind.c */
long dvk_unbind(const struct dvk_ipc_args *args);

/* dvk_wait4bind.c: a process sleeping in wait4bind, listed for debugfs. */
struct dvk_bindwait {
	struct list_head link;		/* in dvk_bindwaits */
	int oper;			/* WAIT_BIND / WAIT_UNBIND */
	int ep;				/* target endpoint or SELF */
	int dcid;			/* -1 for SELF */
	long timeout_ms;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u64 since_ns;
};
extern struct list_head dvk_bindwaits;
extern spinlock_t dvk_bindwaits_lock;
long dvk_wait4bind(const struct dvk_ipc_args *args);

/* dvk_priv.c */
long dvk_getpriv(const struct dvk_ipc_args *args);
long dvk_setpriv(const struct dvk_ipc_args *args);

/* dvk_exit.c */
int dvk_exit_hook_register(void);
void dvk_exit_hook_unregister(void);

#endif /* _DVK_BIND_H */
