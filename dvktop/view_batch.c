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
 * Plain text: the header, then each screen's section (screen.h) in the
 * order of dvk_screens[], blocks separated by one blank line.  Numbers are
 * exact (no k/M suffix).  JSON: the header members, then each screen's.
 *
 * JSON, one object per line:
 *   {"schema":"dvktop-json/1","time_ns":N,"real_ns":N,"time":"S","interval_s":F,
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
 * time_ns is CLOCK_MONOTONIC; real_ns the sample's CLOCK_REALTIME and time
 * the same as RFC 3339 UTC with ms (null when unknown); interval_s is 0 on
 * the first line.  The schema name changes only when a member is removed,
 * renamed or changes meaning (json.h).
 *
 * A replay (-r) prints the recording's samples one after the other without
 * sleeping (all, or the first -n), with the same rows; its text blocks
 * start with the line "REPLAY of ...", its JSON objects with the schema, then
 *   "replay":{"what":"S","sample":N,"of":N,"real_ns":N}
 * (sample counts from 1; real_ns is when the sample was taken), then the
 * members above: time_ns, real_ns and time are the sample's recorded ones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dvktop.h"
#include "json.h"
#include "replay.h"
#include "screen.h"

/* the object's first members: time, interval and the DVS header */
static void print_json_header(FILE *f, const struct dvk_model *m, const struct vt_replay *r)
{
	const struct dvk_dvs_info *d = &m->cur.dvs;

	fprintf(f, "{\"schema\":\"" DVKTOP_JSON_SCHEMA "\",");
	if (r) {
		fprintf(f, "\"replay\":{\"what\":");
		dvk_json_string(f, r->what);
		fprintf(f, ",\"sample\":%d,\"of\":%d,\"real_ns\":%llu},", r->index + 1, r->count,
			(unsigned long long)m->cur.real_ns);
	}
	/* a replay's wall-clock time is the sample's, not now */
	fprintf(f, "\"time_ns\":%llu,", (unsigned long long)m->cur.time_ns);
	dvk_json_walltime(f, m->cur.real_ns);
	fprintf(f, ",\"interval_s\":%.3f,\"dvs\":{\"state\":\"%s\"",
		m->interval_s, dvk_dvs_state_name(d->state));
	if (d->state == DVK_DVS_INITIALIZED) {
		fprintf(f, ",\"nodeid\":%d,\"name\":", d->nodeid);
		dvk_json_string(f, d->name);
		fprintf(f, ",\"nr_dcs\":%d,\"nr_nodes\":%d,\"max_nr_procs\":%d,\"max_nr_tasks\":%d,"
			"\"max_sys_procs\":%d,\"max_copy_buf\":%d,\"max_copy_len\":%d,"
			"\"version\":%d,\"flags\":%llu",
			d->nr_dcs, d->nr_nodes, d->max_nr_procs, d->max_nr_tasks, d->max_sys_procs,
			d->max_copy_buf, d->max_copy_len, d->version,
			(unsigned long long)d->flags);
	}
	fprintf(f, "}");
}

static void print_json(FILE *f, const struct dvk_model *m, const struct vt_replay *r)
{
	print_json_header(f, m, r);
	for (int i = 0; dvk_screens[i]; i++)
		dvk_screens[i]->write_json(f, m);
	fprintf(f, "}\n");
}

static void print_text(FILE *f, const struct dvk_model *m, const struct dvktop_config *cfg,
		       const struct vt_replay *r)
{
	struct vt_status st = { .delay_s = r ? m->interval_s : cfg->delay_s, .pid = cfg->pid,
				.real_ns = r ? m->cur.real_ns : 0 };
	char line[512];

	if (r) {
		vt_replay_line(m, r, 0, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	vt_header1(m, line, sizeof(line));
	fprintf(f, "%s\n", line);
	vt_header2(m, line, sizeof(line));
	fprintf(f, "%s\n", line);
	for (int i = 0; dvk_screens[i]; i++)
		dvk_screens[i]->write_text(f, m, &st);
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

/* One block (text) or line (JSON), flushed; 0, or -1 if stdout failed. */
static int print_sample(const struct dvk_model *m, const struct dvktop_config *cfg, long iter,
			const struct vt_replay *r)
{
	if (cfg->json) {
		print_json(stdout, m, r);
	} else {
		if (iter)
			putchar('\n');
		print_text(stdout, m, cfg, r);
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "dvktop: cannot write the output: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int dvktop_view_batch(struct dvk_source *src, const struct dvktop_config *cfg)
{
	uint64_t delay_ns = (uint64_t)(cfg->delay_s * 1e9);
	struct dvk_model *m = dvktop_model_new(cfg);
	struct dvk_sample *s = malloc(sizeof(*s));
	struct vt_replay replay = { 0 }, *r = NULL;
	int status = 0, rc;
	uint64_t next;

	if (!m || !s) {
		fprintf(stderr, "dvktop: out of memory\n");
		free(m);
		free(s);
		return 1;
	}
	if (delay_ns == 0)
		delay_ns = 1;
	if (dvk_replay_is(src)) {
		r = &replay;
		replay.what = dvk_replay_what(src);
		replay.start_real_ns = dvk_replay_real_ns(src, 0);
		replay.count = dvk_replay_count(src);
	}
	next = dvktop_now_ns();
	for (long iter = 0; !dvktop_stop; iter++) {
		rc = src->ops->sample(src, s);
		if (rc == -ENODATA && r)
			break;		/* the end of the recording */
		if (rc) {
			fprintf(stderr, "dvktop: %s\n", src->err);
			status = 1;
			break;
		}
		dvk_model_update(m, s);
		replay.index = (int)iter;
		if (print_sample(m, cfg, iter, r)) {
			status = 1;
			break;
		}
		if (cfg->iterations && iter + 1 >= cfg->iterations)
			break;
		if (r)
			continue;	/* a replay does not wait */
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
