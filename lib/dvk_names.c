// SPDX-License-Identifier: LGPL-2.1
/* dvk_names.c - names of DVK errors and calls, from the tables in dvk.h. */
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
