/* SPDX-License-Identifier: GPL-2.0 */
/* waits_key.h - the (dcid, ep) order waits.c and waits_graph.c share (internal). */
#ifndef DVKVIEW_WAITS_KEY_H
#define DVKVIEW_WAITS_KEY_H

#include <stdint.h>

static inline int dvk_wait_key_cmp(int32_t d1, int32_t e1, int32_t d2, int32_t e2)
{
	if (d1 != d2)
		return d1 < d2 ? -1 : 1;
	return e1 < e2 ? -1 : e1 > e2;
}

#endif /* DVKVIEW_WAITS_KEY_H */
