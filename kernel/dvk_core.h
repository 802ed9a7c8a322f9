/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_core.h - the objects of dvk.ko and their locks: the DVS (dvk_dvs.c),
 * its DCs and their slots (dvk_dc.c), the nodes and proxy pairs it knows,
 * and the call dispatcher (dvk_dispatch.c).  What the other files do with
 * them is declared per concern: dvk_bind.h, dvk_ipc.h, dvk_remote.h,
 * dvk_views.h.
 */
#ifndef _DVK_CORE_H
#define _DVK_CORE_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/workqueue.h>
#include <dvk.h>

#define DVK_MODNAME	"dvk"
#define DVS_DEFAULT_NAME "DVS_IPC"

/*
 * Kernel descriptors and their lifetimes.
 *
 * - A DC is created by dc_init and lives in dvk_dvs.dcs[] (RCU pointer,
 *   changed under dvk_dvs.lock).  dc_end (or dvs_end/unload) unpublishes
 *   it, unbinds every slot, removes its /proc directory, waits for an RCU
 *   grace period and frees it.  So a DC found under rcu_read_lock() stays
 *   valid for the whole read-side section, and one found under
 *   dvk_dvs.lock stays valid until the mutex is dropped.
 * - Slots (struct dvk_proc) live in their DC's table and die with it.
 *   Every field of a slot is protected by its DC's @lock (a spinlock: the
 *   exit hook runs in atomic context).
 * - dvk_tasks maps a bound task's global pid to its slot; entries change
 *   under the slot's DC lock, lookups run under RCU.
 *
 * Control-plane calls (dc_init/dc_end, bind, info calls) serialise on
 * dvk_dvs.lock (unbind takes no mutex); the exit hook and the views never
 * take it.  No holder sleeps for long (dc_end waits its grace period
 * without it), and callers take it killably (dvk_ctl_lock()).
 */
struct dvk_dc;
struct dvk_payload;

struct dvk_proc {
	struct proc_usr usr;		/* what getprocinfo returns */
	struct priv_usr priv;
	struct dvk_dc *dc;		/* owning DC (constant) */
	struct task_struct *task;	/* bound task, referenced; NULL if free */
	u64 bind_time_ns;		/* ktime of the bind, for the views */
	u64 bind_seq;			/* unique per bind: tells bindings apart */
	wait_queue_head_t wq;		/* the slot's owner sleeps here */
	/*
	 * ... and here while a vcopy uses its memory (wait_copy_done): a
	 * remote copy ends a claim per chunk, and waking wq each time would
	 * rouse a blocked receiver for nothing, twice per 64 KiB.
	 */
	wait_queue_head_t copy_wq;
	message msg;			/* outgoing (queued sender) or delivered message */
	u64 msg_id;			/* id of the message in msg */
	u64 queued_ns;			/* local_clock() when this sender was queued */
	long rcode;			/* result set by whoever woke the owner */
	struct list_head senders;	/* slots blocked sending to this one, FIFO */
	struct list_head send_link;	/* in the destination's senders */
	int nsenders;			/* length of senders */
	int recv_kind;			/* enum dvk_recv_kind, while RECEIVING */
	u64 notify_pending;		/* bit i: a notify from slot index i waits */
	u64 notify_id[64];		/* message id of each pending notify */
	u32 notify_updates;		/* update bits (notify value 0..31), sent with the next notify */
	/* remote IPC (dvk_rmt.c): the command this slot has for a proxy */
	cmd_t rmtcmd;			/* header get2rmt hands out while RMTOPER */
	struct list_head px_link;	/* in the pair's outq while RMTOPER (net_lock) */
	u64 px_queued_ns;		/* when it joined the outq */
	int px_nr;			/* the pair whose outq holds it, while RMTOPER */
	struct dvk_payload *rmt_payload; /* the payload of that command (vcopy data) */
	s64 rmt_total;			/* a streamed copy: bytes of rmt_payload, sent in chunks */
	s64 rmt_sent;			/* ... of which get2rmt handed out so far */
	u64 rmt_failed_id;		/* stand-in: a stream of this id failed here, drop the rest */
	int rmt_op;			/* stand-in: the remote command it serves (SEND/SNDREC) */
	int rmt_peer;			/* stand-in: the local endpoint it serves it to */
	/* counters for the views, reset at bind (usr.p_lclsent counts messages out) */
	u64 msgs_in;			/* messages and notifies received */
	u64 bytes_copied;		/* vcopy bytes out of and into this endpoint */
};

struct dvk_dc {
	struct dc_usr usr;
	spinlock_t lock;		/* protects every slot and usr */
	/*
	 * dc_end in progress: no new binds.  Set under dvk_dvs.lock and @lock,
	 * so either is enough to read it.
	 */
	bool ending;
	u64 serial;			/* unique per dc_init: tells DCs apart */
	refcount_t users;		/* the table's + one per IPC call in progress */
	int nr_slots;			/* nr_tasks + nr_procs */
	int nr_bound;			/* slots in use */
	struct dvk_proc *procs;		/* slot index = p_nr + nr_tasks */
	struct pid_namespace *pid_ns;	/* of the dc_init caller, referenced */
	struct proc_dir_entry *proc_dir;
	struct rcu_head rcu;
};

/* A node as this host knows it; guarded by dvk_dvs.net_lock. */
struct dvk_node {
	struct node_usr usr;
};

/* One proxy process of a pair (reference B.7.5: an embedded descriptor). */
struct dvk_pxproc {
	struct proc_usr usr;		/* what getproxyinfo returns */
	struct priv_usr priv;		/* allowed calls of a proxy; ipc_to empty */
	struct task_struct *task;	/* referenced while the pair is in use */
};

/* Traffic counters of a pair, one set per direction (0 out, 1 in). */
struct dvk_pxstats {
	u64 msgs, bytes, errors;	/* commands through get2rmt / put2lcl */
	long last_error;		/* last failed put2lcl / dropped command */
	u64 last_ns;			/* local_clock() of the last traffic */
};

/*
 * A proxy pair: links this node to the nodes in @nodemap.  net_lock.
 * @outq holds the slots (px_link) with a command for those nodes, FIFO;
 * get2rmt sleeps on @outq_wq.  A slot on @outq is protected by its DC's
 * lock too: link and unlink hold both (dc->lock, then net_lock).
 */
struct dvk_proxies {
	struct proxies_usr usr;
	struct dvk_pxproc sproxy, rproxy;
	u64 nodemap;			/* nodes served by this pair (node_up) */
	struct list_head outq;
	int outq_len;
	wait_queue_head_t outq_wq;
	struct dvk_pxstats st[2];
	u64 refused;			/* REFUSED_RPROXY reports (net_lock) */
	struct work_struct fail_work;	/* a proxy exited: fail its waiters (process context) */
	u64 fail_nodemap;
};

/**
 * struct dvk_dvs - the one DVS of this host.
 * @lock:        serialises the control calls, dvs_init/dvs_end and every
 *               change of @usr.  Held across short sleeps only (procfs
 *               teardown, RCU grace periods); views must never take it: they
 *               read @usr under @info_lock.
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
	struct dvk_dc __rcu *dcs[NR_DCS];
	spinlock_t net_lock;		/* nodes[] and proxies[]; taken after dc->lock */
	struct dvk_node nodes[NR_NODES];
	struct dvk_proxies proxies[NR_NODES];
};

extern struct dvk_dvs dvk_dvs;

static inline bool dvs_initialized(void)
{
	return atomic_read(&dvk_dvs.local_nodeid) >= 0;
}

/*
 * Take dvk_dvs.lock for a control call.  Killable: holders sleep only
 * briefly, but should one ever stall, its waiters can still be killed.
 * Return: 0, or -EINTR (EDVSINTR) when a fatal signal came first.
 */
static inline int __must_check dvk_ctl_lock(void)
{
	return mutex_lock_killable(&dvk_dvs.lock);
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

/* dvk_dc.c */
long dvk_dc_init(const struct dvk_ipc_args *args);
long dvk_dc_end(const struct dvk_ipc_args *args);
long dvk_getdcinfo(const struct dvk_ipc_args *args);
void dvk_dc_end_all(void);
struct dvk_dc *dvk_dc_get_locked(int dcid);
long dvk_dc_resolve(int dcid, bool mine, struct dvk_dc **dcp);
void dvk_dc_put(struct dvk_dc *dc);
void dvk_proc_usr_idle(struct proc_usr *u, int p_nr, int dcid, int rts_flags);
void dvk_slot_reset(struct dvk_proc *p, int p_nr);

/* Slot helpers: p_nr <-> slot index in dc->procs. */
static inline struct dvk_proc *dvk_slot(struct dvk_dc *dc, int p_nr)
{
	return &dc->procs[p_nr + dc->usr.dc_nr_tasks];
}

static inline bool dvk_pnr_valid(const struct dvk_dc *dc, int p_nr)
{
	return p_nr >= -dc->usr.dc_nr_tasks && p_nr < dc->usr.dc_nr_procs;
}

/* ns since @t0, a local_clock() reading, maybe on another CPU (clamped at 0) */
static inline u64 dvk_clock_since(u64 t0)
{
	u64 now = local_clock();

	return now > t0 ? now - t0 : 0;
}

/* Bound: to a local task, or as the descriptor of a remote process (REMOTE). */
static inline bool dvk_slot_bound(const struct dvk_proc *p)
{
	return !(p->usr.p_rts_flags & SLOT_FREE);
}

static inline bool dvk_slot_remote(const struct dvk_proc *p)
{
	return p->usr.p_rts_flags & REMOTE;
}

static inline int dvk_slot_index(const struct dvk_proc *p)
{
	return p->usr.p_nr + p->dc->usr.dc_nr_tasks;
}

static inline bool dvk_is_sysproc(const struct dvk_dc *dc, int p_nr)
{
	return p_nr + dc->usr.dc_nr_tasks < dc->usr.dc_nr_sysprocs;
}

#endif /* _DVK_CORE_H */
