/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model_util.h - small helpers shared by the model's files (model.c, the
 * Endpoints view in model_endpoints.c, the Proxies view in
 * model_proxies.c).  Internal to dvktop's model: views do not include it.
 */
#ifndef DVKTOP_MODEL_UTIL_H
#define DVKTOP_MODEL_UTIL_H

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "source.h"

static inline uint64_t delta(uint64_t cur, uint64_t prev)
{
	/* a counter that went back means the source restarted: count anew */
	return cur >= prev ? cur - prev : cur;
}

/* Seconds from prev to cur; 0 without prev or when time did not advance. */
static inline double seconds_between(const struct dvk_sample *prev, const struct dvk_sample *cur)
{
	if (!prev || cur->time_ns <= prev->time_ns)
		return 0;
	return (double)(cur->time_ns - prev->time_ns) / 1e9;
}

/* Case-insensitive substring; an empty needle matches everything. */
static inline int contains_nocase(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);

	if (nl == 0)
		return 1;
	for (; *hay; hay++) {
		size_t i = 0;

		while (i < nl && hay[i] &&
		       tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == nl)
			return 1;
	}
	return 0;
}

#endif /* DVKTOP_MODEL_UTIL_H */
