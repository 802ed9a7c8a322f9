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
#include "dvk_internal.h"

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
