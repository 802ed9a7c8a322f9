// SPDX-License-Identifier: GPL-2.0
/*
 * tui_draw.c - drawing the ncurses view (the layout is in view_tui.c's
 * comment): the canvas the screens draw on, the top lines, the table, the
 * key bar and the help window.
 *
 * Drawing is resize-safe: every string goes through put(), which clips to
 * COLS/LINES and never writes the bottom-right cell.
 */
#include <stdio.h>
#include <string.h>
#include "tui.h"
/* after dvk.h: curses.h redefines OK (to the same value) after an #undef */
#include <curses.h>


/*
 * put - draw s at (y, x), clipped to the window.  Bytes that are not
 * printable ASCII become '?' (a DVS name could hold anything: ncurses would
 * widen control bytes to ^X and wrap).  pad: fill the rest of the line with
 * spaces in the same attribute.  The bottom-right cell is never written
 * (writing it makes ncurses try to scroll).
 */
static void put(int y, int x, const char *s, attr_t attr, int pad)
{
	char buf[512];
	int room, n;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	room = COLS - x;
	if (y == LINES - 1)
		room--;
	if (room <= 0)
		return;
	for (n = 0; s[n] && n < room && n < (int)sizeof(buf) - 1; n++)
		buf[n] = (s[n] >= 0x20 && s[n] < 0x7f) ? s[n] : '?';
	if (pad)
		while (n < room && n < (int)sizeof(buf) - 1)
			buf[n++] = ' ';
	buf[n] = '\0';
	attrset(attr);
	mvaddnstr(y, x, buf, n);
	attrset(A_NORMAL);
}

static attr_t style_attr(const struct dvk_canvas *c, enum dvk_style style)
{
	switch (style) {
	case DVK_STYLE_BOLD:
		return A_BOLD;
	case DVK_STYLE_ALERT:
		return c->colors ? COLOR_PAIR(1) | A_BOLD : A_BOLD;
	case DVK_STYLE_GOOD:
		return c->colors ? COLOR_PAIR(2) : A_NORMAL;
	case DVK_STYLE_DIM:
		return A_DIM;
	case DVK_STYLE_REVERSE:
		return A_REVERSE;
	case DVK_STYLE_NORMAL:
	default:
		return A_NORMAL;
	}
}

static void canvas_put(const struct dvk_canvas *c, int y, int x, const char *s,
		       enum dvk_style style, int pad)
{
	put(y, x, s, style_attr(c, style), pad);
}

static void canvas_put_glyphs(const struct dvk_canvas *c, int y, int x, const char *s,
			      enum dvk_style style)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	attrset(style_attr(c, style));
	mvaddstr(y, x, s);
	attrset(A_NORMAL);
}

const struct dvk_screen *tui_screen(const struct tui *t)
{
	return dvk_screens[t->screen];
}

struct dvk_table *tui_table(struct tui *t)
{
	return dvk_screen_table(tui_screen(t), t->m);
}

int tui_table_bottom(void)	/* first line after the table */
{
	return LINES >= 6 ? LINES - 1 : LINES;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */
static void draw_help(struct dvk_model *m)
{
	static char text[DVK_HELP_LINES][DVK_HELP_WIDTH];
	const int nl = dvk_help_text(m, text);
	int w = 0, h = nl + 2, y0, x0;
	char line[128];		/* the widest text line is under 100 */

	for (int i = 0; i < nl; i++)
		if ((int)strlen(text[i]) > w)
			w = (int)strlen(text[i]);
	w += 4;
	y0 = LINES > h ? (LINES - h) / 2 : 0;
	x0 = COLS > w ? (COLS - w) / 2 : 0;

	memset(line, '-', (size_t)w);
	line[0] = line[w - 1] = '+';
	line[w] = '\0';
	put(y0, x0, line, A_BOLD, 0);
	put(y0 + h - 1, x0, line, A_BOLD, 0);
	for (int i = 0; i < nl; i++) {
		snprintf(line, sizeof(line), "| %-*.*s |", w - 4, 99, text[i]);
		put(y0 + 1 + i, x0, line, A_BOLD, 0);
	}
}

/* Lines 0 to 2: the DVS header, then the filter being typed, the last
 * error or the screen's status line. */
static void draw_top(struct tui *t)
{
	struct vt_status st = { .delay_s = t->delay_s, .pid = t->cfg->pid, .paused = t->paused };
	char line[512];

	if (t->replay) {
		st.delay_s = t->m->interval_s;
		st.paused = t->nav.paused;
		st.real_ns = t->m->cur.real_ns;
		tui_replay_line(t, line, sizeof(line));
	} else {
		vt_header1(t->m, line, sizeof(line));
	}
	put(0, 0, line, A_BOLD, 0);
	vt_header2(t->m, line, sizeof(line));
	put(1, 0, line, A_NORMAL, 0);
	if (t->input == IN_JUMP) {
		snprintf(line, sizeof(line), "Go to (HH:MM:SS or +SECONDS): %s_   (Enter goes, Esc cancels)",
			 t->input_buf);
		put(2, 0, line, A_BOLD, 0);
	} else if (t->input) {
		snprintf(line, sizeof(line), "Filter: %s_   (Enter applies, Esc cancels)",
			 t->input_buf);
		put(2, 0, line, A_BOLD, 0);
	} else if (t->msg[0]) {
		snprintf(line, sizeof(line), "dvktop: %s", t->msg);
		put(2, 0, line, A_BOLD, 0);
	} else {
		tui_screen(t)->status(t->m, &st, line, sizeof(line));
		put(2, 0, line, A_NORMAL, 0);
	}
}

/* Line 3 and the rows from line 4: the screen's titles, rows and below. */
static void draw_table(struct tui *t, int visible)
{
	const struct dvk_screen *sc = tui_screen(t);
	const struct dvk_table *tb = tui_table(t);
	int n = tb->nrows;
	char line[512];

	sc->header(&t->canvas, line, sizeof(line));
	put(3, 0, line, A_REVERSE, 1);
	if (n == 0 && visible > 0)
		put(DVK_TABLE_TOP, 0, sc->empty(t->m), A_DIM, 0);
	for (int i = 0; i < visible && t->scroll + i < n; i++)
		sc->draw_row(&t->canvas, DVK_TABLE_TOP + i, dvk_table_row(tb, t->scroll + i));
	if (sc->draw_below)
		sc->draw_below(&t->canvas, t->m,
			       DVK_TABLE_TOP + (n < visible ? (n ? n : 1) : visible), tui_table_bottom());
}

static void draw_keybar(struct tui *t, int visible, int max_scroll)
{
	const struct dvk_screen *next = dvk_screens[t->screen + 1] ? dvk_screens[t->screen + 1] :
					dvk_screens[0];
	int n = tui_table(t)->nrows;
	char line[256];

	if (tui_table_bottom() >= LINES)
		return;
	if (t->replay)
		snprintf(line, sizeof(line), "h Help  Tab %s  %s  / Filter  q Quit",
			 next->name, tui_replay_keys());
	else
		snprintf(line, sizeof(line), "h Help  Tab %s  s Sort  r Rev  / Filter  p Pause  "
			 "+/- Delay  q Quit", next->name);
	if (max_scroll > 0)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "  [%d-%d/%d]",
			 t->scroll + 1, t->scroll + visible < n ? t->scroll + visible : n, n);
	put(tui_table_bottom(), 0, line, A_REVERSE, 1);
}

void tui_draw(struct tui *t)
{
	int visible = tui_table_bottom() - DVK_TABLE_TOP, max_scroll;

	erase();
	if (LINES < 3 || COLS < 20) {
		put(0, 0, "dvktop: window too small", A_NORMAL, 0);
		refresh();
		return;
	}
	t->canvas.lines = LINES;
	t->canvas.cols = COLS;
	if (visible < 0)
		visible = 0;
	max_scroll = tui_table(t)->nrows > visible ? tui_table(t)->nrows - visible : 0;
	if (t->scroll > max_scroll)
		t->scroll = max_scroll;
	if (t->scroll < 0)
		t->scroll = 0;
	draw_top(t);
	draw_table(t, visible);
	draw_keybar(t, visible, max_scroll);
	if (t->help)
		draw_help(t->m);
	refresh();
}

void tui_canvas_init(struct tui *t)
{
	t->canvas.put = canvas_put;
	t->canvas.put_glyphs = canvas_put_glyphs;
}
