// SPDX-License-Identifier: GPL-2.0
/*
 * view_batch.c - batch mode (-b): one block of plain text, or one JSON
 * object per line (--json), per iteration.
 *
 * The first iteration is printed and flushed as soon as the source is open
 * (the BPF program attached): scripts wait for that first line, then make
 * DVK calls, then read the counts of the last iteration.  The next
 * iterations follow every -d seconds on an absolute CLOCK_MONOTONIC
 * schedule, so they do not drift.
 *
 * Plain text: the header, the status line and the table of view_text.c,
 * blocks separated by one blank line.  Numbers are exact (no k/M suffix).
 *
 * JSON, one object per line:
 *   {"time_ns":N,"interval_s":F,
 *    "dvs":{"state":"initialized","nodeid":N,"name":"S","nr_dcs":N,"nr_nodes":N,
 *           "max_nr_procs":N,"max_nr_tasks":N,"max_sys_procs":N,"max_copy_buf":N,
 *           "max_copy_len":N,"version":N,"flags":N},
 *    "calls":[{"nr":N,"name":"S","count":N,"rate":F,"errors":N,"p50_ns":N,
 *              "p99_ns":N,"avg_ns":N,"err_rate":F,"err_pct":F},...],
 *    "bindwaits_total":N,"bindwaits":[...],
 *    "endpoints_total":N,"endpoints":[{"dcid":N,"ep":N,"pid":N,"name":"S","flags":N,
 *              "state":"S","queue":N,"oldest_ms":N,"ntfy":N,"msgs_in":N,"msgs_out":N,
 *              "bytes_copied":N,"sent":N,"received":N,"in_rate":F,"out_rate":F,
 *              "avg_wait_ns":N,"max_wait_ns":N},...],
 *    "proxies_total":N,"proxies":[{"node":N,"px":N,"name":"S","state":"S","link":"S",
 *              "out_rate":F,"out_bps":F,"in_rate":F,"in_bps":F,"err_rate":F,
 *              "msgs_out":N,"bytes_out":N,"msgs_in":N,"bytes_in":N,"errors_in":N,
 *              "enqueued":N,"acks":N,"acks_late":N,"avg_wait_ns":N,"max_wait_ns":N,
 *              "queue":N,"oldest_ms":N,"pair":{"msgs_out":N,"bytes_out":N,"msgs_in":N,
 *              "bytes_in":N,"err_out":N,"err_in":N,"refused":N,"last_error":N,"last_error_name":"S",
 *              "last_out_ms":N,"last_in_ms":N},"history_bps":[F,...]},...]}
 * (docs/dvktop.md describes every field).
 * "dvs" has only "state" when it is "not_initialized" or "not_loaded".
 * time_ns is CLOCK_MONOTONIC; interval_s is 0 on the first line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dvktop.h"
#include "json.h"
#include "libdvk.h"
#include "view_text.h"

/* Sparkline cells of the Proxies section in plain text (ASCII glyphs). */
#define BATCH_HIST	20

static void print_json_string(FILE *f, const char *s)
{
	char buf[512];
	size_t n = dvk_json_escape(s, buf, sizeof(buf));

	if (n < sizeof(buf)) {
		fprintf(f, "\"%s\"", buf);
	} else {
		char *big = malloc(n + 1);

		if (big) {
			dvk_json_escape(s, big, n + 1);
			fprintf(f, "\"%s\"", big);
			free(big);
		} else {
			fprintf(f, "\"\"");
		}
	}
}

/* One row of the Proxies view; the pair's fields are 0 / -1 / "" without a pair. */
static void print_json_proxy(FILE *f, const struct dvk_px_row *r, int i)
{
	const struct dvk_pair *p = &r->pair;
	const char *e = dvk_errname((int)p->last_error);
	const struct dvk_px_stat *st = &r->st;

	fprintf(f, "%s{\"node\":%d,\"px\":%d,\"name\":", i ? "," : "", r->node, p->px);
	print_json_string(f, p->name);
	fprintf(f, ",\"state\":");
	print_json_string(f, p->state);
	fprintf(f, ",\"link\":\"%s\",\"out_rate\":%.3f,\"out_bps\":%.1f,\"in_rate\":%.3f,"
		"\"in_bps\":%.1f,\"err_rate\":%.3f,\"msgs_out\":%llu,\"bytes_out\":%llu,"
		"\"msgs_in\":%llu,\"bytes_in\":%llu,\"errors_in\":%llu,\"enqueued\":%llu,"
		"\"acks\":%llu,\"acks_late\":%llu,\"avg_wait_ns\":%llu,\"max_wait_ns\":%llu,"
		"\"queue\":%d,\"oldest_ms\":%lld,",
		dvk_px_link_name(r->link), r->out_rate, r->out_bps, r->in_rate, r->in_bps,
		r->err_rate, (unsigned long long)st->msgs_out, (unsigned long long)st->bytes_out,
		(unsigned long long)st->msgs_in, (unsigned long long)st->bytes_in,
		(unsigned long long)st->errors_in, (unsigned long long)st->enqueued,
		(unsigned long long)st->acks, (unsigned long long)st->acks_late,
		(unsigned long long)r->avg_wait_ns, (unsigned long long)st->wait_max_ns,
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

static void print_json(FILE *f, const struct dvk_model *m)
{
	const struct dvk_dvs_info *d = &m->cur.dvs;

	fprintf(f, "{\"time_ns\":%llu,\"interval_s\":%.3f,\"dvs\":{\"state\":\"%s\"",
		(unsigned long long)m->cur.time_ns, m->interval_s, dvk_dvs_state_name(d->state));
	if (d->state == DVK_DVS_INITIALIZED) {
		fprintf(f, ",\"nodeid\":%d,\"name\":", d->nodeid);
		print_json_string(f, d->name);
		fprintf(f, ",\"nr_dcs\":%d,\"nr_nodes\":%d,\"max_nr_procs\":%d,\"max_nr_tasks\":%d,"
			"\"max_sys_procs\":%d,\"max_copy_buf\":%d,\"max_copy_len\":%d,"
			"\"version\":%d,\"flags\":%llu",
			d->nr_dcs, d->nr_nodes, d->max_nr_procs, d->max_nr_tasks, d->max_sys_procs,
			d->max_copy_buf, d->max_copy_len, d->version,
			(unsigned long long)d->flags);
	}
	fprintf(f, "},\"calls\":[");
	for (int i = 0; i < m->calls.nrows; i++) {
		const struct dvk_row *r = &m->call_rows[i];

		fprintf(f, "%s{\"nr\":%d,\"name\":", i ? "," : "", r->nr);
		print_json_string(f, r->name);
		fprintf(f, ",\"count\":%llu,\"rate\":%.3f,\"errors\":%llu,\"p50_ns\":%llu,"
			"\"p99_ns\":%llu,\"avg_ns\":%llu,\"err_rate\":%.3f,\"err_pct\":%.2f}",
			(unsigned long long)r->count, r->rate, (unsigned long long)r->errors,
			(unsigned long long)r->p50_ns, (unsigned long long)r->p99_ns,
			(unsigned long long)r->avg_ns, r->err_rate, r->err_pct);
	}
	fprintf(f, "],\"bindwaits_total\":%d,\"bindwaits\":[", m->cur.bindwaits_total);
	for (int i = 0; i < m->cur.nbindwaits; i++) {
		const struct dvk_bindwait_row *b = &m->cur.bindwaits[i];

		fprintf(f, "%s{\"pid\":%d,\"comm\":", i ? "," : "", b->pid);
		print_json_string(f, b->comm);
		fprintf(f, ",\"dcid\":%d,\"oper\":\"%s\",\"target\":%d,\"waited_ms\":%llu,"
			"\"timeout_ms\":%lld}", b->dcid, b->oper == WAIT_BIND ? "bind" : "unbind",
			b->target, (unsigned long long)b->waited_ms, (long long)b->timeout_ms);
	}
	fprintf(f, "],\"endpoints_total\":%d,\"endpoints\":[", m->cur.endpoints_total);
	for (int i = 0; i < m->eps.nrows; i++) {
		const struct dvk_ep_row *r = &m->ep_rows[i];

		fprintf(f, "%s{\"dcid\":%d,\"ep\":%d,\"pid\":%d,\"name\":", i ? "," : "",
			r->e.dcid, r->e.ep, r->e.pid);
		print_json_string(f, r->e.name);
		fprintf(f, ",\"flags\":%u,\"state\":", r->e.flags);
		print_json_string(f, r->e.state);
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
	fprintf(f, "],\"proxies_total\":%d,\"proxies\":[", m->cur.pairs_total);
	for (int i = 0; i < m->pxs.nrows; i++)
		print_json_proxy(f, &m->px_rows[i], i);
	fprintf(f, "]}\n");
}

static void print_text(FILE *f, const struct dvk_model *m, const struct dvktop_config *cfg)
{
	struct vt_status st = { .delay_s = cfg->delay_s, .pid = cfg->pid, .paused = 0 };
	char line[512];

	vt_header1(m, line, sizeof(line));
	fprintf(f, "%s\n", line);
	vt_header2(m, line, sizeof(line));
	fprintf(f, "%s\n", line);
	vt_status_line(m, &st, line, sizeof(line));
	fprintf(f, "%s\n", line);
	vt_table_header(line, sizeof(line));
	fprintf(f, "%s\n", line);
	for (int i = 0; i < m->calls.nrows; i++) {
		vt_table_row(&m->call_rows[i], 1, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	/* no blank line: blocks are separated by one (scripts rely on it) */
	if (m->cur.bindwaits_total != 0) {
		vt_bindwaits_title(&m->cur, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (m->cur.nbindwaits > 0) {
		vt_bindwaits_header(line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	for (int i = 0; i < m->cur.nbindwaits; i++) {
		vt_bindwaits_row(&m->cur.bindwaits[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	/* the Endpoints view, when there is anything to say */
	if (m->cur.endpoints_total != 0) {
		vt_ep_title(m, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (m->eps.nrows > 0) {
		vt_ep_header(line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	for (int i = 0; i < m->eps.nrows; i++) {
		vt_ep_row(&m->ep_rows[i], 1, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	/* the Proxies view, when there is anything to say */
	if (m->cur.pairs_total != 0 || m->pxs.nall) {
		vt_px_title(m, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (m->pxs.nrows > 0) {
		vt_px_header(BATCH_HIST, 1, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	for (int i = 0; i < m->pxs.nrows; i++) {
		vt_px_row(&m->px_rows[i], 1, BATCH_HIST, 0, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

/* Sleep until the absolute CLOCK_MONOTONIC time t (ns); 0, or -1 if stopped. */
static int sleep_until(uint64_t t)
{
	struct timespec ts = {
		.tv_sec = (time_t)(t / 1000000000ull),
		.tv_nsec = (long)(t % 1000000000ull),
	};
	int rc;

	do {
		if (dvktop_stop)
			return -1;
		rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	} while (rc == EINTR);
	return dvktop_stop ? -1 : 0;
}

int dvktop_view_batch(struct dvk_source *src, const struct dvktop_config *cfg)
{
	uint64_t delay_ns = (uint64_t)(cfg->delay_s * 1e9);
	struct dvk_model *m;
	struct dvk_sample *s;
	uint64_t next;
	int status = 0;

	m = malloc(sizeof(*m));
	s = malloc(sizeof(*s));
	if (!m || !s) {
		fprintf(stderr, "dvktop: out of memory\n");
		free(m);
		free(s);
		return 1;
	}
	dvk_model_init(m);
	m->calls.sort = cfg->sort;
	m->calls.reverse = cfg->reverse;
	m->eps.sort = cfg->ep_sort;
	m->pxs.sort = cfg->px_sort;
	if (delay_ns == 0)
		delay_ns = 1;

	next = dvktop_now_ns();
	for (long iter = 0; !dvktop_stop; iter++) {
		if (src->ops->sample(src, s)) {
			fprintf(stderr, "dvktop: %s\n", src->err);
			status = 1;
			break;
		}
		dvk_model_update(m, s);
		if (cfg->json) {
			print_json(stdout, m);
		} else {
			if (iter)
				putchar('\n');
			print_text(stdout, m, cfg);
		}
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "dvktop: cannot write the output: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (cfg->iterations && iter + 1 >= cfg->iterations)
			break;
		next += delay_ns;
		if (next < dvktop_now_ns())	/* late (suspended?): no catch-up burst */
			next = dvktop_now_ns();
		if (sleep_until(next))
			break;
	}
	free(m);
	free(s);
	return status;
}
