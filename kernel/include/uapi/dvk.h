/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk.h - user ABI of the Distributed Virtualization Kernel (DVK) module.
 *
 * Shared by the module (kernel/), libdvk (lib/), the BPF programs (bpf/) and
 * every tool.  Every struct uses fixed-width types so that 32- and 64-bit
 * callers see the same layout; each size is written next to the struct and
 * checked with _Static_assert at the end of this file.
 *
 * Names, numbers and error codes are those of the original DVK (DVS project)
 * so that existing DVK programs build against libdvk.  Pointers travel as
 * __u64 and bitmaps as __u64.
 */
#ifndef _UAPI_DVK_H
#define _UAPI_DVK_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* ------------------------------------------------------------------ */
/* Limits and constants                                                 */
/* ------------------------------------------------------------------ */
#define DVS_VERSION		202202	/* YYYYMM of the ABI generation */
#define DVKIPC_VERSION		1	/* version field of the ipc() call word */

#define NR_NODES		32
#define NR_DCS			32
#define NR_FIXED_TASKS		3	/* CLOCK, IDLE, SLOTS */
#define NR_TASKS		(NR_FIXED_TASKS + NR_NODES)	/* 35 */
#define NR_PROCS		(256 - NR_TASKS)		/* 221 */
#define NR_SERVERS		(32 - NR_FIXED_TASKS)		/* 29 */
#define NR_SYS_PROCS		64
#define NR_USR_PROCS		(NR_PROCS - NR_SYS_PROCS)	/* 157 */
#define NR_SYSTASKS		NR_NODES

#define MAXCOPYBUF		65536
#define MAXCOPYLEN		(16 * MAXCOPYBUF)		/* 1 MiB */

#define MAXPROCNAME		16
#define MAXDCNAME		16
#define MAXNODENAME		16
#define MAXPROXYNAME		16
#define MAXDVSNAME		16

#define TIMEOUT_FOREVER		(-1)
#define TIMEOUT_NOWAIT		0
#define TIMEOUT_MS		60000
#define TIMEOUT_MOLCALL		30000
#define HELLO_PERIOD		30000

/* Magic endpoints */
#define ANY			0x7ace	/* 31438 */
#define NONE			0x6ace	/* 27342 */
#define SELF			0x8ace	/* 35534 */

#define LOCALNODE		(-1)
#define PROC_NO_PID		(-1)
#define NOTIFY_MESSAGE		0x1000
/*
 * m_type of a notify from p_nr: NOTIFY_MESSAGE | p_nr, as the original DVK
 * builds it for processes (p_nr >= 0).  A kernel task's p_nr is negative:
 * the original's NOTIFY_MESSAGE | HARDWARE is -1, which loses the notify
 * mark, so its low 12 bits are used instead (HARDWARE: 0x1fff) and
 * NOTIFY_SRC_NR() sign-extends them back (docs/user-api.md, "Departures").
 */
#define NOTIFY_FROM(p_nr)	(NOTIFY_MESSAGE | ((p_nr) & 0xfff))
#define IS_NOTIFY(m_type)	(((m_type) & ~0xfff) == NOTIFY_MESSAGE)
#define NOTIFY_SRC_NR(m_type)	((((m_type) & 0xfff) ^ 0x800) - 0x800)

/* Kernel-task numbers (negative p_nr) */
#define KERNEL			(-1)
#define HARDWARE		KERNEL
#define SYSTEM			(-2)
#define SYSTASK(n)		(-2 - (n))	/* n = node id: -2 .. -33 */
#define SLOTS			(-34)
#define CLOCK			(-35)
#define IDLE			(-36)
#define PROXY			IDLE
#define TRACKER_EP		SYSTASK

/* Endpoints: generation g and slot number p_nr (B.3 of the reference). */
#define _ENDPOINT_GENERATION_SIZE	(NR_TASKS + SELF + 1)	/* 35570 */
#define _ENDPOINT(g, p)		((g) * _ENDPOINT_GENERATION_SIZE + (p))
#define _ENDPOINT_G(e)		(((e) + NR_TASKS) / _ENDPOINT_GENERATION_SIZE)
#define _ENDPOINT_P(e)		((((e) + NR_TASKS) % _ENDPOINT_GENERATION_SIZE) - NR_TASKS)

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

/* ------------------------------------------------------------------ */
/* Error codes (all negative).  X(name, value, meaning)                 */
/* ------------------------------------------------------------------ */
#define DVK_ERROR_LIST(X)						\
	X(EDVSPERM, -1, "operation not permitted")			\
	X(EDVSNOENT, -2, "no such file or directory")			\
	X(EDVSSRCH, -3, "no such process")				\
	X(EDVSINTR, -4, "interrupted call")				\
	X(EDVSIO, -5, "input/output error")				\
	X(EDVSNXIO, -6, "no such device or address")			\
	X(EDVS2BIG, -7, "argument too big")				\
	X(EDVSNOEXEC, -8, "exec format error")				\
	X(EDVSBADF, -9, "bad file descriptor")				\
	X(EDVSCHILD, -10, "no child process")				\
	X(EDVSAGAIN, -11, "resource temporarily unavailable")		\
	X(EDVSNOMEM, -12, "not enough space")				\
	X(EDVSACCES, -13, "permission denied")				\
	X(EDVSFAULT, -14, "bad address")				\
	X(EDVSNOTBLK, -15, "extension: not a block special file")	\
	X(EDVSBUSY, -16, "resource busy")				\
	X(EDVSEXIST, -17, "file exists")				\
	X(EDVSXDEV, -18, "improper link")				\
	X(EDVSNODEV, -19, "no such device")				\
	X(EDVSNOTDIR, -20, "not a directory")				\
	X(EDVSISDIR, -21, "is a directory")				\
	X(EDVSINVAL, -22, "invalid argument")				\
	X(EDVSNFILE, -23, "too many open files in system")		\
	X(EDVSMFILE, -24, "too many open files")			\
	X(EDVSNOTTY, -25, "inappropriate I/O control operation")	\
	X(EDVSTXTBSY, -26, "text file busy")				\
	X(EDVSFBIG, -27, "file too large")				\
	X(EDVSNOSPC, -28, "no space left on device")			\
	X(EDVSSPIPE, -29, "invalid seek")				\
	X(EDVSROFS, -30, "read-only file system")			\
	X(EDVSMLINK, -31, "too many links")				\
	X(EDVSPIPE, -32, "broken pipe")					\
	X(EDVSDOM, -33, "domain error")					\
	X(EDVSRANGE, -34, "result too large / out of range")		\
	X(EDVSDEADLK, -35, "resource deadlock avoided")			\
	X(EDVSNAMETOOLONG, -36, "file name too long")			\
	X(EDVSNOLCK, -37, "no locks available")				\
	X(EDVSNOSYS, -38, "function not implemented")			\
	X(EDVSNOTEMPTY, -39, "directory not empty")			\
	X(EDVSLOOP, -40, "too many levels of symbolic links")		\
	X(EDVSPACKSIZE, -50, "invalid packet size")			\
	X(EDVSOUTOFBUFS, -51, "not enough buffers left")		\
	X(EDVSBADIOCTL, -52, "illegal ioctl for device")		\
	X(EDVSBADMODE, -53, "bad mode for ioctl")			\
	X(EDVSWOULDBLOCK, -54, "operation would block")			\
	X(EDVSBADDEST, -55, "not a valid destination")			\
	X(EDVSDSTNOTRCH, -56, "destination not reachable")		\
	X(EDVSISCONN, -57, "already connected")				\
	X(EDVSADDRINUSE, -58, "address in use")				\
	X(EDVSCONNREFUSED, -59, "connection refused")			\
	X(EDVSCONNRESET, -60, "connection reset")			\
	X(EDVSTIMEDOUT, -61, "connection timed out")			\
	X(EDVSURG, -62, "urgent data present")				\
	X(EDVSNOURG, -63, "no urgent data present")			\
	X(EDVSNOTCONN, -64, "no connection")				\
	X(EDVSSHUTDOWN, -65, "already shut down")			\
	X(EDVSNOCONN, -66, "no such connection")			\
	X(EDVSAFNOSUPPORT, -67, "address family not supported")	\
	X(EDVSPROTONOSUPPORT, -68, "protocol not supported")		\
	X(EDVSPROTOTYPE, -69, "protocol wrong type for socket")		\
	X(EDVSINPROGRESS, -70, "operation now in progress")		\
	X(EDVSADDRNOTAVAIL, -71, "cannot assign requested address")	\
	X(EDVSALREADY, -72, "connection already in progress")		\
	X(EDVSMSGSIZE, -73, "message too long")				\
	X(EDVSNOTSOCK, -74, "socket operation on non-socket")		\
	X(EDVSNOPROTOOPT, -75, "protocol not available")		\
	X(EDVSGENERIC, -99, "generic error")				\
	X(EDVSLOCKED, -101, "can't send message due to deadlock")	\
	X(EDVSBADCALL, -102, "illegal system call number")		\
	X(EDVSBADSRCDST, -103, "bad source or destination process")	\
	X(EDVSCALLDENIED, -104, "no permission for system call")	\
	X(EDVSDEADSRCDST, -105, "source or destination is not alive")	\
	X(EDVSNOTREADY, -106, "source or destination is not ready")	\
	X(EDVSBADREQUEST, -107, "destination cannot handle request")	\
	X(EDVSSRCDIED, -108, "source just died")			\
	X(EDVSDSTDIED, -109, "destination just died")			\
	X(EDVSTRAPDENIED, -110, "IPC trap not allowed")			\
	X(EDVSDONTREPLY, -201, "pseudo-code: don't send a reply")	\
	X(EDVSBADNODEID, -301, "bad node id")				\
	X(EDVSBADDCID, -302, "bad DC id")				\
	X(EDVSDCNOTRUN, -303, "DC not running")				\
	X(EDVSBADPROC, -304, "bad process number")			\
	X(EDVSBADPID, -305, "bad PID")					\
	X(EDVSENDPOINT, -306, "bad endpoint")				\
	X(EDVSNOPROXY, -307, "proxy not running")			\
	X(EDVSRMTPROC, -308, "process is remote")			\
	X(EDVSLCLPROC, -309, "process is local")			\
	X(EDVSNOTBIND, -310, "process not bound")			\
	X(EDVSPROXYRUN, -311, "proxy already running")			\
	X(EDVSACKDST, -312, "ACK to a process not waiting in that state") \
	X(EDVSACKSRC, -313, "ACK from an unexpected source")		\
	X(EDVSACKWAIT, -314, "ACK to a process not waiting")		\
	X(EDVSNODEBUSY, -315, "node busy")				\
	X(EDVSNONODE, -316, "node does not exist")			\
	X(EDVSDVSBUSY, -317, "DVS already initialized")			\
	X(EDVSDVSINIT, -318, "DVS not initialized")			\
	X(EDVSNODCNODE, -319, "node not in the DC node list")		\
	X(EDVSPROCRUN, -320, "process is running")			\
	X(EDVSNOMSG, -321, "no message")				\
	X(EDVSDCRUN, -323, "DC already running")			\
	X(EDVSPROCSTS, -324, "bad process status")			\
	X(EDVSNODEFREE, -325, "node is free")				\
	X(EDVSDCNODE, -326, "node already in the DC")			\
	X(EDVSBADPROXY, -327, "bad proxy")				\
	X(EDVSONCOPY, -328, "process is copying")			\
	X(EDVSENQUEUED, -329, "descriptor enqueued")			\
	X(EDVSOVERRUN, -330, "overrun (e.g. notify already pending)")	\
	X(EDVSBADOWNER, -331, "bad owner")				\
	X(EDVSMIGRATE, -332, "process migrating")			\
	X(EDVSPROXYFREE, -333, "proxy pair free")			\
	X(EDVSGRPLEADER, -334, "not thread-group leader")		\
	X(EDVSPRIVILEGES, -335, "missing privileges")			\
	X(EDVSBINDTYPE, -336, "bad bind type")				\
	X(EDVSSLOTUSED, -337, "slot already bound")			\
	X(EDVSBADRANGE, -338, "value out of range")			\
	X(EDVSBADVALUE, -339, "bad value")				\
	X(EDVSBADDIR, -340, "cannot create directory")			\
	X(EDVSBADFILE, -341, "cannot create file")			\
	X(EDVSRSCBUSY, -342, "resource busy")				\
	X(EDVSNAMESIZE, -343, "name too long")				\
	X(EDVSALLOCMEM, -344, "memory allocation failed")		\
	X(EDVSPROXYID, -345, "bad proxy pair id")			\
	X(EDVSREPLPROC, -346, "replicated process")			\
	X(EDVSALIGN, -347, "misaligned addresses")			\
	X(EDVSWOKENUP, -348, "woken up by wakeup")			\
	X(EDVSBADTRAMP, -349, "bad copy-trampoline command")		\
	X(EDVSUSR2USR, -350, "internal: user-to-user copy request")	\
	X(EDVSKRN2USR, -351, "internal: kernel-to-user copy request")	\
	X(EDVSUSR2KRN, -352, "internal: user-to-kernel copy request")	\
	X(EDVSPRIMARY, -401, "process is primary")			\
	X(EDVSNOREPLICA, -402, "no replica")				\
	X(EDVSRESTARTSYS, -512, "restart system call")

#define _DVK_ERRNO_ENUM(name, value, text) name = (value),
enum dvk_errno { DVK_ERROR_LIST(_DVK_ERRNO_ENUM) };
#undef _DVK_ERRNO_ENUM

#define OK			0
#define EDVSERRCODE		(-300)	/* endpoint-returning calls fail only below this */

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

/* ------------------------------------------------------------------ */
/* Flags and operation codes                                            */
/* ------------------------------------------------------------------ */
/* dvs_usr.d_flags */
#define DVK_IPC			0x001
#define DVK_IOCTL		0x002
#define DVK_USERMODE		0x004
#define DVS_INITIALIZED		0x100
#define DVS_USER_FLAGS		(DVK_IPC | DVK_IOCTL | DVK_USERMODE)

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

/* Proxy commands; an ACK is the command | CMD_ACKNOWLEDGE */
#define CMD_ACKNOWLEDGE		0x2000
#define CMD_NONE		0
#define CMD_SEND_MSG		1
#define CMD_NTFY_MSG		2
#define CMD_SNDREC_MSG		3
#define CMD_REPLY_MSG		4
#define CMD_COPYIN_DATA		5
#define CMD_COPYOUT_RQST	6
#define CMD_COPYLCL_RQST	7
#define CMD_COPYRMT_RQST	8
#define CMD_COPYIN_RQST		9
#define CMD_HELLO		10
#define CMD_SHUTDOWN		11
#define CMD_PROCINFO		12
#define CMD_PROCBIND		13
#define CMD_PROCUNBIND		14
#define CMD_SEND_ACK		(CMD_SEND_MSG | CMD_ACKNOWLEDGE)
#define CMD_NTFY_ACK		(CMD_NTFY_MSG | CMD_ACKNOWLEDGE)
#define CMD_SNDREC_ACK		(CMD_SNDREC_MSG | CMD_ACKNOWLEDGE)
#define CMD_REPLY_ACK		(CMD_REPLY_MSG | CMD_ACKNOWLEDGE)
#define CMD_COPYIN_ACK		(CMD_COPYIN_DATA | CMD_ACKNOWLEDGE)
#define CMD_COPYOUT_DATA	(CMD_COPYOUT_RQST | CMD_ACKNOWLEDGE)
#define CMD_COPYLCL_ACK		(CMD_COPYLCL_RQST | CMD_ACKNOWLEDGE)
#define CMD_COPYRMT_ACK		(CMD_COPYRMT_RQST | CMD_ACKNOWLEDGE)
#define CMD_PROCINFO_ACK	(CMD_PROCINFO | CMD_ACKNOWLEDGE)
#define CMD_PROCBIND_ACK	(CMD_PROCBIND | CMD_ACKNOWLEDGE)
#define CMD_PROCUNBIND_ACK	(CMD_PROCUNBIND | CMD_ACKNOWLEDGE)

/*
 * c_flags of a proxy header.  CMD_FLAG_MORE: a chunk of a streamed copy
 * (COPYIN_DATA, COPYOUT_DATA, COPYIN_RQST) that is not the last one of
 * its copy (same c_snd_seq): the receiving node answers only the last
 * chunk, or the first one that fails (docs/design-remote.md).  Bit 8, clear
 * of the bits the original proxies kept for themselves (FLAG_* below).
 */
#define CMD_FLAG_MORE		0x100ULL

/* c_flags (proxy-owned) */
#define FLAG_BATCH		0x1
#define FLAG_LZ4		0x2
#define FLAG_CHECK_HDR		0x4

/* ------------------------------------------------------------------ */
/* User-visible structures                                              */
/* ------------------------------------------------------------------ */

/* DVS parameters (getdvsinfo, dvs_init).  72 bytes. */
struct dvs_usr {
	char	d_name[MAXDVSNAME];
	__s32	d_nr_dcs;
	__s32	d_nr_nodes;
	__s32	d_nr_procs;
	__s32	d_nr_tasks;
	__s32	d_nr_sysprocs;
	__s32	d_max_copybuf;
	__s32	d_max_copylen;
	__s32	d_version;
	__s32	d_size_proc;
	__s32	d_pad0;		/* zero */
	__u64	d_dbglvl;
	__u64	d_flags;
};
typedef struct dvs_usr dvs_usr_t;

/* DC descriptor (getdcinfo, dc_init).  72 bytes. */
struct dc_usr {
	__s32	dc_dcid;
	__s32	dc_flags;
	__s32	dc_nr_procs;
	__s32	dc_nr_tasks;
	__s32	dc_nr_sysprocs;
	__s32	dc_nr_nodes;
	__s32	dc_warn2proc;
	__s32	dc_warnmsg;
	__s32	dc_pid;
	__s32	dc_pad0;	/* zero */
	__u64	dc_nodes;	/* bitmap of member nodes */
	__u64	dc_cpumask;
	char	dc_name[MAXDCNAME];
};
typedef struct dc_usr dc_usr_t;

/* Node descriptor (getnodeinfo).  72 bytes; timestamps in ns (CLOCK_REALTIME). */
struct node_usr {
	__s32	n_nodeid;
	__s32	n_flags;
	__s32	n_proxies;	/* proxy pair id, -1 none */
	__s32	n_pad0;
	__u64	n_dcs;		/* bitmap of DCs */
	__s64	n_stimestamp;
	__s64	n_rtimestamp;
	__u64	n_pxsent;
	__u64	n_pxrcvd;
	char	n_name[MAXNODENAME];
};
typedef struct node_usr node_usr_t;

/* Process / endpoint descriptor (getprocinfo).  120 bytes. */
struct proc_usr {
	__s32	p_nr;
	__s32	p_endpoint;
	__s32	p_dcid;
	__s32	p_rts_flags;
	__s32	p_lpid;		/* host PID */
	__s32	p_vpid;		/* PID in the DC's namespace */
	__s32	p_nodeid;
	__s32	p_misc_flags;
	__s32	p_getfrom;
	__s32	p_sendto;
	__s32	p_waitmigr;
	__s32	p_waitunbind;
	__s32	p_proxy;
	__s32	p_pad0;
	__u64	p_nodemap;
	__u64	p_lclsent;
	__u64	p_rmtsent;
	__u64	p_lclcopy;
	__u64	p_rmtcopy;
	__u64	p_cpumask;
	char	p_name[MAXPROCNAME];
};
typedef struct proc_usr proc_usr_t;

/* Privileges (getpriv/setpriv).  40 bytes. */
struct priv_usr {
	__s16	priv_id;
	__s16	priv_pad0;
	__s32	priv_warn;
	__s32	priv_level;
	__s32	priv_trap_mask;
	__u64	priv_ipc_from;		/* bitmap of system slots */
	__u64	priv_ipc_to;		/* bitmap of system slots */
	__u64	priv_dvk_allowed;	/* bitmap of DVK call numbers */
};
typedef struct priv_usr priv_usr_t;

/* Proxy pair (getproxyinfo).  32 bytes. */
struct proxies_usr {
	__s32	px_id;
	__s32	px_flags;
	__s32	px_maxbytes;
	__s32	px_maxbcmds;
	char	px_name[MAXPROXYNAME];
};
typedef struct proxies_usr proxies_usr_t;

/* Time as carried in messages and proxy headers.  16 bytes. */
struct dvk_timespec {
	__s64	tv_sec;
	__s64	tv_nsec;
};

/* MINIX-style message.  48 bytes (8-byte header + 40-byte union). */
typedef struct { __s32 m1i1, m1i2, m1i3, m1pad; __u64 m1p1, m1p2, m1p3; } mess_1;
typedef struct { __s32 m2i1, m2i2, m2i3, m2pad; __s64 m2l1, m2l2; __u64 m2p1; } mess_2;
typedef struct { __s32 m3i1, m3i2; __u64 m3p1; char m3ca1[14]; char m3pad[2]; } mess_3;
typedef struct { __s64 m4l1, m4l2, m4l3, m4l4, m4l5; } mess_4;
typedef struct { __s16 m5c1, m5c2; __s32 m5i1, m5i2, m5pad; __s64 m5l1, m5l2, m5l3; } mess_5;
typedef struct { char m6ca1[sizeof(mess_3)]; } mess_6;
typedef struct { __s32 m7i1, m7i2, m7i3, m7i4; __u64 m7p1, m7p2; } mess_7;
typedef struct { __s32 m8i1, m8i2; __u64 m8p1, m8p2, m8p3, m8p4; } mess_8;
typedef struct { __s32 m9i1, m9i2; struct dvk_timespec m9t1; } mess_9;
typedef struct { __s32 mAdst, mAnr; __s32 mAia[4]; } mess_A;
typedef struct { __s64 mBl1; char mBmd5[16]; } mess_B;
typedef struct { __s32 mCi1, mCi2, mCi3, mCi4; char mCca1[10]; char mCpad[2]; } mess_C;

struct dvk_message {
	__s32	m_source;	/* always set by the kernel to the sender */
	__s32	m_type;
	union {
		mess_1 m_m1; mess_2 m_m2; mess_3 m_m3; mess_4 m_m4;
		mess_5 m_m5; mess_6 m_m6; mess_7 m_m7; mess_8 m_m8;
		mess_9 m_m9; mess_A m_mA; mess_B m_mB; mess_C m_mC;
	} m_u;
};
typedef struct dvk_message message;

#define m1_i1	m_u.m_m1.m1i1
#define m1_i2	m_u.m_m1.m1i2
#define m1_i3	m_u.m_m1.m1i3
#define m1_p1	m_u.m_m1.m1p1
#define m1_p2	m_u.m_m1.m1p2
#define m1_p3	m_u.m_m1.m1p3
#define m2_i1	m_u.m_m2.m2i1
#define m2_i2	m_u.m_m2.m2i2
#define m2_i3	m_u.m_m2.m2i3
#define m2_l1	m_u.m_m2.m2l1
#define m2_l2	m_u.m_m2.m2l2
#define m2_p1	m_u.m_m2.m2p1
#define m3_i1	m_u.m_m3.m3i1
#define m3_i2	m_u.m_m3.m3i2
#define m3_p1	m_u.m_m3.m3p1
#define m3_ca1	m_u.m_m3.m3ca1
#define m4_l1	m_u.m_m4.m4l1
#define m4_l2	m_u.m_m4.m4l2
#define m4_l3	m_u.m_m4.m4l3
#define m4_l4	m_u.m_m4.m4l4
#define m4_l5	m_u.m_m4.m4l5
#define m5_c1	m_u.m_m5.m5c1
#define m5_c2	m_u.m_m5.m5c2
#define m5_i1	m_u.m_m5.m5i1
#define m5_i2	m_u.m_m5.m5i2
#define m5_l1	m_u.m_m5.m5l1
#define m5_l2	m_u.m_m5.m5l2
#define m5_l3	m_u.m_m5.m5l3
#define m6_ca1	m_u.m_m6.m6ca1
#define m7_i1	m_u.m_m7.m7i1
#define m7_i2	m_u.m_m7.m7i2
#define m7_i3	m_u.m_m7.m7i3
#define m7_i4	m_u.m_m7.m7i4
#define m7_p1	m_u.m_m7.m7p1
#define m7_p2	m_u.m_m7.m7p2
#define m8_i1	m_u.m_m8.m8i1
#define m8_i2	m_u.m_m8.m8i2
#define m8_p1	m_u.m_m8.m8p1
#define m8_p2	m_u.m_m8.m8p2
#define m8_p3	m_u.m_m8.m8p3
#define m8_p4	m_u.m_m8.m8p4
#define m9_i1	m_u.m_m9.m9i1
#define m9_i2	m_u.m_m9.m9i2
#define m9_t1	m_u.m_m9.m9t1
#define mA_dst	m_u.m_mA.mAdst
#define mA_nr	m_u.m_mA.mAnr
#define mA_ia	m_u.m_mA.mAia
#define mB_l1	m_u.m_mB.mBl1
#define mB_md5	m_u.m_mB.mBmd5
#define mC_i1	m_u.m_mC.mCi1
#define mC_i2	m_u.m_mC.mCi2
#define mC_i3	m_u.m_mC.mCi3
#define mC_i4	m_u.m_mC.mCi4
#define mC_ca1	m_u.m_mC.mCca1

#define NOTIFY_SOURCE		m_source
#define NOTIFY_TYPE		m_type
#define NOTIFY_FLAGS		m9_i1
#define NOTIFY_ARG		m9_i2
#define NOTIFY_TIMESTAMP	m9_t1

/* Copy descriptor (vcopy; embedded in the proxy header).  40 bytes. */
struct vcopy_s {
	__s32	v_src;
	__s32	v_dst;
	__s32	v_rqtr;
	__s32	v_pad0;
	__u64	v_saddr;
	__u64	v_daddr;
	__s64	v_bytes;
};
typedef struct vcopy_s vcopy_t;

/* Proxy header (get2rmt/put2lcl).  168 bytes. */
struct cmd_s {
	__s32	c_cmd;
	__s32	c_dcid;
	__s32	c_src;
	__s32	c_dst;
	__s32	c_snode;
	__s32	c_dnode;
	__s32	c_rcode;
	__s32	c_len;
	__s32	c_pid;
	__s32	c_batch_nr;
	__u64	c_flags;
	__u64	c_snd_seq;
	__u64	c_ack_seq;
	struct dvk_timespec c_timestamp;
	message	c_msg;
	vcopy_t	c_vcopy;
};
typedef struct cmd_s cmd_t;
typedef struct cmd_s proxy_hdr_t;

#define PROXY_HEADER		(sizeof(cmd_t) + sizeof(int))
#define MAXBATCMD		(MAXCOPYBUF / sizeof(cmd_t))

/* ------------------------------------------------------------------ */
/* Layout checks: these sizes are ABI.                                  */
/* ------------------------------------------------------------------ */
_Static_assert(sizeof(struct dvk_ipc_args) == 40, "dvk_ipc_args ABI");
_Static_assert(sizeof(struct dvs_usr) == 72, "dvs_usr ABI");
_Static_assert(sizeof(struct dc_usr) == 72, "dc_usr ABI");
_Static_assert(sizeof(struct node_usr) == 72, "node_usr ABI");
_Static_assert(sizeof(struct proc_usr) == 120, "proc_usr ABI");
_Static_assert(sizeof(struct priv_usr) == 40, "priv_usr ABI");
_Static_assert(sizeof(struct proxies_usr) == 32, "proxies_usr ABI");
_Static_assert(sizeof(struct dvk_timespec) == 16, "dvk_timespec ABI");
_Static_assert(sizeof(message) == 48, "message ABI");
_Static_assert(sizeof(vcopy_t) == 40, "vcopy_t ABI");
_Static_assert(sizeof(cmd_t) == 168, "cmd_t ABI");

#endif /* _UAPI_DVK_H */
