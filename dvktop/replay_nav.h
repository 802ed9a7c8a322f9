/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay_nav.h - where the TUI is in a replay (replay_nav.c): the sample
 * shown, paused or playing, the speed, and the moves the replay keys make
 * (step, jump to a time).  Pure C: the unit tests drive it.
 *
 * Playing, sample i stays for (time of i+1 - time of i) / speed: the
 * recording's own intervals, so a replay at speed 1 takes as long as the
 * recording.
 */
#ifndef DVKTOP_REPLAY_NAV_H
#define DVKTOP_REPLAY_NAV_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"
#include "source.h"

#define DVK_NAV_SPEED_MIN	(1.0 / 16)
#define DVK_NAV_SPEED_MAX	64.0

struct dvk_replay_nav {
	int count;		/* samples in the recording */
	int pos;		/* the sample to show */
	int shown;		/* the sample the model shows; -1: none yet */
	int paused;
	double speed;		/* 1: as recorded */
};

void dvk_nav_init(struct dvk_replay_nav *n, int count);
/* pos += delta, kept in 0..count-1; 1 if it moved */
int dvk_nav_step(struct dvk_replay_nav *n, int delta);
/* speed doubled (faster) or halved, within DVK_NAV_SPEED_MIN..MAX */
void dvk_nav_speed(struct dvk_replay_nav *n, int faster);
/* ns of real time sample pos stays when playing; 0 at the last sample */
uint64_t dvk_nav_hold_ns(const struct dvk_replay_nav *n, const struct dvk_source *src);

/*
 * The sample a jump target names: "+S" (S seconds, fractions allowed, after
 * the first sample), or "HH:MM" / "HH:MM:SS" (local time of day, on the day
 * the recording started, or the next day if that time of day came before
 * the start).  The last sample taken at or before that moment (the first
 * sample if it is earlier).  0 with *index set, or -EINVAL with err.
 */
int dvk_nav_find(const struct dvk_source *src, const char *spec, int *index, char *err,
		 size_t errlen);

/*
 * Make m show sample n->pos of the replay src (buf: scratch): the rows of
 * pos-1 and pos, and the proxies' history of the DVK_PX_HIST intervals
 * before, as playing from the first sample gives them (the next sample is
 * one update; any other is rebuilt from DVK_PX_HIST samples back).  The
 * tables' sorts and filters stay.  0, or a negative errno (src->err).
 */
int dvk_nav_show(struct dvk_replay_nav *n, struct dvk_source *src, struct dvk_model *m,
		 struct dvk_sample *buf);

#endif /* DVKTOP_REPLAY_NAV_H */
