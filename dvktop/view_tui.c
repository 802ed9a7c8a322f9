// SPDX-License-Identifier: GPL-2.0
/*
 * view_tui.c - the ncurses view: draws the model, reads keys.
 *
 * Screen (fits 80x24; rows beyond the window scroll with the arrow keys):
 *   0  header: node, name, version, flags (or the state of the DVS)
 *   1  the DVS limits
 *   2  status: time, PAUSED, interval, sort, filter, pid, totals
 *   3  column titles (reverse video)
 *   4.. one row per DVK call seen (Calls view), one row per bound
 *       endpoint (Endpoints view) or one row per peer node (Proxies view,
 *       with a throughput sparkline); c / e / P switch, Tab steps through
 *   LINES-1  key bar
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
#include "view_text.h"
/* after dvk.h: curses.h redefines OK (to the same value) after an #undef */
#include <curses.h>

#define TABLE_TOP	4
#define KEY_ESC		27
#define KEY_CTRL(c)	((c) & 0x1f)

enum tui_view { VIEW_CALLS = 0, VIEW_ENDPOINTS, VIEW_PROXIES, NVIEWS };

struct tui {
	const struct dvktop_config *cfg;
	enum tui_view view;
	struct dvk_source *src;
	struct dvk_model *m;
	struct dvk_sample *s;
	double delay_s;
	int paused;
	int help;
	int input;			/* typing a filter */
	char input_buf[DVK_FILTER_LEN];
	int scroll;			/* first row shown */
	int colors;
	int utf8;			/* the terminal takes UTF-8: block glyphs in sparklines */
	long frames;			/* samples shown */
	uint64_t last_sample_ns;
	char msg[256];			/* last sample error, shown in the status line */
	int resched;			/* set by handle_key: 1 = delay changed, 2 = resumed */
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

static int table_bottom(void)	/* first line after the table */
{
	return LINES >= 6 ? LINES - 1 : LINES;
}

static void draw_help(void)
{
	static const char *const text[] = {
		"dvktop " DVKTOP_VERSION ": live counts and latencies of DVK calls",
		"",
		"  q           quit",
		"  h ?         this help (any key closes it)",
		"  c e P x     Calls / Endpoints / Proxies view (P and x)",
		"  Tab         next view",
		"  s / S       sort by the next / previous column:",
		"              calls: count rate errors p50 p99 avg name nr",
		"              endpoints: queue oldest rate in out wait copied ep name",
		"              proxies: node bytes msgs queue errors",
		"  1 2 3       endpoints: sort by queue, oldest wait, rate",
		"              proxies: sort by node, bytes/s, queue",
		"  r           reverse the sort order",
		"  /           filter by name (Enter applies, Esc cancels)",
		"  space p     pause / resume",
		"  + -         slower / faster refresh",
		"  arrows PgUp PgDn Home End   scroll",
		"",
		"COUNT ERRORS   since dvktop started; ERR% = errors/count",
		"RATE/s         calls per second over the last interval",
		"P50 P99        estimated from log2 latency histograms",
		"AVG            mean latency since dvktop started",
		"QUEUE OLDEST   queued senders, wait of the oldest (debugfs)",
		"IN/s OUT/s     messages per second (BPF); AVGWAIT mean queue wait",
		"OUTB/s INB/s   proxies: bytes per second to / from the node (BPF)",
		"LINK ERRS      proxies: pair state; errors + dropped + refused (debugfs)",
		"",
		"Press any key to close",
	};
	const int nl = (int)(sizeof(text) / sizeof(text[0]));
	int w = 0, h = nl + 2, y0, x0;
	char line[128];

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
	for (int i = 0; i < nl; i++) {
		snprintf(line, sizeof(line), "| %-*s |", w - 4, text[i]);
		put(y0 + 1 + i, x0, line, A_BOLD, 0);
	}
	memset(line, '-', (size_t)w);
	line[0] = line[w - 1] = '+';
	line[w] = '\0';
	put(y0 + h - 1, x0, line, A_BOLD, 0);
}

/*
 * The Bind waits section, under the calls table from line y to bottom
 * (exclusive): a blank line, title, header, the longest waits first.
 */
static void draw_bindwaits(struct tui *t, int y, int bottom)
{
	const struct dvk_sample *s = &t->m->cur;
	char line[256];

	if (s->bindwaits_total == 0 || y + 2 >= bottom)
		return;
	vt_bindwaits_title(s, line, sizeof(line));
	put(y + 1, 0, line, A_BOLD, 0);
	if (s->nbindwaits == 0)
		return;
	vt_bindwaits_header(line, sizeof(line));
	put(y + 2, 0, line, A_REVERSE, 1);
	for (int i = 0; i < s->nbindwaits && y + 3 + i < bottom; i++) {
		vt_bindwaits_row(&s->bindwaits[i], line, sizeof(line));
		put(y + 3 + i, 0, line, A_NORMAL, 0);
	}
}

/* The rows of the current view and how many there are. */
static int view_nrows(const struct tui *t)
{
	switch (t->view) {
	case VIEW_ENDPOINTS:
		return t->m->eps.nrows;
	case VIEW_PROXIES:
		return t->m->pxs.nrows;
	default:
		return t->m->calls.nrows;
	}
}

/* Sparkline cells that fit after the fixed columns of the Proxies view. */
static int px_hist_width(void)
{
	int w = COLS - VT_PX_FIXED - 1;

	return w < 0 ? 0 : w > DVK_PX_HIST ? DVK_PX_HIST : w;
}

/*
 * The Proxies view: one row per peer node.  The fixed columns go through
 * put(); the sparkline after them may hold UTF-8 block glyphs (one cell
 * each), drawn as they are and clipped to the window by cell count.
 */
static void draw_proxies_table(struct tui *t, int visible)
{
	const struct dvk_model *m = t->m;
	int hw = px_hist_width();
	char line[512];

	if (m->pxs.nrows == 0 && visible > 0) {
		const char *why = m->cur.pairs_total < 0 ?
			"  (/sys/kernel/debug/dvk/proxies unreadable: root and debugfs needed)" :
			m->pxs.filter[0] && m->pxs.nall ? "  (no peer matches the filter)" :
			"  (no proxy pair, no traffic with other nodes)";

		put(TABLE_TOP, 0, why, A_DIM, 0);
	}
	for (int i = 0; i < visible && t->scroll + i < m->pxs.nrows; i++) {
		const struct dvk_px_row *r = &m->px_rows[t->scroll + i];
		int y = TABLE_TOP + i;
		attr_t attr = A_NORMAL;

		/* a link that is not up stands out, so does a queue */
		if (r->link != DVK_LINK_UP)
			attr = t->colors ? COLOR_PAIR(1) | A_BOLD : A_BOLD;
		else if (r->pair.queue > 0)
			attr = A_BOLD;
		vt_px_row(r, 0, 0, 0, line, sizeof(line));	/* no sparkline: drawn below */
		put(y, 0, line, attr, 0);
		if (hw > 0 && VT_PX_FIXED + 1 < COLS && y < LINES - 1) {
			char spark[DVK_PX_HIST * 3 + 1];

			dvk_sparkline(r->hist, r->nhist, hw, t->utf8, spark, sizeof(spark));
			attrset(t->colors && r->link == DVK_LINK_UP ? COLOR_PAIR(2) : A_NORMAL);
			mvaddstr(y, VT_PX_FIXED + 1, spark);
			attrset(A_NORMAL);
		}
	}
}

static void draw_endpoints_table(struct tui *t, int visible)
{
	const struct dvk_model *m = t->m;
	char line[512];

	if (m->eps.nrows == 0 && visible > 0) {
		const char *why = m->cur.endpoints_total < 0 ?
			"  (/sys/kernel/debug/dvk/endpoints unreadable: root and debugfs needed)" :
			m->eps.filter[0] && m->eps.nall ? "  (no endpoint matches the filter)" :
			"  (no bound endpoint)";

		put(TABLE_TOP, 0, why, A_DIM, 0);
	}
	for (int i = 0; i < visible && t->scroll + i < m->eps.nrows; i++) {
		const struct dvk_ep_row *r = &m->ep_rows[t->scroll + i];

		vt_ep_row(r, 0, line, sizeof(line));
		/* a non-empty queue stands out */
		put(TABLE_TOP + i, 0, line, r->e.queue && t->colors ? COLOR_PAIR(1) | A_BOLD :
		    r->e.queue ? A_BOLD : A_NORMAL, 0);
	}
}

static void draw(struct tui *t)
{
	const struct dvk_model *m = t->m;
	struct vt_status st = { .delay_s = t->delay_s, .pid = t->cfg->pid, .paused = t->paused };
	int bottom = table_bottom(), visible = bottom - TABLE_TOP, max_scroll;
	char line[512];

	erase();
	if (LINES < 3 || COLS < 20) {
		put(0, 0, "dvktop: window too small", A_NORMAL, 0);
		refresh();
		return;
	}
	vt_header1(m, line, sizeof(line));
	put(0, 0, line, A_BOLD, 0);
	vt_header2(m, line, sizeof(line));
	put(1, 0, line, A_NORMAL, 0);

	if (t->input) {
		snprintf(line, sizeof(line), "Filter: %s_   (Enter applies, Esc cancels)",
			 t->input_buf);
		put(2, 0, line, A_BOLD, 0);
	} else if (t->msg[0]) {
		snprintf(line, sizeof(line), "dvktop: %s", t->msg);
		put(2, 0, line, A_BOLD, 0);
	} else if (t->view == VIEW_ENDPOINTS) {
		vt_ep_status_line(m, &st, line, sizeof(line));
		put(2, 0, line, A_NORMAL, 0);
	} else if (t->view == VIEW_PROXIES) {
		vt_px_status_line(m, &st, line, sizeof(line));
		put(2, 0, line, A_NORMAL, 0);
	} else {
		vt_status_line(m, &st, line, sizeof(line));
		put(2, 0, line, A_NORMAL, 0);
	}
	if (t->view == VIEW_ENDPOINTS)
		vt_ep_header(line, sizeof(line));
	else if (t->view == VIEW_PROXIES)
		vt_px_header(px_hist_width(), 0, line, sizeof(line));
	else
		vt_table_header(line, sizeof(line));
	put(3, 0, line, A_REVERSE, 1);

	if (visible < 0)
		visible = 0;
	max_scroll = view_nrows(t) > visible ? view_nrows(t) - visible : 0;
	if (t->scroll > max_scroll)
		t->scroll = max_scroll;
	if (t->scroll < 0)
		t->scroll = 0;

	if (t->view == VIEW_ENDPOINTS) {
		draw_endpoints_table(t, visible);
		goto keybar;
	}
	if (t->view == VIEW_PROXIES) {
		draw_proxies_table(t, visible);
		goto keybar;
	}
	if (m->calls.nrows == 0 && visible > 0)
		put(TABLE_TOP, 0, m->calls.filter[0] ? "  (no call matches the filter)" :
		    "  (no DVK calls since dvktop started)", A_DIM, 0);
	for (int i = 0; i < visible && t->scroll + i < m->calls.nrows; i++) {
		const struct dvk_row *r = &m->call_rows[t->scroll + i];

		vt_table_row(r, 0, line, sizeof(line));
		put(TABLE_TOP + i, 0, line, A_NORMAL, 0);
		if (r->errors && t->colors && strlen(line) >= VT_ERR_COL + VT_ERR_WIDTH) {
			char err[VT_ERR_WIDTH + 1];

			memcpy(err, line + VT_ERR_COL, VT_ERR_WIDTH);
			err[VT_ERR_WIDTH] = '\0';
			put(TABLE_TOP + i, VT_ERR_COL, err, COLOR_PAIR(1) | A_BOLD, 0);
		}
	}

	draw_bindwaits(t, TABLE_TOP + (m->calls.nrows < visible ? (m->calls.nrows ? m->calls.nrows : 1) : visible),
		       bottom);

keybar:
	if (bottom < LINES) {
		int n = view_nrows(t);

		static const char *const next[NVIEWS] = {
			[VIEW_CALLS] = "Tab Endpoints", [VIEW_ENDPOINTS] = "Tab Proxies",
			[VIEW_PROXIES] = "Tab Calls",
		};

		snprintf(line, sizeof(line), "h Help  %s  s Sort  r Rev  / Filter  p Pause  "
			 "+/- Delay  q Quit", next[t->view]);
		if (max_scroll > 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 "  [%d-%d/%d]", t->scroll + 1,
				 t->scroll + visible < n ? t->scroll + visible : n, n);
		put(bottom, 0, line, A_REVERSE, 1);
	}
	if (t->help)
		draw_help();
	refresh();
}

/* The table of the current view (each view has its own sort and filter). */
static struct dvk_table *view_table(struct tui *t)
{
	return t->view == VIEW_ENDPOINTS ? &t->m->eps :
	       t->view == VIEW_PROXIES ? &t->m->pxs : &t->m->calls;
}

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

static void change_delay(struct tui *t, int up)
{
	double d = t->delay_s;

	if (up) {
		for (int i = 0; i < NSTEPS; i++)
			if (delay_steps[i] > d + 1e-9) {
				d = delay_steps[i];
				break;
			}
	} else {
		for (int i = NSTEPS - 1; i >= 0; i--)
			if (delay_steps[i] < d - 1e-9) {
				d = delay_steps[i];
				break;
			}
	}
	t->delay_s = d;
}

/* Returns 1 to quit. */
static int handle_key(struct tui *t, int ch)
{
	struct dvk_model *m = t->m;
	int page = table_bottom() - TABLE_TOP;

	if (ch == KEY_RESIZE)
		return 0;		/* draw() re-lays out */
	if (t->help) {
		t->help = 0;
		return 0;
	}
	if (t->input) {
		size_t len = strlen(t->input_buf);

		switch (ch) {
		case KEY_ESC:
			t->input = 0;
			break;
		case '\n':
		case '\r':
		case KEY_ENTER:
			snprintf(view_table(t)->filter, DVK_FILTER_LEN, "%s", t->input_buf);
			t->input = 0;
			t->scroll = 0;
			dvk_model_refresh(m);
			break;
		case KEY_BACKSPACE:
		case 127:
		case KEY_CTRL('h'):
			if (len)
				t->input_buf[len - 1] = '\0';
			break;
		case KEY_CTRL('u'):
			t->input_buf[0] = '\0';
			break;
		default:
			if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof(t->input_buf)) {
				t->input_buf[len] = (char)ch;
				t->input_buf[len + 1] = '\0';
			}
			break;
		}
		return 0;
	}
	if (page < 1)
		page = 1;
	switch (ch) {
	case 'q':
	case 'Q':
		return 1;
	case 'h':
	case '?':
	case KEY_F(1):
		t->help = 1;
		break;
	case 'c':
		t->view = VIEW_CALLS;
		t->scroll = 0;
		break;
	case 'e':
		t->view = VIEW_ENDPOINTS;
		t->scroll = 0;
		break;
	case 'P':
	case 'x':
		t->view = VIEW_PROXIES;
		t->scroll = 0;
		break;
	case '\t':
		t->view = (enum tui_view)((t->view + 1) % NVIEWS);
		t->scroll = 0;
		break;
	case '1':
	case '2':
	case '3':
		if (t->view == VIEW_ENDPOINTS)
			m->eps.sort = ch == '1' ? DVK_EP_SORT_QUEUE : ch == '2' ? DVK_EP_SORT_OLDEST :
				     DVK_EP_SORT_RATE;
		else if (t->view == VIEW_PROXIES)
			m->pxs.sort = ch == '1' ? DVK_PX_SORT_NODE : ch == '2' ? DVK_PX_SORT_BYTES :
				     DVK_PX_SORT_QUEUE;
		dvk_model_refresh(m);
		break;
	case 's':
		dvk_table_sort_step(view_table(t), 1);
		break;
	case 'S':
		dvk_table_sort_step(view_table(t), -1);
		break;
	case 'r':
	case 'R':
		view_table(t)->reverse = !view_table(t)->reverse;
		dvk_model_refresh(m);
		break;
	case '/':
		t->input = 1;
		snprintf(t->input_buf, sizeof(t->input_buf), "%s", view_table(t)->filter);
		break;
	case ' ':
	case 'p':
		t->paused = !t->paused;
		if (!t->paused)
			t->resched = 2;		/* resume: refresh now */
		break;
	case '+':
	case '=':
		change_delay(t, 1);
		t->resched = 1;
		break;
	case '-':
	case '_':
		change_delay(t, 0);
		t->resched = 1;
		break;
	case KEY_UP:
	case 'k':
		t->scroll--;
		break;
	case KEY_DOWN:
	case 'j':
		t->scroll++;
		break;
	case KEY_PPAGE:
		t->scroll -= page;
		break;
	case KEY_NPAGE:
		t->scroll += page;
		break;
	case KEY_HOME:
	case 'g':
		t->scroll = 0;
		break;
	case KEY_END:
	case 'G':
		t->scroll = view_nrows(t);	/* clamped by draw() */
		break;
	case KEY_CTRL('l'):
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
	return 0;
}

int dvktop_view_tui(struct dvk_source *src, const struct dvktop_config *cfg)
{
	struct tui t = { .cfg = cfg, .src = src, .delay_s = cfg->delay_s,
			 .view = cfg->proxies ? VIEW_PROXIES :
				 cfg->endpoints ? VIEW_ENDPOINTS : VIEW_CALLS };
	SCREEN *scr;
	uint64_t next;
	int status = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dvktop: not a terminal (use -b for batch mode)\n");
		return 1;
	}
	t.m = malloc(sizeof(*t.m));
	t.s = malloc(sizeof(*t.s));
	if (!t.m || !t.s) {
		fprintf(stderr, "dvktop: out of memory\n");
		status = 1;
		goto out;
	}
	dvk_model_init(t.m);
	t.m->calls.sort = cfg->sort;
	t.m->calls.reverse = cfg->reverse;
	t.m->eps.sort = cfg->ep_sort;
	t.m->pxs.sort = cfg->px_sort;
	if (take_sample(&t)) {
		fprintf(stderr, "dvktop: %s\n", src->err);
		status = 1;
		goto out;
	}

	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "dvktop: cannot initialise the terminal (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		status = 1;
		goto out;
	}
	set_term(scr);
	/* main() set LC_CTYPE from the environment: block glyphs only on UTF-8 */
	t.utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		t.colors = init_pair(1, COLOR_RED, -1) == OK && init_pair(2, COLOR_GREEN, -1) == OK;
	}

	next = t.last_sample_ns + (uint64_t)(t.delay_s * 1e9);
	draw(&t);
	while (!dvktop_stop) {
		uint64_t now = dvktop_now_ns();
		int ch;

		if (now >= next) {
			if (!t.paused) {
				/* -n N: N refreshes, each shown for one delay */
				if (cfg->iterations && t.frames >= cfg->iterations)
					break;
				take_sample(&t);
			}
			next = dvktop_now_ns() + (uint64_t)(t.delay_s * 1e9);
			draw(&t);
			continue;
		}
		{
			uint64_t ms = (next - now + 999999) / 1000000;

			timeout(ms > 1000 ? 1000 : (int)ms);
		}
		ch = getch();
		if (ch == ERR)
			continue;
		t.resched = 0;
		if (handle_key(&t, ch))
			break;
		if (t.resched == 1)
			next = t.last_sample_ns + (uint64_t)(t.delay_s * 1e9);
		else if (t.resched == 2)
			next = dvktop_now_ns();
		draw(&t);
	}
	endwin();
	delscreen(scr);
out:
	free(t.m);
	free(t.s);
	return status;
}
