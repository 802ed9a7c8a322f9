/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_rmt.h - what the files of remote IPC share among themselves:
 * dvk_rmt.c (the outgoing queue, get2rmt, link failure), dvk_put2lcl.c
 * (commands that arrive from remote nodes), dvk_rmt_copy.c (vcopy with a
 * remote end) and dvk_migrate.c.  Their interface to the rest of the
 * module: dvk_remote.h.
 */
#ifndef _DVK_RMT_H
#define _DVK_RMT_H

#include "dvk_ipc.h"
#include "dvk_remote.h"

/* Index of a pair in dvk_dvs.proxies[]. */
static inline int dvk_px_index(const struct dvk_proxies *px)
{
	return px - dvk_dvs.proxies;
}

/* Is @ep an endpoint of @dc in range (not ANY/NONE/SELF)? */
static inline bool ep_in_range(struct dvk_dc *dc, int ep)
{
	return ep != ANY && ep != NONE && ep != SELF && ep >= -dc->usr.dc_nr_tasks &&
	       dvk_pnr_valid(dc, _ENDPOINT_P(ep));
}

/*
 * The data of a remote copy command (vcopy bytes), counted: the queued
 * command holds one reference, get2rmt another while it copies a chunk to
 * its proxy outside dc->lock, so an unlink meanwhile (the requester died,
 * the stream was withdrawn) cannot free the bytes under it.  Either the
 * bytes themselves (@data), or, with @task, where to read them: a
 * requester that copies its own memory to a remote node is blocked until
 * the answer, so get2rmt reads each chunk from it straight into the proxy
 * (no snapshot of the whole range first).
 */
struct dvk_payload {
	refcount_t ref;
	struct task_struct *task;	/* referenced; NULL: the bytes are in @data */
	unsigned long addr;		/* ... at this address of @task */
	u8 data[];
};

/* dvk_rmt.c */
struct dvk_payload *dvk_payload_alloc(size_t len);
struct dvk_payload *dvk_payload_of_task(struct task_struct *t, unsigned long addr);
void dvk_payload_put(struct dvk_payload *pl);
long dvk_payload_to_user(struct dvk_payload *pl, s64 off, void __user *dst, size_t len);
void dvk_rmt_header_locked(struct dvk_proc *p, int cmd, int src, int dst, int dnode, u64 id);
long dvk_rmt_enqueue_locked(struct dvk_proc *p, bool need_both);
long dvk_rmt_caller_pair(bool sender, struct dvk_proxies **pxp);
long dvk_rmt_pair_usable_netlocked(struct dvk_proxies *px, bool sender);
void dvk_rmt_stats_add(struct dvk_pxstats *st, u64 bytes, long err);

/* dvk_rmt_copy.c */
long dvk_put2lcl_copy(struct dvk_dc *dc, const cmd_t *c, u64 id, const void __user *payload);

#endif /* _DVK_RMT_H */
