/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_internal.h - state and interfaces shared by the files of dvk.ko.
 */
#ifndef _DVK_INTERNAL_H
#define _DVK_INTERNAL_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/wait.h>
#include <dvk.h>

#define DVK_MODNAME	"dvk"
#define DVS_DEFAULT_NAME "DVS_IPC"

/*
 * Kernel descriptors.  They start with the user-visible part so that info
 * calls copy it out directly.  They grow as the DC, IPC and proxy parts land;
 * their sizes are reported in /proc/dvs/info as the original did.
 */
struct dvk_proc {
	struct proc_usr usr;
	struct priv_usr priv;
	spinlock_t lock;
	wait_queue_head_t wq;
	struct task_struct *task;
	message msg;
};

struct dvk_dc {
	struct dc_usr usr;
	struct mutex lock;
	struct dvk_proc *procs;
};

struct dvk_node {
	struct node_usr usr;
	spinlock_t lock;
};

/**
 * struct dvk_dvs - the one DVS of this host.
 * @lock:        serialises dvs_init/dvs_end and every change of @usr.  May be
 *               held while sleeping (procfs teardown), so views must never
 *               take it: they read @usr under @info_lock.
 * @info_lock:   protects @usr for readers; writers hold @lock and @info_lock.
 * @usr:         the parameters, as getdvsinfo returns them.
 * @local_nodeid: this node's id, -1 while the DVS is not initialised.  Read
 *               without locks by the IPC fast paths.
 * @proc_dir:    /proc/dvs, present while initialised.
 */
struct dvk_dvs {
	struct mutex lock;
	spinlock_t info_lock;
	struct dvs_usr usr;
	atomic_t local_nodeid;
	struct proc_dir_entry *proc_dir;
};

extern struct dvk_dvs dvk_dvs;

static inline bool dvs_initialized(void)
{
	return atomic_read(&dvk_dvs.local_nodeid) >= 0;
}

/* A call handler receives the six ipc() arguments, already copied in. */
typedef long (*dvk_call_fn)(const struct dvk_ipc_args *args);

/* dvk_dispatch.c */
long dvk_dispatch(const struct dvk_ipc_args *args);
const char *dvk_call_name(int nr);

/* dvk_dvs.c */
void dvk_dvs_setup(unsigned long dbglvl);
void dvk_dvs_teardown(void);
long dvk_dvs_init(const struct dvk_ipc_args *args);
long dvk_dvs_end(const struct dvk_ipc_args *args);
long dvk_getdvsinfo(const struct dvk_ipc_args *args);
void dvk_dvs_snapshot(struct dvs_usr *out);

/* dvk_procfs.c */
int dvk_procfs_create(void);
void dvk_procfs_remove(void);

#endif /* _DVK_INTERNAL_H */
