// SPDX-License-Identifier: GPL-2.0
/*
 * screen_waits.c - the Waits screen (screen.h): who waits on whom, the
 * wait-for graph of debugfs dvk/waits drawn as a tree (htop's tree view):
 * every waiter under the endpoint it waits on, cycles (deadlocks) first, in
 * red, each after a line naming it.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "screen.h"

void vt_wait_title(const struct dvk_model *m, char *buf, size_t len)
{
	char longest[24];

	vt_fmt_ms((int64_t)m->wait_longest_ms, longest, sizeof(longest));
	if (m->cur.waits_total < 0)
		snprintf(buf, len, "WAITS: /sys/kernel/debug/dvk/waits unreadable");
	else
		snprintf(buf, len, "WAITS (%d waiter%s, longest %s, %d cycle%s)", m->wait_waiters,
			 m->wait_waiters == 1 ? "" : "s", m->wait_waiters ? longest : "-",
			 m->wait_ncycles, m->wait_ncycles == 1 ? "" : "s");
}

void vt_wait_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
			 size_t len)
{
	char longest[24];

	vt_status_start(&m->waits, st, buf, len);
	if (m->cur.waits_total < 0) {
		vt_append(buf, len, "  waits: debugfs unreadable");
		return;
	}
	vt_fmt_ms(m->wait_waiters ? (int64_t)m->wait_longest_ms : -1, longest, sizeof(longest));
	/* cycles first: what matters most survives a narrow window */
	vt_append(buf, len, "  cycles %d waiters %d longest %s", m->wait_ncycles, m->wait_waiters,
		  longest);
}

#define VT_WAIT_FMT "%2s %7s %-8s %7s %10s "

void vt_wait_header(char *buf, size_t len)
{
	snprintf(buf, len, VT_WAIT_FMT "%s", "DC", "PID", "WAIT", "WAITED", "MSG_ID",
		 "EP@NODE NAME (under what it waits on)");
}

/* the columns before the tree */
void vt_wait_fixed(const struct dvk_wait_row *r, int raw, char *buf, size_t len)
{
	char dc[16], pid[16], waited[24], id[24];
	const char *kind = r->waits ? dvk_wait_kind_name(r->w.kind) : "-";

	snprintf(dc, sizeof(dc), "%d", r->dcid);
	if (r->pid > 0)
		snprintf(pid, sizeof(pid), "%d", r->pid);
	else
		snprintf(pid, sizeof(pid), "%s", r->remote ? "remote" : "-");
	if (r->waits && raw)
		vt_ms_raw((int64_t)r->w.waited_ms, waited, sizeof(waited));
	else
		vt_fmt_ms(r->waits ? (int64_t)r->w.waited_ms : -1, waited, sizeof(waited));
	if (r->waits && r->w.msg_id)
		snprintf(id, sizeof(id), "%llu", (unsigned long long)r->w.msg_id);
	else
		snprintf(id, sizeof(id), "-");
	snprintf(buf, len, VT_WAIT_FMT, dc, pid, kind ? kind : "?", waited, id);
}

/* the tree glyphs before the endpoint: a bar or a space per level, then a
 * tee or a corner; levels past DVK_WAIT_TREE_MAX as "+N " */
void vt_wait_prefix(const struct dvk_wait_row *r, int utf8, char *buf, size_t len)
{
	const char *bar = utf8 ? "\u2502  " : "|  ";
	const char *tee = utf8 ? "\u251c\u2500 " : "|- ";
	const char *corner = utf8 ? "\u2514\u2500 " : "`- ";

	buf[0] = '\0';
	if (r->depth == 0 || r->cycle_line)
		return;
	for (int k = 1; k < r->depth && k <= DVK_WAIT_TREE_MAX; k++)
		vt_append(buf, len, "%s", r->bar[k - 1] ? bar : "   ");
	if (r->depth - 1 > DVK_WAIT_TREE_MAX)
		vt_append(buf, len, "+%d ", r->depth - 1 - DVK_WAIT_TREE_MAX);
	vt_append(buf, len, "%s", r->last ? corner : tee);
}

/* the endpoint after the glyphs: "ep@node name", or the cycle's line */
void vt_wait_label(const struct dvk_wait_row *r, char *buf, size_t len)
{
	if (r->cycle_line) {
		if (r->text)
			snprintf(buf, len, "deadlock: %s", r->text);
		else
			snprintf(buf, len, "deadlock: cycle %d (too many cycles to name)",
				 r->cycle_line);
	} else if (r->node < 0) {
		snprintf(buf, len, "%d@? %s", r->ep, r->name);
	} else {
		snprintf(buf, len, "%d@%d %s", r->ep, r->node, r->name);
	}
}

/* the whole line (batch: ASCII glyphs); a cycle's line is only its label */
void vt_wait_row(const struct dvk_wait_row *r, int raw, int utf8, char *buf, size_t len)
{
	char prefix[DVK_WAIT_TREE_MAX * 12 + 16], label[DVK_WAIT_NAME_LEN + 32];

	vt_wait_label(r, label, sizeof(label));
	if (r->cycle_line) {
		snprintf(buf, len, "%s", label);
		return;
	}
	vt_wait_fixed(r, raw, buf, len);
	vt_wait_prefix(r, utf8, prefix, sizeof(prefix));
	vt_append(buf, len, "%s%s", prefix, label);
}

/* ------------------------------------------------------------------ */
/* TUI                                                                  */
/* ------------------------------------------------------------------ */
static void wait_header(const struct dvk_canvas *c, char *buf, size_t len)
{
	(void)c;
	vt_wait_header(buf, len);
}

static const char *wait_empty(const struct dvk_model *m)
{
	return m->cur.waits_total < 0 ?
		"  (/sys/kernel/debug/dvk/waits unreadable: root, debugfs and a dvk.ko with it needed;"
		" or not in this recording)" :
	       m->wait_nomem ? "  (out of memory: no wait-for graph)" :
	       m->waits.filter[0] && m->waits.nall ? "  (no endpoint matches the filter)" :
		"  (nobody waits on anybody)";
}

/* cells of a UTF-8 string: its bytes that do not continue a sequence */
static int cells(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* a cycle's line and its members in red; the glyphs as they are when they fit */
static void wait_draw_row(const struct dvk_canvas *c, int y, const void *row)
{
	const struct dvk_wait_row *r = row;
	enum dvk_style style = r->cycle ? DVK_STYLE_ALERT : DVK_STYLE_NORMAL;
	char fixed[128], prefix[DVK_WAIT_TREE_MAX * 12 + 16], label[DVK_WAIT_NAME_LEN + 32];
	int x = VT_WAIT_FIXED, utf8 = c->utf8;

	vt_wait_label(r, label, sizeof(label));
	if (r->cycle_line) {
		c->put(c, y, 0, label, DVK_STYLE_ALERT, 0);
		return;
	}
	vt_wait_fixed(r, 0, fixed, sizeof(fixed));
	c->put(c, y, 0, fixed, style, 0);
	vt_wait_prefix(r, utf8, prefix, sizeof(prefix));
	if (utf8 && x + cells(prefix) >= c->cols) {	/* put() clips, put_glyphs() does not */
		utf8 = 0;
		vt_wait_prefix(r, 0, prefix, sizeof(prefix));
	}
	if (utf8)
		c->put_glyphs(c, y, x, prefix, style);
	else
		c->put(c, y, x, prefix, style, 0);
	c->put(c, y, x + cells(prefix), label, style, 0);
}

/* ------------------------------------------------------------------ */
/* Batch text and JSON                                                  */
/* ------------------------------------------------------------------ */
static void wait_text_row(const void *row, char *buf, size_t len)
{
	vt_wait_row(row, 1, 0, buf, len);
}

/* the section, when there is anything to say */
static void wait_write_text(FILE *f, const struct dvk_model *m, const struct vt_status *st)
{
	char line[512];

	(void)st;
	if (m->cur.waits_total != 0) {
		vt_wait_title(m, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (m->waits.nrows > 0) {
		vt_wait_header(line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	dvk_screen_text_rows(f, &m->waits, wait_text_row);
}

/* one endpoint of the graph; what it waits for is null when it does not wait */
static void wait_json_row(FILE *f, const struct dvk_wait_row *r)
{
	fprintf(f, "{\"dcid\":%d,\"ep\":%d,\"node\":%d,\"depth\":%d,\"cycle\":%d,\"pid\":%d,"
		"\"remote\":%s,\"name\":", r->dcid, r->ep, r->node, r->depth, r->cycle, r->pid,
		r->remote ? "true" : "false");
	dvk_json_string(f, r->name);
	if (!r->waits) {
		fprintf(f, ",\"kind\":null,\"peer\":null,\"peer_node\":-1,\"waited_ms\":0,"
			"\"msg_id\":0}");
		return;
	}
	fprintf(f, ",\"kind\":\"%s\",\"peer\":", dvk_wait_kind_name(r->w.kind));
	if (r->w.peer == ANY)
		fprintf(f, "null");
	else
		fprintf(f, "%d", r->w.peer);
	fprintf(f, ",\"peer_node\":%d,\"waited_ms\":%llu,\"msg_id\":%llu}", r->w.peer_node,
		(unsigned long long)r->w.waited_ms, (unsigned long long)r->w.msg_id);
}

static void wait_write_json(FILE *f, const struct dvk_model *m)
{
	int first = 1;

	fprintf(f, ",\"waits_total\":%d,\"waiters\":%d,\"longest_wait_ms\":%llu,\"waits\":[",
		m->cur.waits_total, m->wait_waiters, (unsigned long long)m->wait_longest_ms);
	for (int i = 0; i < m->waits.nrows; i++) {
		const struct dvk_wait_row *r = dvk_table_row(&m->waits, i);

		if (r->cycle_line)
			continue;
		fprintf(f, "%s", first ? "" : ",");
		wait_json_row(f, r);
		first = 0;
	}
	fprintf(f, "],\"cycles\":[");
	for (int c = 1; c <= m->wait_ncycles && c <= DVK_MAX_WAIT_CYCLES; c++) {
		fprintf(f, "%s{\"cycle\":%d,\"members\":%d,\"name\":", c > 1 ? "," : "", c,
			m->wait_cycles[c - 1].members);
		dvk_json_string(f, m->wait_cycles[c - 1].name);
		fprintf(f, "}");
	}
	fprintf(f, "]");
}

static const char *const wait_legend[] = {
	"WAIT           waits: send sendrec reply receive notify migrate (debugfs dvk/waits)",
	"EP@NODE NAME   waits: each waiter under what it waits on; red: a cycle (deadlock)",
	NULL,
};

const struct dvk_screen dvk_screen_waits = {
	.name = "Waits",
	.keys = "w",
	.nquick = 0,
	.legend = wait_legend,
	.table = offsetof(struct dvk_model, waits),
	.status = vt_wait_status_line,
	.header = wait_header,
	.empty = wait_empty,
	.draw_row = wait_draw_row,
	.write_text = wait_write_text,
	.write_json = wait_write_json,
};
