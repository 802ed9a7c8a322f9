/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk.h - user ABI of the Distributed Virtualization Kernel (DVK) module.
 *
 * Shared by the module (kernel/), libdvk (lib/), the BPF programs (bpf/) and
 * every tool.  Every struct uses fixed-width types so that 32- and 64-bit
 * callers see the same layout; each size is written next to the struct and
 * checked with _Static_assert at the end of its part.  The parts, one per
 * concern, are included here; users include this header only.
 *
 * Names, numbers and error codes are those of the original DVK (DVS project)
 * so that existing DVK programs build against libdvk.  Pointers travel as
 * __u64 and bitmaps as __u64.
 */
#ifndef _UAPI_DVK_H
#define _UAPI_DVK_H

#include "dvk_abi_const.h"
#include "dvk_abi_calls.h"
#include "dvk_abi_errors.h"
#include "dvk_abi_flags.h"
#include "dvk_abi_info.h"
#include "dvk_abi_msg.h"
#include "dvk_abi_proxy.h"

#endif /* _UAPI_DVK_H */
