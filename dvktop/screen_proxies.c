// SPDX-License-Identifier: GPL-2.0
/*
 * screen_proxies.c - the Proxies screen (screen.h): one row per peer node,
 * the pxstats BPF program's traffic joined with the serving pair's line of
 * debugfs dvk/proxies, with a throughput sparkline.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "libdvk.h"
#include "screen.h"

/* Sparkline cells of the Proxies section in plain text (ASCII glyphs). */
#define BATCH_HIST	20

void vt_px_title(const struct dvk_model *m, char *buf, size_t len)
{
	const struct dvk_sample *s = &m->cur;

	if (s->pairs_total < 0)
		snprintf(buf, len, "PROXIES: /sys/kernel/debug/dvk/proxies unreadable");
	else
		snprintf(buf, len, "PROXIES (%d pair%s, %d peer%s, %d up, %d queued)",
			 s->pairs_total, s->pairs_total == 1 ? "" : "s", m->pxs.nall,
			 m->pxs.nall == 1 ? "" : "s", m->px_up, m->px_queued);
}

void vt_px_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
		       size_t len)
{
	char out[16], in[16];

	vt_status_start(&m->pxs, st, buf, len);
	if (m->cur.pairs_total < 0) {
		vt_append(buf, len, "  proxies: debugfs unreadable");
		return;
	}
	dvk_fmt_rate(m->px_out_bps, 6, out, sizeof(out));
	dvk_fmt_rate(m->px_in_bps, 6, in, sizeof(in));
	/* fits 80 columns after the sort: up/peers, bytes/s each way, queued */
	vt_append(buf, len, "  up %d/%d  B/s out %s in %s  queued %d", m->px_up, m->pxs.nall, out,
	       in, m->px_queued);
}

#define VT_PX_FMT "%4s %2s %-4s %6s %6s %6s %6s %5s %6s %5s"

void vt_px_header(int hist_width, int raw, char *buf, size_t len)
{
	snprintf(buf, len, VT_PX_FMT " %-*s", "NODE", "PX", "LINK", "OUT/s", "OUTB/s", "IN/s",
		 "INB/s", "QUEUE", "OLDEST", "ERRS", hist_width > 0 ? hist_width : 0,
		 hist_width >= 7 ? "HISTORY" : "");
	if (raw)
		vt_append(buf, len, " %-11s %s", "LASTERR", "NAME");
}

void vt_px_row(const struct dvk_px_row *r, int raw, int hist_width, int utf8, char *buf,
	       size_t len)
{
	char node[16], px[16], outr[32], outb[32], inr[32], inb[32], queue[16], oldest[24],
	     errs[32], hist[DVK_PX_HIST * 3 + 1];
	const char *link = dvk_px_link_name(r->link);
	uint64_t errors = r->pair.err_out + r->pair.err_in + r->pair.refused;

	if (r->node < 0)
		snprintf(node, sizeof(node), "?");
	else
		snprintf(node, sizeof(node), "%d", r->node);
	if (r->has_pair) {
		snprintf(px, sizeof(px), "%d", r->pair.px);
		snprintf(queue, sizeof(queue), "%d", r->pair.queue);
	} else {
		snprintf(px, sizeof(px), "-");
		snprintf(queue, sizeof(queue), "-");
	}
	if (raw) {
		snprintf(outr, sizeof(outr), "%.1f", r->out_rate);
		snprintf(outb, sizeof(outb), "%.0f", r->out_bps);
		snprintf(inr, sizeof(inr), "%.1f", r->in_rate);
		snprintf(inb, sizeof(inb), "%.0f", r->in_bps);
		vt_ms_raw(r->pair.oldest_ms, oldest, sizeof(oldest));
		snprintf(errs, sizeof(errs), "%llu", (unsigned long long)errors);
	} else {
		dvk_fmt_rate(r->out_rate, 6, outr, sizeof(outr));
		dvk_fmt_rate(r->out_bps, 6, outb, sizeof(outb));
		dvk_fmt_rate(r->in_rate, 6, inr, sizeof(inr));
		dvk_fmt_rate(r->in_bps, 6, inb, sizeof(inb));
		vt_fmt_ms(r->pair.oldest_ms, oldest, sizeof(oldest));
		dvk_fmt_count(errors, 5, errs, sizeof(errs));
	}
	if (hist_width > DVK_PX_HIST)
		hist_width = DVK_PX_HIST;
	dvk_sparkline(r->hist, r->nhist, hist_width, utf8, hist, sizeof(hist));
	snprintf(buf, len, VT_PX_FMT " %s", node, px, link, outr, outb, inr, inb, queue, oldest,
		 errs, hist);
	if (raw) {
		const char *e = r->pair.last_error ? dvk_errname((int)r->pair.last_error) : "-";
		char num[24];

		if (!e) {
			snprintf(num, sizeof(num), "%lld", (long long)r->pair.last_error);
			e = num;
		}
		vt_append(buf, len, " %-11s %s", e, r->has_pair ? r->pair.name : "-");
	}
}

/* ------------------------------------------------------------------ */
/* TUI                                                                  */
/* ------------------------------------------------------------------ */
/* Sparkline cells that fit after the fixed columns. */
static int px_hist_width(const struct dvk_canvas *c)
{
	int w = c->cols - VT_PX_FIXED - 1;

	return w < 0 ? 0 : w > DVK_PX_HIST ? DVK_PX_HIST : w;
}

static void px_header(const struct dvk_canvas *c, char *buf, size_t len)
{
	vt_px_header(px_hist_width(c), 0, buf, len);
}

static const char *px_empty(const struct dvk_model *m)
{
	return m->cur.pairs_total < 0 ?
		"  (/sys/kernel/debug/dvk/proxies unreadable: root and debugfs needed)" :
	       m->pxs.filter[0] && m->pxs.nall ? "  (no peer matches the filter)" :
		"  (no proxy pair, no traffic with other nodes)";
}

/*
 * A link that is not up stands out, so does a queue.  The fixed columns go
 * through put(); the sparkline after them may hold UTF-8 block glyphs (one
 * cell each), drawn as they are and clipped to the window by cell count.
 */
static void px_draw_row(const struct dvk_canvas *c, int y, const void *row)
{
	const struct dvk_px_row *r = row;
	int hw = px_hist_width(c);
	char line[512];

	vt_px_row(r, 0, 0, 0, line, sizeof(line));	/* no sparkline: drawn below */
	c->put(c, y, 0, line, r->link != DVK_LINK_UP ? DVK_STYLE_ALERT :
	       r->pair.queue > 0 ? DVK_STYLE_BOLD : DVK_STYLE_NORMAL, 0);
	if (hw > 0 && VT_PX_FIXED + 1 < c->cols && y < c->lines - 1) {
		char spark[DVK_PX_HIST * 3 + 1];

		dvk_sparkline(r->hist, r->nhist, hw, c->utf8, spark, sizeof(spark));
		c->put_glyphs(c, y, VT_PX_FIXED + 1, spark,
			      r->link == DVK_LINK_UP ? DVK_STYLE_GOOD : DVK_STYLE_NORMAL);
	}
}

/*
 * vt_px_error: the last error of row r's pair as text, for the lines under
 * the table ("node 1 px 1: EDVSNOTCONN (-64): ..."); 0 if it has none.
 */
int vt_px_error(const struct dvk_px_row *r, char *buf, size_t len)
{
	const struct dvk_pair *p = &r->pair;

	if (!r->has_pair || !p->last_error)
		return 0;
	snprintf(buf, len, "node %d px %d: %s (errors in %llu, out %llu, refused %llu)", r->node,
		 p->px, dvk_strerror((int)p->last_error), (unsigned long long)p->err_in,
		 (unsigned long long)p->err_out, (unsigned long long)p->refused);
	return 1;
}

/* Under the rows: the text of each shown pair's last error, so the ERRS count
 * says what went wrong without a trip to debugfs. */
static void px_draw_below(const struct dvk_canvas *c, const struct dvk_model *m, int y,
			  int bottom)
{
	char line[256];
	int n = 0;

	for (int i = 0; i < m->pxs.nrows && y + 2 + n < bottom; i++) {
		if (!vt_px_error(dvk_table_row(&m->pxs, i), line, sizeof(line)))
			continue;
		if (n == 0)
			c->put(c, y + 1, 0, "LAST ERRORS", DVK_STYLE_BOLD, 0);
		c->put(c, y + 2 + n++, 0, line, DVK_STYLE_ALERT, 0);
	}
}

/* ------------------------------------------------------------------ */
/* Batch text and JSON                                                  */
/* ------------------------------------------------------------------ */
static void px_text_row(const void *row, char *buf, size_t len)
{
	vt_px_row(row, 1, BATCH_HIST, 0, buf, len);
}

/* the section, when there is anything to say */
static void px_write_text(FILE *f, const struct dvk_model *m, const struct vt_status *st)
{
	char line[512];

	(void)st;
	if (m->cur.pairs_total != 0 || m->pxs.nall) {
		vt_px_title(m, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (m->pxs.nrows > 0) {
		vt_px_header(BATCH_HIST, 1, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	dvk_screen_text_rows(f, &m->pxs, px_text_row);
}

/* One row of the Proxies view; the pair's fields are 0 / -1 / "" without a pair. */
static void px_json_row(FILE *f, const void *row)
{
	const struct dvk_px_row *r = row;
	const struct dvk_pair *p = &r->pair;
	const char *e = dvk_errname((int)p->last_error);
	const struct dvk_px_stat *bpf = &r->bpf;

	fprintf(f, "{\"node\":%d,\"px\":%d,\"name\":", r->node, p->px);
	dvk_json_string(f, p->name);
	fprintf(f, ",\"state\":");
	dvk_json_string(f, p->state);
	fprintf(f, ",\"link\":\"%s\",\"out_rate\":%.3f,\"out_bps\":%.1f,\"in_rate\":%.3f,"
		"\"in_bps\":%.1f,\"err_rate\":%.3f,\"msgs_out\":%llu,\"bytes_out\":%llu,"
		"\"msgs_in\":%llu,\"bytes_in\":%llu,\"errors_in\":%llu,\"enqueued\":%llu,"
		"\"acks\":%llu,\"acks_late\":%llu,\"avg_wait_ns\":%llu,\"max_wait_ns\":%llu,"
		"\"queue\":%d,\"oldest_ms\":%lld,",
		dvk_px_link_name(r->link), r->out_rate, r->out_bps, r->in_rate, r->in_bps,
		r->err_rate, (unsigned long long)bpf->msgs_out, (unsigned long long)bpf->bytes_out,
		(unsigned long long)bpf->msgs_in, (unsigned long long)bpf->bytes_in,
		(unsigned long long)bpf->errors_in, (unsigned long long)bpf->enqueued,
		(unsigned long long)bpf->acks, (unsigned long long)bpf->acks_late,
		(unsigned long long)r->avg_wait_ns, (unsigned long long)bpf->wait_max_ns,
		p->queue, (long long)p->oldest_ms);
	fprintf(f, "\"pair\":{\"msgs_out\":%llu,\"bytes_out\":%llu,\"msgs_in\":%llu,"
		"\"bytes_in\":%llu,\"err_out\":%llu,\"err_in\":%llu,\"refused\":%llu,\"last_error\":%lld,"
		"\"last_error_name\":\"%s\",\"last_out_ms\":%lld,\"last_in_ms\":%lld},"
		"\"history_bps\":[",
		(unsigned long long)p->msgs_out, (unsigned long long)p->bytes_out,
		(unsigned long long)p->msgs_in, (unsigned long long)p->bytes_in,
		(unsigned long long)p->err_out, (unsigned long long)p->err_in,
		(unsigned long long)p->refused, (long long)p->last_error, p->last_error && e ? e : "",
		(long long)p->last_out_ms, (long long)p->last_in_ms);
	for (int k = 0; k < r->nhist; k++)
		fprintf(f, "%s%.1f", k ? "," : "", r->hist[k]);
	fprintf(f, "]}");
}

static void px_write_json(FILE *f, const struct dvk_model *m)
{
	fprintf(f, ",\"proxies_total\":%d", m->cur.pairs_total);
	dvk_screen_json_rows(f, "proxies", &m->pxs, px_json_row);
}

static const char *const px_legend[] = {
	"OUTB/s INB/s   proxies: bytes per second to / from the node (BPF)",
	"LINK ERRS      proxies: pair state; errors + dropped + refused (debugfs)",
	NULL,
};

const struct dvk_screen dvk_screen_proxies = {
	.name = "Proxies",
	.keys = "Px",
	.nquick = 3,
	.quick = { DVK_PX_SORT_NODE, DVK_PX_SORT_BYTES, DVK_PX_SORT_QUEUE },
	.quick_help = "proxies: sort by node, bytes/s, queue",
	.legend = px_legend,
	.table = offsetof(struct dvk_model, pxs),
	.status = vt_px_status_line,
	.header = px_header,
	.empty = px_empty,
	.draw_row = px_draw_row,
	.draw_below = px_draw_below,
	.write_text = px_write_text,
	.write_json = px_write_json,
};
