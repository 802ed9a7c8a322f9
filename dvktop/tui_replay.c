// SPDX-License-Identifier: GPL-2.0
/*
 * tui_replay.c - the ncurses view of a replay (dvktop -r): the header line
 * that says what is replayed and where, the replay keys, and the loop that
 * plays the samples at the recording's pace (times the speed).
 *
 * Keys (looked up before the live ones, which stay: views, sort, filter,
 * scroll, help):
 *   space p        pause / play
 *   . Right        next sample (pauses)
 *   , Left         previous sample (pauses): the rows it showed first
 *   g              go to a time: HH:MM:SS, HH:MM or +SECONDS from the start
 *   < -  /  > +    half / double speed
 * At the last sample the replay pauses.
 */
#include <stdio.h>
#include <string.h>
#include "replay.h"
#include "tui.h"
/* after dvk.h: curses.h redefines OK (to the same value) after an #undef */
#include <curses.h>

/* the model to nav.pos; an error goes to the status line */
static int show(struct tui *t)
{
	if (dvk_nav_show(&t->nav, t->src, t->m, t->s)) {
		snprintf(t->msg, sizeof(t->msg), "%s", t->src->err);
		return -1;
	}
	t->msg[0] = '\0';
	t->frames++;
	return 0;
}

int tui_replay_start(struct tui *t)
{
	dvk_nav_init(&t->nav, dvk_replay_count(t->src));
	return show(t);
}

void tui_replay_line(struct tui *t, char *buf, size_t len)
{
	struct vt_replay r = {
		.what = dvk_replay_what(t->src),
		.start_real_ns = dvk_replay_real_ns(t->src, 0),
		.index = t->nav.pos,
		.count = t->nav.count,
		.speed = t->nav.speed,
		.paused = t->nav.paused,
	};

	vt_replay_line(t->m, &r, COLS, buf, len);
}

const char *tui_replay_keys(void)
{
	return "p Pause  ,/. Step  g Go to  </> Speed";
}

static int act_play(struct tui *t)
{
	t->nav.paused = !t->nav.paused;
	return RE_MOVED | RE_REDRAW;	/* the current sample's full interval again */
}

static int act_step(struct tui *t, int delta)
{
	t->nav.paused = 1;
	dvk_nav_step(&t->nav, delta);
	return RE_MOVED | RE_REDRAW;
}

static int act_speed(struct tui *t, int faster)
{
	dvk_nav_speed(&t->nav, faster);
	return RE_MOVED | RE_REDRAW;
}

int tui_replay_key(struct tui *t, int ch)
{
	switch (ch) {
	case ' ':
	case 'p':
		return act_play(t);
	case '.':
	case KEY_RIGHT:
		return act_step(t, 1);
	case ',':
	case KEY_LEFT:
		return act_step(t, -1);
	case '>':
	case '+':
		return act_speed(t, 1);
	case '<':
	case '-':
		return act_speed(t, 0);
	case 'g':
		t->input = IN_JUMP;
		t->input_buf[0] = '\0';
		return RE_REDRAW;
	default:
		return -1;
	}
}

int tui_replay_jump(struct tui *t, const char *spec)
{
	int index;

	if (dvk_nav_find(t->src, spec, &index, t->msg, sizeof(t->msg)))
		return RE_REDRAW;	/* the status line says why */
	t->nav.pos = index;
	return RE_MOVED | RE_REDRAW;
}

/* Play (unless paused), draw, answer keys; until q.  At the end: paused. */
void tui_replay_run(struct tui *t)
{
	uint64_t next = dvktop_now_ns() + dvk_nav_hold_ns(&t->nav, t->src);

	tui_draw(t);
	while (!dvktop_stop) {
		uint64_t now = dvktop_now_ns(), ms = 1000;
		int ch, re;

		if (!t->nav.paused && now >= next) {
			if (dvk_nav_step(&t->nav, 1))
				show(t);
			else
				t->nav.paused = 1;	/* the last sample */
			next = dvktop_now_ns() + dvk_nav_hold_ns(&t->nav, t->src);
			tui_draw(t);
			continue;
		}
		if (!t->nav.paused)
			ms = (next - now + 999999) / 1000000;
		timeout(ms > 1000 ? 1000 : (int)ms);
		ch = getch();
		if (ch == ERR)
			continue;
		re = tui_handle_key(t, ch);
		if (re & RE_QUIT)
			break;
		if (re & RE_RESORT)
			dvk_model_refresh(t->m);
		if (re & RE_MOVED) {
			show(t);
			next = dvktop_now_ns() + dvk_nav_hold_ns(&t->nav, t->src);
		}
		if (re & RE_REDRAW)
			tui_draw(t);
	}
}
