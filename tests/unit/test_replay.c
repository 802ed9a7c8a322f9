// SPDX-License-Identifier: GPL-2.0
/*
 * test_replay.c - host unit tests of dvktop's recording and replay: the
 * dvktop-sample/1 line round trip of a fully populated sample
 * (sample_json.c), the parser's errors, the replay source over synthetic
 * files (a cut last line, a bad line, an empty file), --record-rotate with
 * a fake inner source, and the replay navigation (steps, speed, jumps, and
 * a step back showing the rows that sample showed when played).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "record.h"
#include "replay.h"
#include "replay_nav.h"
#include "sample_json.h"
#include "screen.h"
#include "json.h"
#include "check.h"

static char dir[64];
static struct dvk_sample a, b;	/* big: static */

/* every member of s set, to values that differ from member to member */
static void fill_full(struct dvk_sample *s, uint64_t seed)
{
	uint64_t v = seed;

	memset(s, 0, sizeof(*s));
	s->time_ns = 123456789012345ull + seed;
	s->real_ns = 1780000000000000000ull + seed;
	s->dvs = (struct dvk_dvs_info){ DVK_DVS_INITIALIZED, "", 3, 32, 32, 221, 35, 64, 65536,
					1048576, 202202, 0x102 };
	snprintf(s->dvs.name, sizeof(s->dvs.name), "%s", "N\"a\\me\x01 with 63 chars..................................");
	for (int nr = 0; nr < DVK_STAT_SLOTS; nr++) {
		s->calls[nr] = (struct dvk_call_stat){ ++v, ++v, ++v, { 0 } };
		for (int k = nr % 5; k < DVK_HIST_SLOTS - nr % 3; k++)
			s->calls[nr].hist[k] = ++v;
	}
	s->calls[7].hist[20] = 0;	/* a zero inside */
	s->calls[3].total_ns = UINT64_MAX;
	s->bindwaits_total = 99;
	s->nbindwaits = DVK_MAX_BINDWAITS;
	for (int i = 0; i < s->nbindwaits; i++)
		s->bindwaits[i] = (struct dvk_bindwait_row){ (int32_t)++v, "comm-16-chars-ab", -1,
							    WAIT_BIND, (int32_t)++v, ++v, -1 };
	s->endpoints_total = 2000;
	s->nendpoints = DVK_MAX_ENDPOINTS;
	for (int i = 0; i < s->nendpoints; i++)
		s->endpoints[i] = (struct dvk_endpoint){ i % 32, i - 35, (int32_t)++v, 0xFFFFFFFFu,
							 "SRN", -5, 7, INT64_MIN, ++v, ++v, ++v,
							 "sixteen-chars-ab" };
	s->nepstats = DVK_MAX_EPSTATS;
	for (int i = 0; i < s->nepstats; i++)
		s->epstats[i] = (struct dvk_epstat){ INT32_MIN, INT32_MAX, ++v, ++v, ++v, ++v };
	s->pairs_total = -1;
	s->npairs = DVK_MAX_PAIRS;
	for (int i = 0; i < s->npairs; i++)
		s->pairs[i] = (struct dvk_pair){ i, "a-pair-name-of-32-characters-abc", "ISR", ++v,
						 (int32_t)++v, -1, ++v, ++v, ++v, ++v, ++v, ++v, ++v,
						 -3001, INT64_MAX, -1 };
	for (int slot = 0; slot < DVK_PX_SLOTS; slot++)
		s->pxstats[slot] = (struct dvk_px_stat){ ++v, ++v, ++v, ++v, ++v, ++v, ++v, ++v, ++v,
							 ++v };
	s->waits_total = 1500;
	s->nwaits = DVK_MAX_WAITS;
	for (int i = 0; i < s->nwaits; i++) {	/* field by field: the padding stays zero */
		struct dvk_wait *w = &s->waits[i];

		w->dcid = i % 32;
		w->ep = i - 35;
		w->node = i % 3;
		w->pid = i % 2 ? -1 : (int32_t)++v;
		w->kind = i % DVK_WAIT_NKINDS;
		w->peer = i % 4 ? (int32_t)(i - 100) : ANY;
		w->peer_node = i % 4 ? i % 5 : -1;
		w->waited_ms = ++v;
		w->msg_id = i ? ++v : UINT64_MAX;
		snprintf(w->name, sizeof(w->name), "%s", i % 2 ? "" : "a name with 16 c");
	}
}

/* s as its line (malloc'ed) */
static char *line_of(const struct dvk_sample *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	dvk_sample_write(f, s);
	fclose(f);
	return buf;
}

static void test_round_trip(void)
{
	char err[256] = "", *line;
	size_t len;
	int rc;

	fill_full(&a, 1);
	line = line_of(&a, &len);
	rc = dvk_sample_parse(line, len, &b, err, sizeof(err));
	CHECK("sample json: a fully populated sample reads back member for member",
	      rc == 0 && !memcmp(&a, &b, sizeof(a)), "rc %d (%s), %s", rc, err,
	      rc ? "" : "the samples differ");
	CHECK("sample json: one line, ending in a newline",
	      len > 0 && line[len - 1] == '\n' && !memchr(line, '\n', len - 1), "%zu bytes", len);
	free(line);

	memset(&a, 0, sizeof(a));
	a.calls[5].count = 2;
	a.calls[5].hist[12] = 2;
	a.pxstats[DVK_PX_OTHER].errors_in = 1;
	line = line_of(&a, &len);
	rc = dvk_sample_parse(line, len, &b, err, sizeof(err));
	CHECK("sample json: empty call slots and pxstats slots left out, read back as zero",
	      rc == 0 && !memcmp(&a, &b, sizeof(a)) && !strstr(line, "\"nr\":0,") &&
	      strstr(line, "\"hist_from\":12,\"hist\":[2]") && strstr(line, "\"slot\":32,"),
	      "rc %d (%s): %.300s", rc, err, line);
	free(line);
}

/* parse must fail with a message containing want */
static void parse_fails(const char *name, const char *line, const char *want)
{
	char err[256] = "";
	int rc = dvk_sample_parse(line, strlen(line), &b, err, sizeof(err));

	CHECK(name, rc == -EINVAL && strstr(err, want), "rc %d, message '%s' (want '%s')", rc, err,
	      want);
}

#define HEAD	"{\"schema\":\"dvktop-sample/1\",\"mono_ns\":5,\"dvs\":{\"state\":\"initialized\"}"
static void test_parse_errors(void)
{
	char err[256];

	parse_fails("sample json: not JSON", "{\"schema\":", "not JSON");
	parse_fails("sample json: another schema", "{\"schema\":\"dvktop-sample/2\"}",
		    "schema 'dvktop-sample/2' is not dvktop-sample/1");
	parse_fails("sample json: a line without a schema", "{\"time_ns\":1}", "no \"schema\"");
	parse_fails("sample json: a live -j line is not a sample",
		    "{\"schema\":\"" DVKTOP_JSON_SCHEMA "\",\"time_ns\":1}",
		    "schema 'dvktop-json/1' is not dvktop-sample/1");
	parse_fails("sample json: call number out of range",
		    HEAD ",\"calls\":[{\"nr\":36,\"count\":1}]}", "calls[0].nr: 36 out of range");
	parse_fails("sample json: a name too long for its field",
		    HEAD ",\"endpoints\":[{\"name\":\"seventeen-chars-a\"}]}",
		    "endpoints[0].name: longer than 16 bytes");
	parse_fails("sample json: a negative counter", HEAD ",\"epstats\":[{\"sent\":-1}]}",
		    "epstats[0].sent: negative");
	parse_fails("sample json: histogram past its slots",
		    HEAD ",\"calls\":[{\"nr\":1,\"count\":1,\"hist_from\":39,\"hist\":[1,2]}]}",
		    "hist_from 39 + 2 slots > 40");
	parse_fails("sample json: text after the object", HEAD "} x", "text after");
	parse_fails("sample json: a wait of no kind", HEAD ",\"waits\":[{\"kind\":6}]}",
		    "waits[0].kind: 6 is no kind");
	CHECK("sample json: a recording made before dvk/waits: waits_total -1 (not recorded)",
	      !dvk_sample_parse(HEAD "}", strlen(HEAD "}"), &b, err, sizeof(err)) &&
	      b.waits_total == -1 && b.nwaits == 0, "waits_total %d (%s)", b.waits_total, err);
	CHECK("sample json: unknown members are ignored",
	      !dvk_sample_parse(HEAD ",\"future\":[1]}", strlen(HEAD ",\"future\":[1]}"), &b, err,
				sizeof(err)) && b.time_ns == 5, "%s", err);
}

/* path of a file in the test directory */
static const char *in_dir(const char *name)
{
	static char path[4][128];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

/* n samples at 1 s intervals (call 27 counting up by 10/s) into name, then tail */
static void write_file(const char *name, int n, const char *tail)
{
	FILE *f = fopen(in_dir(name), "w");

	for (int i = 0; i < n; i++) {
		memset(&a, 0, sizeof(a));
		a.time_ns = 1000000000ull * (uint64_t)(i + 1);
		a.real_ns = 1780000000000000000ull + 1000000000ull * (uint64_t)i;
		a.calls[27].count = 10 * (uint64_t)i + 1;
		a.calls[27].hist[10] = a.calls[27].count;
		a.pxstats[1].bytes_out = (uint64_t)(i * i) * 1000;	/* rates that differ */
		a.npairs = 1;
		a.pairs[0].px = 1;
		a.pairs[0].nodemap = 2;
		dvk_sample_write(f, &a);
	}
	fputs(tail, f);
	fclose(f);
}

/* open name as a replay source: its return code, the message in err */
static int open_replay(struct dvk_source *src, const char *name)
{
	struct dvk_source_opts o = { .path = in_dir(name) };
	int rc;

	memset(src, 0, sizeof(*src));
	src->ops = &dvk_source_replay_ops;
	fflush(stdout);
	rc = src->ops->open(src, &o);	/* prints its message on stderr */
	return rc;
}

static void test_replay_source(void)
{
	struct dvk_source src;
	int rc, got = 0;

	write_file("cut.jsonl", 3, "{\"schema\":\"dvktop-sample/1\",\"mono");
	rc = open_replay(&src, "cut.jsonl");
	CHECK("replay: a cut last line is left out", rc == 0 && dvk_replay_count(&src) == 3 &&
	      dvk_replay_cut(&src), "rc %d (%s)", rc, src.err);
	while (!rc && src.ops->sample(&src, &a) == 0)
		got += a.calls[27].count == 10 * (uint64_t)got + 1;
	CHECK("replay: sample() gives the samples in order, then -ENODATA",
	      got == 3 && src.ops->sample(&src, &a) == -ENODATA, "%d in order", got);
	CHECK("replay: any sample by index; times from the index",
	      !rc && dvk_replay_read(&src, 1, &a) == 0 && a.calls[27].count == 11 &&
	      dvk_replay_mono_ns(&src, 2) == 3000000000ull &&
	      !strcmp(dvk_replay_what(&src), "cut.jsonl"), "count %llu",
	      (unsigned long long)a.calls[27].count);
	src.ops->close(&src);

	write_file("bad.jsonl", 1, "{\"schema\":\"dvktop-sample/1\"}\n\n{}\n");
	rc = open_replay(&src, "bad.jsonl");
	CHECK("replay: a bad line fails the open, naming its line",
	      rc == -EINVAL && strstr(src.err, "bad.jsonl:2: no \"mono_ns\""), "rc %d (%s)", rc,
	      src.err);
	src.ops->close(&src);

	write_file("empty.jsonl", 0, "");
	rc = open_replay(&src, "empty.jsonl");
	CHECK("replay: an empty file fails the open, saying so",
	      rc == -ENODATA && strstr(src.err, "no samples (the file is empty)"), "rc %d (%s)", rc,
	      src.err);
	src.ops->close(&src);

	rc = open_replay(&src, "none.jsonl");
	CHECK("replay: a missing file fails the open", rc == -ENOENT && strstr(src.err, "none.jsonl"),
	      "rc %d (%s)", rc, src.err);
	src.ops->close(&src);
}

/* --record-rotate over a fake source counting samples */
static int fake_n;
static int fake_open(struct dvk_source *s, const struct dvk_source_opts *o)
{
	(void)s;
	(void)o;
	return 0;
}
static int fake_sample(struct dvk_source *s, struct dvk_sample *out)
{
	(void)s;
	memset(out, 0, sizeof(*out));
	out->time_ns = (uint64_t)++fake_n;
	return 0;
}
static void fake_close(struct dvk_source *s)
{
	(void)s;
}
static const struct dvk_source_ops fake_ops = { "fake", fake_open, fake_sample, fake_close };

/* the time_ns of the samples in name, as "1 2 3" */
static void times_of(const char *name, char *buf, size_t len)
{
	struct dvk_source src;

	buf[0] = '\0';
	if (open_replay(&src, name) == 0)
		while (src.ops->sample(&src, &a) == 0)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%llu", buf[0] ? " " : "",
				 (unsigned long long)a.time_ns);
	src.ops->close(&src);
}

static void test_rotate(void)
{
	struct dvk_source src = { 0 };
	struct dvk_source_opts o = { 0 };
	char now[64], old[64];
	int rc;

	dvk_record_setup(&src, &fake_ops, in_dir("rec.jsonl"), 2);
	rc = src.ops->open(&src, &o);
	for (int i = 0; i < 5 && !rc; i++)
		rc = src.ops->sample(&src, &a);
	src.ops->close(&src);
	times_of("rec.jsonl", now, sizeof(now));
	times_of("rec.jsonl.1", old, sizeof(old));
	CHECK("record: --record-rotate 2 keeps the newest samples in FILE.1 and FILE",
	      rc == 0 && !strcmp(old, "3 4") && !strcmp(now, "5"), "rc %d, FILE.1 '%s', FILE '%s'",
	      rc, old, now);
}

/* the JSON members of every screen for m (malloc'ed) */
static char *rows_of(const struct dvk_model *m)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	fprintf(f, "%.3f", m->interval_s);
	for (int i = 0; dvk_screens[i]; i++)
		dvk_screens[i]->write_json(f, m);
	fclose(f);
	return buf;
}

static void test_nav(void)
{
	static struct dvk_model played, m;
	struct dvk_replay_nav nav;
	struct dvk_source src;
	char *want = NULL, *got, err[128];
	int n = DVK_PX_HIST + 10, k = DVK_PX_HIST + 5, idx = -1, ok = 1;

	write_file("nav.jsonl", n, "");
	if (open_replay(&src, "nav.jsonl")) {
		CHECK("nav: the replay opens", 0, "%s", src.err);
		return;
	}
	dvk_model_init(&played);
	for (int i = 0; i <= k; i++) {
		dvk_replay_read(&src, i, &a);
		dvk_model_update(&played, &a);
		if (i == 2 || i == k) {
			want = rows_of(&played);
			dvk_model_init(&m);
			dvk_nav_init(&nav, n);
			nav.pos = n - 1;
			dvk_nav_show(&nav, &src, &m, &b);	/* to the end, then back */
			nav.pos = i + 1;
			dvk_nav_show(&nav, &src, &m, &b);
			dvk_nav_step(&nav, -1);
			dvk_nav_show(&nav, &src, &m, &b);
			got = rows_of(&m);
			ok &= !strcmp(want, got) && strstr(got, "\"history_bps\"") && nav.shown == i;
			free(got);
			nav.pos = i - 1;			/* and forward, one update */
			dvk_nav_show(&nav, &src, &m, &b);
			dvk_nav_step(&nav, 1);
			dvk_nav_show(&nav, &src, &m, &b);
			got = rows_of(&m);
			ok &= !strcmp(want, got);
			free(want);
			free(got);
		}
	}
	CHECK("nav: a step back or forward shows the rows (rates, history) that sample showed when played", ok,
	      "sample 3 or %d differs", k + 1);
	dvk_nav_init(&nav, n);
	ok = !dvk_nav_step(&nav, -1) && dvk_nav_step(&nav, 3) && nav.pos == 3 &&
	     dvk_nav_step(&nav, 1000) && nav.pos == n - 1;
	CHECK("nav: steps stay within the recording", ok, "pos %d", nav.pos);
	for (int i = 0; i < 20; i++)
		dvk_nav_speed(&nav, 1);
	ok = nav.speed == DVK_NAV_SPEED_MAX;
	for (int i = 0; i < 20; i++)
		dvk_nav_speed(&nav, 0);
	nav.pos = 0;
	CHECK("nav: speed doubles and halves within its bounds; hold = interval / speed",
	      ok && nav.speed == DVK_NAV_SPEED_MIN && dvk_nav_hold_ns(&nav, &src) == 16000000000ull,
	      "speed %g", nav.speed);
	ok = !dvk_nav_find(&src, "+2.5", &idx, err, sizeof(err)) && idx == 2;
	ok &= !dvk_nav_find(&src, "+0", &idx, err, sizeof(err)) && idx == 0;
	CHECK("nav: +SECONDS goes to the last sample at or before it", ok, "index %d", idx);
	{
		time_t t0 = (time_t)(dvk_replay_real_ns(&src, 0) / 1000000000ull) + 4;
		struct tm tm;
		char spec[16];

		localtime_r(&t0, &tm);
		strftime(spec, sizeof(spec), "%H:%M:%S", &tm);
		ok = !dvk_nav_find(&src, spec, &idx, err, sizeof(err)) && idx == 4;
		CHECK("nav: HH:MM:SS goes to the sample taken in that second", ok, "%s: index %d",
		      spec, idx);
	}
	CHECK("nav: a bad time is refused, saying what is expected",
	      dvk_nav_find(&src, "25:00", &idx, err, sizeof(err)) == -EINVAL &&
	      strstr(err, "expected HH:MM:SS"), "%s", err);
	src.ops->close(&src);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_replay.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_round_trip();
	test_parse_errors();
	test_replay_source();
	test_rotate();
	test_nav();
	if (!check_failures) {
		const char *names[] = { "cut.jsonl", "bad.jsonl", "empty.jsonl", "rec.jsonl",
					"rec.jsonl.1", "nav.jsonl" };

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			unlink(in_dir(names[i]));
		rmdir(dir);
	}
	return CHECK_EXIT();
}
