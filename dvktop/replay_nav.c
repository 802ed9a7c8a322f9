// SPDX-License-Identifier: GPL-2.0
/* replay_nav.c - the replay's position and moves (replay_nav.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "replay.h"
#include "replay_nav.h"

void dvk_nav_init(struct dvk_replay_nav *n, int count)
{
	memset(n, 0, sizeof(*n));
	n->count = count;
	n->shown = -1;
	n->speed = 1;
}

int dvk_nav_step(struct dvk_replay_nav *n, int delta)
{
	int old = n->pos;
	long p = (long)n->pos + delta;

	n->pos = p < 0 ? 0 : p >= n->count ? n->count - 1 : (int)p;
	return n->pos != old;
}

void dvk_nav_speed(struct dvk_replay_nav *n, int faster)
{
	n->speed = faster ? n->speed * 2 : n->speed / 2;
	if (n->speed > DVK_NAV_SPEED_MAX)
		n->speed = DVK_NAV_SPEED_MAX;
	if (n->speed < DVK_NAV_SPEED_MIN)
		n->speed = DVK_NAV_SPEED_MIN;
}

uint64_t dvk_nav_hold_ns(const struct dvk_replay_nav *n, const struct dvk_source *src)
{
	uint64_t t0 = dvk_replay_mono_ns(src, n->pos), t1;

	if (n->pos + 1 >= n->count)
		return 0;
	t1 = dvk_replay_mono_ns(src, n->pos + 1);
	return t1 > t0 ? (uint64_t)((double)(t1 - t0) / n->speed) : 0;
}

/* the last sample at or before t (clock: mono or real), or 0 */
static int last_at_or_before(const struct dvk_source *src, int count, uint64_t t, int real)
{
	int k = 0;

	for (int i = 0; i < count; i++)
		if ((real ? dvk_replay_real_ns(src, i) : dvk_replay_mono_ns(src, i)) <= t)
			k = i;
	return k;
}

/* "HH:MM[:SS]" as CLOCK_REALTIME ns on the recording's day (see the header) */
static int time_of_day(const struct dvk_source *src, const char *spec, uint64_t *t)
{
	uint64_t start = dvk_replay_real_ns(src, 0);
	time_t s = (time_t)(start / 1000000000ull), when;
	int h, mi, sec = 0, used = 0;
	struct tm tm;

	if ((sscanf(spec, "%d:%d:%d%n", &h, &mi, &sec, &used) != 3 || spec[used]) &&
	    (sec = 0, used = 0, sscanf(spec, "%d:%d%n", &h, &mi, &used) != 2 || spec[used]))
		return -EINVAL;
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || !start ||
	    !localtime_r(&s, &tm))
		return -EINVAL;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	when = mktime(&tm);
	if (when == (time_t)-1)
		return -EINVAL;
	if (when < s - 1)	/* that time of day came before the start: the next day */
		when += 86400;
	*t = (uint64_t)when * 1000000000ull;
	return 0;
}

int dvk_nav_find(const struct dvk_source *src, const char *spec, int *index, char *err,
		 size_t errlen)
{
	int count = dvk_replay_count(src);
	uint64_t t;

	if (spec[0] == '+') {
		char *end;
		double secs = strtod(spec + 1, &end);

		if (end == spec + 1 || *end || !isfinite(secs) || secs < 0 || secs > 1e9) {
			snprintf(err, errlen, "'%s': expected +SECONDS (e.g. +90)", spec);
			return -EINVAL;
		}
		t = dvk_replay_mono_ns(src, 0) + (uint64_t)(secs * 1e9 + 0.5);
		*index = last_at_or_before(src, count, t, 0);
		return 0;
	}
	if (time_of_day(src, spec, &t)) {
		snprintf(err, errlen, "'%s': expected HH:MM:SS, HH:MM or +SECONDS", spec);
		return -EINVAL;
	}
	/* a whole second names the samples taken during it */
	*index = last_at_or_before(src, count, t + 999999999ull, 1);
	return 0;
}

/* m anew, with the sorts and filters it had */
static void model_reset(struct dvk_model *m)
{
	struct dvk_table *t[] = { &m->calls, &m->eps, &m->pxs, &m->waits }, keep[4];
	const int nt = (int)(sizeof(t) / sizeof(t[0]));

	for (int i = 0; i < nt; i++)
		keep[i] = *t[i];
	dvk_model_init(m);
	for (int i = 0; i < nt; i++) {
		t[i]->sort = keep[i].sort;
		t[i]->reverse = keep[i].reverse;
		memcpy(t[i]->filter, keep[i].filter, sizeof(t[i]->filter));
	}
}

int dvk_nav_show(struct dvk_replay_nav *n, struct dvk_source *src, struct dvk_model *m,
		 struct dvk_sample *buf)
{
	int from = n->pos - DVK_PX_HIST, rc;

	if (n->pos == n->shown)
		return 0;
	if (n->shown >= 0 && n->pos == n->shown + 1) {
		from = n->pos;
	} else {
		model_reset(m);
		if (from < 0)
			from = 0;
	}
	for (int i = from; i <= n->pos; i++) {
		rc = dvk_replay_read(src, i, buf);
		if (rc) {
			n->shown = -1;	/* the model is half-built: rebuild next time */
			return rc;
		}
		dvk_model_update(m, buf);
	}
	n->shown = n->pos;
	return 0;
}
