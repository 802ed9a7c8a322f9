/* SPDX-License-Identifier: GPL-2.0 */
/* json.h - JSON string escaping (json.c). */
#ifndef DVKTOP_JSON_H
#define DVKTOP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * JSON string body (without the quotes): escapes " \ and control
 * characters, replaces invalid UTF-8 with U+FFFD.  Returns the length
 * that would have been written (snprintf-like).
 */
size_t dvk_json_escape(const char *s, char *buf, size_t len);
/* s escaped, between quotes, to f */
void dvk_json_string(FILE *f, const char *s);

/*
 * The schema of the -j lines (docs/dvktop.md, "JSON (-j)"): members may be
 * added under the same name; removing, renaming or changing the meaning of
 * one makes it dvktop-json/2.
 */
#define DVKTOP_JSON_SCHEMA	"dvktop-json/1"

/*
 * real_ns (CLOCK_REALTIME, ns) as RFC 3339 UTC with milliseconds,
 * "2026-12-05T05:13:08.123Z", into buf; 0 and "" if real_ns is 0 (unknown)
 * or buf too small, else the length.
 */
size_t dvk_json_rfc3339(uint64_t real_ns, char *buf, size_t len);
/* the members "real_ns":N,"time":"..." (time null when real_ns is 0) to f */
void dvk_json_walltime(FILE *f, uint64_t real_ns);

#endif /* DVKTOP_JSON_H */
