/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk_abi_calls.h - call numbers, the call word and the ioctl of /dev/dvk
 * (part of dvk.h).
 */
#ifndef _UAPI_DVK_ABI_CALLS_H
#define _UAPI_DVK_ABI_CALLS_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include "dvk_abi_errors.h"

/* ------------------------------------------------------------------ */
/* Call numbers (ipc() "nr"); call word = (DVKIPC_VERSION << 16) | (nr << 8) */
/* ------------------------------------------------------------------ */
/*
 * X-macro of every call: X(number, name).  Used for the dispatch table, the
 * trace event's symbolic names, libdvk's dvk_callname() and dvktop.
 */
#define DVK_CALL_LIST(X)						\
	X(0, void0) X(1, dc_init) X(2, send) X(3, receive)		\
	X(4, notify) X(5, sendrec) X(6, rcvrqst) X(7, reply)		\
	X(8, dc_end) X(9, bind) X(10, unbind) X(11, getpriv)		\
	X(12, setpriv) X(13, vcopy) X(14, getdcinfo)			\
	X(15, getprocinfo) X(16, relay) X(17, proxies_bind)		\
	X(18, proxies_unbind) X(19, getnodeinfo) X(20, put2lcl)		\
	X(21, get2rmt) X(22, add_node) X(23, del_node)			\
	X(24, dvs_init) X(25, dvs_end) X(26, getep)			\
	X(27, getdvsinfo) X(28, proxy_conn) X(29, wait4bind)		\
	X(30, migrate) X(31, node_up) X(32, node_down)			\
	X(33, getproxyinfo) X(34, wakeup)

#define DVK_VOID0		0
#define DVK_DC_INIT		1
#define DVK_SEND		2
#define DVK_RECEIVE		3
#define DVK_NOTIFY		4
#define DVK_SENDREC		5
#define DVK_RCVRQST		6
#define DVK_REPLY		7
#define DVK_DC_END		8
#define DVK_BIND		9
#define DVK_UNBIND		10
#define DVK_GETPRIV		11
#define DVK_SETPRIV		12
#define DVK_VCOPY		13
#define DVK_GETDCINFO		14
#define DVK_GETPROCINFO		15
#define DVK_RELAY		16
#define DVK_PROXYBIND		17
#define DVK_PROXYUNBIND		18
#define DVK_GETNODEINFO		19
#define DVK_PUT2LCL		20
#define DVK_GET2RMT		21
#define DVK_ADDNODE		22
#define DVK_DELNODE		23
#define DVK_DVSINIT		24
#define DVK_DVSEND		25
#define DVK_GETEP		26
#define DVK_GETDVSINFO		27
#define DVK_PROXYCONN		28
#define DVK_WAIT4BIND		29
#define DVK_MIGRATE		30
#define DVK_NODEUP		31
#define DVK_NODEDOWN		32
#define DVK_GETPROXYINFO	33
#define DVK_WAKEUPEP		34
#define DVK_NR_CALLS		35

/* The call word of DVK call nr, as ipc() and /dev/dvk expect it. */
#define DVK_CALL_WORD(nr)	((DVKIPC_VERSION << 16) | ((nr) << 8))
/* Call words with version 0 are accepted too (the SysV ipc() syscall strips it). */
#define DVK_CALL_NR(word)	(((word) >> 8) & 0xff)
#define DVK_CALL_VERSION(word)	((word) >> 16)

/* ------------------------------------------------------------------ */
/* The single ioctl of /dev/dvk: the six ipc() arguments, verbatim.      */
/* ------------------------------------------------------------------ */
/* 40 bytes */
struct dvk_ipc_args {
	__u32 call;	/* call word */
	__s32 first;
	__u64 second;
	__u64 third;
	__u64 ptr;	/* user pointer */
	__s64 fifth;
};

#define DVK_IOC_MAGIC		0xE3
#define DVK_IOC_IPC		_IOW(DVK_IOC_MAGIC, 0, struct dvk_ipc_args)
#define DVK_DEVICE		"/dev/dvk"

/*
 * dvk_call_failed - does a call's return value mean failure?
 * bind, getep and wait4bind return endpoints, which are negative for kernel
 * tasks (-35..-1): for them only values below EDVSERRCODE are errors.
 */
static inline int dvk_call_failed(int nr, long ret)
{
	if (nr == DVK_BIND || nr == DVK_GETEP || nr == DVK_WAIT4BIND)
		return ret < EDVSERRCODE;
	return ret < 0;
}

/* Layout checks: these sizes are ABI. */
_Static_assert(sizeof(struct dvk_ipc_args) == 40, "dvk_ipc_args ABI");

#endif /* _UAPI_DVK_ABI_CALLS_H */
