// SPDX-License-Identifier: GPL-2.0
/*
 * sample_json.c - struct dvk_sample to one JSON line and back (the record
 * format of sample_json.h).
 *
 * The members of each row type are described once, in a field table
 * (name, width, signedness, offset): the writer and the parser both walk
 * the same tables, so a member cannot be written and not read back.
 * Writing uses stdio (as the -j writers do); parsing uses json-c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "json.h"
#include "model.h"
#include "sample_json.h"

enum ftype { F_INT, F_UINT, F_STR };

struct field {
	const char *name;
	enum ftype type;
	size_t off, size;
};

#define FLD(st, m, t)	{ #m, t, offsetof(st, m), sizeof(((st *)0)->m) }

#define DVS(m, t)	FLD(struct dvk_dvs_info, m, t)
static const struct field dvs_fields[] = {
	DVS(name, F_STR), DVS(nodeid, F_INT), DVS(nr_dcs, F_INT), DVS(nr_nodes, F_INT),
	DVS(max_nr_procs, F_INT), DVS(max_nr_tasks, F_INT), DVS(max_sys_procs, F_INT),
	DVS(max_copy_buf, F_INT), DVS(max_copy_len, F_INT), DVS(version, F_INT),
	DVS(flags, F_UINT),
};

#define BW(m, t)	FLD(struct dvk_bindwait_row, m, t)
static const struct field bw_fields[] = {
	BW(pid, F_INT), BW(comm, F_STR), BW(dcid, F_INT), BW(oper, F_INT), BW(target, F_INT),
	BW(waited_ms, F_UINT), BW(timeout_ms, F_INT),
};

#define EP(m, t)	FLD(struct dvk_endpoint, m, t)
static const struct field ep_fields[] = {
	EP(dcid, F_INT), EP(ep, F_INT), EP(pid, F_INT), EP(flags, F_UINT), EP(state, F_STR),
	EP(queue, F_INT), EP(ntfy, F_INT), EP(oldest_ms, F_INT), EP(msgs_in, F_UINT),
	EP(msgs_out, F_UINT), EP(bytes_copied, F_UINT), EP(name, F_STR),
};

#define EPS(m, t)	FLD(struct dvk_epstat, m, t)
static const struct field epstat_fields[] = {
	EPS(dcid, F_INT), EPS(ep, F_INT), EPS(sent, F_UINT), EPS(received, F_UINT),
	EPS(wait_total_ns, F_UINT), EPS(wait_max_ns, F_UINT),
};

#define PR(m, t)	FLD(struct dvk_pair, m, t)
static const struct field pair_fields[] = {
	PR(px, F_INT), PR(name, F_STR), PR(state, F_STR), PR(nodemap, F_UINT), PR(queue, F_INT),
	PR(oldest_ms, F_INT), PR(msgs_out, F_UINT), PR(bytes_out, F_UINT), PR(msgs_in, F_UINT),
	PR(bytes_in, F_UINT), PR(err_out, F_UINT), PR(err_in, F_UINT), PR(refused, F_UINT),
	PR(last_error, F_INT), PR(last_out_ms, F_INT), PR(last_in_ms, F_INT),
};

#define WT(m, t)	FLD(struct dvk_wait, m, t)
static const struct field wait_fields[] = {
	WT(dcid, F_INT), WT(ep, F_INT), WT(node, F_INT), WT(pid, F_INT), WT(kind, F_INT),
	WT(peer, F_INT), WT(peer_node, F_INT), WT(waited_ms, F_UINT), WT(msg_id, F_UINT),
	WT(name, F_STR),
};

#define PX(m)		FLD(struct dvk_px_stat, m, F_UINT)
static const struct field px_fields[] = {
	PX(msgs_out), PX(bytes_out), PX(wait_total_ns), PX(wait_max_ns), PX(msgs_in),
	PX(bytes_in), PX(errors_in), PX(enqueued), PX(acks), PX(acks_late),
};

#define CS(m)		FLD(struct dvk_call_stat, m, F_UINT)
static const struct field call_fields[] = { CS(count), CS(errors), CS(total_ns) };

#define NF(a)		(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */
static void write_fields(FILE *f, const void *obj, const struct field *fl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = (const char *)obj + fl[i].off;

		fprintf(f, "%s\"%s\":", i ? "," : "", fl[i].name);
		if (fl[i].type == F_STR) {
			char s[256];

			snprintf(s, sizeof(s), "%.*s", (int)fl[i].size, p);
			dvk_json_string(f, s);
		} else if (fl[i].type == F_INT) {
			int64_t v = 0;

			if (fl[i].size == 4) {
				int32_t v32;

				memcpy(&v32, p, 4);
				v = v32;
			} else {
				memcpy(&v, p, 8);
			}
			fprintf(f, "%" PRId64, v);
		} else {
			uint64_t v = 0;

			if (fl[i].size == 4) {
				uint32_t v32;

				memcpy(&v32, p, 4);
				v = v32;
			} else {
				memcpy(&v, p, 8);
			}
			fprintf(f, "%" PRIu64, v);
		}
	}
}

/* ,"name":[{...},...] of n rows of stride bytes */
static void write_rows(FILE *f, const char *name, const void *rows, int n, size_t stride,
		       const struct field *fl, size_t nf)
{
	fprintf(f, ",\"%s\":[", name);
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s{", i ? "," : "");
		write_fields(f, (const char *)rows + (size_t)i * stride, fl, nf);
		fprintf(f, "}");
	}
	fprintf(f, "]");
}

/* the call slots with count > 0; their histograms without the zeros around */
static void write_calls(FILE *f, const struct dvk_sample *s)
{
	int first = 1;

	fprintf(f, ",\"calls\":[");
	for (int nr = 0; nr < DVK_STAT_SLOTS; nr++) {
		const struct dvk_call_stat *c = &s->calls[nr];
		int lo = 0, hi = DVK_HIST_SLOTS;

		if (!c->count)
			continue;
		while (lo < hi && !c->hist[lo])
			lo++;
		while (hi > lo && !c->hist[hi - 1])
			hi--;
		fprintf(f, "%s{\"nr\":%d,", first ? "" : ",", nr);
		write_fields(f, c, call_fields, NF(call_fields));
		fprintf(f, ",\"hist_from\":%d,\"hist\":[", lo);
		for (int k = lo; k < hi; k++)
			fprintf(f, "%s%llu", k > lo ? "," : "", (unsigned long long)c->hist[k]);
		fprintf(f, "]}");
		first = 0;
	}
	fprintf(f, "]");
}

/* the pxstats slots that counted anything */
static void write_pxstats(FILE *f, const struct dvk_sample *s)
{
	static const struct dvk_px_stat zero;
	int first = 1;

	fprintf(f, ",\"pxstats\":[");
	for (int slot = 0; slot < DVK_PX_SLOTS; slot++) {
		if (!memcmp(&s->pxstats[slot], &zero, sizeof(zero)))
			continue;
		fprintf(f, "%s{\"slot\":%d,", first ? "" : ",", slot);
		write_fields(f, &s->pxstats[slot], px_fields, NF(px_fields));
		fprintf(f, "}");
		first = 0;
	}
	fprintf(f, "]");
}

int dvk_sample_write(FILE *f, const struct dvk_sample *s)
{
	fprintf(f, "{\"schema\":\"%s\",\"mono_ns\":%llu,\"real_ns\":%llu,\"dvs\":{\"state\":\"%s\",",
		DVK_SAMPLE_SCHEMA, (unsigned long long)s->time_ns, (unsigned long long)s->real_ns,
		dvk_dvs_state_name(s->dvs.state));
	write_fields(f, &s->dvs, dvs_fields, NF(dvs_fields));
	fprintf(f, "}");
	write_calls(f, s);
	fprintf(f, ",\"bindwaits_total\":%d", s->bindwaits_total);
	write_rows(f, "bindwaits", s->bindwaits, s->nbindwaits, sizeof(s->bindwaits[0]),
		   bw_fields, NF(bw_fields));
	fprintf(f, ",\"endpoints_total\":%d", s->endpoints_total);
	write_rows(f, "endpoints", s->endpoints, s->nendpoints, sizeof(s->endpoints[0]),
		   ep_fields, NF(ep_fields));
	write_rows(f, "epstats", s->epstats, s->nepstats, sizeof(s->epstats[0]),
		   epstat_fields, NF(epstat_fields));
	fprintf(f, ",\"pairs_total\":%d", s->pairs_total);
	write_rows(f, "pairs", s->pairs, s->npairs, sizeof(s->pairs[0]), pair_fields,
		   NF(pair_fields));
	write_pxstats(f, s);
	fprintf(f, ",\"waits_total\":%d", s->waits_total);
	write_rows(f, "waits", s->waits, s->nwaits, sizeof(s->waits[0]), wait_fields,
		   NF(wait_fields));
	fprintf(f, "}\n");
	return ferror(f) ? -(errno ? errno : EIO) : 0;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */
struct perr {
	char *buf;
	size_t len;
};

static int fail(struct perr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* an integer member into *v (absent: 0); where names the object */
static int get_int(struct json_object *o, const char *key, int64_t *v, int is_unsigned,
		   const char *where, struct perr *e)
{
	struct json_object *m;

	*v = 0;
	if (!json_object_object_get_ex(o, key, &m))
		return 0;
	if (!json_object_is_type(m, json_type_int))
		return fail(e, "%s.%s: not an integer", where, key);
	if (is_unsigned) {
		uint64_t u = json_object_get_uint64(m);

		if (json_object_get_int64(m) < 0)
			return fail(e, "%s.%s: negative", where, key);
		memcpy(v, &u, sizeof(u));
	} else {
		*v = json_object_get_int64(m);
	}
	return 0;
}

static int read_fields(struct json_object *o, void *obj, const struct field *fl, size_t n,
		       const char *where, struct perr *e)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(e, "%s: not an object", where);
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)obj + fl[i].off;
		struct json_object *m;
		int64_t v;

		if (fl[i].type == F_STR) {
			if (!json_object_object_get_ex(o, fl[i].name, &m))
				continue;
			if (!json_object_is_type(m, json_type_string))
				return fail(e, "%s.%s: not a string", where, fl[i].name);
			if ((size_t)json_object_get_string_len(m) >= fl[i].size)
				return fail(e, "%s.%s: longer than %zu bytes", where, fl[i].name,
					    fl[i].size - 1);
			memcpy(p, json_object_get_string(m), (size_t)json_object_get_string_len(m) + 1);
			continue;
		}
		if (get_int(o, fl[i].name, &v, fl[i].type == F_UINT, where, e))
			return -EINVAL;
		if (fl[i].size == 4) {
			int32_t v32 = (int32_t)v;

			if (fl[i].type == F_INT ? v != v32 : (uint64_t)v > UINT32_MAX)
				return fail(e, "%s.%s: %" PRId64 " out of range", where, fl[i].name, v);
			memcpy(p, &v32, 4);
		} else {
			memcpy(p, &v, 8);
		}
	}
	return 0;
}

/* the array member key (absent: no rows): its length into *n, <= max */
static int get_array(struct json_object *o, const char *key, int max, struct json_object **arr,
		     int *n, struct perr *e)
{
	*n = 0;
	*arr = NULL;
	if (!json_object_object_get_ex(o, key, arr))
		return 0;
	if (!json_object_is_type(*arr, json_type_array))
		return fail(e, "%s: not an array", key);
	if (json_object_array_length(*arr) > (size_t)max)
		return fail(e, "%s: %zu entries, at most %d", key, json_object_array_length(*arr),
			    max);
	*n = (int)json_object_array_length(*arr);
	return 0;
}

static int read_rows(struct json_object *o, const char *key, void *rows, int *n, int max,
		     size_t stride, const struct field *fl, size_t nf, struct perr *e)
{
	struct json_object *arr;
	char where[64];

	if (get_array(o, key, max, &arr, n, e))
		return -EINVAL;
	for (int i = 0; i < *n; i++) {
		snprintf(where, sizeof(where), "%s[%d]", key, i);
		if (read_fields(json_object_array_get_idx(arr, i), (char *)rows + (size_t)i * stride,
				fl, nf, where, e))
			return -EINVAL;
	}
	return 0;
}

/* an object of an array keyed by a slot number (0 <= slot < nslots) */
static int read_slot(struct json_object *o, const char *key, const char *where, int nslots,
		     int *slot, struct perr *e)
{
	int64_t v;
	struct json_object *m;

	if (!json_object_is_type(o, json_type_object))
		return fail(e, "%s: not an object", where);
	if (!json_object_object_get_ex(o, key, &m))
		return fail(e, "%s: no \"%s\"", where, key);
	if (get_int(o, key, &v, 0, where, e))
		return -EINVAL;
	if (v < 0 || v >= nslots)
		return fail(e, "%s.%s: %" PRId64 " out of range", where, key, v);
	*slot = (int)v;
	return 0;
}

static int read_hist(struct json_object *o, struct dvk_call_stat *c, const char *where,
		     struct perr *e)
{
	struct json_object *arr;
	int64_t from;
	int n;

	if (get_int(o, "hist_from", &from, 1, where, e) || get_array(o, "hist", DVK_HIST_SLOTS, &arr, &n, e))
		return -EINVAL;
	if (from + n > DVK_HIST_SLOTS)
		return fail(e, "%s: hist_from %" PRId64 " + %d slots > %d", where, from, n,
			    DVK_HIST_SLOTS);
	for (int k = 0; k < n; k++) {
		struct json_object *v = json_object_array_get_idx(arr, k);

		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
			return fail(e, "%s.hist[%d]: not a count", where, k);
		c->hist[from + k] = json_object_get_uint64(v);
	}
	return 0;
}

static int read_calls(struct json_object *o, struct dvk_sample *s, struct perr *e)
{
	struct json_object *arr;
	char where[32];
	int n, nr;

	if (get_array(o, "calls", DVK_STAT_SLOTS, &arr, &n, e))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(arr, i);

		snprintf(where, sizeof(where), "calls[%d]", i);
		if (read_slot(c, "nr", where, DVK_STAT_SLOTS, &nr, e))
			return -EINVAL;
		if (s->calls[nr].count)
			return fail(e, "%s: call %d twice", where, nr);
		if (read_fields(c, &s->calls[nr], call_fields, NF(call_fields), where, e) ||
		    read_hist(c, &s->calls[nr], where, e))
			return -EINVAL;
	}
	return 0;
}

static int read_pxstats(struct json_object *o, struct dvk_sample *s, struct perr *e)
{
	struct json_object *arr;
	char where[32];
	int n, slot;

	if (get_array(o, "pxstats", DVK_PX_SLOTS, &arr, &n, e))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(arr, i);

		snprintf(where, sizeof(where), "pxstats[%d]", i);
		if (read_slot(p, "slot", where, DVK_PX_SLOTS, &slot, e) ||
		    read_fields(p, &s->pxstats[slot], px_fields, NF(px_fields), where, e))
			return -EINVAL;
	}
	return 0;
}

static int read_dvs(struct json_object *o, struct dvk_dvs_info *d, struct perr *e)
{
	static const enum dvk_dvs_state states[] = {
		DVK_DVS_NOT_LOADED, DVK_DVS_NOT_INITIALIZED, DVK_DVS_INITIALIZED,
	};
	struct json_object *dvs, *st;

	if (!json_object_object_get_ex(o, "dvs", &dvs))
		return fail(e, "no \"dvs\"");
	if (read_fields(dvs, d, dvs_fields, NF(dvs_fields), "dvs", e))
		return -EINVAL;
	if (!json_object_object_get_ex(dvs, "state", &st) || !json_object_is_type(st, json_type_string))
		return fail(e, "dvs.state: missing or not a string");
	for (size_t i = 0; i < NF(states); i++)
		if (!strcmp(json_object_get_string(st), dvk_dvs_state_name(states[i]))) {
			d->state = states[i];
			return 0;
		}
	return fail(e, "dvs.state: unknown state '%s'", json_object_get_string(st));
}

/* a member int (a count that may be -1: the view unreadable) */
static int get_total(struct json_object *o, const char *key, int *v, struct perr *e)
{
	int64_t t;

	if (get_int(o, key, &t, 0, "sample", e))
		return -EINVAL;
	if (t < -1 || t > INT32_MAX)
		return fail(e, "%s: %" PRId64 " out of range", key, t);
	*v = (int)t;
	return 0;
}

/* the waits (added to dvktop-sample/1 later: absent means not recorded, -1) */
static int read_waits(struct json_object *o, struct dvk_sample *s, struct perr *e)
{
	struct json_object *m;

	s->waits_total = -1;
	if (json_object_object_get_ex(o, "waits_total", &m) &&
	    get_total(o, "waits_total", &s->waits_total, e))
		return -EINVAL;
	if (read_rows(o, "waits", s->waits, &s->nwaits, DVK_MAX_WAITS, sizeof(s->waits[0]),
		      wait_fields, NF(wait_fields), e))
		return -EINVAL;
	for (int i = 0; i < s->nwaits; i++)
		if (!dvk_wait_kind_name(s->waits[i].kind))
			return fail(e, "waits[%d].kind: %d is no kind", i, s->waits[i].kind);
	return 0;
}

static int read_sample(struct json_object *o, struct dvk_sample *s, struct perr *e)
{
	struct json_object *schema, *mono;
	int64_t v;

	if (!json_object_is_type(o, json_type_object))
		return fail(e, "not a JSON object");
	if (!json_object_object_get_ex(o, "schema", &schema) ||
	    !json_object_is_type(schema, json_type_string))
		return fail(e, "no \"schema\" (not a dvktop --record line)");
	if (strcmp(json_object_get_string(schema), DVK_SAMPLE_SCHEMA))
		return fail(e, "schema '%s' is not %s", json_object_get_string(schema),
			    DVK_SAMPLE_SCHEMA);
	if (!json_object_object_get_ex(o, "mono_ns", &mono))
		return fail(e, "no \"mono_ns\"");
	if (get_int(o, "mono_ns", &v, 1, "sample", e))
		return -EINVAL;
	s->time_ns = (uint64_t)v;
	if (get_int(o, "real_ns", &v, 1, "sample", e))
		return -EINVAL;
	s->real_ns = (uint64_t)v;
	if (read_dvs(o, &s->dvs, e) || read_calls(o, s, e) || read_pxstats(o, s, e) ||
	    get_total(o, "bindwaits_total", &s->bindwaits_total, e) ||
	    get_total(o, "endpoints_total", &s->endpoints_total, e) ||
	    get_total(o, "pairs_total", &s->pairs_total, e))
		return -EINVAL;
	if (read_rows(o, "bindwaits", s->bindwaits, &s->nbindwaits, DVK_MAX_BINDWAITS,
		      sizeof(s->bindwaits[0]), bw_fields, NF(bw_fields), e) ||
	    read_rows(o, "endpoints", s->endpoints, &s->nendpoints, DVK_MAX_ENDPOINTS,
		      sizeof(s->endpoints[0]), ep_fields, NF(ep_fields), e) ||
	    read_rows(o, "epstats", s->epstats, &s->nepstats, DVK_MAX_EPSTATS,
		      sizeof(s->epstats[0]), epstat_fields, NF(epstat_fields), e) ||
	    read_rows(o, "pairs", s->pairs, &s->npairs, DVK_MAX_PAIRS, sizeof(s->pairs[0]),
		      pair_fields, NF(pair_fields), e))
		return -EINVAL;
	return read_waits(o, s, e);
}

int dvk_sample_parse(const char *line, size_t len, struct dvk_sample *s, char *err,
		     size_t errlen)
{
	struct perr e = { err, errlen };
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!tok)
		return fail(&e, "out of memory");
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		rc = fail(&e, "not JSON: %s", je == json_tokener_continue ? "the line ends inside the object" :
			  json_tokener_error_desc(je));
	} else {
		size_t end = json_tokener_get_parse_end(tok);

		while (end < len && line[end] && strchr(" \t\r\n", line[end]))
			end++;
		rc = end == len ? read_sample(o, s, &e) : fail(&e, "text after the JSON object");
	}
	json_object_put(o);
	json_tokener_free(tok);
	return rc;
}
