/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk_abi_const.h - limits, magic endpoints and endpoint numbers of the DVK ABI
 * (part of dvk.h).
 */
#ifndef _UAPI_DVK_ABI_CONST_H
#define _UAPI_DVK_ABI_CONST_H

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

/* Endpoints: generation g and slot number p_nr (docs/original-dvk.md#endpoints-and-slots). */
#define _ENDPOINT_GENERATION_SIZE	(NR_TASKS + SELF + 1)	/* 35570 */
#define _ENDPOINT(g, p)		((g) * _ENDPOINT_GENERATION_SIZE + (p))
#define _ENDPOINT_G(e)		(((e) + NR_TASKS) / _ENDPOINT_GENERATION_SIZE)
#define _ENDPOINT_P(e)		((((e) + NR_TASKS) % _ENDPOINT_GENERATION_SIZE) - NR_TASKS)

#endif /* _UAPI_DVK_ABI_CONST_H */
