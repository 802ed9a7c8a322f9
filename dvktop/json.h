/* SPDX-License-Identifier: GPL-2.0 */
/* json.h - JSON string escaping (json.c). */
#ifndef DVKTOP_JSON_H
#define DVKTOP_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * JSON string body (without the quotes): escapes " \ and control
 * characters, replaces invalid UTF-8 with U+FFFD.  Returns the length
 * that would have been written (snprintf-like).
 */
size_t dvk_json_escape(const char *s, char *buf, size_t len);
/* s escaped, between quotes, to f */
void dvk_json_string(FILE *f, const char *s);

#endif /* DVKTOP_JSON_H */
