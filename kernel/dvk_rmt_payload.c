// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt_payload.c - the data of a remote copy command (struct
 * dvk_payload, dvk_rmt.h) and its reference count: the queued command
 * holds one, get2rmt another while it copies a chunk out.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched/task.h>
#include "dvk_rmt.h"

/* A payload of @len bytes with one reference, or NULL. */
struct dvk_payload *dvk_payload_alloc(size_t len)
{
	struct dvk_payload *pl = kvmalloc(struct_size(pl, data, len), GFP_KERNEL);

	if (pl) {
		refcount_set(&pl->ref, 1);
		pl->task = NULL;
	}
	return pl;
}

/* A payload read from @t's memory at @addr when sent, or NULL. */
struct dvk_payload *dvk_payload_of_task(struct task_struct *t, unsigned long addr)
{
	struct dvk_payload *pl = kmalloc(sizeof(*pl), GFP_KERNEL);

	if (pl) {
		refcount_set(&pl->ref, 1);
		pl->task = get_task_struct(t);
		pl->addr = addr;
	}
	return pl;
}

void dvk_payload_put(struct dvk_payload *pl)
{
	if (!pl || !refcount_dec_and_test(&pl->ref))
		return;
	if (pl->task)
		put_task_struct(pl->task);
	kvfree(pl);
}

/* Copy @len bytes at @off of @pl to @dst (the proxy's buffer): OK or EDVSFAULT. */
long dvk_payload_to_user(struct dvk_payload *pl, s64 off, void __user *dst, size_t len)
{
	if (pl->task)
		return dvk_task_read_user(pl->task, pl->addr + off, dst, len);
	return copy_to_user(dst, pl->data + off, len) ? EDVSFAULT : OK;
}
