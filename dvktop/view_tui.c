// SPDX-License-Identifier: GPL-2.0
/*
 * view_tui.c - the ncurses view: draws the current screen (screen.h),
 * reads keys.
 *
 * Window (fits 80x24; rows beyond the window scroll with the arrow keys):
 *   0  header: node, name, version, flags (or the state of the DVS);
 *      in a replay (-r): what is replayed, the sample, speed, paused
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
 * A replay has its own keys (tui_replay.c), looked up first.
 *
 * Drawing (tui_draw.c) is resize-safe; KEY_RESIZE just redraws.  The loop
 * sleeps in getch() with a timeout until the next refresh is due (at most
 * 1 s, so SIGINT/SIGTERM are noticed), never busy-waits.
 */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "replay.h"
#include "tui.h"
/* after dvk.h: curses.h redefines OK (to the same value) after an #undef */
#include <curses.h>

/* Refresh delays that + and - step through. */
static const double delay_steps[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60 };
#define NSTEPS ((int)(sizeof(delay_steps) / sizeof(delay_steps[0])))

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
	const struct dvk_screen *sc = tui_screen(t);

	if (key - '1' < sc->nquick)
		tui_table(t)->sort = sc->quick[key - '1'];
	return RE_RESORT | RE_REDRAW;
}

static int act_sort_step(struct tui *t, int key)
{
	dvk_table_sort_step(tui_table(t), key == 's' ? 1 : -1);
	return RE_RESORT | RE_REDRAW;
}

static int act_reverse(struct tui *t, int key)
{
	(void)key;
	tui_table(t)->reverse = !tui_table(t)->reverse;
	return RE_RESORT | RE_REDRAW;
}

static int act_filter(struct tui *t, int key)
{
	(void)key;
	t->input = IN_FILTER;
	snprintf(t->input_buf, sizeof(t->input_buf), "%s", tui_table(t)->filter);
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
	int page = tui_table_bottom() - DVK_TABLE_TOP;

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
		t->scroll = tui_table(t)->nrows;	/* End, G */
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

/* Typing a filter (Enter applies it to the screen's table) or a replay's
 * time to go to (Enter goes there); Esc cancels. */
static int input_key(struct tui *t, int ch)
{
	size_t len = strlen(t->input_buf);

	if (ch == KEY_ESC) {
		t->input = IN_NONE;
	} else if ((ch == '\n' || ch == '\r' || ch == KEY_ENTER) && t->input == IN_JUMP) {
		t->input = IN_NONE;
		return tui_replay_jump(t, t->input_buf);
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		snprintf(tui_table(t)->filter, DVK_FILTER_LEN, "%s", t->input_buf);
		t->input = IN_NONE;
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

int tui_handle_key(struct tui *t, int ch)
{
	const struct dvk_screen *sc;
	int re;

	if (ch == KEY_RESIZE)
		return RE_REDRAW;	/* draw() re-lays out */
	if (t->help) {
		t->help = 0;
		return RE_REDRAW;
	}
	if (t->input)
		return input_key(t, ch);
	if (t->replay && (re = tui_replay_key(t, ch)) >= 0)
		return re;
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
	tui_canvas_init(t);
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

	tui_draw(t);
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
			tui_draw(t);
			continue;
		}
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
		if (re & RE_RESCHEDULE)
			next = t->last_sample_ns + (uint64_t)(t->delay_s * 1e9);
		if (re & RE_RESAMPLE)
			next = dvktop_now_ns();
		if (re & RE_REDRAW)
			tui_draw(t);
	}
}

int dvktop_view_tui(struct dvk_source *src, const struct dvktop_config *cfg)
{
	struct tui t = { .cfg = cfg, .src = src, .delay_s = cfg->delay_s };
	SCREEN *scr = NULL;
	int status = 1;

	show_screen(&t, cfg->waits ? &dvk_screen_waits : cfg->proxies ? &dvk_screen_proxies :
			cfg->endpoints ? &dvk_screen_endpoints : &dvk_screen_calls);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dvktop: not a terminal (use -b for batch mode)\n");
		return 1;
	}
	t.m = dvktop_model_new(cfg);
	t.s = malloc(sizeof(*t.s));
	t.replay = dvk_replay_is(src);
	if (!t.m || !t.s)
		fprintf(stderr, "dvktop: out of memory\n");
	else if (t.replay ? tui_replay_start(&t) : take_sample(&t))
		fprintf(stderr, "dvktop: %s\n", src->err);
	else
		scr = start_terminal(&t);
	if (scr) {
		if (t.replay)
			tui_replay_run(&t);
		else
			run(&t);
		endwin();
		delscreen(scr);
		status = 0;
	}
	free(t.m);
	free(t.s);
	return status;
}
