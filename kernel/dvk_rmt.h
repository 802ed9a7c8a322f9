/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_rmt.h - what the two halves of remote IPC share: dvk_rmt.c (the
 * outgoing queue, get2rmt, link failure) and dvk_put2lcl.c (commands that
 * arrive from remote nodes).
 */
#ifndef _DVK_RMT_H
#define _DVK_RMT_H

#include "dvk_ipc.h"

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

void dvk_rmt_header(struct dvk_proc *p, int cmd, int src, int dst, int dnode, u64 id);
long dvk_rmt_enqueue(struct dvk_proc *p, bool need_both);
long dvk_put2lcl_copy(struct dvk_dc *dc, const cmd_t *c, u64 id, const void __user *payload);
long dvk_rmt_caller_pair(bool sender, struct dvk_proxies **pxp);
long dvk_rmt_pair_usable(struct dvk_proxies *px, bool sender);
void dvk_rmt_stats_add(struct dvk_pxstats *st, u64 bytes, long err);

#endif /* _DVK_RMT_H */
