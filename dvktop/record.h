/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.h - dvktop --record FILE: the recording source (source_record.c)
 * wraps another source (the live one) and appends each sample it gives,
 * as one "dvktop-sample/1" line (sample_json.h), to FILE, flushed at once:
 * the file may be cut at any moment, a reader ignores a cut last line.
 *
 * FILE is truncated when the source opens (a new recording).  rotate N > 0:
 * once FILE holds N samples, the next sample renames it to FILE.1
 * (replacing it) and starts a new FILE, so FILE.1 and FILE together keep
 * between N and 2N of the newest samples.
 */
#ifndef DVKTOP_RECORD_H
#define DVKTOP_RECORD_H

#include "source.h"

/*
 * Make src the recording source around a source of inner_ops (which its
 * open() opens with the same options).  0, or -ENOMEM.  src->ops->close()
 * frees what this allocated.
 */
int dvk_record_setup(struct dvk_source *src, const struct dvk_source_ops *inner_ops,
		     const char *path, long rotate);

#endif /* DVKTOP_RECORD_H */
