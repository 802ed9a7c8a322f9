// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_exit.c - unbind tasks that exit, without patching the kernel.
 *
 * The original patched do_exit().  A module cannot, so we attach a probe to
 * the kernel's sched_process_exit tracepoint (found by name with
 * for_each_kernel_tracepoint(), as LTTng's modules do).  do_exit() fires it
 * for every exiting thread, after PF_EXITING is set, in the exiting task's
 * context and in atomic context: the probe must not sleep, which is why
 * every unbind path only takes spinlocks.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/sched.h>
#include "dvk_bind.h"
#include "dvk_remote.h"

static struct tracepoint *dvk_exit_tp;

static void dvk_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		*(struct tracepoint **)priv = tp;
}

static void dvk_exit_probe(void *data, struct task_struct *task)
{
	dvk_exit_unbind(task);
	dvk_proxy_exit(task);
}

int dvk_exit_hook_register(void)
{
	int err;

	for_each_kernel_tracepoint(dvk_find_tp, &dvk_exit_tp);
	if (!dvk_exit_tp) {
		pr_err("dvk: no sched_process_exit tracepoint: cannot unbind exiting tasks\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(dvk_exit_tp, dvk_exit_probe, NULL);
	if (err)
		pr_err("dvk: cannot attach to sched_process_exit: %d\n", err);
	return err;
}

void dvk_exit_hook_unregister(void)
{
	tracepoint_probe_unregister(dvk_exit_tp, dvk_exit_probe, NULL);
	tracepoint_synchronize_unregister();	/* no probe still running */
}
