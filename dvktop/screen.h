/* SPDX-License-Identifier: GPL-2.0 */
/*
 * screen.h - one view of dvktop (Calls, Endpoints, Proxies, Waits), as the TUI,
 * plain batch mode and JSON all see it.  A screen names its table in the
 * model and knows how to write its rows; the views walk dvk_screens[] and
 * never ask which screen they hold.
 *
 * To add a screen (a Bind-waits screen, say): one file screen_NAME.c that
 * defines a struct dvk_screen, and one line in dvk_screens[] (screens.c).
 * The key that shows it, its place in the Tab cycle, the key bar, the help
 * window, the batch section and the JSON members follow from the struct.
 *
 * Pure C: the screens draw through a struct dvk_canvas that view_tui.c
 * implements with ncurses, so the unit tests can link them.
 */
#ifndef DVKTOP_SCREEN_H
#define DVKTOP_SCREEN_H

#include <stdio.h>
#include "model.h"
#include "view_text.h"

/* The first line of a screen's rows in the TUI. */
#define DVK_TABLE_TOP	4

/* How the TUI shows a piece of text; the canvas maps it to attributes. */
enum dvk_style {
	DVK_STYLE_NORMAL = 0,
	DVK_STYLE_BOLD,
	DVK_STYLE_ALERT,	/* red and bold; bold without colours */
	DVK_STYLE_GOOD,		/* green; plain without colours */
	DVK_STYLE_DIM,
	DVK_STYLE_REVERSE,
};

struct dvk_canvas {
	int lines, cols;	/* the window */
	int colors;		/* the terminal has colours */
	int utf8;		/* the terminal takes UTF-8 */
	/* s clipped to the window, unprintable bytes as '?'; pad: to the
	 * end of the line in the same style */
	void (*put)(const struct dvk_canvas *c, int y, int x, const char *s,
		    enum dvk_style style, int pad);
	/* s as it is (UTF-8 glyphs of one cell each, e.g. a sparkline) */
	void (*put_glyphs)(const struct dvk_canvas *c, int y, int x, const char *s,
			   enum dvk_style style);
};

struct dvk_screen {
	const char *name;		/* "Endpoints": the key bar says "Tab Endpoints" */
	const char *keys;		/* the keys that show it */
	int nquick;			/* keys 1..nquick sort by quick[] */
	int quick[3];
	const char *quick_help;		/* what 1 2 3 do, for the help window */
	const char *const *legend;	/* help lines on its columns; NULL-terminated */

	size_t table;			/* offsetof its table in struct dvk_model */
	/* TUI: line 2, line 3 (the column titles) and why there is no row */
	void (*status)(const struct dvk_model *m, const struct vt_status *st, char *buf,
		       size_t len);
	void (*header)(const struct dvk_canvas *c, char *buf, size_t len);
	const char *(*empty)(const struct dvk_model *m);
	void (*draw_row)(const struct dvk_canvas *c, int y, const void *row);
	/* optional: what follows the rows, from line y to bottom (exclusive) */
	void (*draw_below)(const struct dvk_canvas *c, const struct dvk_model *m, int y,
			   int bottom);
	/* batch mode: its section of a block; JSON: its members, each ",..." */
	void (*write_text)(FILE *f, const struct dvk_model *m, const struct vt_status *st);
	void (*write_json)(FILE *f, const struct dvk_model *m);
};

extern const struct dvk_screen dvk_screen_calls;
extern const struct dvk_screen dvk_screen_endpoints;
extern const struct dvk_screen dvk_screen_proxies;
extern const struct dvk_screen dvk_screen_waits;

/* All screens in Tab order (also the order of the batch sections and of
 * the JSON members), NULL-terminated. */
extern const struct dvk_screen *const dvk_screens[];

/* The screen's table in m. */
struct dvk_table *dvk_screen_table(const struct dvk_screen *sc, const struct dvk_model *m);
/* Helpers of the writers: t's rows shown, one line each as row() writes
 * it; and as the JSON member ,"name":[...] with row() writing each. */
void dvk_screen_text_rows(FILE *f, const struct dvk_table *t,
			  void (*row)(const void *row, char *buf, size_t len));
void dvk_screen_json_rows(FILE *f, const char *name, const struct dvk_table *t,
			  void (*row)(FILE *f, const void *row));

/* The help window's lines (help.c); returns how many. */
#define DVK_HELP_LINES	48
#define DVK_HELP_WIDTH	100
int dvk_help_text(struct dvk_model *m, char lines[][DVK_HELP_WIDTH]);

/* The screen that key shows, or NULL. */
const struct dvk_screen *dvk_screen_for_key(int key);

#endif /* DVKTOP_SCREEN_H */
