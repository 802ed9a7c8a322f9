/* SPDX-License-Identifier: GPL-2.0 */
/*
 * view_text.h - the text of dvktop's lines, shared by the TUI and plain
 * batch mode so both show the same thing.  Every function writes one line
 * (no newline) into buf, NUL-terminated.  view_text.c has what all
 * screens share; each screen file (screen_*.c) the lines of its rows.
 */
#ifndef DVKTOP_VIEW_TEXT_H
#define DVKTOP_VIEW_TEXT_H

#include <stddef.h>
#include "format.h"
#include "model.h"

struct vt_status {
	double delay_s;
	int pid;
	int paused;
	uint64_t real_ns;	/* the time the status line shows (a replay's); 0: now */
};

/* What the first line of a replay says (vt_replay_line). */
struct vt_replay {
	const char *what;	/* the recorded host, or the samples file */
	uint64_t start_real_ns;	/* the first sample's CLOCK_REALTIME */
	int index, count;	/* sample index (0-based) of count */
	double speed;		/* TUI: playing speed; 0: batch (not shown) */
	int paused;
};

/* Append to buf like snprintf, never past len. */
void vt_append(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Line 1: node, name, version, flags; or the state of the DVS. */
void vt_header1(const struct dvk_model *m, char *buf, size_t len);
/* A replay's line 1: REPLAY of HOST node N "NAME" START (sample i/n, speed x, paused);
 * width > 0: HOST is cut (ending in '~') to fit the line in width columns. */
void vt_replay_line(const struct dvk_model *m, const struct vt_replay *r, int width, char *buf,
		    size_t len);
/* Line 2: the DVS limits, or what is missing. */
void vt_header2(const struct dvk_model *m, char *buf, size_t len);
/* The start of every status line: time, PAUSED, interval, t's sort and filter. */
void vt_status_start(const struct dvk_table *t, const struct vt_status *st, char *buf, size_t len);
/* A wait in ms in at most 6 characters: 318ms, 12.5s, 95m, 30h; "-" if < 0. */
void vt_fmt_ms(int64_t ms, char *buf, size_t len);
/* The same exact, for batch mode: 4213ms, "-" if < 0. */
void vt_ms_raw(int64_t ms, char *buf, size_t len);

/* The Calls screen (screen_calls.c): status line, column titles, rows;
 * raw: exact numbers that may widen the columns (batch), else fit them. */
void vt_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf, size_t len);
void vt_table_header(char *buf, size_t len);
void vt_table_row(const struct dvk_row *r, int raw, char *buf, size_t len);
/* its Bind waits section: title, column titles, rows */
void vt_bindwaits_title(const struct dvk_sample *s, char *buf, size_t len);
void vt_bindwaits_header(char *buf, size_t len);
void vt_bindwaits_row(const struct dvk_bindwait_row *r, char *buf, size_t len);

/*
 * The Endpoints screen (screen_endpoints.c): title (batch), status line
 * (TUI), column titles and rows.  Columns up to AVGWAIT take 70
 * characters; NAME comes last and is clipped by the window.
 */
void vt_ep_title(const struct dvk_model *m, char *buf, size_t len);
void vt_ep_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
		       size_t len);
void vt_ep_header(char *buf, size_t len);
void vt_ep_row(const struct dvk_ep_row *r, int raw, char *buf, size_t len);

/*
 * The Proxies screen (screen_proxies.c): title (batch), status line (TUI),
 * column titles and rows.  The columns up to ERRS take VT_PX_FIXED
 * characters, then the throughput sparkline, hist_width cells (utf8: block
 * glyphs, else ASCII).  raw (batch): exact numbers, and LASTERR and NAME
 * after the sparkline.
 */
#define VT_PX_FIXED	59
void vt_px_title(const struct dvk_model *m, char *buf, size_t len);
void vt_px_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
		       size_t len);
void vt_px_header(int hist_width, int raw, char *buf, size_t len);
void vt_px_row(const struct dvk_px_row *r, int raw, int hist_width, int utf8, char *buf,
	       size_t len);
/* The last error of r's pair as text ("node 1 px 1: EDVSNOTCONN (-64): ..."),
 * shown under the TUI's rows; returns 0 (buf untouched) if it has none. */
int vt_px_error(const struct dvk_px_row *r, char *buf, size_t len);

/*
 * The Waits screen (screen_waits.c): title (batch), status line (TUI),
 * column titles; a line is VT_WAIT_FIXED characters of columns, then the
 * tree glyphs (utf8: box drawing, else ASCII "|- " "`- " "|  "), then the
 * label "ep@node name".  A cycle's line is only its label, "deadlock: ...".
 */
#define VT_WAIT_FIXED	39
void vt_wait_title(const struct dvk_model *m, char *buf, size_t len);
void vt_wait_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
			 size_t len);
void vt_wait_header(char *buf, size_t len);
void vt_wait_fixed(const struct dvk_wait_row *r, int raw, char *buf, size_t len);
void vt_wait_prefix(const struct dvk_wait_row *r, int utf8, char *buf, size_t len);
void vt_wait_label(const struct dvk_wait_row *r, char *buf, size_t len);
void vt_wait_row(const struct dvk_wait_row *r, int raw, int utf8, char *buf, size_t len);

#endif /* DVKTOP_VIEW_TEXT_H */
