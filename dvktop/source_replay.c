// SPDX-License-Identifier: GPL-2.0
/*
 * source_replay.c - the replay source of replay.h: a recording's samples
 * file read whole into memory, indexed by line; a sample is parsed again
 * (sample_json.c) each time it is read, so memory stays the file's size
 * whatever the number of samples.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "dvkarchive/dvkarchive.h"
#include "replay.h"
#include "sample_json.h"

struct replay_line {
	size_t off, len;
	int lineno;
	uint64_t mono_ns, real_ns;
};

struct replay {
	struct dvk_capture cap;		/* when PATH is a capture */
	char file[4096];		/* the samples file */
	const char *name;		/* = file, for messages */
	char what[256];
	char *text;
	size_t size;
	struct replay_line *lines;
	int n, next;
	int cut;
};

/* 1 if the file starts with '{' or is empty (JSON lines), not an archive */
static int is_jsonl(const char *path)
{
	FILE *f = fopen(path, "r");
	int c = EOF;

	if (!f)
		return 0;
	do
		c = fgetc(f);
	while (c == ' ' || c == '\t' || c == '\r' || c == '\n');
	fclose(f);
	return c == '{' || c == EOF;
}

/* the whole of file into r->text (NUL-terminated) */
static int read_whole(struct replay *r, char *err, size_t errlen)
{
	FILE *f = fopen(r->file, "r");
	struct stat st;
	int rc = 0;

	if (!f || fstat(fileno(f), &st)) {
		snprintf(err, errlen, "cannot open %s: %s", r->name, strerror(errno));
		rc = -errno;
	} else if (!(r->text = malloc((size_t)st.st_size + 1))) {
		snprintf(err, errlen, "%s: out of memory", r->name);
		rc = -ENOMEM;
	} else {
		r->size = fread(r->text, 1, (size_t)st.st_size, f);
		r->text[r->size] = '\0';
		if (ferror(f)) {
			snprintf(err, errlen, "cannot read %s: %s", r->name, strerror(errno));
			rc = -EIO;
		}
	}
	if (f)
		fclose(f);
	return rc;
}

/* one line checked and indexed: 0, 1 (left out: a cut last line), -EINVAL */
static int index_line(struct replay *r, struct dvk_sample *s, size_t off, size_t len, int lineno,
		      char *err, size_t errlen)
{
	int last_cut = off + len == r->size;	/* no newline after it */
	char why[200];

	if (dvk_sample_parse(r->text + off, len, s, why, sizeof(why))) {
		if (last_cut) {
			r->cut = 1;
			return 1;
		}
		snprintf(err, errlen, "%s:%d: %s", r->name, lineno, why);
		return -EINVAL;
	}
	r->lines[r->n] = (struct replay_line){ off, len, lineno, s->time_ns, s->real_ns };
	r->n++;
	return 0;
}

static int index_lines(struct replay *r, char *err, size_t errlen)
{
	struct dvk_sample *s = malloc(sizeof(*s));
	size_t nl = 1, off = 0;
	int lineno = 0, rc = 0;

	for (size_t i = 0; i < r->size; i++)
		nl += r->text[i] == '\n';
	r->lines = calloc(nl, sizeof(*r->lines));
	if (!s || !r->lines) {
		free(s);
		snprintf(err, errlen, "%s: out of memory", r->name);
		return -ENOMEM;
	}
	while (off < r->size && rc >= 0) {
		const char *eol = memchr(r->text + off, '\n', r->size - off);
		size_t len = eol ? (size_t)(eol - (r->text + off)) : r->size - off;

		lineno++;
		if (strspn(r->text + off, " \t\r") < len)	/* blank lines: nothing */
			rc = index_line(r, s, off, len, lineno, err, errlen);
		off += len + 1;
	}
	free(s);
	if (rc >= 0 && r->n == 0) {
		snprintf(err, errlen, "%s: no samples (%s)", r->name,
			 r->cut ? "only a cut line" : "the file is empty");
		return -ENODATA;
	}
	return rc < 0 ? rc : 0;
}

/* PATH: a bare samples file, or a capture (archive or directory) */
static int find_samples(struct replay *r, const char *path, char *err, size_t errlen)
{
	struct stat st;
	const char *slash = strrchr(path, '/');
	int rc;

	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISREG(st.st_mode) && is_jsonl(path)) {
		snprintf(r->file, sizeof(r->file), "%s", path);
		snprintf(r->what, sizeof(r->what), "%s", slash ? slash + 1 : path);
		return 0;
	}
	rc = dvk_capture_open(path, &r->cap, err, errlen);
	if (rc)
		return rc;
	if (dvk_capture_member(&r->cap, "samples.jsonl", r->file, sizeof(r->file))) {
		snprintf(err, errlen, "%s: the capture has no samples.jsonl (no dvktop recording)",
			 path);
		return -ENOENT;
	}
	snprintf(r->what, sizeof(r->what), "%s", dvk_manifest_str(&r->cap, "host", "?"));
	return 0;
}

static int replay_open(struct dvk_source *src, const struct dvk_source_opts *opts)
{
	struct replay *r = calloc(1, sizeof(*r));
	int rc;

	src->priv = r;
	if (!r) {
		fprintf(stderr, "dvktop: out of memory\n");
		return -ENOMEM;
	}
	if (!opts->path) {
		snprintf(src->err, sizeof(src->err), "no recording to replay");
		rc = -EINVAL;
	} else {
		rc = find_samples(r, opts->path, src->err, sizeof(src->err));
	}
	r->name = r->file;
	if (!rc)
		rc = read_whole(r, src->err, sizeof(src->err));
	if (!rc)
		rc = index_lines(r, src->err, sizeof(src->err));
	if (rc)
		fprintf(stderr, "dvktop: %s\n", src->err);
	else if (r->cut && opts->verbose)
		fprintf(stderr, "dvktop: %s: the last line is cut, left out\n", r->name);
	return rc;
}

int dvk_replay_read(struct dvk_source *src, int i, struct dvk_sample *out)
{
	struct replay *r = src->priv;
	char why[200];

	if (i < 0 || i >= r->n) {
		snprintf(src->err, sizeof(src->err), "no sample %d (the recording has %d)", i + 1, r->n);
		return -ERANGE;
	}
	if (dvk_sample_parse(r->text + r->lines[i].off, r->lines[i].len, out, why, sizeof(why))) {
		snprintf(src->err, sizeof(src->err), "%s:%d: %s", r->name, r->lines[i].lineno, why);
		return -EINVAL;
	}
	return 0;
}

static int replay_sample(struct dvk_source *src, struct dvk_sample *out)
{
	struct replay *r = src->priv;
	int rc;

	if (r->next >= r->n) {
		snprintf(src->err, sizeof(src->err), "end of the recording");
		return -ENODATA;
	}
	rc = dvk_replay_read(src, r->next, out);
	if (!rc)
		r->next++;
	return rc;
}

static void replay_close(struct dvk_source *src)
{
	struct replay *r = src->priv;

	if (!r)
		return;
	dvk_capture_close(&r->cap);
	free(r->text);
	free(r->lines);
	free(r);
	src->priv = NULL;
}

const struct dvk_source_ops dvk_source_replay_ops = {
	.name = "replay",
	.open = replay_open,
	.sample = replay_sample,
	.close = replay_close,
};

int dvk_replay_is(const struct dvk_source *src)
{
	return src->ops == &dvk_source_replay_ops;
}

int dvk_replay_count(const struct dvk_source *src)
{
	return ((const struct replay *)src->priv)->n;
}

uint64_t dvk_replay_mono_ns(const struct dvk_source *src, int i)
{
	const struct replay *r = src->priv;

	return i >= 0 && i < r->n ? r->lines[i].mono_ns : 0;
}

uint64_t dvk_replay_real_ns(const struct dvk_source *src, int i)
{
	const struct replay *r = src->priv;

	return i >= 0 && i < r->n ? r->lines[i].real_ns : 0;
}

const char *dvk_replay_what(const struct dvk_source *src)
{
	return ((const struct replay *)src->priv)->what;
}

int dvk_replay_cut(const struct dvk_source *src)
{
	return ((const struct replay *)src->priv)->cut;
}
