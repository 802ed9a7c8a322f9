// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_trace.c - the one place that instantiates the dvk trace events of
 * dvk_trace_ipc.h.  The module's headers come first: the events' assign
 * blocks read the structs dvk_trace_ipc.h only declares.
 */
#include "dvk_core.h"
#include "dvk_bind.h"

#define CREATE_TRACE_POINTS
#include "dvk_trace_ipc.h"
