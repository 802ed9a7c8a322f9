/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_dvk.h - a fake /dev/dvk for the host unit tests of the library
 * wrappers (test_compat, test_dvk_compat): fake_dvk.c replaces open() and
 * ioctl(), so a program linked with it needs no kernel, and records each
 * DVK_IOC_IPC call it gets, returning what the test set.
 */
#ifndef DVK_TESTS_FAKE_DVK_H
#define DVK_TESTS_FAKE_DVK_H

#include "libdvk.h"

struct fake_dvk {
	int fd;				/* what open(DVK_DEVICE) returned, -1 before */
	int calls;			/* ioctls seen */
	struct dvk_ipc_args last;	/* the last call's arguments */
	long ret;			/* what the fake kernel returns */
	const struct dvk_message *deliver;	/* receive: the kernel writes this */
};
extern struct fake_dvk fake_dvk;

#endif /* DVK_TESTS_FAKE_DVK_H */
