/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * com/dvk_ioctl.h - an include name of the original DVK.  Its per-call
 * ioctl numbers (DVK_IOCS...) belong to the original's /dev/dvk transport
 * and have no equivalent here (one ioctl, DVK_IOC_IPC, behind libdvk); the
 * rest is in dvk_compat.h.
 */
#include "../../dvk_compat.h"
