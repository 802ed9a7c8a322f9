// SPDX-License-Identifier: GPL-2.0
/*
 * test_waits_view.c - host unit tests of dvktop's Waits screen: the model
 * built from the rows of debugfs dvk/waits of two nodes (merged), the
 * cycle's line first, roots named from dvk/endpoints, the tree glyphs
 * (ASCII and UTF-8, deep trees), the filter, the batch text section and
 * the -j members (parsed back with json-c), and why the screen is empty.
 * Linked with dvktop's pure-C files (the model, the screens, view_text.c),
 * libdvkview and libdvk.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "model.h"
#include "screen.h"
#include "view_text.h"
#include "check.h"

static struct dvk_sample s;
static struct dvk_model m;

static void add_wait(int ep, int node, int pid, int kind, int peer, int pnode, uint64_t ms,
		     uint64_t id, const char *name)
{
	struct dvk_wait *w = &s.waits[s.nwaits++];

	*w = (struct dvk_wait){ 0, ep, node, pid, kind, peer, pnode, ms, id, "" };
	snprintf(w->name, sizeof(w->name), "%s", name);
	s.waits_total = s.nwaits;
}

static void add_endpoint(int ep, int pid, const char *name)
{
	struct dvk_endpoint *e = &s.endpoints[s.nendpoints++];

	memset(e, 0, sizeof(*e));
	e->ep = ep;
	e->pid = pid;
	e->oldest_ms = -1;
	snprintf(e->name, sizeof(e->name), "%s", name);
	s.endpoints_total = s.nendpoints;
}

/*
 * Node 0's view plus the rows node 1 adds: the two-node cycle 3@0 <-> 5@1
 * (each node lists both: its own process and the other's stand-in), 7
 * waiting on 3, and the chain 10 -> 11 -> 12, 12 not waiting (bound here).
 */
static void fixture(void)
{
	memset(&s, 0, sizeof(s));
	s.dvs.state = DVK_DVS_INITIALIZED;
	s.time_ns = 1000000000;
	add_wait(3, 0, 103, DVK_WAIT_SENDREC, 5, 1, 4000, 77, "cyc-a");
	add_wait(5, 1, -1, DVK_WAIT_SENDREC, 3, 0, 3900, 78, "");
	add_wait(7, 0, 107, DVK_WAIT_SEND, 3, 0, 100, 79, "hanger");
	add_wait(10, 0, 110, DVK_WAIT_SENDREC, 11, 0, 2500, 80, "client");
	add_wait(11, 0, 111, DVK_WAIT_REPLY, 12, 0, 2000, 81, "middle");
	add_wait(5, 1, 205, DVK_WAIT_SENDREC, 3, 0, 3901, 78, "cyc-b");	/* node 1's */
	add_wait(3, 0, -1, DVK_WAIT_SENDREC, 5, 1, 3999, 77, "");
	add_endpoint(3, 103, "cyc-a");
	add_endpoint(12, 112, "server");
	dvk_model_init(&m);
	dvk_model_update(&m, &s);
}

static const struct dvk_wait_row *row(int i)
{
	return dvk_table_row(&m.waits, i);
}

static void test_model(void)
{
	static const char *const want[] = {
		"deadlock: 0/3@0 -> 0/5@1 -> 0/3@0",
		" 0     103 sendrec   4000ms         77 3@0 cyc-a",
		" 0     205 sendrec   3901ms         78 |- 5@1 cyc-b",
		" 0     107 send       100ms         79 `- 7@0 hanger",
		" 0     112 -              -          - 12@0 server",
		" 0     111 reply     2000ms         81 `- 11@0 middle",
		" 0     110 sendrec   2500ms         80    `- 10@0 client",
	};
	char line[512], hdr[512];
	int ok;

	fixture();
	ok = m.waits.nrows == 7;
	for (int i = 0; ok && i < 7; i++) {
		vt_wait_row(row(i), 1, 0, line, sizeof(line));
		if (strcmp(line, want[i])) {
			CHECK("waits view: the batch lines of the merged fixture", 0,
			      "line %d '%s', want '%s'", i, line, want[i]);
			ok = -1;
		}
	}
	if (ok >= 0)
		CHECK("waits view: the batch lines of the merged fixture", ok, "%d rows",
		      m.waits.nrows);
	CHECK("waits view: totals (5 waiters, longest 4000 ms, 1 cycle of 2)",
	      m.wait_waiters == 5 && m.wait_longest_ms == 4000 && m.wait_ncycles == 1 &&
	      m.wait_cycles[0].members == 2, "waiters %d longest %llu cycles %d members %d",
	      m.wait_waiters, (unsigned long long)m.wait_longest_ms, m.wait_ncycles,
	      m.wait_cycles[0].members);
	CHECK("waits view: the cycle's members marked, the hanger not",
	      row(0)->cycle_line == 1 && row(1)->cycle == 1 && row(2)->cycle == 1 &&
	      row(3)->cycle == 0 && row(4)->cycle == 0, "cycles %d %d %d %d", row(1)->cycle,
	      row(2)->cycle, row(3)->cycle, row(4)->cycle);
	vt_wait_header(hdr, sizeof(hdr));
	CHECK("waits view: columns line up with the header",
	      strstr(hdr, "WAIT") - hdr == strstr(want[1], "sendrec") - want[1] &&
	      strstr(hdr, "MSG_ID") + 6 - hdr == strstr(want[1], "77") + 2 - want[1] &&
	      strstr(hdr, "EP@NODE") - hdr == VT_WAIT_FIXED, "header '%s'", hdr);
}

/* root -> a (-> a1 -> a11), b; a chain deeper than the glyph levels */
static void test_glyphs(void)
{
	char p[256], u[256];

	memset(&s, 0, sizeof(s));
	add_wait(2, 0, 102, DVK_WAIT_SEND, 1, 0, 50, 0, "a");
	add_wait(3, 0, 103, DVK_WAIT_SEND, 2, 0, 40, 0, "a1");
	add_wait(4, 0, 104, DVK_WAIT_SEND, 3, 0, 30, 0, "a11");
	add_wait(5, 0, 105, DVK_WAIT_SEND, 1, 0, 20, 0, "b");
	dvk_model_init(&m);
	dvk_model_update(&m, &s);
	CHECK("waits view: root 1, a, a1, a11, b in that order", m.waits.nrows == 5 &&
	      row(0)->ep == 1 && row(1)->ep == 2 && row(2)->ep == 3 && row(3)->ep == 4 &&
	      row(4)->ep == 5, "%d rows", m.waits.nrows);
	vt_wait_prefix(row(3), 0, p, sizeof(p));
	vt_wait_prefix(row(3), 1, u, sizeof(u));
	CHECK("waits view: a bar where a later sibling follows, a corner for the last",
	      !strcmp(p, "|     `- ") && !strcmp(u, "\u2502     \u2514\u2500 "), "'%s' '%s'", p, u);
	vt_wait_prefix(row(1), 0, p, sizeof(p));
	vt_wait_prefix(row(4), 1, u, sizeof(u));
	CHECK("waits view: a tee before a later sibling", !strcmp(p, "|- ") &&
	      !strcmp(u, "\u2514\u2500 "), "'%s' '%s'", p, u);
	vt_wait_prefix(row(0), 1, p, sizeof(p));
	CHECK("waits view: no glyph on a root", p[0] == '\0', "'%s'", p);

	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 40; i++)
		add_wait(i, 0, 100 + i, DVK_WAIT_SEND, i + 1, 0, 10, 0, "deep");
	dvk_model_init(&m);
	dvk_model_update(&m, &s);
	vt_wait_prefix(row(40), 0, p, sizeof(p));
	CHECK("waits view: levels past 16 as +N", m.waits.nrows == 41 && row(40)->depth == 40 &&
	      strstr(p, "+23 `- ") && strlen(p) == 16 * 3 + strlen("+23 `- "), "'%s'", p);
}

static void test_filter_and_empty(void)
{
	fixture();
	snprintf(m.waits.filter, sizeof(m.waits.filter), "client");
	dvk_model_refresh(&m);
	CHECK("waits view: a filter keeps the deadlock line and the matches",
	      m.waits.nrows == 2 && row(0)->cycle_line && row(1)->ep == 10, "%d rows",
	      m.waits.nrows);
	snprintf(m.waits.filter, sizeof(m.waits.filter), "0/5@1");
	dvk_model_refresh(&m);
	CHECK("waits view: filter by dc/ep@node", m.waits.nrows == 2 && row(1)->ep == 5,
	      "%d rows", m.waits.nrows);

	memset(&s, 0, sizeof(s));
	s.waits_total = -1;
	dvk_model_init(&m);
	dvk_model_update(&m, &s);
	CHECK("waits view: unreadable (or not recorded) says so",
	      strstr(dvk_screen_waits.empty(&m), "dvk/waits unreadable") != NULL, "'%s'",
	      dvk_screen_waits.empty(&m));
	s.waits_total = 0;
	dvk_model_update(&m, &s);
	CHECK("waits view: nobody waits", strstr(dvk_screen_waits.empty(&m), "nobody waits") &&
	      m.waits.nrows == 0, "'%s'", dvk_screen_waits.empty(&m));
}

/* the screen's writer into a string (malloc'ed) */
static char *written(int json)
{
	struct vt_status st = { .delay_s = 1 };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (json) {	/* the members, each ",...", in an object */
		fprintf(f, "{\"x\":0");
		dvk_screen_waits.write_json(f, &m);
		fprintf(f, "}");
	} else {
		dvk_screen_waits.write_text(f, &m, &st);
	}
	fclose(f);
	return buf;
}

static void test_writers(void)
{
	struct json_object *o, *w, *c, *v;
	char *text, *js;
	int ok;

	fixture();
	text = written(0);
	CHECK("waits view: -b section: title, header, the deadlock line first, the tree",
	      text && strstr(text, "WAITS (5 waiters, longest 4.0s, 1 cycle)\nDC     PID WAIT") &&
	      strstr(text, "on)\ndeadlock: 0/3@0 -> 0/5@1 -> 0/3@0\n 0     103 sendrec") &&
	      strstr(text, "    `- 10@0 client\n"), "'%s'", text);
	free(text);

	js = written(1);
	o = json_tokener_parse(js);
	ok = o && json_object_object_get_ex(o, "waits", &w) && json_object_array_length(w) == 6 &&
	     json_object_object_get_ex(o, "cycles", &c) && json_object_array_length(c) == 1;
	CHECK("waits view: -j has waits (6 endpoints, no deadlock line) and cycles (1)", ok,
	      "'%s'", js);
	if (ok) {
		struct json_object *r5 = json_object_array_get_idx(w, 1);
		struct json_object *r12 = json_object_array_get_idx(w, 3);
		struct json_object *c1 = json_object_array_get_idx(c, 0);

		CHECK("waits view: -j rows carry depth, cycle, kind, peer",
		      json_object_object_get_ex(r5, "depth", &v) && json_object_get_int(v) == 1 &&
		      json_object_object_get_ex(r5, "cycle", &v) && json_object_get_int(v) == 1 &&
		      json_object_object_get_ex(r5, "kind", &v) &&
		      !strcmp(json_object_get_string(v), "sendrec") &&
		      json_object_object_get_ex(r5, "peer", &v) && json_object_get_int(v) == 3 &&
		      json_object_object_get_ex(r5, "pid", &v) && json_object_get_int(v) == 205,
		      "'%s'", json_object_to_json_string(r5));
		CHECK("waits view: -j a root that does not wait: kind and peer null",
		      json_object_object_get_ex(r12, "ep", &v) && json_object_get_int(v) == 12 &&
		      json_object_object_get_ex(r12, "kind", &v) && v == NULL &&
		      json_object_object_get_ex(r12, "peer", &v) && v == NULL &&
		      json_object_object_get_ex(r12, "name", &v) &&
		      !strcmp(json_object_get_string(v), "server"),
		      "'%s'", json_object_to_json_string(r12));
		CHECK("waits view: -j the cycle's name and size",
		      json_object_object_get_ex(c1, "name", &v) &&
		      !strcmp(json_object_get_string(v), "0/3@0 -> 0/5@1 -> 0/3@0") &&
		      json_object_object_get_ex(c1, "members", &v) && json_object_get_int(v) == 2 &&
		      json_object_object_get_ex(o, "waiters", &v) && json_object_get_int(v) == 5,
		      "'%s'", json_object_to_json_string(c1));
	}
	json_object_put(o);
	free(js);
}

int main(void)
{
	test_model();
	test_glyphs();
	test_filter_and_empty();
	test_writers();
	return CHECK_EXIT();
}
