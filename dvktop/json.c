// SPDX-License-Identifier: GPL-2.0
/* json.c - JSON string escaping for the -j writers. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "json.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

size_t dvk_json_escape(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t out = 0;

#define PUT(str, n) do {						\
	for (size_t _i = 0; _i < (n); _i++, out++)			\
		if (out + 1 < len)					\
			buf[out] = (str)[_i];				\
} while (0)

	while (*p) {
		char esc[8];
		size_t n;

		switch (*p) {
		case '"':  PUT("\\\"", 2); p++; continue;
		case '\\': PUT("\\\\", 2); p++; continue;
		case '\n': PUT("\\n", 2); p++; continue;
		case '\r': PUT("\\r", 2); p++; continue;
		case '\t': PUT("\\t", 2); p++; continue;
		case '\b': PUT("\\b", 2); p++; continue;
		case '\f': PUT("\\f", 2); p++; continue;
		default:
			break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			PUT(esc, 6);
			p++;
		} else if (*p < 0x80) {
			PUT((const char *)p, 1);
			p++;
		} else if ((n = utf8_seq_len(p)) > 0) {
			PUT((const char *)p, n);
			p += n;
		} else {
			PUT("\\ufffd", 6);
			p++;
		}
	}
#undef PUT
	if (len)
		buf[out < len ? out : len - 1] = '\0';
	return out;
}

void dvk_json_string(FILE *f, const char *s)
{
	char buf[512];
	size_t n = dvk_json_escape(s, buf, sizeof(buf));

	if (n < sizeof(buf)) {
		fprintf(f, "\"%s\"", buf);
	} else {
		char *big = malloc(n + 1);

		if (big) {
			dvk_json_escape(s, big, n + 1);
			fprintf(f, "\"%s\"", big);
			free(big);
		} else {
			fprintf(f, "\"\"");
		}
	}
}

size_t dvk_json_rfc3339(uint64_t real_ns, char *buf, size_t len)
{
	time_t sec = (time_t)(real_ns / 1000000000ull);
	unsigned ms = (unsigned)(real_ns % 1000000000ull / 1000000u);
	struct tm tm;
	size_t n;
	int m;

	if (len)
		buf[0] = '\0';
	if (!real_ns || !gmtime_r(&sec, &tm))
		return 0;
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return 0;
	m = snprintf(buf + n, len - n, ".%03uZ", ms);
	if (m < 0 || (size_t)m >= len - n) {
		buf[0] = '\0';
		return 0;
	}
	return n + (size_t)m;
}

void dvk_json_walltime(FILE *f, uint64_t real_ns)
{
	char t[64];

	fprintf(f, "\"real_ns\":%llu,\"time\":", (unsigned long long)real_ns);
	if (dvk_json_rfc3339(real_ns, t, sizeof(t)))
		fprintf(f, "\"%s\"", t);
	else
		fprintf(f, "null");
}
