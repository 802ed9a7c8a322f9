// SPDX-License-Identifier: LGPL-2.1
/*
 * dvk_names.c - names of DVK errors, calls and flags: the one user-space
 * implementation of the X-macro tables of dvk.h (the kernel expands the
 * same tables for its dispatch, trace events and debugfs views).
 */
#include <stdio.h>
#include "libdvk.h"

struct dvk_errdesc {
	int code;
	const char *name;
	const char *full;	/* "NAME (code): meaning" */
};

#define _DVK_ERRDESC(name, value, text) { value, #name, #name " (" #value "): " text },
static const struct dvk_errdesc dvk_errors[] = {
	DVK_ERROR_LIST(_DVK_ERRDESC)
};

#define _DVK_CALLNAME(nr, name) [nr] = #name,
static const char *const dvk_calls[DVK_NR_CALLS] = {
	DVK_CALL_LIST(_DVK_CALLNAME)
};

static const struct dvk_errdesc *dvk_errfind(int code)
{
	for (size_t i = 0; i < sizeof(dvk_errors) / sizeof(dvk_errors[0]); i++)
		if (dvk_errors[i].code == code)
			return &dvk_errors[i];
	return NULL;
}

const char *dvk_errname(int code)
{
	const struct dvk_errdesc *d = dvk_errfind(code);

	return d ? d->name : NULL;
}

const char *dvk_strerror(int code)
{
	static __thread char buf[64];
	const struct dvk_errdesc *d;

	if (code >= 0)
		return "OK (0): success";
	d = dvk_errfind(code);
	if (d)
		return d->full;
	snprintf(buf, sizeof(buf), "unknown DVK error (%d)", code);
	return buf;
}

const char *dvk_callname(int nr)
{
	if (nr < 0 || nr >= DVK_NR_CALLS)
		return "invalid";
	return dvk_calls[nr];
}

#define _DVK_RTS_BIT(flag, letter) { flag, letter },
static const struct {
	int bit;
	char letter;
} dvk_rts_letters[] = {
	DVK_RTS_FLAG_LIST(_DVK_RTS_BIT)
};

const char *dvk_rts_flagstr(int flags, char *buf, size_t len)
{
	size_t i, n = 0;

	if (!len)
		return buf;
	for (i = 0; i < sizeof(dvk_rts_letters) / sizeof(dvk_rts_letters[0]) && n + 1 < len; i++)
		if (flags & dvk_rts_letters[i].bit)
			buf[n++] = dvk_rts_letters[i].letter;
	if (!n && len > 1)
		buf[n++] = '-';
	buf[n] = '\0';
	return buf;
}

#define _DVK_DVS_BIT(flag, name) { flag, #name },
static const struct {
	uint64_t bit;
	const char *name;
} dvk_dvs_names[] = {
	DVK_DVS_FLAG_LIST(_DVK_DVS_BIT)
};

const char *dvk_dvs_flagstr(uint64_t flags, char *buf, size_t len)
{
	size_t i, used = 0;
	int n;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(dvk_dvs_names) / sizeof(dvk_dvs_names[0]) && used < len; i++) {
		if (!(flags & dvk_dvs_names[i].bit))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", dvk_dvs_names[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}
