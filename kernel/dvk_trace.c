// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_trace.c - the one place that instantiates the dvk trace events.
 */
#include "dvk_internal.h"

#define CREATE_TRACE_POINTS
#include "dvk_trace.h"
