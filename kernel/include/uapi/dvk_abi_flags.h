/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk_abi_flags.h - flags and operation codes of the DVK ABI (part of dvk.h).
 */
#ifndef _UAPI_DVK_ABI_FLAGS_H
#define _UAPI_DVK_ABI_FLAGS_H

/* dvs_usr.d_flags */
#define DVK_IPC			0x001
#define DVK_IOCTL		0x002
#define DVK_USERMODE		0x004
#define DVS_INITIALIZED		0x100
#define DVS_USER_FLAGS		(DVK_IPC | DVK_IOCTL | DVK_USERMODE)
/* Their names, in the order dvktop's header prints them: X(flag, name). */
#define DVK_DVS_FLAG_LIST(X)						\
	X(DVS_INITIALIZED, INIT) X(DVK_IPC, IPC) X(DVK_IOCTL, IOCTL)	\
	X(DVK_USERMODE, USERMODE)

/* dc_usr.dc_flags */
#define DC_RUNNING		0
#define DC_FREE			2

/* node_usr.n_flags */
#define NODE_FREE		0x0
#define NODE_ATTACHED		0x2
#define NODE_SCONNECTED		0x4
#define NODE_RCONNECTED		0x8

/* proxies_usr.px_flags */
#define PROXIES_FREE		0x0
#define PROXIES_INUSE		0x1
#define PROXIES_SCONNECTED	0x2
#define PROXIES_RCONNECTED	0x4

/* proxy_conn() status */
#define CONNECT_SPROXY		1
#define CONNECT_RPROXY		2
#define DISCONNECT_SPROXY	3
#define DISCONNECT_RPROXY	4
/* this project: the receiver proxy refused a connection or a frame (a count only) */
#define REFUSED_RPROXY		5

/* bind() types */
#define SELF_BIND		0
#define LCL_BIND		1
#define RMT_BIND		2
#define BKUP_BIND		3
#define REPLICA_BIND		4
#define USERMODE_BIND		5
#define MAX_BIND_TYPE		USERMODE_BIND

/* wait4bind() operations */
#define WAIT_BIND		0
#define WAIT_UNBIND		1

/* migrate() operations */
#define MIGR_START		0
#define MIGR_COMMIT		1
#define MIGR_ROLLBACK		2

/* proc_usr.p_rts_flags: a process is runnable iff 0 */
#define SLOT_FREE		0x00001
#define NO_MAP			0x00002
#define SENDING			0x00004
#define RECEIVING		0x00008
#define SIGNALED		0x00010
#define SIG_PENDING		0x00020
#define P_STOP			0x00040
#define NO_PRIV			0x00080
#define NO_PRIORITY		0x00100
#define NO_ENDPOINT		0x00200
#define ONCOPY			0x00400
#define MIGRATING		0x00800
#define REMOTE			0x01000
#define RMTOPER			0x02000
#define WAITMIGR		0x08000
#define WAITUNBIND		0x20000
#define WAITBIND		0x40000
/*
 * The bits that block a process, in bit order, with the letter that the
 * debugfs views and dvktop show for each (docs/proc-debugfs.md): X(flag,
 * letter).
 */
#define DVK_RTS_FLAG_LIST(X)						\
	X(NO_MAP, 'P') X(SENDING, 'S') X(RECEIVING, 'R') X(SIGNALED, 'G')	\
	X(SIG_PENDING, 'g') X(P_STOP, 'T') X(NO_PRIV, 'V') X(NO_PRIORITY, 'Y')	\
	X(NO_ENDPOINT, 'E') X(ONCOPY, 'C') X(MIGRATING, 'M') X(REMOTE, 'r')	\
	X(RMTOPER, 'O') X(WAITMIGR, 'W') X(WAITUNBIND, 'U') X(WAITBIND, 'B')

/* proc_usr.p_misc_flags */
#define MIS_PROXY		0x0001
#define MIS_CONNECTED		0x0002
#define MIS_NOTIFY		0x0004
#define MIS_NEEDMIGR		0x0008
#define MIS_RMTBACKUP		0x0010
#define MIS_GRPLEADER		0x0020
#define MIS_KTHREAD		0x0040
#define MIS_REPLICATED		0x0080
#define MIS_KILLED		0x0100
#define MIS_WOKENUP		0x0200
#define MIS_USERMODE		0x0400
#define MIS_RMTINFO		0x0800
#define MIS_NOMIGRATE		0x1000
#define MIS_ATOMIC		0x2000
#define MIS_ENQUEUED		0x4000

/* priv_usr.priv_level */
#define USER_PRIV		0
#define SERVER_PRIV		1
#define TASK_PRIV		2
#define SYSTEM_PRIV		3
#define KERNEL_PRIV		4
#define PROXY_PRIV		5

/* Debug levels of d_dbglvl (kept for ABI compatibility; trace events replace them) */
#define DBGLVL0			0x000001
#define GENERIC			0x000002
#define INTERNAL		0x000004
#define DBGPROCLOCK		0x000100
#define DBGDCLOCK		0x000200
#define DBGNODELOCK		0x000400
#define DBGTASKLOCK		0x000800
#define DBGMESSAGE		0x001000
#define DBGCMD			0x002000
#define DBGVCOPY		0x004000
#define DBGPARAMS		0x008000
#define DBGPROC			0x010000
#define DBGPRIV			0x020000
#define DBGPROCSEM		0x040000
#define DBGNODE			0x080000
#define DBGPROXYLOCK		0x100000
#define DBGREFCOUNT		0x200000

/*
 * How a notify ended: the "outcome" field of the dvk:dvk_notify trace event
 * (docs/trace-events.md), printed by name in its format.
 */
enum dvk_notify_outcome {
	DVK_NOTIFY_DELIVERED = 0,	/* the destination was receiving: woken */
	DVK_NOTIFY_PENDING = 1,		/* bit set, delivered by a later receive */
	DVK_NOTIFY_COALESCED = 2,	/* a notify from the same source was pending */
	DVK_NOTIFY_REMOTE = 3,		/* to a remote endpoint: queued for its proxy */
};

#endif /* _UAPI_DVK_ABI_FLAGS_H */
