/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - the replay source (source_replay.c): the samples of a
 * recording, for `dvktop -r PATH`.
 *
 * PATH is a capture of dvk-capture (an archive, or the directory it
 * unpacks to: lib/dvkarchive opens it; the samples are its member
 * samples.jsonl), or a bare samples file (what dvktop --record writes: a
 * regular file starting with '{').  Open reads and checks every line: a line that is not a
 * dvktop-sample/1 object fails the open with its line number, except a
 * last line without its newline (the recorder was cut while writing it),
 * which is left out.  No sample at all fails too.
 *
 * sample() gives the samples in order, then -ENODATA; the TUI moves
 * around with dvk_replay_read() (any sample, by index).
 */
#ifndef DVKTOP_REPLAY_H
#define DVKTOP_REPLAY_H

#include "source.h"

/* 1 if src is a replay source (after open). */
int dvk_replay_is(const struct dvk_source *src);
/* The number of samples (>= 1 after a successful open). */
int dvk_replay_count(const struct dvk_source *src);
/* Sample i (0-based) into *out; 0 or a negative errno (message in src->err). */
int dvk_replay_read(struct dvk_source *src, int i, struct dvk_sample *out);
/* Sample i's CLOCK_MONOTONIC and CLOCK_REALTIME times (ns). */
uint64_t dvk_replay_mono_ns(const struct dvk_source *src, int i);
uint64_t dvk_replay_real_ns(const struct dvk_source *src, int i);
/* What was recorded: the capture's host ("host" of its manifest), or the
 * samples file's name. */
const char *dvk_replay_what(const struct dvk_source *src);
/* 1 when the last line was cut and left out. */
int dvk_replay_cut(const struct dvk_source *src);

#endif /* DVKTOP_REPLAY_H */
