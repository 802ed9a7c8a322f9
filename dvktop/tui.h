/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tui.h - what the files of the ncurses view share (internal to it):
 * view_tui.c (keys, the live loop), tui_draw.c (drawing), tui_replay.c
 * (the replay's keys, header and loop).
 */
#ifndef DVKTOP_TUI_H
#define DVKTOP_TUI_H

#include "dvktop.h"
#include "replay_nav.h"
#include "screen.h"

#define KEY_ESC		27
#define KEY_CTRL(c)	((c) & 0x1f)

/* What a key asks of the loop. */
enum reaction {
	RE_REDRAW = 1 << 0,
	RE_RESORT = 1 << 1,	/* a table's sort or filter changed */
	RE_RESCHEDULE = 1 << 2,	/* the delay changed: next sample one delay after the last */
	RE_RESAMPLE = 1 << 3,	/* take the next sample now (resumed) */
	RE_QUIT = 1 << 4,
	RE_MOVED = 1 << 5,	/* replay: show nav.pos, play on from it */
};

/* What the keys type into (line 2 shows it). */
enum tui_input {
	IN_NONE = 0,
	IN_FILTER,		/* the table's filter */
	IN_JUMP,		/* replay: the time to go to */
};

struct tui {
	const struct dvktop_config *cfg;
	int screen;			/* index in dvk_screens[] */
	struct dvk_source *src;
	struct dvk_model *m;
	struct dvk_sample *s;
	double delay_s;
	int paused;
	int help;
	enum tui_input input;
	char input_buf[DVK_FILTER_LEN];
	int scroll;			/* first row shown */
	struct dvk_canvas canvas;	/* colors, utf8 (block glyphs in sparklines) */
	long frames;			/* samples shown */
	uint64_t last_sample_ns;
	char msg[256];			/* last sample error, shown in the status line */
	int replay;			/* -r: nav says where */
	struct dvk_replay_nav nav;
};

/* tui_draw.c */
void tui_canvas_init(struct tui *t);
const struct dvk_screen *tui_screen(const struct tui *t);
struct dvk_table *tui_table(struct tui *t);
int tui_table_bottom(void);	/* first line after the table */
void tui_draw(struct tui *t);

/* view_tui.c: a key's reaction bits */
int tui_handle_key(struct tui *t, int ch);

/* tui_replay.c */
int tui_replay_start(struct tui *t);	/* shows the first sample; 0 or -1 (message printed) */
void tui_replay_run(struct tui *t);
/* the replay keys' reaction, or -1 when ch is not one of them */
int tui_replay_key(struct tui *t, int ch);
int tui_replay_jump(struct tui *t, const char *spec);	/* Enter in IN_JUMP */
void tui_replay_line(struct tui *t, char *buf, size_t len);	/* line 0 */
const char *tui_replay_keys(void);	/* the key bar's replay part */

#endif /* DVKTOP_TUI_H */
