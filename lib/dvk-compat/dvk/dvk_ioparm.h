/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * dvk/dvk_ioparm.h - an include name of the original DVK.  Its ioctl
 * parameter structs (parm_ipc_t ...) belong to the original's per-call
 * /dev/dvk transport and have no equivalent here (one ioctl, DVK_IOC_IPC,
 * behind libdvk); the rest is in dvk_compat.h.
 */
#include "../../dvk_compat.h"
