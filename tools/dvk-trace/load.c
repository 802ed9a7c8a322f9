// SPDX-License-Identifier: GPL-2.0
/*
 * load.c - one capture (lib/dvkarchive) -> one node's dvk events.
 *
 * The trace is trace-cmd's trace.dat in trace clock mono: a record's
 * timestamp is the node's CLOCK_MONOTONIC; or (a flight trace) in another
 * trace clock, with the manifest's trace.clock_pairs to convert it.
 * Fields are read by name (the
 * format in the file), so a trace of a module that appended fields still
 * loads; a field this code wants and the file lacks reads as 0.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <trace-cmd.h>
#include <event-parse.h>

#include "dvkarchive/dvkarchive.h"
#include "dvk-trace.h"

enum fk { F_S32, F_S64, F_STR };

struct fdesc {
	const char *field;
	size_t off;
	enum fk kind;
};

#define S32(f, m) { f, offsetof(struct dt_event, m), F_S32 }
#define S64(f, m) { f, offsetof(struct dt_event, m), F_S64 }
#define RMT { S64("id", id), S64("val", val), S32("cmd", cmd), S32("dcid", dcid), \
	S32("src", src), S32("dst", dst), S32("node", peer) }

/* Which field goes where, per event (at most 8 fields each). */
static const struct {
	const char *event;
	struct fdesc f[8];
} layout[DT_NTYPES] = {
	[DT_CALL_ENTER] = { "dvk_call_enter", { S32("nr", nr) } },
	[DT_CALL_EXIT] = { "dvk_call_exit", { S32("nr", nr), S64("ret", val), S32("failed", flags) } },
	[DT_BIND] = { "dvk_bind", { S32("dcid", dcid), S32("endpoint", src), S32("pid", nr),
			{ "name", offsetof(struct dt_event, name), F_STR } } },
	[DT_UNBIND] = { "dvk_unbind", { S32("dcid", dcid), S32("endpoint", src), S32("pid", nr),
			{ "name", offsetof(struct dt_event, name), F_STR } } },
	[DT_MSG_SEND] = { "dvk_msg_send", { S64("id", id), S32("dcid", dcid), S32("src", src),
			S32("dst", dst), S32("queued", flags), S32("depth", val) } },
	[DT_MSG_RECEIVE] = { "dvk_msg_receive", { S64("id", id), S64("queued_ns", val),
			S32("dcid", dcid), S32("src", src), S32("dst", dst) } },
	[DT_NOTIFY] = { "dvk_notify", { S64("id", id), S32("dcid", dcid), S32("src", src),
			S32("dst", dst), S32("outcome", flags) } },
	[DT_BLOCK] = { "dvk_block", { S64("id", id), S64("timeout_ms", val), S32("dcid", dcid),
			S32("ep", src), S32("peer", dst), S32("flags", flags) } },
	[DT_WAKE] = { "dvk_wake", { S64("id", id), S64("result", val), S32("dcid", dcid),
			S32("ep", src), S32("peer", dst) } },
	[DT_RMT_ENQUEUE] = { "dvk_rmt_enqueue", RMT },
	[DT_RMT_GET] = { "dvk_rmt_get", RMT },
	[DT_RMT_PUT] = { "dvk_rmt_put", RMT },
	[DT_RMT_ACK] = { "dvk_rmt_ack", RMT },
};

struct loader {
	struct dt_node *n;
	struct tep_handle *tep;
	int ids[DT_NTYPES];			/* tracefs event id, -1 if absent */
	struct tep_format_field *fields[DT_NTYPES][8];
	int nomem;
};

static void read_field(const struct fdesc *d, struct tep_format_field *f,
		       struct tep_record *rec, struct dt_event *e)
{
	unsigned long long v = 0;
	char *p = (char *)e + d->off;

	if (d->kind == F_STR) {
		size_t len = f->size < 15 ? (size_t)f->size : 15;

		memcpy(p, (char *)rec->data + f->offset, len);
		p[len] = '\0';
		return;
	}
	if (tep_read_number_field(f, rec->data, &v))
		return;
	if (d->kind == F_S32) {
		int32_t x = (int32_t)v;

		memcpy(p, &x, sizeof(x));
	} else {
		int64_t x = (int64_t)v;

		memcpy(p, &x, sizeof(x));
	}
}

static int on_record(struct tracecmd_input *h, struct tep_record *rec, int cpu, void *data)
{
	struct loader *l = data;
	int id = tep_data_type(l->tep, rec), t, i;
	struct dt_event *e;

	(void)h;
	(void)cpu;
	if (rec->missed_events > 0)
		l->n->lost += rec->missed_events;
	for (t = 0; t < DT_NTYPES && l->ids[t] != id; t++)
		;
	if (t == DT_NTYPES)
		return 0;
	e = dt_node_add(l->n);
	if (!e) {
		l->nomem = 1;
		return -1;
	}
	e->mono = dt_trace_to_mono(l->n, (int64_t)rec->ts);
	e->node = l->n->node;
	e->type = t;
	e->pid = tep_data_pid(l->tep, rec);
	for (i = 0; i < 8 && layout[t].f[i].field; i++)
		if (l->fields[t][i])
			read_field(&layout[t].f[i], l->fields[t][i], rec, e);
	return 0;
}

static void find_events(struct loader *l)
{
	int t, i;

	for (t = 0; t < DT_NTYPES; t++) {
		struct tep_event *ev = tep_find_event_by_name(l->tep, "dvk", layout[t].event);

		l->ids[t] = ev ? ev->id : -1;
		for (i = 0; i < 8 && layout[t].f[i].field; i++)
			l->fields[t][i] = ev ? tep_find_field(ev, layout[t].f[i].field) : NULL;
	}
}

/* The comm of every pid that has events, while the trace is open. */
static int keep_comms(struct dt_node *n, struct tep_handle *tep)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		int pid = n->ev[i].pid;

		if (dt_comm(n, pid))
			continue;
		void *p = realloc(n->comms, (n->ncomm + 1) * sizeof(*n->comms));

		if (!p)
			return -ENOMEM;
		n->comms = p;
		n->comms[n->ncomm].pid = pid;
		snprintf(n->comms[n->ncomm].comm, sizeof(n->comms[0].comm), "%s",
			 tep_data_comm_from_pid(tep, pid));
		n->ncomm++;
	}
	return 0;
}

static int cmp_mono(const void *a, const void *b)
{
	const struct dt_event *x = a, *y = b;

	return (x->mono > y->mono) - (x->mono < y->mono);
}

/*
 * dvk-capture records into a tracefs instance of its own (read with
 * trace-cmd extract -B): its events are in a buffer instance of the file,
 * not the top one.
 */
static int read_instances(struct tracecmd_input *h, struct loader *l)
{
	int i, n = tracecmd_buffer_instances(h), rc = 0;

	for (i = 0; i < n && rc >= 0 && !l->nomem; i++) {
		struct tracecmd_input *b = tracecmd_buffer_instance_handle(h, i);

		if (!b)
			continue;
		rc = tracecmd_iterate_events(b, NULL, 0, on_record, l);
		tracecmd_close(b);
	}
	return rc;
}

static int read_trace(const char *file, struct dt_node *n, char *err, size_t errlen)
{
	struct loader l = { .n = n };
	struct tracecmd_input *h;
	int rc;

	h = tracecmd_open(file, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!h) {
		snprintf(err, errlen, "%s: not a trace-cmd file", file);
		return -EINVAL;
	}
	l.tep = tracecmd_get_tep(h);
	find_events(&l);
	if (l.ids[DT_CALL_EXIT] < 0 && l.ids[DT_MSG_SEND] < 0) {
		snprintf(err, errlen, "%s: no dvk events in the trace", file);
		tracecmd_close(h);
		return -EINVAL;
	}
	rc = tracecmd_iterate_events(h, NULL, 0, on_record, &l);
	if (rc >= 0 && !l.nomem)
		rc = read_instances(h, &l);
	if (l.nomem || (rc >= 0 && keep_comms(n, l.tep))) {
		snprintf(err, errlen, "%s: out of memory", file);
		tracecmd_close(h);
		return -ENOMEM;
	}
	tracecmd_close(h);
	/* per-CPU buffers merge in time order already; make sure (stable enough) */
	qsort(n->ev, n->n, sizeof(*n->ev), cmp_mono);
	return 0;
}

/* The manifest's clock pairs: the first and the last (realtime, monotonic). */
static void read_clocks(const struct dvk_capture *c, struct dt_node *n)
{
	struct json_object *a = dvk_manifest_get(c, "clocks");
	size_t len, i;

	n->nclk = 0;
	if (!a || !json_object_is_type(a, json_type_array))
		return;
	len = json_object_array_length(a);
	for (i = 0; i < len; i++) {
		struct json_object *p = json_object_array_get_idx(a, i), *rt, *mono;
		int k;

		if (!json_object_object_get_ex(p, "realtime_ns", &rt) ||
		    !json_object_object_get_ex(p, "monotonic_ns", &mono))
			continue;
		k = n->nclk == 0 ? 0 : 1;
		n->clk_rt[k] = json_object_get_int64(rt);
		n->clk_mono[k] = json_object_get_int64(mono);
		if (n->nclk < 2)
			n->nclk++;
	}
}

/* trace.clock_pairs: [{"trace_ns", "monotonic_ns", ...}]; how many, -1 out of memory */
static long read_trace_pairs(const struct dvk_capture *c, struct dt_node *n)
{
	struct json_object *a = dvk_manifest_get(c, "trace.clock_pairs");
	size_t len, i, k = 0;
	int64_t *t, *m;
	long rc;

	if (!a || !json_object_is_type(a, json_type_array))
		return 0;
	len = json_object_array_length(a);
	t = calloc(len + 1, sizeof(*t));
	m = calloc(len + 1, sizeof(*m));
	if (!t || !m) {
		free(t);
		free(m);
		return -1;
	}
	for (i = 0; i < len; i++) {
		struct json_object *p = json_object_array_get_idx(a, i), *tr, *mono;

		if (!json_object_object_get_ex(p, "trace_ns", &tr) ||
		    !json_object_object_get_ex(p, "monotonic_ns", &mono))
			continue;
		t[k] = json_object_get_int64(tr);
		m[k++] = json_object_get_int64(mono);
	}
	rc = dt_node_set_trace_pairs(n, t, m, k) ? -1 : (long)n->ntc;
	free(t);
	free(m);
	return rc;
}

int dt_load(const char *path, struct dt_node *n, char *err, size_t errlen)
{
	struct dvk_capture c;
	char file[8192];
	const char *clock;
	long npairs;
	int rc;

	memset(n, 0, sizeof(*n));
	n->offset_unc = -1;
	snprintf(n->path, sizeof(n->path), "%s", path);
	rc = dvk_capture_open(path, &c, err, errlen);
	if (rc)
		return rc;
	n->node = (int)dvk_manifest_i64(&c, "node.id", -1);
	snprintf(n->name, sizeof(n->name), "%s", dvk_manifest_str(&c, "node.name", ""));
	/* a flight archive's window starts at its trigger, but its ring holds
	 * the seconds before it too: its window starts at its first event */
	if (!strcmp(dvk_manifest_str(&c, "mode", "window"), "flight"))
		n->win_start = 0;
	else
		n->win_start = dvk_manifest_i64(&c, "window.start.monotonic_ns", 0);
	n->win_end = dvk_manifest_i64(&c, "window.end.monotonic_ns", 0);
	read_clocks(&c, n);
	clock = dvk_manifest_str(&c, "trace.clock", "mono");
	npairs = strcmp(clock, "mono") ? read_trace_pairs(&c, n) : 0;
	if (npairs < 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
	} else if (n->node < 0 || n->node >= DT_MAX_NODES) {
		snprintf(err, errlen, "%s: manifest has no node.id in 0..%d", path, DT_MAX_NODES - 1);
		rc = -EINVAL;
	} else if (strcmp(clock, "mono") && npairs == 0) {
		snprintf(err, errlen, "%s: trace.clock is %s and the manifest has no trace.clock_pairs to convert it",
			 path, clock);
		rc = -EINVAL;
	} else if (n->nclk == 0) {
		snprintf(err, errlen, "%s: manifest has no clock pairs", path);
		rc = -EINVAL;
	} else if (dvk_capture_member(&c, dvk_manifest_str(&c, "trace.file", "trace.dat"),
				      file, sizeof(file))) {
		snprintf(err, errlen, "%s: no trace file in the capture", path);
		rc = -ENOENT;
	} else {
		rc = read_trace(file, n, err, errlen);
	}
	dvk_capture_close(&c);
	return rc;
}
