// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_debugfs.c - /sys/kernel/debug/dvk/: views for people debugging a
 * stuck system (formats in docs/proc-debugfs.md).
 *
 * Present while the module is loaded.  Like the /proc views they copy what
 * they print under short spinlocks that no sleeping path holds, so they
 * stay readable while processes are stuck in the waits they describe.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include "dvk_internal.h"

static struct dentry *dvk_debugfs_dir;

/* A copy of one waiter, taken under dvk_bindwaits_lock. */
struct bindwait_row {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	int dcid, oper, ep;
	long timeout_ms;
	u64 since_ns;
};

/*
 * bindwaits: one line per process sleeping in wait4bind.  The rows are
 * copied into a buffer under the spinlock, then printed.
 */
static int bindwaits_show(struct seq_file *m, void *v)
{
	struct bindwait_row *rows;
	struct dvk_bindwait *bw;
	int n = 0, cap = 64, i;
	u64 now;

	seq_puts(m, "    PID COMM             DCID OPER   TARGET  WAITED_MS TIMEOUT_MS\n");
retry:
	rows = kmalloc_array(cap, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;
	n = 0;
	spin_lock(&dvk_bindwaits_lock);
	list_for_each_entry(bw, &dvk_bindwaits, link) {
		if (n == cap) {
			spin_unlock(&dvk_bindwaits_lock);
			kfree(rows);
			cap *= 4;
			goto retry;
		}
		rows[n].pid = bw->pid;
		memcpy(rows[n].comm, bw->comm, TASK_COMM_LEN);
		rows[n].dcid = bw->dcid;
		rows[n].oper = bw->oper;
		rows[n].ep = bw->ep;
		rows[n].timeout_ms = bw->timeout_ms;
		rows[n].since_ns = bw->since_ns;
		n++;
	}
	spin_unlock(&dvk_bindwaits_lock);

	now = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct bindwait_row *r = &rows[i];

		seq_printf(m, "%7d %-16.16s %4d %-6s ", r->pid, r->comm, r->dcid,
			   r->oper == WAIT_BIND ? "bind" : "unbind");
		if (r->ep == SELF)
			seq_printf(m, "%6s", "SELF");
		else
			seq_printf(m, "%6d", r->ep);
		seq_printf(m, " %10llu %10ld\n", (now - r->since_ns) / NSEC_PER_MSEC,
			   r->timeout_ms);
	}
	kfree(rows);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bindwaits);

void dvk_debugfs_create(void)
{
	/* debugfs errors are not fatal: the views are for debugging only */
	dvk_debugfs_dir = debugfs_create_dir("dvk", NULL);
	debugfs_create_file("bindwaits", 0444, dvk_debugfs_dir, NULL, &bindwaits_fops);
}

void dvk_debugfs_remove(void)
{
	debugfs_remove(dvk_debugfs_dir);
	dvk_debugfs_dir = NULL;
}
