/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_internal.h - every internal header of dvk.ko at once, for the trace
 * events (tracepoints/dvk_trace.h records fields of struct dvk_proc and
 * names DVK_BIND_MIGRATED) and dvk_trace.c.  A .c file of the module
 * includes the headers of the concerns it uses instead.
 */
#ifndef _DVK_INTERNAL_H
#define _DVK_INTERNAL_H

#include "dvk_core.h"
#include "dvk_bind.h"
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_views.h"

#endif /* _DVK_INTERNAL_H */
