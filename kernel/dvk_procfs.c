// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_procfs.c - the /proc/dvs views, in the original DVK formats
 * (docs/proc-debugfs.md).
 *
 * Views are regenerated on every read through seq_file, so any number of
 * concurrent readers is safe.  They copy what they print under short
 * spinlocks and never take the mutexes of the paths they describe: a view
 * must keep working while those paths are stuck.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "dvk_internal.h"

/* A 32-bit bitmap as the original printed it: bit 31 first, X = set. */
static void seq_bitmap32(struct seq_file *m, u64 bits)
{
	int i;

	for (i = 31; i >= 0; i--)
		seq_putc(m, bits & (1ULL << i) ? 'X' : '-');
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

/**
 * dvk_procfs_create - create /proc/dvs and its files (at dvs_init).
 *
 * Return: OK, EDVSBADDIR or EDVSBADFILE.
 */
int dvk_procfs_create(void)
{
	struct proc_dir_entry *dir;

	dir = proc_mkdir("dvs", NULL);
	if (!dir)
		return EDVSBADDIR;
	if (!proc_create_single("info", 0444, dir, dvs_info_show)) {
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

/* /proc/dvs/<DC>/info: the DC descriptor, original format (B.9). */
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
	seq_bitmap32(m, u.dc_nodes);
	seq_printf(m, "\ncpumask=%llx \n", u.dc_cpumask);
	return 0;
}

/*
 * /proc/dvs/<DC>/procs: one row per bound slot (B.9).  Each row is copied
 * under the DC spinlock, which no path holds for long, and printed outside
 * it, so the view works while processes are stuck in DVK calls.
 */
static int dc_procs_show(struct seq_file *m, void *v)
{
	struct dvk_dc *dc = m->private;
	struct proc_usr u;
	int i;

	seq_puts(m, "DC pnr -endp -lpid/vpid- nd flag misc -getf -sndt -wmig -prxy name\n");
	for (i = 0; i < dc->nr_slots; i++) {
		spin_lock(&dc->lock);
		u = dc->procs[i].usr;
		spin_unlock(&dc->lock);
		if (u.p_rts_flags & SLOT_FREE)
			continue;
		seq_printf(m, "%2d %3d %5d %5d/%-5d %2d %4X %4X %5d %5d %5d %5d %-15.15s\n",
			   u.p_dcid, u.p_nr, u.p_endpoint, u.p_lpid, u.p_vpid, u.p_nodeid,
			   u.p_rts_flags, u.p_misc_flags, u.p_getfrom, u.p_sendto,
			   u.p_waitmigr, u.p_proxy, u.p_name);
		cond_resched();
	}
	return 0;
}

/**
 * dvk_procfs_dc_create - /proc/dvs/<dc_name>/{info,procs} (at dc_init).
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
	    !proc_create_single_data("procs", 0444, dir, dc_procs_show, dc)) {
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
