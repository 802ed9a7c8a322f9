// SPDX-License-Identifier: GPL-2.0
/*
 * clock.c - the two clocks of a sample.  Part of libdvktopdata.a (the live
 * source stamps its samples with them), so that dvk-exporter, which links
 * the live source without dvktop's main.c, has them too.
 */
#include <time.h>
#include "dvktop.h"

uint64_t dvktop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t dvktop_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
