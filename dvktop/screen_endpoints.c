// SPDX-License-Identifier: GPL-2.0
/*
 * screen_endpoints.c - the Endpoints screen (screen.h): one row per bound
 * endpoint, debugfs dvk/endpoints joined with the epstats BPF program.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "screen.h"

void vt_ep_title(const struct dvk_model *m, char *buf, size_t len)
{
	const struct dvk_sample *s = &m->cur;

	if (s->endpoints_total < 0)
		snprintf(buf, len, "ENDPOINTS: /sys/kernel/debug/dvk/endpoints unreadable");
	else
		snprintf(buf, len, "ENDPOINTS (%d bound, %d queued sender%s)", s->endpoints_total,
			 m->ep_queued, m->ep_queued == 1 ? "" : "s");
}

void vt_ep_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf,
		       size_t len)
{
	char rate[16];

	vt_status_start(&m->eps, st, buf, len);
	dvk_fmt_rate(m->ep_in_rate, 0, rate, sizeof(rate));
	if (m->cur.endpoints_total < 0)
		vt_append(buf, len, "  endpoints: debugfs unreadable");
	else
		vt_append(buf, len, "  endpoints %d  queued %d  msgs %s/s",
			  m->cur.endpoints_total, m->ep_queued, rate);
}

#define VT_EP_FMT "%2s %5s %7s %-5s %5s %6s %6s %6s %4s %6s %7s %s"

void vt_ep_header(char *buf, size_t len)
{
	snprintf(buf, len, VT_EP_FMT, "DC", "EP", "PID", "FLAGS", "QUEUE", "OLDEST", "IN/s",
		 "OUT/s", "NTFY", "COPIED", "AVGWAIT", "NAME");
}

void vt_ep_row(const struct dvk_ep_row *r, int raw, char *buf, size_t len)
{
	char dc[16], ep[16], pid[16], queue[16], oldest[24], in[32], out[32], ntfy[16],
	     copied[32], wait[16];

	snprintf(dc, sizeof(dc), "%d", r->e.dcid);
	snprintf(ep, sizeof(ep), "%d", r->e.ep);
	snprintf(pid, sizeof(pid), "%d", r->e.pid);
	snprintf(queue, sizeof(queue), "%d", r->e.queue);
	snprintf(ntfy, sizeof(ntfy), "%d", r->e.ntfy);
	if (raw) {
		vt_ms_raw(r->e.oldest_ms, oldest, sizeof(oldest));
		snprintf(in, sizeof(in), "%.1f", r->in_rate);
		snprintf(out, sizeof(out), "%.1f", r->out_rate);
		snprintf(copied, sizeof(copied), "%llu", (unsigned long long)r->e.bytes_copied);
	} else {
		vt_fmt_ms(r->e.oldest_ms, oldest, sizeof(oldest));
		dvk_fmt_rate(r->in_rate, 6, in, sizeof(in));
		dvk_fmt_rate(r->out_rate, 6, out, sizeof(out));
		dvk_fmt_count(r->e.bytes_copied, 6, copied, sizeof(copied));
	}
	if (r->received)
		dvk_fmt_ns(r->avg_wait_ns, wait, sizeof(wait));
	else
		snprintf(wait, sizeof(wait), "-");
	snprintf(buf, len, VT_EP_FMT, dc, ep, pid, r->e.state, queue, oldest, in, out, ntfy, copied,
		 wait, r->e.name);
}

/* ------------------------------------------------------------------ */
/* TUI                                                                  */
/* ------------------------------------------------------------------ */
static void ep_header(const struct dvk_canvas *c, char *buf, size_t len)
{
	(void)c;
	vt_ep_header(buf, len);
}

static const char *ep_empty(const struct dvk_model *m)
{
	return m->cur.endpoints_total < 0 ?
		"  (/sys/kernel/debug/dvk/endpoints unreadable: root and debugfs needed)" :
	       m->eps.filter[0] && m->eps.nall ? "  (no endpoint matches the filter)" :
		"  (no bound endpoint)";
}

/* a non-empty queue stands out */
static void ep_draw_row(const struct dvk_canvas *c, int y, const void *row)
{
	const struct dvk_ep_row *r = row;
	char line[512];

	vt_ep_row(r, 0, line, sizeof(line));
	c->put(c, y, 0, line, r->e.queue ? DVK_STYLE_ALERT : DVK_STYLE_NORMAL, 0);
}

/* ------------------------------------------------------------------ */
/* Batch text and JSON                                                  */
/* ------------------------------------------------------------------ */
static void ep_text_row(const void *row, char *buf, size_t len)
{
	vt_ep_row(row, 1, buf, len);
}

/* the section, when there is anything to say */
static void ep_write_text(FILE *f, const struct dvk_model *m, const struct vt_status *st)
{
	char line[512];

	(void)st;
	if (m->cur.endpoints_total != 0) {
		vt_ep_title(m, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (m->eps.nrows > 0) {
		vt_ep_header(line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	dvk_screen_text_rows(f, &m->eps, ep_text_row);
}

static void ep_json_row(FILE *f, const void *row)
{
	const struct dvk_ep_row *r = row;

	fprintf(f, "{\"dcid\":%d,\"ep\":%d,\"pid\":%d,\"name\":", r->e.dcid, r->e.ep, r->e.pid);
	dvk_json_string(f, r->e.name);
	fprintf(f, ",\"flags\":%u,\"state\":", r->e.flags);
	dvk_json_string(f, r->e.state);
	fprintf(f, ",\"queue\":%d,\"oldest_ms\":%lld,\"ntfy\":%d,\"msgs_in\":%llu,"
		"\"msgs_out\":%llu,\"bytes_copied\":%llu,\"sent\":%llu,\"received\":%llu,"
		"\"in_rate\":%.3f,\"out_rate\":%.3f,\"avg_wait_ns\":%llu,"
		"\"max_wait_ns\":%llu}",
		r->e.queue, (long long)r->e.oldest_ms, r->e.ntfy,
		(unsigned long long)r->e.msgs_in, (unsigned long long)r->e.msgs_out,
		(unsigned long long)r->e.bytes_copied, (unsigned long long)r->sent,
		(unsigned long long)r->received, r->in_rate, r->out_rate,
		(unsigned long long)r->avg_wait_ns, (unsigned long long)r->max_wait_ns);
}

static void ep_write_json(FILE *f, const struct dvk_model *m)
{
	fprintf(f, ",\"endpoints_total\":%d", m->cur.endpoints_total);
	dvk_screen_json_rows(f, "endpoints", &m->eps, ep_json_row);
}

static const char *const ep_legend[] = {
	"QUEUE OLDEST   queued senders, wait of the oldest (debugfs)",
	"IN/s OUT/s     messages per second (BPF); AVGWAIT mean queue wait",
	NULL,
};

const struct dvk_screen dvk_screen_endpoints = {
	.name = "Endpoints",
	.keys = "e",
	.nquick = 3,
	.quick = { DVK_EP_SORT_QUEUE, DVK_EP_SORT_OLDEST, DVK_EP_SORT_RATE },
	.quick_help = "endpoints: sort by queue, oldest wait, rate",
	.legend = ep_legend,
	.table = offsetof(struct dvk_model, eps),
	.status = vt_ep_status_line,
	.header = ep_header,
	.empty = ep_empty,
	.draw_row = ep_draw_row,
	.write_text = ep_write_text,
	.write_json = ep_write_json,
};
