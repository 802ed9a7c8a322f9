/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h - numbers as dvktop's views print them (format.c).  All return
 * buf, always NUL-terminated.
 */
#ifndef DVKTOP_FORMAT_H
#define DVKTOP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

char *dvk_fmt_ns(uint64_t ns, char *buf, size_t len);	/* "850ns" "12.3us" "4.1ms" "2.0s" */
/* A count in at most width chars: raw digits, else 12.3k / 4.5M / 6.7G / 8.9T. */
char *dvk_fmt_count(uint64_t v, int width, char *buf, size_t len);
/* A rate (>= 0) in at most width chars: "%.1f", else with k/M/G. */
char *dvk_fmt_rate(double v, int width, char *buf, size_t len);
/*
 * The last width values of v[0..n) (oldest first) as a sparkline of width
 * cells, the newest rightmost, padded on the left with blanks when n <
 * width.  Each cell is scaled to the largest of the values shown: 0 is the
 * lowest glyph, anything above 0 at least the second.  utf8: the block
 * glyphs U+2581..U+2588 (3 bytes each), else ASCII "_.:-=+*#".
 */
char *dvk_sparkline(const double *v, int n, int width, int utf8, char *buf, size_t len);

#endif /* DVKTOP_FORMAT_H */
