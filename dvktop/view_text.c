// SPDX-License-Identifier: GPL-2.0
/*
 * view_text.c - the lines of dvktop's first screen as plain text, shared by
 * the TUI (view_tui.c) and plain batch mode (view_batch.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "libdvk.h"
#include "view_text.h"

/* Append to buf like snprintf, never past len. */
static void append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static void flags_text(uint64_t flags, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = {
		{ DVS_INITIALIZED, "INIT" },
		{ DVK_IPC, "IPC" },
		{ DVK_IOCTL, "IOCTL" },
		{ DVK_USERMODE, "USERMODE" },
	};

	snprintf(buf, len, "0x%llx", (unsigned long long)flags);
	if (!flags)
		return;
	append(buf, len, " (");
	for (size_t i = 0, n = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (flags & bits[i].bit)
			append(buf, len, "%s%s", n++ ? " " : "", bits[i].name);
	append(buf, len, ")");
}

void vt_header1(const struct dvk_model *m, char *buf, size_t len)
{
	const struct dvk_dvs_info *d = &m->cur.dvs;
	char flags[64];

	switch (d->state) {
	case DVK_DVS_INITIALIZED:
		flags_text(d->flags, flags, sizeof(flags));
		snprintf(buf, len, "dvktop %s  node %d \"%s\"  DVS version %d  flags %s",
			 DVKTOP_VERSION, d->nodeid, d->name, d->version, flags);
		break;
	case DVK_DVS_NOT_INITIALIZED:
		snprintf(buf, len, "dvktop %s  DVS not initialised", DVKTOP_VERSION);
		break;
	case DVK_DVS_NOT_LOADED:
	default:
		snprintf(buf, len, "dvktop %s  dvk.ko not loaded", DVKTOP_VERSION);
		break;
	}
}

void vt_header2(const struct dvk_model *m, char *buf, size_t len)
{
	const struct dvk_dvs_info *d = &m->cur.dvs;

	switch (d->state) {
	case DVK_DVS_INITIALIZED:
		snprintf(buf, len,
			 "dcs=%d nodes=%d procs=%d tasks=%d sysprocs=%d copybuf=%d copylen=%d",
			 d->nr_dcs, d->nr_nodes, d->max_nr_procs, d->max_nr_tasks,
			 d->max_sys_procs, d->max_copy_buf, d->max_copy_len);
		break;
	case DVK_DVS_NOT_INITIALIZED:
		snprintf(buf, len, "no /proc/dvs/info: dvk.ko is loaded, no dvs_init yet");
		break;
	case DVK_DVS_NOT_LOADED:
	default:
		snprintf(buf, len, "no %s: load dvk.ko to see DVK calls", DVK_DEVICE);
		break;
	}
}

/* the start of both status lines: local time, and PAUSED when paused */
static void status_prefix(const struct vt_status *st, char *buf, size_t len)
{
	char tbuf[16] = "--:--:--";
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	snprintf(buf, len, "%s", tbuf);
	if (st->paused)
		append(buf, len, "  PAUSED");
}

/* the middle of the status lines: interval, the table's sort and filter */
static void sort_and_filter(const struct dvk_table *t, const struct vt_status *st, char *buf,
			    size_t len)
{
	append(buf, len, "  interval %.1fs  sort %s %s", st->delay_s,
	       dvk_table_key_name(t->cls, t->sort), dvk_table_descending(t) ? "desc" : "asc");
	if (t->filter[0])
		append(buf, len, "  filter \"%s\"", t->filter);
}

void vt_status_line(const struct dvk_model *m, const struct vt_status *st, char *buf, size_t len)
{
	char rate[16];

	status_prefix(st, buf, len);
	sort_and_filter(&m->calls, st, buf, len);
	if (st->pid)
		append(buf, len, "  pid %d", st->pid);
	dvk_fmt_rate(m->total_rate, 0, rate, sizeof(rate));
	append(buf, len, "  calls %llu (%s/s) err %llu", (unsigned long long)m->total_count,
	       rate, (unsigned long long)m->total_errors);
}

void vt_table_header(char *buf, size_t len)
{
	snprintf(buf, len, "%-*s %*s %*s %*s %*s %*s %*s %*s %*s",
		 VT_W_CALL, "CALL", VT_W_NR, "NR", VT_W_COUNT, "COUNT", VT_W_RATE, "RATE/s",
		 VT_W_ERRORS, "ERRORS", VT_W_ERRPCT, "ERR%", VT_W_NS, "P50", VT_W_NS, "P99",
		 VT_W_NS, "AVG");
}

static const char *ns_or_dash(uint64_t ns, char *buf, size_t len)
{
	if (!ns)
		return "-";
	return dvk_fmt_ns(ns, buf, len);
}

void vt_table_row(const struct dvk_row *r, int raw, char *buf, size_t len)
{
	char nr[16], count[32], rate[32], errors[32], p50[16], p99[16], avg[16];

	if (r->nr >= DVK_NR_CALLS)
		snprintf(nr, sizeof(nr), "-");
	else
		snprintf(nr, sizeof(nr), "%d", r->nr);
	if (raw) {
		snprintf(count, sizeof(count), "%llu", (unsigned long long)r->count);
		snprintf(rate, sizeof(rate), "%.1f", r->rate);
		snprintf(errors, sizeof(errors), "%llu", (unsigned long long)r->errors);
	} else {
		dvk_fmt_count(r->count, VT_W_COUNT, count, sizeof(count));
		dvk_fmt_rate(r->rate, VT_W_RATE, rate, sizeof(rate));
		dvk_fmt_count(r->errors, VT_W_ERRORS, errors, sizeof(errors));
	}
	snprintf(buf, len, "%-*.*s %*s %*s %*s %*s %*.1f %*s %*s %*s",
		 VT_W_CALL, VT_W_CALL, r->name, VT_W_NR, nr, VT_W_COUNT, count,
		 VT_W_RATE, rate, VT_W_ERRORS, errors, VT_W_ERRPCT, r->err_pct,
		 VT_W_NS, ns_or_dash(r->p50_ns, p50, sizeof(p50)),
		 VT_W_NS, ns_or_dash(r->p99_ns, p99, sizeof(p99)),
		 VT_W_NS, ns_or_dash(r->avg_ns, avg, sizeof(avg)));
}

void vt_bindwaits_title(const struct dvk_sample *s, char *buf, size_t len)
{
	if (s->bindwaits_total < 0)
		snprintf(buf, len, "BIND WAITS: /sys/kernel/debug/dvk/bindwaits unreadable");
	else
		snprintf(buf, len, "BIND WAITS (%d process%s in wait4bind)", s->bindwaits_total,
			 s->bindwaits_total == 1 ? "" : "es");
}

void vt_bindwaits_header(char *buf, size_t len)
{
	snprintf(buf, len, "%7s %-16s %4s %-6s %6s %10s %10s", "PID", "COMM", "DC", "OPER",
		 "TARGET", "WAITED", "TIMEOUT");
}

void vt_bindwaits_row(const struct dvk_bindwait_row *r, char *buf, size_t len)
{
	char target[16], waited[16], timeout[16];

	if (r->target == SELF)
		snprintf(target, sizeof(target), "SELF");
	else
		snprintf(target, sizeof(target), "%d", r->target);
	dvk_fmt_ns(r->waited_ms * 1000000ULL, waited, sizeof(waited));
	if (r->timeout_ms < 0)
		snprintf(timeout, sizeof(timeout), "forever");
	else
		dvk_fmt_ns((uint64_t)r->timeout_ms * 1000000ULL, timeout, sizeof(timeout));
	snprintf(buf, len, "%7d %-16.16s %4d %-6s %6s %10s %10s", r->pid, r->comm, r->dcid,
		 r->oper == WAIT_BIND ? "bind" : "unbind", target, waited, timeout);
}

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

	status_prefix(st, buf, len);
	sort_and_filter(&m->eps, st, buf, len);
	dvk_fmt_rate(m->ep_in_rate, 0, rate, sizeof(rate));
	if (m->cur.endpoints_total < 0)
		append(buf, len, "  endpoints: debugfs unreadable");
	else
		append(buf, len, "  endpoints %d  queued %d  msgs %s/s", m->cur.endpoints_total,
		       m->ep_queued, rate);
}

#define VT_EP_FMT "%2s %5s %7s %-5s %5s %6s %6s %6s %4s %6s %7s %s"

void vt_ep_header(char *buf, size_t len)
{
	snprintf(buf, len, VT_EP_FMT, "DC", "EP", "PID", "FLAGS", "QUEUE", "OLDEST", "IN/s",
		 "OUT/s", "NTFY", "COPIED", "AVGWAIT", "NAME");
}

/* A wait in ms in at most 6 characters: 318ms, 12.5s, 95m, 30h. */
static void fmt_ms(int64_t ms, char *buf, size_t len)
{
	if (ms < 0)
		snprintf(buf, len, "-");
	else if (ms < 1000)
		snprintf(buf, len, "%lldms", (long long)ms);
	else if (ms < 100000)
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
	else if (ms < 6000000)
		snprintf(buf, len, "%lldm", (long long)(ms / 60000));
	else
		snprintf(buf, len, "%lldh", (long long)(ms / 3600000));
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
		if (r->e.oldest_ms < 0)
			snprintf(oldest, sizeof(oldest), "-");
		else
			snprintf(oldest, sizeof(oldest), "%lldms", (long long)r->e.oldest_ms);
		snprintf(in, sizeof(in), "%.1f", r->in_rate);
		snprintf(out, sizeof(out), "%.1f", r->out_rate);
		snprintf(copied, sizeof(copied), "%llu", (unsigned long long)r->e.bytes_copied);
	} else {
		fmt_ms(r->e.oldest_ms, oldest, sizeof(oldest));
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

	status_prefix(st, buf, len);
	sort_and_filter(&m->pxs, st, buf, len);
	if (m->cur.pairs_total < 0) {
		append(buf, len, "  proxies: debugfs unreadable");
		return;
	}
	dvk_fmt_rate(m->px_out_bps, 6, out, sizeof(out));
	dvk_fmt_rate(m->px_in_bps, 6, in, sizeof(in));
	/* fits 80 columns after the sort: up/peers, bytes/s each way, queued */
	append(buf, len, "  up %d/%d  B/s out %s in %s  queued %d", m->px_up, m->pxs.nall, out,
	       in, m->px_queued);
}

#define VT_PX_FMT "%4s %2s %-4s %6s %6s %6s %6s %5s %6s %5s"

void vt_px_header(int hist_width, int raw, char *buf, size_t len)
{
	snprintf(buf, len, VT_PX_FMT " %-*s", "NODE", "PX", "LINK", "OUT/s", "OUTB/s", "IN/s",
		 "INB/s", "QUEUE", "OLDEST", "ERRS", hist_width > 0 ? hist_width : 0,
		 hist_width >= 7 ? "HISTORY" : "");
	if (raw)
		append(buf, len, " %-11s %s", "LASTERR", "NAME");
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
		if (r->pair.oldest_ms < 0)
			snprintf(oldest, sizeof(oldest), "-");
		else
			snprintf(oldest, sizeof(oldest), "%lldms", (long long)r->pair.oldest_ms);
		snprintf(errs, sizeof(errs), "%llu", (unsigned long long)errors);
	} else {
		dvk_fmt_rate(r->out_rate, 6, outr, sizeof(outr));
		dvk_fmt_rate(r->out_bps, 6, outb, sizeof(outb));
		dvk_fmt_rate(r->in_rate, 6, inr, sizeof(inr));
		dvk_fmt_rate(r->in_bps, 6, inb, sizeof(inb));
		fmt_ms(r->pair.oldest_ms, oldest, sizeof(oldest));
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
		append(buf, len, " %-11s %s", e, r->has_pair ? r->pair.name : "-");
	}
}
