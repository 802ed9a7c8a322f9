// SPDX-License-Identifier: GPL-2.0
/* fake_dvk.c - the fake /dev/dvk of the host unit tests (fake_dvk.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fake_dvk.h"

struct fake_dvk fake_dvk = { .fd = -1 };

/* open(): /dev/dvk becomes /dev/null; any other path is opened for real. */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & O_CREAT)
		mode = va_arg(ap, mode_t);
	va_end(ap);
	if (!strcmp(path, DVK_DEVICE)) {
		fake_dvk.fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
		return fake_dvk.fd;
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

/* ioctl(): records DVK_IOC_IPC on the fake fd and returns fake_dvk.ret the
 * way the kernel's ioctl does (a negative result as -1 and errno). */
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_dvk.fd || fd < 0 || req != DVK_IOC_IPC) {
		errno = ENOTTY;
		return -1;
	}
	memcpy(&fake_dvk.last, arg, sizeof(fake_dvk.last));
	fake_dvk.calls++;
	if (fake_dvk.deliver && DVK_CALL_NR(fake_dvk.last.call) == DVK_RECEIVE)
		memcpy((void *)(uintptr_t)fake_dvk.last.ptr, fake_dvk.deliver,
		       sizeof(*fake_dvk.deliver));
	if (fake_dvk.ret < 0) {
		errno = (int)-fake_dvk.ret;
		return -1;
	}
	return (int)fake_dvk.ret;
}
