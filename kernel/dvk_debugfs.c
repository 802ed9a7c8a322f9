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
#include <linux/mm.h>
#include <linux/bitops.h>
#include <linux/rcupdate.h>
#include "dvk_bind.h"
#include "dvk_views.h"

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

/* A copy of one bound endpoint, taken under its DC's lock. */
struct endpoint_row {
	int dcid, ep, pid;
	u32 flags;
	int nsenders, npending;
	u64 oldest_ns;		/* queued_ns of the head of senders; 0: none */
	u64 msgs_in, msgs_out, bytes_copied;
	char name[MAXPROCNAME];
};

/* One letter per blocking bit of p_rts_flags, in bit order (the uapi's list). */
#define DVK_RTS_LETTER(bit, letter) { bit, letter },
static const struct {
	u32 bit;
	char letter;
} endpoint_state_letters[] = {
	DVK_RTS_FLAG_LIST(DVK_RTS_LETTER)
};
#undef DVK_RTS_LETTER

static void endpoint_state(u32 flags, char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(endpoint_state_letters) && n + 1 < len; i++)
		if (flags & endpoint_state_letters[i].bit)
			buf[n++] = endpoint_state_letters[i].letter;
	if (!n && len > 1)
		buf[n++] = '-';
	buf[n] = '\0';
}

/*
 * Copy the bound slots of the DC published as @dcid into @rows (room for
 * @cap).  Returns the number of rows, 0 when the DC id is free.  The DC is
 * found under RCU (it cannot be freed meanwhile, design rule 5) and read
 * under its spinlock, which no sleeping path holds.
 */
static int endpoints_snapshot(int dcid, struct endpoint_row *rows, int cap)
{
	struct dvk_dc *dc;
	int i, n = 0;

	rcu_read_lock();
	dc = rcu_dereference(dvk_dvs.dcs[dcid]);
	if (!dc)
		goto out;
	spin_lock(&dc->lock);
	for (i = 0; i < dc->nr_slots && n < cap; i++) {
		struct dvk_proc *p = &dc->procs[i];
		struct endpoint_row *r = &rows[n];

		if (p->usr.p_rts_flags & SLOT_FREE)
			continue;
		r->dcid = p->usr.p_dcid;
		r->ep = p->usr.p_endpoint;
		r->pid = p->usr.p_lpid;
		r->flags = p->usr.p_rts_flags;
		r->nsenders = p->nsenders;
		r->npending = bitmap_weight(p->notify_pending, DVK_MAX_SLOTS);
		r->oldest_ns = 0;
		if (!list_empty(&p->senders))
			r->oldest_ns = list_first_entry(&p->senders, struct dvk_proc,
							send_link)->queued_ns;
		r->msgs_in = p->msgs_in;
		r->msgs_out = p->usr.p_lclsent;
		r->bytes_copied = p->bytes_copied;
		memcpy(r->name, p->usr.p_name, sizeof(r->name));
		r->name[sizeof(r->name) - 1] = '\0';
		n++;
	}
	spin_unlock(&dc->lock);
out:
	rcu_read_unlock();
	return n;
}

/* ms since a local_clock() reading, or "-" for never */
static void print_age(struct seq_file *m, u64 now, u64 t, int width)
{
	if (t)
		seq_printf(m, " %*llu", width, (now > t ? now - t : 0) / NSEC_PER_MSEC);
	else
		seq_printf(m, " %*s", width, "-");
}

/*
 * endpoints: one line per bound endpoint of every running DC.  Each DC's
 * rows are copied under its lock into a buffer, then printed unlocked.
 */
static int endpoints_show(struct seq_file *m, void *v)
{
	const int cap = NR_TASKS + NR_PROCS;	/* the most slots a DC can have */
	struct endpoint_row *rows;
	int dcid, n, i;
	char state[24];
	u64 now;

	rows = kvmalloc_array(cap, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;
	seq_puts(m, "DC    EP     PID FLAGS STATE QUEUE NTFY OLDEST_MS    MSGS_IN   MSGS_OUT "
		 "BYTES_COPIED NAME\n");
	for (dcid = 0; dcid < NR_DCS; dcid++) {
		n = endpoints_snapshot(dcid, rows, cap);
		now = local_clock();
		for (i = 0; i < n; i++) {
			struct endpoint_row *r = &rows[i];

			endpoint_state(r->flags, state, sizeof(state));
			seq_printf(m, "%2d %5d %7d %5X %-5s %5d %4d", r->dcid, r->ep, r->pid,
				   r->flags, state, r->nsenders, r->npending);
			print_age(m, now, r->oldest_ns, 9);
			seq_printf(m, " %10llu %10llu %12llu %s\n", r->msgs_in, r->msgs_out,
				   r->bytes_copied, r->name);
		}
		cond_resched();
	}
	kvfree(rows);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(endpoints);

/* One pair as the proxies view prints it. */
struct pair_row {
	int flags, queued;
	char name[MAXPROXYNAME];
	u64 nodemap, oldest_ns;		/* local_clock() of the oldest queued command */
	struct dvk_pxstats st[2];	/* [DVK_PX_OUT], [DVK_PX_IN] */
	u64 refused;
};

/*
 * Copy pair @px_nr into @r.  Return: whether the pair is in use.  Copied under net_lock, which no
 * sleeping path holds, so the view stays readable while callers are stuck.
 */
static bool pair_row(int px_nr, struct pair_row *r)
{
	struct dvk_proxies *px = &dvk_dvs.proxies[px_nr];
	struct dvk_proc *head;

	spin_lock(&dvk_dvs.net_lock);
	r->flags = px->usr.px_flags;
	memcpy(r->name, px->usr.px_name, sizeof(r->name));
	r->name[sizeof(r->name) - 1] = '\0';
	r->nodemap = px->nodemap;
	r->queued = px->outq_len;
	head = list_first_entry_or_null(&px->outq, struct dvk_proc, px_link);
	r->oldest_ns = head ? head->px_queued_ns : 0;
	r->st[DVK_PX_OUT] = px->st[DVK_PX_OUT];
	r->st[DVK_PX_IN] = px->st[DVK_PX_IN];
	r->refused = px->refused;
	spin_unlock(&dvk_dvs.net_lock);
	return r->flags & PROXIES_INUSE;
}

/*
 * proxies: one line per proxy pair in use: its state, the nodes it serves,
 * its outgoing queue and the traffic each way (out = taken by get2rmt, in =
 * handed in by put2lcl; errors = put2lcl failures and dropped commands;
 * refused = connections and frames the receiver proxy refused).
 */
static int proxies_show(struct seq_file *m, void *v)
{
	const struct dvk_pxstats *out, *in;
	struct pair_row r;
	int px;
	u64 now;

	seq_puts(m, "PX NAME             STATE NODES      QUEUE OLDEST_MS   MSGS_OUT  BYTES_OUT"
		 "    MSGS_IN   BYTES_IN ERR_OUT ERR_IN LAST_ERR LAST_OUT_MS LAST_IN_MS  REFUSED\n");
	for (px = 0; px < NR_NODES; px++) {
		if (!pair_row(px, &r))
			continue;
		now = local_clock();
		seq_printf(m, "%2d %-16s %c%c%c   0x%08llx %5d", px, r.name,
			   'I', r.flags & PROXIES_SCONNECTED ? 'S' : '-',
			   r.flags & PROXIES_RCONNECTED ? 'R' : '-', r.nodemap, r.queued);
		print_age(m, now, r.oldest_ns, 9);
		out = &r.st[DVK_PX_OUT];
		in = &r.st[DVK_PX_IN];
		seq_printf(m, " %10llu %10llu %10llu %10llu %7llu %6llu %8ld", out->msgs,
			   out->bytes, in->msgs, in->bytes, out->errors,
			   in->errors, in->last_error ? in->last_error : out->last_error);
		print_age(m, now, out->last_ns, 11);
		print_age(m, now, in->last_ns, 10);
		seq_printf(m, " %8llu\n", r.refused);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(proxies);

void dvk_debugfs_create(void)
{
	/* debugfs errors are not fatal: the views are for debugging only */
	dvk_debugfs_dir = debugfs_create_dir("dvk", NULL);
	debugfs_create_file("bindwaits", 0444, dvk_debugfs_dir, NULL, &bindwaits_fops);
	debugfs_create_file("endpoints", 0444, dvk_debugfs_dir, NULL, &endpoints_fops);
	debugfs_create_file("proxies", 0444, dvk_debugfs_dir, NULL, &proxies_fops);
	dvk_debugfs_waits_create(dvk_debugfs_dir);
}

void dvk_debugfs_remove(void)
{
	debugfs_remove(dvk_debugfs_dir);
	dvk_debugfs_dir = NULL;
}
