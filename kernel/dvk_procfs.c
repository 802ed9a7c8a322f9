// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_procfs.c - the /proc/dvs views, in the original DVK formats
 * (docs/proc-debugfs.md).
 *
 * Views are regenerated on every read through seq_file, so any number of
 * concurrent readers is safe.  They copy what they print under short
 * spinlocks and never take the mutexes of the paths they describe: a view
 * must keep working while those paths are stuck.
 *
 * Who sees what (hidepid-like; getprocinfo and getproxyinfo need
 * CAP_SYS_ADMIN, so the views may not show more): the files stay 0444, the
 * summaries (info, nodes, <DC>/info) show everything, and in the views
 * that list processes a reader without CAP_SYS_ADMIN sees only the rows of
 * local processes it could see under hidepid (dvk_reader_sees()), no
 * remote descriptor and no proxy process (proxies/info shows their pids as
 * -1).  The reader is whoever opened the file (f_cred), not whoever reads
 * it, as for any file: a descriptor handed to a more privileged process
 * shows no more.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/uidgid.h>
#include "dvk_remote.h"
#include "dvk_views.h"

/* Whether the opener of @m's file may see every row (CAP_SYS_ADMIN). */
static bool dvk_view_admin(struct seq_file *m)
{
	return file_ns_capable(m->file, &init_user_ns, CAP_SYS_ADMIN);
}

/*
 * Whether the opener of @file may see the row of a task with credentials
 * @tcred: the credential test of ptrace_may_access(PTRACE_MODE_READ_FSCREDS),
 * the kernel's hidepid rule, applied to the opener's credentials: its fsuid
 * and fsgid equal the task's real, effective and saved ids, or it has
 * CAP_SYS_PTRACE in the task's user namespace.  ptrace_may_access() is not
 * exported, and it looks at current, not the opener, so this mirrors it
 * without its last two steps: the LSM's ptrace hook (not exported either)
 * and the "dumpable" test, which would hide from its own user every
 * process that dropped privileges after bind, and bind needs CAP_SYS_ADMIN.
 */
static bool dvk_reader_sees(const struct file *file, const struct cred *tcred)
{
	const struct cred *cred = file->f_cred;

	if (uid_eq(cred->fsuid, tcred->euid) && uid_eq(cred->fsuid, tcred->suid) &&
	    uid_eq(cred->fsuid, tcred->uid) && gid_eq(cred->fsgid, tcred->egid) &&
	    gid_eq(cred->fsgid, tcred->sgid) && gid_eq(cred->fsgid, tcred->gid))
		return true;
	return file_ns_capable(file, tcred->user_ns, CAP_SYS_PTRACE);
}

/* Columns of the privilege bitmaps: system slots, and DVK call numbers. */
#define IPCTO_BITS	64
#define DVKCALLS_BITS	48

/*
 * Bitmaps as the original printed them: the low @nbits bits of @bits,
 * highest first, X = set, - = clear.
 */
static void seq_bitmap(struct seq_file *m, u64 bits, int nbits)
{
	int i;

	for (i = nbits - 1; i >= 0; i--)
		seq_putc(m, bits & (1ULL << i) ? 'X' : '-');
}

/* The index line above such a bitmap: i mod 10 for bit i, highest first. */
static void seq_bitmap_index(struct seq_file *m, int nbits)
{
	int i;

	for (i = nbits - 1; i >= 0; i--)
		seq_putc(m, '0' + i % 10);
}

static int dvs_info_show(struct seq_file *m, void *v)
{
	struct dvs_usr u;

	dvk_dvs_snapshot(&u);
	seq_printf(m, "name=%s\n", u.d_name);
	seq_printf(m, "nodeid=%d\n", atomic_read(&dvk_dvs.local_nodeid));
	seq_printf(m, "nr_dcs=%d\n", u.d_nr_dcs);
	seq_printf(m, "nr_nodes=%d\n", u.d_nr_nodes);
	seq_printf(m, "max_nr_procs=%d\n", u.d_nr_procs);
	seq_printf(m, "max_nr_tasks=%d\n", u.d_nr_tasks);
	seq_printf(m, "max_sys_procs=%d\n", u.d_nr_sysprocs);
	seq_printf(m, "max_copy_buf=%d\n", u.d_max_copybuf);
	seq_printf(m, "max_copy_len=%d\n", u.d_max_copylen);
	seq_printf(m, "dbglvl=%llX\n", u.d_dbglvl);
	seq_printf(m, "version=%d\n", u.d_version);
	seq_printf(m, "flags=%llX\n", u.d_flags);
	seq_printf(m, "sizeof(proc)=%zu\n", sizeof(struct dvk_proc));
	seq_printf(m, "sizeof(proc) aligned=%d\n", u.d_size_proc);
	seq_printf(m, "sizeof(dc)=%zu\n", sizeof(struct dvk_dc));
	seq_printf(m, "sizeof(node)=%zu\n", sizeof(struct dvk_node));
	return 0;
}

/*
 * /proc/dvs/nodes: one row per node in use (docs/original-dvk.md#the-proc-views): the local one (flags E,
 * docs/original-dvk.md#quirks-are-fixed-not-copied) and the remote nodes attached by node_up.
 */
static int dvs_nodes_show(struct seq_file *m, void *v)
{
	int i, nr = READ_ONCE(dvk_dvs.usr.d_nr_nodes);
	struct node_usr n;

	seq_puts(m, "ID Flags Proxies -pxsent- -pxrcvd- ");
	seq_bitmap_index(m, NR_DCS);
	seq_puts(m, " Name\n");
	if (!dvs_initialized())
		return 0;
	for (i = 0; i < nr && i < NR_NODES; i++) {
		if (!dvk_node_snapshot(i, &n))
			continue;
		seq_printf(m, "%2d %5X %7d %8llu %8llu ", n.n_nodeid, n.n_flags, n.n_proxies,
			   n.n_pxsent, n.n_pxrcvd);
		seq_bitmap(m, n.n_dcs, NR_DCS);
		seq_printf(m, " %-16.16s\n", n.n_name);
	}
	return 0;
}

/*
 * The pairs in use, one by one: calls @fn on each copy.  Rows of proxy
 * processes (@procs) are for CAP_SYS_ADMIN readers only; the others get
 * the pairs with their proxies' pids as PROC_NO_PID (-1).
 */
static void for_each_pair(struct seq_file *m, bool procs,
			  void (*fn)(struct seq_file *m, const struct proxies_usr *u,
				     const struct proc_usr *pd, const struct priv_usr *pr, u64 map))
{
	int i, nr = min_t(int, READ_ONCE(dvk_dvs.usr.d_nr_nodes), NR_NODES);
	struct proxies_usr u;
	struct proc_usr pd[2];
	struct priv_usr pr[2];
	bool admin = dvk_view_admin(m);
	u64 map;

	if (procs && !admin)
		return;
	for (i = 0; i < nr && dvs_initialized(); i++) {
		if (!dvk_proxy_snapshot(i, &u, &pd[0], &pd[1], pr, &map))
			continue;
		if (!admin)
			pd[0].p_lpid = pd[1].p_lpid = PROC_NO_PID;
		fn(m, &u, pd, pr, map);
		cond_resched();
	}
}

/* /proc/dvs/proxies/info: one row per pair in use (docs/original-dvk.md#the-proc-views). */
static void pair_info_row(struct seq_file *m, const struct proxies_usr *u,
			  const struct proc_usr *pd, const struct priv_usr *pr, u64 map)
{
	seq_printf(m, "%7d %5X %6d %8d %15.15s ", u->px_id, u->px_flags, pd[0].p_lpid,
		   pd[1].p_lpid, u->px_name);
	seq_bitmap(m, map, NR_NODES);
	seq_putc(m, '\n');
}

static int proxies_info_show(struct seq_file *m, void *v)
{
	seq_puts(m, "Proxies Flags Sender Receiver --Proxies_Name- ");
	seq_bitmap_index(m, NR_NODES);
	seq_puts(m, " \n");
	for_each_pair(m, false, pair_info_row);
	return 0;
}

/*
 * /proc/dvs/proxies/procs: two rows per pair, "send" and "recv" (docs/original-dvk.md#the-proc-views);
 * the counter columns are p_rmtsent and p_lclsent.
 */
static void pair_procs_rows(struct seq_file *m, const struct proxies_usr *u,
			    const struct proc_usr *pd, const struct priv_usr *pr, u64 map)
{
	int i;

	for (i = 0; i < 2; i++)
		seq_printf(m, "%2d %4s %6d %6X %6X %8llu %8llu %6d %6d %6d %-15.15s\n",
			   u->px_id, i ? "recv" : "send", pd[i].p_lpid, pd[i].p_rts_flags,
			   pd[i].p_misc_flags, pd[i].p_rmtsent, pd[i].p_lclsent, pd[i].p_getfrom,
			   pd[i].p_sendto, pd[i].p_waitmigr, pd[i].p_name);
}

static int proxies_procs_show(struct seq_file *m, void *v)
{
	seq_puts(m, "ID Type -lpid- -flag- -misc- -pxsent- -pxrcvd- -getf- -sendt -wmig- name\n");
	for_each_pair(m, true, pair_procs_rows);
	return 0;
}

/* /proc/dvs/proxies/ipcto and dvkcalls: "ID Type " + the bitmap (docs/original-dvk.md#the-proc-views). */
static void pair_priv_rows(struct seq_file *m, const struct priv_usr *pr, int px_id, bool ipcto)
{
	int i, nbits = ipcto ? IPCTO_BITS : DVKCALLS_BITS;

	for (i = 0; i < 2; i++) {
		seq_printf(m, "%2d %4s ", px_id, i ? "recv" : "send");
		seq_bitmap(m, ipcto ? pr[i].priv_ipc_to : pr[i].priv_dvk_allowed, nbits);
		seq_putc(m, '\n');
	}
}

static void pair_ipcto_rows(struct seq_file *m, const struct proxies_usr *u,
			    const struct proc_usr *pd, const struct priv_usr *pr, u64 map)
{
	pair_priv_rows(m, pr, u->px_id, true);
}

static void pair_calls_rows(struct seq_file *m, const struct proxies_usr *u,
			    const struct proc_usr *pd, const struct priv_usr *pr, u64 map)
{
	pair_priv_rows(m, pr, u->px_id, false);
}

static int proxies_ipcto_show(struct seq_file *m, void *v)
{
	seq_puts(m, "ID Type ");
	seq_bitmap_index(m, IPCTO_BITS);
	seq_putc(m, '\n');
	for_each_pair(m, true, pair_ipcto_rows);
	return 0;
}

static int proxies_dvkcalls_show(struct seq_file *m, void *v)
{
	seq_puts(m, "ID Type ");
	seq_bitmap_index(m, DVKCALLS_BITS);
	seq_putc(m, '\n');
	for_each_pair(m, true, pair_calls_rows);
	return 0;
}

/**
 * dvk_procfs_create - create /proc/dvs and its files (at dvs_init).
 *
 * Return: OK, EDVSBADDIR or EDVSBADFILE.
 */
int dvk_procfs_create(void)
{
	struct proc_dir_entry *dir, *px;

	dir = proc_mkdir("dvs", NULL);
	if (!dir)
		return EDVSBADDIR;
	px = proc_mkdir("proxies", dir);
	if (!px || !proc_create_single("info", 0444, dir, dvs_info_show) ||
	    !proc_create_single("nodes", 0444, dir, dvs_nodes_show) ||
	    !proc_create_single("info", 0444, px, proxies_info_show) ||
	    !proc_create_single("procs", 0444, px, proxies_procs_show) ||
	    !proc_create_single("ipcto", 0444, px, proxies_ipcto_show) ||
	    !proc_create_single("dvkcalls", 0444, px, proxies_dvkcalls_show)) {
		proc_remove(dir);
		return EDVSBADFILE;
	}
	dvk_dvs.proc_dir = dir;
	return OK;
}

/* Remove /proc/dvs; waits for readers in progress (they never block). */
void dvk_procfs_remove(void)
{
	proc_remove(dvk_dvs.proc_dir);
	dvk_dvs.proc_dir = NULL;
}

/* /proc/dvs/<DC>/info: the DC descriptor, original format (docs/original-dvk.md#the-proc-views). */
static int dc_info_show(struct seq_file *m, void *v)
{
	struct dvk_dc *dc = m->private;
	struct dc_usr u;

	spin_lock(&dc->lock);
	u = dc->usr;
	spin_unlock(&dc->lock);
	seq_printf(m, "dcid=%d\n", u.dc_dcid);
	seq_printf(m, "flags=%X\n", u.dc_flags);
	seq_printf(m, "nr_procs=%d\n", u.dc_nr_procs);
	seq_printf(m, "nr_tasks=%d\n", u.dc_nr_tasks);
	seq_printf(m, "nr_sysprocs=%d\n", u.dc_nr_sysprocs);
	seq_printf(m, "nr_nodes=%d\n", u.dc_nr_nodes);
	seq_printf(m, "dc_nodes=%llX\n", u.dc_nodes);
	seq_printf(m, "dc_pid=%d\n", u.dc_pid);
	seq_printf(m, "warn2proc=%d\n", u.dc_warn2proc);
	seq_printf(m, "warnmsg=%d\n", u.dc_warnmsg);
	seq_printf(m, "dc_name=%s\n", u.dc_name);
	seq_puts(m, "nodes 33222222222211111111110000000000\n");
	seq_puts(m, "      10987654321098765432109876543210\n      ");
	seq_bitmap(m, u.dc_nodes, 32);
	seq_printf(m, "\ncpumask=%llx \n", u.dc_cpumask);
	return 0;
}

/*
 * Copy slot @i of @m's DC (and its privileges if @priv) under the DC
 * spinlock, which no path holds for long, so that the DC views work while
 * processes are stuck in DVK calls.  Each row is consistent; rows are
 * printed outside the lock.  Unless @admin, the bound task's credentials
 * are pinned under the lock and checked outside it (a capability check
 * may audit).
 *
 * Return: false for a free slot or one the reader may not see (the views
 * omit them).
 */
static bool dc_slot_copy(struct seq_file *m, bool admin, int i, struct proc_usr *u,
			 struct priv_usr *priv)
{
	struct dvk_dc *dc = m->private;
	struct dvk_proc *p = &dc->procs[i];
	const struct cred *tcred = NULL;
	bool used, seen;

	spin_lock(&dc->lock);
	used = dvk_slot_bound(p);
	if (used) {
		*u = p->usr;
		if (priv)
			*priv = p->priv;
		if (!admin && p->task)
			tcred = get_task_cred(p->task);
	}
	spin_unlock(&dc->lock);
	if (!used || admin)
		return used;
	if (!tcred)
		return false;	/* a remote descriptor: nobody's here to compare */
	seen = dvk_reader_sees(m->file, tcred);
	put_cred(tcred);
	return seen;
}

/* /proc/dvs/<DC>/procs: one row per bound slot the reader may see (docs/original-dvk.md#the-proc-views). */
static int dc_procs_show(struct seq_file *m, void *v)
{
	struct dvk_dc *dc = m->private;
	bool admin = dvk_view_admin(m);
	struct proc_usr u;
	int i;

	seq_puts(m, "DC pnr -endp -lpid/vpid- nd flag misc -getf -sndt -wmig -prxy name\n");
	for (i = 0; i < dc->nr_slots; i++) {
		if (!dc_slot_copy(m, admin, i, &u, NULL))
			continue;
		seq_printf(m, "%2d %3d %5d %5d/%-5d %2d %4X %4X %5d %5d %5d %5d %-15.15s\n",
			   u.p_dcid, u.p_nr, u.p_endpoint, u.p_lpid, u.p_vpid, u.p_nodeid,
			   u.p_rts_flags, u.p_misc_flags, u.p_getfrom, u.p_sendto,
			   u.p_waitmigr, u.p_proxy, u.p_name);
		cond_resched();
	}
	return 0;
}

/*
 * /proc/dvs/<DC>/stats: the counters of each bound slot (docs/original-dvk.md#the-proc-views): messages
 * sent locally and remotely, vcopies made locally and remotely.
 */
static int dc_stats_show(struct seq_file *m, void *v)
{
	struct dvk_dc *dc = m->private;
	bool admin = dvk_view_admin(m);
	struct proc_usr u;
	int i;

	seq_puts(m, "DC pnr -endp -lpid/vpid- nd --lsnt-- --rsnt-- -lcopy-- -rcopy-- name\n");
	for (i = 0; i < dc->nr_slots; i++) {
		if (!dc_slot_copy(m, admin, i, &u, NULL))
			continue;
		seq_printf(m, "%2d %3d %5d %5d/%-5d %2d %8llu %8llu %8llu %8llu %-15.15s\n",
			   u.p_dcid, u.p_nr, u.p_endpoint, u.p_lpid, u.p_vpid, u.p_nodeid,
			   u.p_lclsent, u.p_rmtsent, u.p_lclcopy, u.p_rmtcopy, u.p_name);
		cond_resched();
	}
	return 0;
}

/*
 * /proc/dvs/<DC>/ipcto and dvkcalls: per bound slot its p_nr, priv_id,
 * priv_warn and priv_level, then priv_ipc_to (64 columns) or
 * priv_dvk_allowed (48 columns), highest bit first (docs/original-dvk.md#the-proc-views).
 */
static void dc_priv_show(struct seq_file *m, bool ipcto)
{
	int nbits = ipcto ? IPCTO_BITS : DVKCALLS_BITS;
	struct dvk_dc *dc = m->private;
	bool admin = dvk_view_admin(m);
	struct priv_usr priv;
	struct proc_usr u;
	int i;

	seq_puts(m, "-nr id --wr- lv ");
	seq_bitmap_index(m, nbits);
	seq_putc(m, '\n');
	for (i = 0; i < dc->nr_slots; i++) {
		if (!dc_slot_copy(m, admin, i, &u, &priv))
			continue;
		seq_printf(m, "%3d %2d %5d %2d ", u.p_nr, priv.priv_id, priv.priv_warn,
			   priv.priv_level);
		seq_bitmap(m, ipcto ? priv.priv_ipc_to : priv.priv_dvk_allowed, nbits);
		seq_putc(m, '\n');
		cond_resched();
	}
}

static int dc_ipcto_show(struct seq_file *m, void *v)
{
	dc_priv_show(m, true);
	return 0;
}

static int dc_dvkcalls_show(struct seq_file *m, void *v)
{
	dc_priv_show(m, false);
	return 0;
}

/**
 * dvk_procfs_dc_create - /proc/dvs/<dc_name>/{info,procs,stats,ipcto,dvkcalls}
 * (at dc_init).
 * @dc: the new DC, not yet published
 *
 * Return: OK, EDVSBADDIR or EDVSBADFILE.
 */
int dvk_procfs_dc_create(struct dvk_dc *dc)
{
	struct proc_dir_entry *dir;

	dir = proc_mkdir(dc->usr.dc_name, dvk_dvs.proc_dir);
	if (!dir)
		return EDVSBADDIR;
	if (!proc_create_single_data("info", 0444, dir, dc_info_show, dc) ||
	    !proc_create_single_data("procs", 0444, dir, dc_procs_show, dc) ||
	    !proc_create_single_data("stats", 0444, dir, dc_stats_show, dc) ||
	    !proc_create_single_data("ipcto", 0444, dir, dc_ipcto_show, dc) ||
	    !proc_create_single_data("dvkcalls", 0444, dir, dc_dvkcalls_show, dc)) {
		proc_remove(dir);
		return EDVSBADFILE;
	}
	dc->proc_dir = dir;
	return OK;
}

/* Remove the DC's directory; waits for readers in progress. */
void dvk_procfs_dc_remove(struct dvk_dc *dc)
{
	proc_remove(dc->proc_dir);
	dc->proc_dir = NULL;
}
