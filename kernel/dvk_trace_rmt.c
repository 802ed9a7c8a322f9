// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_trace_rmt.c - the one place that instantiates the dvk trace events of
 * dvk_trace_rmt.h (see dvk_trace.h for why they have a file of their own).
 */
#include "dvk_core.h"
#include "dvk_bind.h"

#define CREATE_TRACE_POINTS
#include "dvk_trace_rmt.h"
