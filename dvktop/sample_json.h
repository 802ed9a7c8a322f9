/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sample_json.h - a whole struct dvk_sample as one line of JSON, the record
 * format "dvktop-sample/1" that `dvktop --record` writes and `dvktop -r`
 * reads back (docs/dvktop.md, "Replay", describes every member).
 *
 * Round trip: what dvk_sample_parse() reads back from dvk_sample_write()'s
 * line is the sample written, member for member (strings are valid UTF-8:
 * an invalid byte in a name is written as U+FFFD), except the entries left
 * out because they hold nothing: call slots with count 0, pxstats slots
 * all zero, histogram slots after the last non-zero one.
 *
 * Readers ignore members they do not know: members may be added to
 * dvktop-sample/1; removing or changing one changes the schema's number.
 */
#ifndef DVKTOP_SAMPLE_JSON_H
#define DVKTOP_SAMPLE_JSON_H

#include <stddef.h>
#include <stdio.h>
#include "source.h"

#define DVK_SAMPLE_SCHEMA	"dvktop-sample/1"

/* s as one line (ending in '\n') on f; 0, or -errno if f failed. */
int dvk_sample_write(FILE *f, const struct dvk_sample *s);

/*
 * The line's sample into *s (zeroed first).  0, or -EINVAL with err saying
 * what is wrong ("not JSON: ...", "schema 'x' is not dvktop-sample/1",
 * "calls[3]: nr 99 out of range", ...).
 */
int dvk_sample_parse(const char *line, size_t len, struct dvk_sample *s, char *err,
		     size_t errlen);

#endif /* DVKTOP_SAMPLE_JSON_H */
