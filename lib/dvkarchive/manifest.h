/* SPDX-License-Identifier: GPL-2.0 */
/* manifest.h - lib/dvkarchive's own: reading manifest.json (manifest.c). */
#ifndef DVKARCHIVE_MANIFEST_H
#define DVKARCHIVE_MANIFEST_H

#include <stddef.h>
#include "dvkarchive.h"

int dvk_capture_errf(char *err, size_t len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int dvk_manifest_load(struct dvk_capture *c, char *err, size_t errlen);
void dvk_manifest_free(struct dvk_capture *c);

#endif
