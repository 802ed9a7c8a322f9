/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk_abi_errors.h - the error codes of DVK calls (part of dvk.h).
 */
#ifndef _UAPI_DVK_ABI_ERRORS_H
#define _UAPI_DVK_ABI_ERRORS_H

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

#endif /* _UAPI_DVK_ABI_ERRORS_H */
