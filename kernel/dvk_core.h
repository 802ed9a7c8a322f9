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
#include <linux/bitmap.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/workqueue.h>
#include <linux/capability.h>
#include <dvk.h>

#define DVK_MODNAME	"dvk"
/* the most slots a DC can have (dc_init's limits: d_nr_tasks + d_nr_procs) */
#define DVK_MAX_SLOTS	(NR_TASKS + NR_PROCS)
#define DVS_DEFAULT_NAME "DVS_IPC"

/*
 * Locks and lifetimes
 *
 * Lock order (take them in this order, never the other way round):
 *
 *   dvk_dvs.lock	a mutex: the control calls (dvk_ctl_lock()): dvs_init/
 *			dvs_end, dc_init/dc_end, bind, the node and proxy calls,
 *			the info calls that read a DC's table.  Held across
 *			short sleeps only; the IPC calls, the exit hook and the
 *			views never take it.
 *   dc->lock		a spinlock per DC: its slots and its usr.  Spin, not
 *			mutex, because the exit hook unbinds in atomic context.
 *			One DC's lock at a time: no path holds two.
 *   dvk_dvs.net_lock	a spinlock: nodes[] and proxies[], and the outq links
 *			of slots (px_link) together with their dc->lock.
 *   dvk_dvs.info_lock	a spinlock, a leaf: readers of dvk_dvs.usr.
 *   dvk_bindwaits_lock	a spinlock, a leaf: the wait4bind list (dvk_bind.h).
 *
 * A function whose name ends in _locked expects the caller to hold the
 * dc->lock of the slot or DC it is given (some drop it while they sleep and
 * retake it: they say so); _netlocked: dvk_dvs.net_lock; _ctllocked:
 * dvk_dvs.lock.  dvk_ipc_wake_unlocked() is the other way round: it wakes a
 * slot once the caller has dropped dc->lock.
 *
 * - A DC is created by dc_init and lives in dvk_dvs.dcs[] (RCU pointer,
 *   changed under dvk_dvs.lock).  dc_end (or dvs_end/unload) unpublishes
 *   it, unbinds every slot, removes its /proc directory, waits for an RCU
 *   grace period and frees it once its last user is gone (dc->users: the
 *   table's reference and one per IPC call in progress).  So a DC found
 *   under rcu_read_lock() stays valid for the whole read-side section, one
 *   found under dvk_dvs.lock until the mutex is dropped, and one pinned by
 *   a reference until dvk_dc_put().
 * - Slots (struct dvk_proc) live in their DC's table and die with it.
 * - dvk_tasks (dvk_bind.c) maps a bound task's global pid to its slot;
 *   entries change under the slot's dc->lock, lookups run under RCU.
 * - Pairs and nodes are static storage in dvk_dvs: a pair is freed (its
 *   flags cleared) and reused, never released.
 */
struct dvk_dc;
struct dvk_payload;

/**
 * struct dvk_proc - a slot of a DC: an endpoint, free, bound to a local
 * task, or the descriptor (a stand-in) of a process on another node.
 *
 * Every field is protected by dc->lock unless marked otherwise.  Wait
 * conditions peek at @usr.p_rts_flags and @bind_seq with READ_ONCE().
 *
 * The binding, and what a view shows of it:
 * @usr:          what getprocinfo returns (protected by dc->lock)
 * @priv:         the allowed calls and destinations (protected by dc->lock;
 *                the caller's own checks read it with READ_ONCE())
 * @dc:           the owning DC (immutable after dc_alloc)
 * @task:         the bound task, referenced; NULL if free or remote
 *                (protected by dc->lock)
 * @bind_time_ns: ktime of the bind, for the views (protected by dc->lock)
 * @bind_seq:     unique per bind: tells bindings of one slot apart
 *                (protected by dc->lock)
 * @wq:           the slot's owner sleeps here (immutable after dc_alloc)
 * @copy_wq:      ... and here while a vcopy uses its memory
 *                (wait_copy_done_locked): a remote copy ends a claim per
 *                chunk, and waking @wq each time would rouse a blocked
 *                receiver for nothing, twice per 64 KiB (immutable after
 *                dc_alloc)
 *
 * Local IPC (dvk_ipc.h):
 * @msg:          outgoing (queued sender) or delivered message
 *                (protected by dc->lock)
 * @msg_id:       id of the message in @msg (protected by dc->lock)
 * @queued_ns:    local_clock() when this sender was queued
 *                (protected by dc->lock)
 * @rcode:        result set by whoever woke the owner (protected by dc->lock)
 * @senders:      slots blocked sending to this one, FIFO (protected by dc->lock)
 * @send_link:    in the destination's @senders (protected by dc->lock)
 * @nsenders:     length of @senders (protected by dc->lock)
 * @recv_kind:    enum dvk_recv_kind, while RECEIVING (protected by dc->lock)
 * @wait_since_ns: local_clock() when its current wait began: a local
 *                caller going to sleep, a stand-in queued at or waiting
 *                for a local peer (dvk_wait_begin_locked()); what debugfs
 *                dvk/waits shows as WAITED_MS (protected by dc->lock)
 * @notify_pending: bit i: a notify from slot index i waits; one bit per
 *                slot of the DC, since setpriv may let any slot notify
 *                (protected by dc->lock)
 * @notify_id:    message ids of pending notifies (protected by dc->lock).
 *                A destination is always a system slot (index < 64), so
 *                a slot below 64 keeps, by sender index, the ids of the
 *                notifies pending at it (.from); a slot from 64 up (a
 *                user slot, never a destination) keeps, by destination
 *                index, the ids of its own notifies pending there (.to)
 * @notify_updates: update bits (notify value 0..31), sent with the next
 *                notify (protected by dc->lock)
 *
 * Remote IPC (dvk_rmt.h): the command this slot has for a proxy, while
 * RMTOPER, and a stand-in's business for its remote caller:
 * @rmtcmd:       the header get2rmt hands out (protected by dc->lock)
 * @px_link:      in the pair's outq (protected by dc->lock and net_lock:
 *                both to link or unlink it, either to walk the queue)
 * @px_queued_ns: when it joined the outq (protected by dc->lock and
 *                net_lock, as @px_link)
 * @px_nr:        the pair whose outq holds it (protected by dc->lock)
 * @rmt_payload:  the command's data (vcopy bytes), one reference
 *                (protected by dc->lock)
 * @rmt_total:    a streamed copy: bytes of @rmt_payload, sent in chunks
 *                (protected by dc->lock)
 * @rmt_sent:     ... of which get2rmt handed out so far (protected by dc->lock)
 * @rmt_failed_id: stand-in: a stream of this id failed here, drop the rest
 *                (protected by dc->lock)
 * @rmt_op:       stand-in: the remote command it serves, SEND or SNDREC
 *                (protected by dc->lock)
 * @rmt_peer:     stand-in: the local endpoint it serves it to
 *                (protected by dc->lock)
 *
 * Counters for the views, reset at bind (usr.p_lclsent counts messages out):
 * @msgs_in:      messages and notifies received (protected by dc->lock)
 * @bytes_copied: vcopy bytes out of and into this endpoint
 *                (protected by dc->lock)
 */
struct dvk_proc {
	struct proc_usr usr;
	struct priv_usr priv;
	struct dvk_dc *dc;
	struct task_struct *task;
	u64 bind_time_ns;
	u64 bind_seq;
	wait_queue_head_t wq;
	wait_queue_head_t copy_wq;

	message msg;
	u64 msg_id;
	u64 queued_ns;
	long rcode;
	struct list_head senders;
	struct list_head send_link;
	int nsenders;
	int recv_kind;
	u64 wait_since_ns;
	DECLARE_BITMAP(notify_pending, DVK_MAX_SLOTS);
	union {
		u64 from[NR_SYS_PROCS];
		u64 to[NR_SYS_PROCS];
	} notify_id;
	u32 notify_updates;

	cmd_t rmtcmd;
	struct list_head px_link;
	u64 px_queued_ns;
	int px_nr;
	struct dvk_payload *rmt_payload;
	s64 rmt_total;
	s64 rmt_sent;
	u64 rmt_failed_id;
	int rmt_op;
	int rmt_peer;

	u64 msgs_in;
	u64 bytes_copied;
};

/**
 * struct dvk_dc - a Distributed Container running on this node.
 * @usr:      as getdcinfo returns it (dc_dcid, dc_name and the dc_nr_*
 *            limits immutable after dc_alloc; the rest protected by @lock;
 *            put2lcl peeks at dc_nodes with READ_ONCE())
 * @lock:     protects @usr, @nr_bound and every slot in @procs
 * @ending:   dc_end in progress: no new binds (protected by dvk_dvs.lock
 *            and @lock: both to set it, either to read it)
 * @serial:   unique per dc_init: tells DCs apart (immutable after dc_alloc)
 * @users:    the table's reference + one per IPC call in progress (a
 *            refcount: no lock; the last dvk_dc_put() frees the DC)
 * @nr_slots: nr_tasks + nr_procs (immutable after dc_alloc)
 * @nr_bound: slots bound to a local task (protected by @lock; dc_end's
 *            grace wait reads it with READ_ONCE())
 * @procs:    the slots, index = p_nr + nr_tasks (immutable after dc_alloc)
 * @pid_ns:   of the dc_init caller, referenced (immutable after dc_init)
 * @proc_dir: /proc/dvs/<name> (protected by dvk_dvs.lock)
 */
struct dvk_dc {
	struct dc_usr usr;
	spinlock_t lock;
	bool ending;
	u64 serial;
	refcount_t users;
	int nr_slots;
	int nr_bound;
	struct dvk_proc *procs;
	struct pid_namespace *pid_ns;
	struct proc_dir_entry *proc_dir;
};

/**
 * struct dvk_node - a node as this host knows it.
 * @usr: as getnodeinfo returns it (protected by dvk_dvs.net_lock)
 */
struct dvk_node {
	struct node_usr usr;
};

/**
 * struct dvk_pxproc - one proxy process of a pair (docs/original-dvk.md#proxy-pair-descriptor: an
 * embedded descriptor).
 * @usr:  what getproxyinfo returns (protected by dvk_dvs.net_lock)
 * @priv: the allowed calls of a proxy; ipc_to empty (protected by
 *        dvk_dvs.net_lock)
 * @task: referenced while the pair is in use (protected by
 *        dvk_dvs.net_lock; get2rmt's wait condition peeks with READ_ONCE())
 */
struct dvk_pxproc {
	struct proc_usr usr;
	struct priv_usr priv;
	struct task_struct *task;
};

/* The two directions of a pair's traffic: index of dvk_proxies.st[]. */
enum dvk_px_dir {
	DVK_PX_OUT = 0,		/* commands get2rmt handed to the sender proxy */
	DVK_PX_IN = 1,		/* commands put2lcl took from the receiver proxy */
};

/* Traffic counters of a pair in one direction (enum dvk_px_dir). */
struct dvk_pxstats {
	u64 msgs, bytes, errors;	/* commands through get2rmt / put2lcl */
	long last_error;		/* last failed put2lcl / dropped command */
	u64 last_ns;			/* local_clock() of the last traffic */
};

/**
 * struct dvk_proxies - a proxy pair: links this node to the nodes in
 * @nodemap.  The slots on @outq are protected by their DC's lock too:
 * linking and unlinking one holds both (dc->lock, then net_lock).
 * @usr:        as the views show it (protected by dvk_dvs.net_lock; get2rmt's
 *              wait condition peeks at px_flags with READ_ONCE())
 * @sproxy:     the sender proxy (protected by dvk_dvs.net_lock)
 * @rproxy:     the receiver proxy (protected by dvk_dvs.net_lock)
 * @nodemap:    nodes served by this pair, set by node_up (protected by
 *              dvk_dvs.net_lock)
 * @outq:       slots (px_link) with a command for those nodes, FIFO
 *              (protected by dvk_dvs.net_lock)
 * @outq_len:   length of @outq (protected by dvk_dvs.net_lock)
 * @outq_wq:    get2rmt sleeps here (immutable after dvk_rmt_setup)
 * @st:         traffic counters, [DVK_PX_OUT] and [DVK_PX_IN] (protected by
 *              dvk_dvs.net_lock)
 * @refused:    REFUSED_RPROXY reports (protected by dvk_dvs.net_lock)
 * @fail_work:  a proxy exited: fail its waiters in process context
 *              (immutable after dvk_rmt_setup)
 * @fail_nodemap: the nodes @fail_work fails (set under dvk_dvs.net_lock,
 *              taken by the worker with xchg())
 */
struct dvk_proxies {
	struct proxies_usr usr;
	struct dvk_pxproc sproxy, rproxy;
	u64 nodemap;
	struct list_head outq;
	int outq_len;
	wait_queue_head_t outq_wq;
	struct dvk_pxstats st[2];
	u64 refused;
	struct work_struct fail_work;
	u64 fail_nodemap;
};

/**
 * struct dvk_dvs - the one DVS of this host.
 * @lock:        serialises the control calls, dvs_init/dvs_end and every
 *               change of @usr.  Held across short sleeps only (procfs
 *               teardown, RCU grace periods); views must never take it: they
 *               read @usr under @info_lock.
 * @info_lock:   protects @usr for readers; writers hold @lock and @info_lock.
 * @usr:         the parameters, as getdvsinfo returns them (protected by
 *               @lock and @info_lock: both to change, either to read; the
 *               IPC calls read its limits without a lock: they change only
 *               in dvs_init, before any DC runs)
 * @local_nodeid: this node's id, -1 while the DVS is not initialised
 *               (changed under @lock; read without locks by the IPC paths)
 * @proc_dir:    /proc/dvs, present while initialised (protected by @lock)
 * @dcs:         the running DCs (RCU; changed under @lock)
 * @net_lock:    protects @nodes and @proxies; taken after dc->lock
 * @nodes:       the nodes by id (protected by @net_lock)
 * @proxies:     the pairs by id (protected by @net_lock)
 */
struct dvk_dvs {
	struct mutex lock;
	spinlock_t info_lock;
	struct dvs_usr usr;
	atomic_t local_nodeid;
	struct proc_dir_entry *proc_dir;
	struct dvk_dc __rcu *dcs[NR_DCS];
	spinlock_t net_lock;
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

/*
 * Start a control call of a privileged caller: CAP_SYS_ADMIN, then
 * dvk_dvs.lock.  Return: OK with the lock held, EDVSPRIVILEGES, or -EINTR.
 */
static inline long __must_check dvk_ctl_enter(void)
{
	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (dvk_ctl_lock())
		return -EINTR;
	return OK;
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
void dvk_dc_end_all_ctllocked(void);
struct dvk_dc *dvk_dc_get_ctllocked(int dcid);
long dvk_dc_resolve_ctllocked(int dcid, bool mine, struct dvk_dc **dcp);
long dvk_dc_running_ctllocked(int dcid, bool mine, struct dvk_dc **dcp);
void dvk_dc_put(struct dvk_dc *dc);
void dvk_proc_usr_idle(struct proc_usr *u, int p_nr, int dcid, int rts_flags);
void dvk_slot_reset(struct dvk_proc *p, int p_nr);

/* Index of a pair in dvk_dvs.proxies[]. */
static inline int dvk_px_index(const struct dvk_proxies *px)
{
	return px - dvk_dvs.proxies;
}

/* Slot helpers: p_nr <-> slot index in dc->procs. */
static inline struct dvk_proc *dvk_slot(struct dvk_dc *dc, int p_nr)
{
	return &dc->procs[p_nr + dc->usr.dc_nr_tasks];
}

static inline bool dvk_pnr_valid(const struct dvk_dc *dc, int p_nr)
{
	return p_nr >= -dc->usr.dc_nr_tasks && p_nr < dc->usr.dc_nr_procs;
}

/* Is @ep an endpoint of @dc in range (not ANY/NONE/SELF)? */
static inline bool dvk_ep_in_range(const struct dvk_dc *dc, int ep)
{
	return ep != ANY && ep != NONE && ep != SELF && ep >= -dc->usr.dc_nr_tasks &&
	       dvk_pnr_valid(dc, _ENDPOINT_P(ep));
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
