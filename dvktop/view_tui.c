// SPDX-License-Identifier: GPL-2.0
/*
 * view_tui.c - the ncurses view: draws the current screen (screen.h),
 * reads keys.
 *
 * Window (fits 80x24; rows beyond the window scroll with the arrow keys):
 *   0  header: node, name, version, flags (or the state of the DVS)
 *   1  the DVS limits
 *   2  the screen's status line: time, PAUSED, interval, sort, filter, totals
 *   3  the screen's column titles (reverse video)
 *   4.. the screen's rows (and what it draws below them)
 *   LINES-1  key bar
 *
 * Keys are a table (htop's Action idea): each key's handler changes the
 * state and returns reaction bits that say what the loop does next
 * (redraw, re-sort the tables, reschedule or take the next sample, quit).
 * The keys that show a screen come from the screens themselves.
 *
 * Drawing is resize-safe: every string goes through put(), which clips to
 * COLS/LINES and never writes the bottom-right cell; KEY_RESIZE just
 * redraws.  The loop sleeps in getch() with a timeout until the next
 * refresh is due (at most 1 s, so SIGINT/SIGTERM are noticed), never
 * busy-waits.
 */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dvktop.h"
#include "screen.h"
/* after dvk.h: curses.h redefines OK (to the same value) after an #undef */
#include <curses.h>

#define KEY_ESC		27
#define KEY_CTRL(c)	((c) & 0x1f)

/* What a key asks of the loop. */
enum reaction {
	RE_REDRAW = 1 << 0,
	RE_RESORT = 1 << 1,	/* a table's sort or filter changed */
	RE_RESCHEDULE = 1 << 2,	/* the delay changed: next sample one delay after the last */
	RE_RESAMPLE = 1 << 3,	/* take the next sample now (resumed) */
	RE_QUIT = 1 << 4,
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
	int input;			/* typing a filter */
	char input_buf[DVK_FILTER_LEN];
	int scroll;			/* first row shown */
	struct dvk_canvas canvas;	/* colors, utf8 (block glyphs in sparklines) */
	long frames;			/* samples shown */
	uint64_t last_sample_ns;
	char msg[256];			/* last sample error, shown in the status line */
};

/* Refresh delays that + and - step through. */
static const double delay_steps[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60 };
#define NSTEPS ((int)(sizeof(delay_steps) / sizeof(delay_steps[0])))

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

static const struct dvk_screen *cur_screen(const struct tui *t)
{
	return dvk_screens[t->screen];
}

static struct dvk_table *cur_table(struct tui *t)
{
	return dvk_screen_table(cur_screen(t), t->m);
}

static int table_bottom(void)	/* first line after the table */
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

	vt_header1(t->m, line, sizeof(line));
	put(0, 0, line, A_BOLD, 0);
	vt_header2(t->m, line, sizeof(line));
	put(1, 0, line, A_NORMAL, 0);
	if (t->input) {
		snprintf(line, sizeof(line), "Filter: %s_   (Enter applies, Esc cancels)",
			 t->input_buf);
		put(2, 0, line, A_BOLD, 0);
	} else if (t->msg[0]) {
		snprintf(line, sizeof(line), "dvktop: %s", t->msg);
		put(2, 0, line, A_BOLD, 0);
	} else {
		cur_screen(t)->status(t->m, &st, line, sizeof(line));
		put(2, 0, line, A_NORMAL, 0);
	}
}

/* Line 3 and the rows from line 4: the screen's titles, rows and below. */
static void draw_table(struct tui *t, int visible)
{
	const struct dvk_screen *sc = cur_screen(t);
	const struct dvk_table *tb = cur_table(t);
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
			       DVK_TABLE_TOP + (n < visible ? (n ? n : 1) : visible), table_bottom());
}

static void draw_keybar(struct tui *t, int visible, int max_scroll)
{
	const struct dvk_screen *next = dvk_screens[t->screen + 1] ? dvk_screens[t->screen + 1] :
					dvk_screens[0];
	int n = cur_table(t)->nrows;
	char line[256];

	if (table_bottom() >= LINES)
		return;
	snprintf(line, sizeof(line), "h Help  Tab %s  s Sort  r Rev  / Filter  p Pause  "
		 "+/- Delay  q Quit", next->name);
	if (max_scroll > 0)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "  [%d-%d/%d]",
			 t->scroll + 1, t->scroll + visible < n ? t->scroll + visible : n, n);
	put(table_bottom(), 0, line, A_REVERSE, 1);
}

static void draw(struct tui *t)
{
	int visible = table_bottom() - DVK_TABLE_TOP, max_scroll;

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
	max_scroll = cur_table(t)->nrows > visible ? cur_table(t)->nrows - visible : 0;
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

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */
static int act_quit(struct tui *t, int key)
{
	(void)t;
	(void)key;
	return RE_QUIT;
}

static int act_help(struct tui *t, int key)
{
	(void)key;
	t->help = 1;
	return RE_REDRAW;
}

static int show_screen(struct tui *t, const struct dvk_screen *sc)
{
	for (int i = 0; dvk_screens[i]; i++)
		if (dvk_screens[i] == sc)
			t->screen = i;
	t->scroll = 0;
	return RE_REDRAW;
}

static int act_next_screen(struct tui *t, int key)
{
	(void)key;
	return show_screen(t, dvk_screens[t->screen + 1] ? dvk_screens[t->screen + 1] :
			   dvk_screens[0]);
}

/* 1 2 3: the screen's quick sort columns (none on the Calls screen) */
static int act_quick_sort(struct tui *t, int key)
{
	const struct dvk_screen *sc = cur_screen(t);

	if (key - '1' < sc->nquick)
		cur_table(t)->sort = sc->quick[key - '1'];
	return RE_RESORT | RE_REDRAW;
}

static int act_sort_step(struct tui *t, int key)
{
	dvk_table_sort_step(cur_table(t), key == 's' ? 1 : -1);
	return RE_RESORT | RE_REDRAW;
}

static int act_reverse(struct tui *t, int key)
{
	(void)key;
	cur_table(t)->reverse = !cur_table(t)->reverse;
	return RE_RESORT | RE_REDRAW;
}

static int act_filter(struct tui *t, int key)
{
	(void)key;
	t->input = 1;
	snprintf(t->input_buf, sizeof(t->input_buf), "%s", cur_table(t)->filter);
	return RE_REDRAW;
}

static int act_pause(struct tui *t, int key)
{
	(void)key;
	t->paused = !t->paused;
	return t->paused ? RE_REDRAW : RE_RESAMPLE | RE_REDRAW;	/* resumed: refresh now */
}

/* + slower, - faster: the next step of delay_steps[] */
static int act_delay(struct tui *t, int key)
{
	int up = key == '+' || key == '=';
	double d = t->delay_s;

	for (int k = 0; k < NSTEPS; k++) {
		double step = delay_steps[up ? k : NSTEPS - 1 - k];

		if (up ? step > d + 1e-9 : step < d - 1e-9) {
			d = step;
			break;
		}
	}
	t->delay_s = d;
	return RE_RESCHEDULE | RE_REDRAW;
}

/* draw() clamps the scroll to the rows */
static int act_scroll(struct tui *t, int key)
{
	int page = table_bottom() - DVK_TABLE_TOP;

	if (page < 1)
		page = 1;
	if (key == KEY_UP || key == 'k')
		t->scroll--;
	else if (key == KEY_DOWN || key == 'j')
		t->scroll++;
	else if (key == KEY_PPAGE)
		t->scroll -= page;
	else if (key == KEY_NPAGE)
		t->scroll += page;
	else if (key == KEY_HOME || key == 'g')
		t->scroll = 0;
	else
		t->scroll = cur_table(t)->nrows;	/* End, G */
	return RE_REDRAW;
}

static int act_repaint(struct tui *t, int key)
{
	(void)t;
	(void)key;
	clearok(curscr, TRUE);
	return RE_REDRAW;
}

static const struct {
	int key;
	int (*act)(struct tui *t, int key);	/* returns enum reaction bits */
} key_table[] = {
	{ 'q', act_quit }, { 'Q', act_quit },
	{ 'h', act_help }, { '?', act_help }, { KEY_F(1), act_help },
	{ '\t', act_next_screen },
	{ '1', act_quick_sort }, { '2', act_quick_sort }, { '3', act_quick_sort },
	{ 's', act_sort_step }, { 'S', act_sort_step },
	{ 'r', act_reverse }, { 'R', act_reverse },
	{ '/', act_filter },
	{ ' ', act_pause }, { 'p', act_pause },
	{ '+', act_delay }, { '=', act_delay }, { '-', act_delay }, { '_', act_delay },
	{ KEY_UP, act_scroll }, { 'k', act_scroll }, { KEY_DOWN, act_scroll }, { 'j', act_scroll },
	{ KEY_PPAGE, act_scroll }, { KEY_NPAGE, act_scroll }, { KEY_HOME, act_scroll },
	{ 'g', act_scroll }, { KEY_END, act_scroll }, { 'G', act_scroll },
	{ KEY_CTRL('l'), act_repaint },
};

/* Typing a filter: Enter applies it to the screen's table, Esc cancels. */
static int input_key(struct tui *t, int ch)
{
	size_t len = strlen(t->input_buf);

	if (ch == KEY_ESC) {
		t->input = 0;
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		snprintf(cur_table(t)->filter, DVK_FILTER_LEN, "%s", t->input_buf);
		t->input = 0;
		t->scroll = 0;
		return RE_RESORT | RE_REDRAW;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == KEY_CTRL('h')) {
		if (len)
			t->input_buf[len - 1] = '\0';
	} else if (ch == KEY_CTRL('u')) {
		t->input_buf[0] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof(t->input_buf)) {
		t->input_buf[len] = (char)ch;
		t->input_buf[len + 1] = '\0';
	}
	return RE_REDRAW;
}

static int handle_key(struct tui *t, int ch)
{
	const struct dvk_screen *sc;

	if (ch == KEY_RESIZE)
		return RE_REDRAW;	/* draw() re-lays out */
	if (t->help) {
		t->help = 0;
		return RE_REDRAW;
	}
	if (t->input)
		return input_key(t, ch);
	for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++)
		if (key_table[i].key == ch)
			return key_table[i].act(t, ch);
	sc = dvk_screen_for_key(ch);
	return sc ? show_screen(t, sc) : RE_REDRAW;
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */
/* ------------------------------------------------------------------ */
static int take_sample(struct tui *t)
{
	if (t->src->ops->sample(t->src, t->s)) {
		snprintf(t->msg, sizeof(t->msg), "%s", t->src->err);
		return -1;
	}
	t->msg[0] = '\0';
	dvk_model_update(t->m, t->s);
	t->last_sample_ns = t->s->time_ns;
	t->frames++;
	return 0;
}

static SCREEN *start_terminal(struct tui *t)
{
	SCREEN *scr = newterm(NULL, stdout, stdin);

	if (!scr) {
		fprintf(stderr, "dvktop: cannot initialise the terminal (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		return NULL;
	}
	set_term(scr);
	/* main() set LC_CTYPE from the environment: block glyphs only on UTF-8 */
	t->canvas.utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	t->canvas.put = canvas_put;
	t->canvas.put_glyphs = canvas_put_glyphs;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		t->canvas.colors = init_pair(1, COLOR_RED, -1) == OK &&
				   init_pair(2, COLOR_GREEN, -1) == OK;
	}
	return scr;
}

/* Sample every delay (unless paused), draw, answer keys; until q or -n. */
static void run(struct tui *t)
{
	uint64_t next = t->last_sample_ns + (uint64_t)(t->delay_s * 1e9);

	draw(t);
	while (!dvktop_stop) {
		uint64_t now = dvktop_now_ns(), ms;
		int ch, re;

		if (now >= next) {
			if (!t->paused) {
				/* -n N: N refreshes, each shown for one delay */
				if (t->cfg->iterations && t->frames >= t->cfg->iterations)
					break;
				take_sample(t);
			}
			next = dvktop_now_ns() + (uint64_t)(t->delay_s * 1e9);
			draw(t);
			continue;
		}
		ms = (next - now + 999999) / 1000000;
		timeout(ms > 1000 ? 1000 : (int)ms);
		ch = getch();
		if (ch == ERR)
			continue;
		re = handle_key(t, ch);
		if (re & RE_QUIT)
			break;
		if (re & RE_RESORT)
			dvk_model_refresh(t->m);
		if (re & RE_RESCHEDULE)
			next = t->last_sample_ns + (uint64_t)(t->delay_s * 1e9);
		if (re & RE_RESAMPLE)
			next = dvktop_now_ns();
		if (re & RE_REDRAW)
			draw(t);
	}
}

int dvktop_view_tui(struct dvk_source *src, const struct dvktop_config *cfg)
{
	struct tui t = { .cfg = cfg, .src = src, .delay_s = cfg->delay_s };
	SCREEN *scr = NULL;
	int status = 1;

	show_screen(&t, cfg->proxies ? &dvk_screen_proxies :
			cfg->endpoints ? &dvk_screen_endpoints : &dvk_screen_calls);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dvktop: not a terminal (use -b for batch mode)\n");
		return 1;
	}
	t.m = dvktop_model_new(cfg);
	t.s = malloc(sizeof(*t.s));
	if (!t.m || !t.s)
		fprintf(stderr, "dvktop: out of memory\n");
	else if (take_sample(&t))
		fprintf(stderr, "dvktop: %s\n", src->err);
	else
		scr = start_terminal(&t);
	if (scr) {
		run(&t);
		endwin();
		delscreen(scr);
		status = 0;
	}
	free(t.m);
	free(t.s);
	return status;
}
