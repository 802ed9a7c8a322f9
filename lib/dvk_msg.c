// SPDX-License-Identifier: LGPL-2.1
/*
 * dvk_msg.c - message and copy calls of libdvk.  As in the original
 * library, any non-negative result of send/receive/sendrec/rcvrqst/reply/
 * notify maps to 0.
 */
#include "libdvk.h"
#include "libdvk_private.h"

/* a message call: ep in first, message in ptr, timeout in fifth */
static long msg_call(int nr, int ep, message *m, long timeout_ms)
{
	long r = dvk_kcall(nr, ep, 0, 0, DVK_PTR(m), timeout_ms);

	return r > 0 ? 0 : r;
}

long dvk_send_T(int dst_ep, message *m, long timeout_ms)
{
	DVK_ENTRY(send, dst_ep, m, timeout_ms);
	DVK_RETURN(send, msg_call(DVK_SEND, dst_ep, m, timeout_ms));
}

long dvk_receive_T(int src_ep, message *m, long timeout_ms)
{
	DVK_ENTRY(receive, src_ep, m, timeout_ms);
	DVK_RETURN(receive, msg_call(DVK_RECEIVE, src_ep, m, timeout_ms));
}

long dvk_sendrec_T(int srcdst_ep, message *m, long timeout_ms)
{
	DVK_ENTRY(sendrec, srcdst_ep, m, timeout_ms);
	DVK_RETURN(sendrec, msg_call(DVK_SENDREC, srcdst_ep, m, timeout_ms));
}

long dvk_rcvrqst_T(message *m, long timeout_ms)
{
	DVK_ENTRY(rcvrqst, m, timeout_ms);
	DVK_RETURN(rcvrqst, msg_call(DVK_RCVRQST, 0, m, timeout_ms));
}

long dvk_reply_T(int dst_ep, message *m, long timeout_ms)
{
	DVK_ENTRY(reply, dst_ep, m, timeout_ms);
	DVK_RETURN(reply, msg_call(DVK_REPLY, dst_ep, m, timeout_ms));
}

long dvk_relay(int dst_ep, message *m)
{
	DVK_ENTRY(relay, dst_ep, m);
	DVK_RETURN(relay, msg_call(DVK_RELAY, dst_ep, m, 0));
}

long dvk_notify_X(int src_nr, int dst_ep, int value)
{
	long r;

	DVK_ENTRY(notify, src_nr, dst_ep, value);
	r = dvk_kcall(DVK_NOTIFY, src_nr, (uint64_t)(int64_t)dst_ep, (uint64_t)(int64_t)value, 0, 0);
	DVK_RETURN(notify, r > 0 ? 0 : r);
}

long dvk_vcopy(int src_ep, const void *src_addr, int dst_ep, void *dst_addr, long bytes)
{
	DVK_ENTRY(vcopy, src_ep, src_addr, dst_ep, dst_addr, bytes);
	DVK_RETURN(vcopy, dvk_kcall(DVK_VCOPY, src_ep, DVK_PTR(src_addr), (uint64_t)(int64_t)dst_ep,
				    DVK_PTR(dst_addr), bytes));
}

long dvk_wakeup(int dcid, int proc_ep)
{
	DVK_ENTRY(wakeup, dcid, proc_ep);
	DVK_RETURN(wakeup, dvk_kcall(DVK_WAKEUPEP, dcid, (uint64_t)(int64_t)proc_ep, 0, 0, 0));
}
