// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - numbers as the views print them: durations, counts and rates
 * in a column width, and the throughput sparkline.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "format.h"

char *dvk_fmt_ns(uint64_t ns, char *buf, size_t len)
{
	static const struct {
		double div;
		const char *unit;
	} units[] = { { 1e3, "us" }, { 1e6, "ms" }, { 1e9, "s" } };

	if (!len)
		return buf;
	if (ns < 1000) {
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
		return buf;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double v = (double)ns / units[i].div;

		/* 999.96us would print as "1000.0us": take the next unit */
		if (v < 999.95 || i == sizeof(units) / sizeof(units[0]) - 1) {
			if (v < 99999.95)
				snprintf(buf, len, "%.1f%s", v, units[i].unit);
			else
				snprintf(buf, len, "%.0f%s", v, units[i].unit);
			break;
		}
	}
	return buf;
}

/* v with the first unit that brings it under 1000 (123.5G, not 123457M);
 * no decimal when that is wider than width */
static void with_unit(double v, int width, char *buf, size_t len)
{
	static const char suffix[] = "kMGTPE";

	for (int i = 0; suffix[i]; i++) {
		v /= 1000.0;
		if (v >= 999.95 && suffix[i + 1])
			continue;
		snprintf(buf, len, "%.1f%c", v, suffix[i]);
		if (strlen(buf) > (size_t)width)
			snprintf(buf, len, "%.0f%c", v, suffix[i]);
		break;
	}
}

char *dvk_fmt_count(uint64_t v, int width, char *buf, size_t len)
{
	if (!len)
		return buf;
	snprintf(buf, len, "%llu", (unsigned long long)v);
	if (width > 0 && strlen(buf) > (size_t)width)
		with_unit((double)v, width, buf, len);
	return buf;
}

char *dvk_fmt_rate(double v, int width, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (!(v >= 0) || isinf(v))	/* NaN, negative, infinite: no rate */
		v = 0;
	snprintf(buf, len, "%.1f", v);
	if (width > 0 && strlen(buf) > (size_t)width)
		with_unit(v, width, buf, len);
	return buf;
}

char *dvk_sparkline(const double *v, int n, int width, int utf8, char *buf, size_t len)
{
	static const char *const blocks[8] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char ascii[8] = { '_', '.', ':', '-', '=', '+', '*', '#' };
	size_t used = 0;
	double max = 0;
	int first;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (width <= 0 || n < 0)
		return buf;
	first = n > width ? n - width : 0;
	for (int i = first; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (int cell = 0; cell < width; cell++) {
		int i = first + cell - (width - (n - first));	/* the value in this cell */
		const char *g;
		char one[2] = { 0, 0 };
		size_t gl;

		if (i < first) {
			g = " ";
		} else {
			int lvl = 0;

			if (v[i] > 0 && max > 0) {
				lvl = 1 + (int)(v[i] / max * 6.999);
				if (lvl > 7)
					lvl = 7;
			}
			if (utf8) {
				g = blocks[lvl];
			} else {
				one[0] = ascii[lvl];
				g = one;
			}
		}
		gl = strlen(g);
		if (used + gl + 1 > len)
			break;
		memcpy(buf + used, g, gl);
		used += gl;
	}
	buf[used] = '\0';
	return buf;
}
