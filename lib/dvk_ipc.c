// SPDX-License-Identifier: LGPL-2.1
/*
 * dvk_ipc.c - the transport of libdvk: one ioctl on /dev/dvk carrying the
 * six ipc() arguments (struct dvk_ipc_args).  The named calls come in
 * through dvk_kcall(), the raw dvk_ipc()/dvk_ipc_word() through their own
 * probes dvk:ipc__entry/ipc__return: each call fires one pair of probes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "libdvk.h"
#include "libdvk_private.h"

/*
 * The descriptor: written under dvk_fd_lock, read without it by every call
 * (an atomic load, so the per-call path takes no lock and has no data race).
 */
static int dvk_fd = -1;
static pthread_mutex_t dvk_fd_lock = PTHREAD_MUTEX_INITIALIZER;

/**
 * dvk_open - open /dev/dvk (idempotent, thread-safe).
 * Return: the file descriptor, or -errno (e.g. EDVSNOENT when the module is
 * not loaded, EDVSACCES without permission).
 */
int dvk_open(void)
{
	int fd;

	fd = __atomic_load_n(&dvk_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	pthread_mutex_lock(&dvk_fd_lock);
	fd = dvk_fd;
	if (fd < 0) {
		fd = open(DVK_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;	/* dvk_fd stays -1: the module may get loaded */
		else
			__atomic_store_n(&dvk_fd, fd, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&dvk_fd_lock);
	return fd;
}

void dvk_close(void)
{
	pthread_mutex_lock(&dvk_fd_lock);
	if (dvk_fd >= 0)
		close(dvk_fd);
	__atomic_store_n(&dvk_fd, -1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&dvk_fd_lock);
}

void dvk_report(const char *func, int line, long rcode)
{
	if (getenv("DVK_LIBDEBUG"))
		fprintf(stderr, "ERROR: %d:%s:%d: rcode=%ld (%s)\n", (int)getpid(), func, line,
			rcode, dvk_strerror((int)rcode));
}

/* the ioctl itself: what every call comes down to, with no probe of its own */
static long dvk_ioctl(uint32_t word, int first, uint64_t second, uint64_t third, uint64_t ptr,
		      int64_t fifth)
{
	struct dvk_ipc_args a = {
		.call = word, .first = first, .second = second,
		.third = third, .ptr = ptr, .fifth = fifth,
	};
	int fd = dvk_open();	/* one atomic load once open */
	long ret;

	if (fd < 0)
		return fd;
	ret = ioctl(fd, DVK_IOC_IPC, &a);
	/* The kernel's negative results come back as -1/errno. */
	return ret == -1 ? -errno : ret;
}

/* the named calls' way in: their own probes bracket it */
long dvk_kcall(int nr, int first, uint64_t second, uint64_t third, uint64_t ptr, int64_t fifth)
{
	return dvk_ioctl(DVK_CALL_WORD((uint32_t)nr), first, second, third, ptr, fifth);
}

/* the raw calls (any word, malformed ones included): probes dvk:ipc__* */
long dvk_ipc_word(uint32_t word, int first, uint64_t second, uint64_t third, uint64_t ptr,
		  int64_t fifth)
{
	long ret;

	DVK_USDT_ENTRY(ipc, word, first, second, third, ptr, fifth);
	ret = dvk_ioctl(word, first, second, third, ptr, fifth);
	DVK_USDT_RETURN(ipc, ret);
	return ret;
}

long dvk_ipc(int nr, int first, uint64_t second, uint64_t third, uint64_t ptr, int64_t fifth)
{
	return dvk_ipc_word(DVK_CALL_WORD((uint32_t)nr), first, second, third, ptr, fifth);
}
