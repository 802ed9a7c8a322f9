// SPDX-License-Identifier: LGPL-2.1
/* dvk_msg.c - message calls of libdvk (any non-negative result maps to 0). */
#include "libdvk.h"
#include "libdvk_private.h"

long dvk_send_T(int dst_ep, message *m, long timeout_ms)
{
	long r = dvk_ipc(DVK_SEND, dst_ep, 0, 0, DVK_PTR(m), timeout_ms);

	DVK_RETURN(DVK_SEND, r > 0 ? 0 : r);
}

long dvk_receive_T(int src_ep, message *m, long timeout_ms)
{
	long r = dvk_ipc(DVK_RECEIVE, src_ep, 0, 0, DVK_PTR(m), timeout_ms);

	DVK_RETURN(DVK_RECEIVE, r > 0 ? 0 : r);
}
