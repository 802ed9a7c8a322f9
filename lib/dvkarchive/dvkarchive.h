/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvkarchive.h - open a support capture made by dvk-capture (docs/support.md):
 * an archive (.tar.gz, .tar.zst, anything libarchive reads), the directory
 * it unpacks to, or a directory holding exactly one such directory.
 *
 * An archive is extracted into a private temporary directory, which
 * dvk_capture_close() removes.  Archives come from other hosts, so the
 * extraction trusts nothing: only regular files and directories, no
 * absolute names, no "..", no links, a size limit (archive.c).
 *
 * Used by dvktop -r (replay) and dvk-trace (timelines).
 */
#ifndef DVKARCHIVE_H
#define DVKARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/* The manifest schema this code reads; a capture of another major fails. */
#define DVK_CAPTURE_SCHEMA	"dvk-capture/1"

/* What one archive may unpack to at most (a zip bomb stops here). */
#define DVK_CAPTURE_MAX_BYTES	(4ULL << 30)

struct dvk_capture {
	char root[4096];		/* the directory holding manifest.json */
	char tmpdir[4096];		/* ours to remove, "" when opened in place */
	struct json_object *manifest;	/* parsed manifest.json */
};

/*
 * dvk_capture_open - open PATH (archive or directory) as a capture.
 * Returns 0, or a negative errno with a message in ERR: -ENOENT (no such
 * file, or no manifest.json), -EINVAL (not an archive, unsafe member,
 * unreadable or foreign manifest), -EFBIG (past DVK_CAPTURE_MAX_BYTES),
 * -ENOSPC/-EIO (could not extract).  *C is safe to close either way.
 */
int dvk_capture_open(const char *path, struct dvk_capture *c, char *err, size_t errlen);

/* dvk_capture_member - BUF = root/MEMBER; 0, -ENOENT if absent, -ENAMETOOLONG. */
int dvk_capture_member(const struct dvk_capture *c, const char *member, char *buf, size_t len);

/*
 * Manifest lookups by dotted path ("node.name", "window.start.monotonic_ns").
 * DFLT when the path is missing or of another type.
 */
const char *dvk_manifest_str(const struct dvk_capture *c, const char *dotted, const char *dflt);
int64_t dvk_manifest_i64(const struct dvk_capture *c, const char *dotted, int64_t dflt);
struct json_object *dvk_manifest_get(const struct dvk_capture *c, const char *dotted);

/* dvk_capture_close - free the manifest, remove what open extracted. */
void dvk_capture_close(struct dvk_capture *c);

#endif /* DVKARCHIVE_H */
