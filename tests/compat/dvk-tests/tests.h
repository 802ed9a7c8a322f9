/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests.h - the common header of the original-style programs in this
 * directory, laid out as an original DVK test directory is: the DVK headers
 * by their original names, relative to ../include (here a symlink to
 * lib/dvk-compat, the thin headers over lib/dvk_compat.h), then the
 * directory's own macros.h.  Nothing in these programs is specific to this
 * project: they are what a porter builds unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/syscall.h>

#include "../include/com/dvs_config.h"
#include "../include/com/config.h"
#include "../include/com/com.h"
#include "../include/com/const.h"
#include "../include/com/types.h"
#include "../include/com/macros.h"
#include "../include/com/ipc.h"
#include "../include/com/cmd.h"
#include "../include/com/priv_usr.h"
#include "../include/com/dc_usr.h"
#include "../include/com/node_usr.h"
#include "../include/com/proc_sts.h"
#include "../include/com/proc_usr.h"
#include "../include/com/proxy_sts.h"
#include "../include/com/proxy_usr.h"
#include "../include/com/dvs_usr.h"
#include "../include/com/dvk_calls.h"
#include "../include/com/dvk_ioctl.h"
#include "../include/com/dvs_errno.h"
#include "../include/dvk/dvk_ioparm.h"
#include "../include/com/stub_dvkcall.h"

#include "macros.h"

extern int dvk_fd;
extern int local_nodeid;
