/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_views.h - what people read to see the module's state: /proc/dvs
 * (dvk_procfs.c) and /sys/kernel/debug/dvk (dvk_debugfs.c).
 */
#ifndef _DVK_VIEWS_H
#define _DVK_VIEWS_H

#include "dvk_core.h"

/* dvk_procfs.c */
int dvk_procfs_create(void);
void dvk_procfs_remove(void);
int dvk_procfs_dc_create(struct dvk_dc *dc);
void dvk_procfs_dc_remove(struct dvk_dc *dc);

/* dvk_debugfs.c */
void dvk_debugfs_create(void);
void dvk_debugfs_remove(void);

/* One pair as the debugfs proxies view prints it. */
struct dvk_pair_row {
	int flags, queued;
	char name[MAXPROXYNAME];
	u64 nodemap, oldest_ns;		/* local_clock() of the oldest queued command */
	struct dvk_pxstats st[2];	/* [DVK_PX_OUT], [DVK_PX_IN] */
	u64 refused;
};
bool dvk_rmt_pair_row(int px_nr, struct dvk_pair_row *r);

#endif /* _DVK_VIEWS_H */
