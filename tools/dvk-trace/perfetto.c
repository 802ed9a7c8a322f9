// SPDX-License-Identifier: GPL-2.0
/*
 * perfetto.c - the Chrome trace-event JSON that ui.perfetto.dev and
 * chrome://tracing open (docs/support.md, "Timelines in Perfetto").
 *
 * {"traceEvents":[...],"displayTimeUnit":"ns","otherData":{...}}, one event a
 * line: "M" events name a process per node and DC (pid node*1000+dcid+1; the
 * node's other threads: node*1000+999) and a thread per track (tid = track
 * number + 1); "X" slices for calls and blocked time; "s"/"f" pairs (same
 * id, "bp":"e") for each step of each message.  ts are microseconds from
 * otherData.base_realtime_ns, with three decimals (exact ns).  Per track the
 * events come in time order.  A flow end that no slice encloses (a call cut
 * by the window) gets a zero-length "X" mark there, so every arrow binds.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "libdvk.h"
#include "dvk-trace.h"

enum { IT_SLICE, IT_MARK, IT_FLOW_END, IT_FLOW_START };

struct item {
	int track, kind;
	int64_t t, dur;
	const void *p;		/* slice or hop */
	long flow;		/* flow id */
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->track != y->track)
		return x->track - y->track;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if ((x->kind <= IT_MARK) != (y->kind <= IT_MARK))
		return x->kind <= IT_MARK ? -1 : 1;	/* slices before the flows in them */
	if (x->dur != y->dur)
		return x->dur > y->dur ? -1 : 1;
	return (x->flow > y->flow) - (x->flow < y->flow);
}

static int pid_of(const struct dt_track *t)
{
	return t->node * 1000 + (t->dcid < 0 ? 999 : t->dcid + 1);
}

static struct json_object *ts_of(int64_t ns)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%" PRId64 ".%03" PRId64, ns / 1000, ns % 1000);
	return json_object_new_double_s((double)ns / 1000.0, buf);
}

static void emit(FILE *out, struct json_object *o, int *first)
{
	fprintf(out, "%s\n%s", *first ? "" : ",",
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	*first = 0;
	json_object_put(o);
}

static struct json_object *base_event(const char *ph, const char *name, int pid, int tid)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ph", json_object_new_string(ph));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "tid", json_object_new_int(tid));
	return o;
}

static void emit_meta(const struct dt_timeline *tl, const struct dt_join *j, FILE *out, int *first)
{
	size_t i, k;

	for (i = 0; i < j->ntracks; i++) {
		const struct dt_track *t = &j->tracks[i];
		struct json_object *o, *a;
		char name[128];

		for (k = 0; k < i && pid_of(&j->tracks[k]) != pid_of(t); k++)
			;
		if (k == i) {	/* the first track of its process names it */
			int ni = dt_node_index(tl, t->node);

			if (t->dcid < 0)
				snprintf(name, sizeof(name), "node %d %s: other threads", t->node,
					 tl->nodes[ni].name);
			else
				snprintf(name, sizeof(name), "node %d %s DC %d", t->node,
					 tl->nodes[ni].name, t->dcid);
			o = base_event("M", "process_name", pid_of(t), 0);
			a = json_object_new_object();
			json_object_object_add(a, "name", json_object_new_string(name));
			json_object_object_add(o, "args", a);
			emit(out, o, first);
			o = base_event("M", "process_sort_index", pid_of(t), 0);
			a = json_object_new_object();
			json_object_object_add(a, "sort_index", json_object_new_int(pid_of(t)));
			json_object_object_add(o, "args", a);
			emit(out, o, first);
		}
		o = base_event("M", "thread_name", pid_of(t), (int)i + 1);
		a = json_object_new_object();
		json_object_object_add(a, "name", json_object_new_string(t->name));
		json_object_object_add(o, "args", a);
		emit(out, o, first);
		o = base_event("M", "thread_sort_index", pid_of(t), (int)i + 1);
		a = json_object_new_object();
		json_object_object_add(a, "sort_index", json_object_new_int(t->dcid < 0 ? 100000 + t->pid : t->ep));
		json_object_object_add(o, "args", a);
		emit(out, o, first);
	}
}

static void emit_slice(const struct dt_join *j, const struct item *it, int64_t base, FILE *out,
		       int *first)
{
	const struct dt_slice *s = it->p;
	const struct dt_track *t = &j->tracks[it->track];
	struct json_object *o, *a = json_object_new_object();
	char name[64];

	if (s->kind == 0) {
		snprintf(name, sizeof(name), "%s", dvk_callname(s->begin->nr));
		json_object_object_add(a, "ret", json_object_new_int64(s->end->val));
		if (s->end->flags) {
			const char *e = dvk_errname((int)s->end->val);

			json_object_object_add(a, "error", json_object_new_string(e ? e : "?"));
		}
		json_object_object_add(a, "pid", json_object_new_int(s->begin->pid));
	} else {
		snprintf(name, sizeof(name), "blocked%s%s", s->begin->flags & 4 ? " sending" : "",
			 s->begin->flags & 8 ? " receiving" : "");
		json_object_object_add(a, "peer", json_object_new_int(s->begin->dst));
		json_object_object_add(a, "result", json_object_new_int64(s->end->val));
		if (s->begin->id)
			json_object_object_add(a, "msg", json_object_new_uint64(s->begin->id));
		if (s->end->id)
			json_object_object_add(a, "got", json_object_new_uint64(s->end->id));
	}
	o = base_event("X", name, pid_of(t), it->track + 1);
	json_object_object_add(o, "cat", json_object_new_string(s->kind ? "blocked" : "call"));
	json_object_object_add(o, "ts", ts_of(s->t - base));
	json_object_object_add(o, "dur", ts_of(s->dur));
	json_object_object_add(o, "args", a);
	emit(out, o, first);
}

static void emit_flow(const struct dt_join *j, const struct item *it, int64_t base, FILE *out,
		      int *first)
{
	const struct dt_hop *h = it->p;
	const struct dt_track *t = &j->tracks[it->track];
	int cross = h->from->node != h->to->node;
	struct json_object *o;
	char name[96];

	if (it->kind == IT_MARK) {	/* a zero-length slice for an arrow to bind to */
		const struct dt_event *e = it->t == h->from->t && it->track == h->from_track ?
					   h->from : h->to;

		o = base_event("X", "step (its call is cut by the window)", pid_of(t), it->track + 1);
		json_object_object_add(o, "cat", json_object_new_string("mark"));
		json_object_object_add(o, "ts", ts_of(e->t - base));
		json_object_object_add(o, "dur", ts_of(0));
		emit(out, o, first);
		return;
	}
	snprintf(name, sizeof(name), "%s %s", h->what, cross ? "(link)" : "");
	o = base_event(it->kind == IT_FLOW_START ? "s" : "f", name, pid_of(t), it->track + 1);
	json_object_object_add(o, "cat", json_object_new_string(cross ? "dvk.link" : "dvk.msg"));
	json_object_object_add(o, "id", json_object_new_int64(it->flow));
	json_object_object_add(o, "bp", json_object_new_string("e"));
	json_object_object_add(o, "ts", ts_of(it->t - base));
	{
		struct json_object *a = json_object_new_object();
		char id[40];

		snprintf(id, sizeof(id), "%" PRIu64, h->id);
		json_object_object_add(a, "msg", json_object_new_string(id));
		json_object_object_add(a, "node", json_object_new_int(cross && it->kind == IT_FLOW_END ?
								      h->to->node : h->from->node));
		json_object_object_add(o, "args", a);
	}
	emit(out, o, first);
}

/* Is T on TRACK inside one of the (sorted, nested) slices [lo, hi)? */
static int enclosed(const struct dt_join *j, size_t lo, size_t hi, int64_t t)
{
	size_t a = lo, b = hi, n;

	while (a < b) {		/* the first slice starting after t */
		size_t m = a + (b - a) / 2;

		if (j->slices[m].t <= t)
			a = m + 1;
		else
			b = m;
	}
	for (n = 0; a > lo && n < 64; n++) {
		const struct dt_slice *s = &j->slices[--a];

		if (s->t <= t && t <= s->t + s->dur)
			return 1;
	}
	return 0;
}

static int add_item(struct item **v, size_t *n, size_t *cap, struct item it)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8192;
		void *p = realloc(*v, c * sizeof(**v));

		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = it;
	return 0;
}

/* Slices, flow ends, and marks where an end has no slice around it. */
static struct item *collect(const struct dt_join *j, size_t *nitems, long *marks)
{
	size_t *first = calloc(j->ntracks + 1, sizeof(*first));
	struct item *v = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0, k;

	if (!first)
		return NULL;
	for (i = 0; i < j->nslices; i++)
		first[j->slices[i].track + 1] = i + 1;
	for (i = 1; i <= j->ntracks; i++)	/* first[t]..first[t+1]: track t's slices */
		if (first[i] < first[i - 1])
			first[i] = first[i - 1];
	for (i = 0; i < j->nslices && !rc; i++)
		rc = add_item(&v, &n, &cap, (struct item){ j->slices[i].track, IT_SLICE,
			j->slices[i].t, j->slices[i].dur, &j->slices[i], 0 });
	for (i = 0; i < j->nhops && !rc; i++) {
		const struct dt_hop *h = &j->hops[i];
		int tr[2] = { h->from_track, h->to_track };
		const struct dt_event *e[2] = { h->from, h->to };

		for (k = 0; k < 2 && !rc; k++) {
			rc = add_item(&v, &n, &cap, (struct item){ tr[k],
				k ? IT_FLOW_END : IT_FLOW_START, e[k]->t, 0, h, (long)i + 1 });
			if (!rc && !enclosed(j, first[tr[k]], first[tr[k] + 1], e[k]->t)) {
				rc = add_item(&v, &n, &cap, (struct item){ tr[k], IT_MARK, e[k]->t,
					0, h, 0 });
				(*marks)++;
			}
		}
	}
	free(first);
	if (rc) {
		free(v);
		return NULL;
	}
	qsort(v, n, sizeof(*v), cmp_item);
	*nitems = n;
	return v;
}

static struct json_object *node_data(const struct dt_timeline *tl, int k)
{
	const struct dt_node *n = &tl->nodes[k];
	const struct dt_offset *o = &tl->off[k];
	struct json_object *d = json_object_new_object(), *x;

	json_object_object_add(d, "node", json_object_new_int(n->node));
	json_object_object_add(d, "name", json_object_new_string(n->name));
	json_object_object_add(d, "archive", json_object_new_string(n->path));
	json_object_object_add(d, "events", json_object_new_int64((int64_t)n->n));
	json_object_object_add(d, "lost_events", json_object_new_int64(n->lost));
	json_object_object_add(d, "window_start_ns", json_object_new_int64(dt_node_time(n, n->win_start) - tl->base));
	json_object_object_add(d, "window_end_ns", json_object_new_int64(dt_node_time(n, n->win_end) - tl->base));
	json_object_object_add(d, "offset_ns", json_object_new_int64(o->offset));
	json_object_object_add(d, "uncertainty_ns", json_object_new_int64(o->uncertainty));
	json_object_object_add(d, "consistent", json_object_new_boolean(o->consistent));
	json_object_object_add(d, "crossings_out", json_object_new_int64(o->n_out));
	json_object_object_add(d, "crossings_in", json_object_new_int64(o->n_in));
	if (o->n_out && o->n_in) {
		x = json_object_new_array();
		json_object_array_add(x, json_object_new_int64(o->lo));
		json_object_array_add(x, json_object_new_int64(o->hi));
		json_object_object_add(d, "bounds_ns", x);
	}
	if (o->ntp_n) {
		x = json_object_new_object();
		json_object_object_add(x, "offset_ns", json_object_new_int64(o->ntp_offset));
		json_object_object_add(x, "delay_ns", json_object_new_int64(o->ntp_delay));
		json_object_object_add(x, "uncertainty_ns", json_object_new_int64((o->ntp_delay + 1) / 2));
		json_object_object_add(x, "samples", json_object_new_int64(o->ntp_n));
		json_object_object_add(d, "ntp_min_delay", x);
	}
	return d;
}

static struct json_object *other_data(const struct dt_timeline *tl, const struct dt_join *j,
				      size_t nitems, long marks)
{
	struct json_object *d = json_object_new_object(), *a = json_object_new_array(), *m;
	int k;

	json_object_object_add(d, "tool", json_object_new_string("dvk-trace"));
	json_object_object_add(d, "base_realtime_ns", json_object_new_int64(tl->base));
	json_object_object_add(d, "reference_node", json_object_new_int(tl->nodes[tl->ref].node));
	json_object_object_add(d, "clock_note", json_object_new_string(
		"offset_ns: node clock minus the reference node's (CLOCK_REALTIME), subtracted from its times"));
	for (k = 0; k < tl->nnodes; k++)
		json_object_array_add(a, node_data(tl, k));
	json_object_object_add(d, "nodes", a);
	m = json_object_new_object();
	json_object_object_add(m, "messages", json_object_new_int64((int64_t)j->nmsgs));
	json_object_object_add(m, "cross_node", json_object_new_int64(j->cross));
	json_object_object_add(m, "joined", json_object_new_int64(j->joined));
	json_object_object_add(m, "half_at_window_edge", json_object_new_int64(j->half_edge));
	json_object_object_add(m, "half_inside_window", json_object_new_int64(j->half_inside));
	json_object_object_add(m, "flows", json_object_new_int64((int64_t)j->nhops));
	json_object_object_add(m, "same_node_backwards_left_out", json_object_new_int64(j->backwards));
	json_object_object_add(d, "messages", m);
	m = json_object_new_object();
	json_object_object_add(m, "tracks", json_object_new_int64((int64_t)j->ntracks));
	json_object_object_add(m, "slices", json_object_new_int64((int64_t)j->nslices));
	json_object_object_add(m, "unmatched_dropped", json_object_new_int64(j->dropped_slices));
	json_object_object_add(m, "overlapping_dropped", json_object_new_int64(j->overlapping));
	json_object_object_add(m, "marks", json_object_new_int64(marks));
	json_object_object_add(m, "events_written", json_object_new_int64((int64_t)nitems));
	json_object_object_add(d, "slices", m);
	return d;
}

int dt_write_perfetto(const struct dt_timeline *tl, const struct dt_join *j, FILE *out)
{
	long marks = 0;
	size_t n = 0, i;
	struct item *v = collect(j, &n, &marks);
	struct json_object *od;
	int first = 1;

	if (!v && (j->nslices || j->nhops))
		return -1;
	fprintf(out, "{\"displayTimeUnit\":\"ns\",\"otherData\":");
	od = other_data(tl, j, n, marks);
	fprintf(out, "%s,\n\"traceEvents\":[", json_object_to_json_string_ext(od, JSON_C_TO_STRING_PLAIN));
	json_object_put(od);
	emit_meta(tl, j, out, &first);
	for (i = 0; i < n; i++) {
		if (v[i].kind == IT_SLICE)
			emit_slice(j, &v[i], tl->base, out, &first);
		else
			emit_flow(j, &v[i], tl->base, out, &first);
	}
	fprintf(out, "\n]}\n");
	free(v);
	return ferror(out) ? -1 : 0;
}
