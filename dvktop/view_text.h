/* SPDX-License-Identifier: GPL-2.0 */
/*
 * view_text.h - the text of dvktop's header, status line and calls table,
 * shared by the TUI and plain batch mode so both show the same thing.
 * Every function writes one line (no newline) into buf, NUL-terminated.
 */
#ifndef DVKTOP_VIEW_TEXT_H
#define DVKTOP_VIEW_TEXT_H

#include <stddef.h>
#include "format.h"
#include "model.h"

/* Column layout of the calls table: 79 characters, fits 80 columns. */
#define VT_W_CALL	14
#define VT_W_NR		3
#define VT_W_COUNT	10
#define VT_W_RATE	9
#define VT_W_ERRORS	8
#define VT_W_ERRPCT	6
#define VT_W_NS		7
/* where the ERRORS and ERR% columns start and how wide they are together */
#define VT_ERR_COL	(VT_W_CALL + 1 + VT_W_NR + 1 + VT_W_COUNT + 1 + VT_W_RATE + 1)
#define VT_ERR_WIDTH	(VT_W_ERRORS + 1 + VT_W_ERRPCT)

struct vt_status {
	double delay_s;
	int pid;
	int paused;
};

/* Line 1: node, name, version, flags; or the state of the DVS. */
void vt_header1(const struct dvk_model *m, char *buf, size_t len);
/* Line 2: the DVS limits, or what is missing. */
void vt_header2(const struct dvk_model *m, char *buf, size_t len);
/* time, pause, interval, sort, filter, pid, totals */
void vt_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf, size_t len);
void vt_table_header(char *buf, size_t len);
/* raw: exact numbers that may widen the columns (batch); else fit the widths */
void vt_table_row(const struct dvk_row *r, int raw, char *buf, size_t len);

/* The Bind waits section: its title, column header and rows. */
void vt_bindwaits_title(const struct dvk_sample *s, char *buf, size_t len);
void vt_bindwaits_header(char *buf, size_t len);
void vt_bindwaits_row(const struct dvk_bindwait_row *r, char *buf, size_t len);

/*
 * The Endpoints view: title (batch), status line (TUI), column header and
 * rows.  Columns up to AVGWAIT take 70 characters; NAME comes last and is
 * clipped by the window.  raw: exact numbers (batch).
 */
void vt_ep_title(const struct dvk_model *m, char *buf, size_t len);
void vt_ep_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
		       size_t len);
void vt_ep_header(char *buf, size_t len);
void vt_ep_row(const struct dvk_ep_row *r, int raw, char *buf, size_t len);

/*
 * The Proxies view: title (batch), status line (TUI), column header and
 * rows.  The columns up to ERRS take VT_PX_FIXED characters, then the
 * throughput sparkline, hist_width cells (utf8: block glyphs, else ASCII).
 * raw (batch): exact numbers, and LASTERR and NAME after the sparkline.
 */
#define VT_PX_FIXED	59
void vt_px_title(const struct dvk_model *m, char *buf, size_t len);
void vt_px_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
		       size_t len);
void vt_px_header(int hist_width, int raw, char *buf, size_t len);
void vt_px_row(const struct dvk_px_row *r, int raw, int hist_width, int utf8, char *buf,
	       size_t len);

#endif /* DVKTOP_VIEW_TEXT_H */
