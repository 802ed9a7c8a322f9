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

/* dvk_waits.c: debugfs dvk/waits in @dir */
struct dentry;
void dvk_debugfs_waits_create(struct dentry *dir);

#endif /* _DVK_VIEWS_H */
