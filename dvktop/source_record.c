// SPDX-License-Identifier: GPL-2.0
/*
 * source_record.c - the recording source of record.h: every sample of the
 * source it wraps, appended to a file as a dvktop-sample/1 line.
 *
 * With -v it says on close how many samples it wrote, their mean line size
 * and the mean time it took to write and flush one (the cost of recording).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "record.h"
#include "sample_json.h"

struct rec {
	struct dvk_source inner;
	const char *path;
	long rotate;		/* samples per file; 0 = never rotate */
	long in_file;		/* samples in the current file */
	FILE *f;
	int verbose;
	long written;		/* samples written, all files */
	uint64_t bytes, write_ns;
};

/* CLOCK_MONOTONIC ns (its own: the unit tests link this file without main.c) */
static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int rec_create(struct rec *r, char *err, size_t errlen)
{
	r->f = fopen(r->path, "w");
	if (!r->f) {
		snprintf(err, errlen, "cannot create the recording %s: %s", r->path, strerror(errno));
		return -errno;
	}
	r->in_file = 0;
	return 0;
}

static int rec_open(struct dvk_source *src, const struct dvk_source_opts *opts)
{
	struct rec *r = src->priv;
	int rc;

	r->verbose = opts->verbose;
	rc = r->inner.ops->open(&r->inner, opts);
	if (rc)
		return rc;
	rc = rec_create(r, src->err, sizeof(src->err));
	if (rc)
		fprintf(stderr, "dvktop: %s\n", src->err);
	return rc;
}

/* FILE -> FILE.1, a new FILE */
static int rec_rotate(struct rec *r, char *err, size_t errlen)
{
	char old[4096];

	fclose(r->f);
	r->f = NULL;
	snprintf(old, sizeof(old), "%s.1", r->path);
	if (rename(r->path, old)) {
		snprintf(err, errlen, "cannot rename %s to %s.1: %s", r->path, r->path, strerror(errno));
		return -errno;
	}
	return rec_create(r, err, errlen);
}

static int rec_sample(struct dvk_source *src, struct dvk_sample *out)
{
	struct rec *r = src->priv;
	uint64_t t0;
	long before;
	int rc = r->inner.ops->sample(&r->inner, out);

	if (rc) {
		snprintf(src->err, sizeof(src->err), "%s", r->inner.err);
		return rc;
	}
	t0 = mono_ns();
	if (!r->f) {	/* a rotation failed to create the new file */
		snprintf(src->err, sizeof(src->err), "no recording file %s (see above)", r->path);
		return -EIO;
	}
	if (r->rotate && r->in_file >= r->rotate && (rc = rec_rotate(r, src->err, sizeof(src->err))))
		return rc;
	before = ftell(r->f);
	rc = dvk_sample_write(r->f, out);
	if (!rc && fflush(r->f))
		rc = -errno;
	if (rc) {
		snprintf(src->err, sizeof(src->err), "cannot write the recording %s: %s", r->path,
			 strerror(-rc));
		return rc;
	}
	r->in_file++;
	r->written++;
	r->bytes += (uint64_t)(ftell(r->f) - before);
	r->write_ns += mono_ns() - t0;
	src->err[0] = '\0';
	return 0;
}

static void rec_close(struct dvk_source *src)
{
	struct rec *r = src->priv;

	if (!r)
		return;
	r->inner.ops->close(&r->inner);
	if (r->f)
		fclose(r->f);
	if (r->verbose && r->written)
		fprintf(stderr, "dvktop: recorded %ld samples to %s, %.0f bytes and %.1f us each\n",
			r->written, r->path, (double)r->bytes / (double)r->written,
			(double)r->write_ns / (double)r->written / 1e3);
	free(r);
	src->priv = NULL;
}

static const struct dvk_source_ops record_ops = {
	.name = "record",
	.open = rec_open,
	.sample = rec_sample,
	.close = rec_close,
};

int dvk_record_setup(struct dvk_source *src, const struct dvk_source_ops *inner_ops,
		     const char *path, long rotate)
{
	struct rec *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->inner.ops = inner_ops;
	r->path = path;
	r->rotate = rotate;
	src->ops = &record_ops;
	src->priv = r;
	return 0;
}
