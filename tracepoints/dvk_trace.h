/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_trace.h - the trace events of the DVK module (TRACE_SYSTEM dvk), for
 * the files that emit them: include it after the module's own headers.
 *
 * The events live in two headers by concern, each instantiated by its own
 * file (a TRACE_SYSTEM may be created only once per file):
 *   dvk_trace_ipc.h  the calls on one node        (kernel/dvk_trace.c)
 *   dvk_trace_rmt.h  the traffic between nodes    (kernel/dvk_trace_rmt.c)
 */
#ifndef _DVK_TRACE_H
#define _DVK_TRACE_H

#include "dvk_trace_ipc.h"
#include "dvk_trace_rmt.h"

#endif /* _DVK_TRACE_H */
